//! The plain text of a fragment of a chapter (a step, a link, a cell, a
//! heading), read as the walker reads it in the whole chapter: inline
//! markup removed, nested lists and code blocks left out, line breaks as
//! spaces. A render reads a fragment again once values are filled in.

use super::options;
use crate::slug::Flavour;
use pulldown_cmark::{BrokenLink, CowStr, Event, Parser, Tag, TagEnd};

/// The events of `fragment`, where `[text][label]` is a link when the
/// chapter's `references` define `label`.
fn events<'a>(
    fragment: &'a str,
    flavour: Flavour,
    references: &'a [String],
) -> impl Iterator<Item = Event<'a>> {
    let callback = move |link: BrokenLink<'a>| -> Option<(CowStr<'a>, CowStr<'a>)> {
        let wanted = fold_label(&link.reference);
        references
            .iter()
            .any(|r| fold_label(r) == wanted)
            .then(|| (CowStr::from(""), CowStr::from("")))
    };
    Parser::new_with_broken_link_callback(fragment, options(flavour), Some(callback))
}

/// The text of `fragment`, a piece of a chapter whose reference
/// definitions are `references` (so `[text][label]` reads as `text` where
/// the chapter defines `label`, and as written where it does not). White
/// space is kept as the text has it; callers trim or collapse it as the
/// walker does for what they read.
pub fn plain_text(fragment: &str, flavour: Flavour, references: &[String]) -> String {
    let mut out = String::with_capacity(fragment.len());
    let (mut lists, mut code) = (0usize, 0usize);
    for event in events(fragment, flavour, references) {
        match event {
            Event::Start(Tag::List(_)) => lists += 1,
            Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if lists == 0 && code == 0 => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if lists == 0 && code == 0 => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The whole text of `fragment` on one line, for a tracking sheet: like
/// [`plain_text`], but nested lists and code blocks are kept, each item
/// after ` - ` (or its number), code lines after a space.
pub fn flat_text(fragment: &str, flavour: Flavour, references: &[String]) -> String {
    let mut out = String::with_capacity(fragment.len());
    // The next number of each open list (None: a bullet list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    for event in events(fragment, flavour, references) {
        match event {
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => match lists.last_mut() {
                Some(Some(n)) => {
                    out.push_str(&format!(" {n}. "));
                    *n += 1;
                }
                _ => out.push_str(" - "),
            },
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::Paragraph) => out.push(' '),
            Event::Start(Tag::TableCell) => out.push_str(" | "),
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A reference label as CommonMark matches it: case folded, runs of white
/// space as one space.
fn fold_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_text_keeps_sub_lists_and_code_on_one_line() {
        assert_eq!(
            flat_text(
                "Enter:\n  - **Forest**: `corp`\n  - User\n\n  ```\n  a\n  b\n  ```\n",
                Flavour::Github,
                &[]
            ),
            "Enter: - Forest: corp - User a b"
        );
    }

    #[test]
    fn markup_goes_and_references_resolve_only_where_defined() {
        let refs = vec!["Guide".to_string()];
        let text = plain_text(
            "Open **the** [portal][guide] and [other][missing], then `run`.\n\n   - not this\n",
            Flavour::Github,
            &refs,
        );
        assert_eq!(text, "Open the portal and [other][missing], then run.");
    }
}
