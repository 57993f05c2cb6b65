//! Headings: their text, their anchors in the book's flavour (`{#id}`
//! attributes where it has them), and whether a heading opens a
//! Prerequisites or Next section.

use super::Place;
use super::sections::SectionKind;
use crate::model::Heading;
use crate::slug::{Flavour, Slugger};

/// A heading being read.
struct Open {
    level: u8,
    start: usize,
    text: String,
    id: Option<String>,
}

pub(super) struct Headings {
    slugger: Slugger,
    open: Option<Open>,
    pub(super) list: Vec<Heading>,
}

impl Headings {
    pub(super) fn new(flavour: Flavour) -> Self {
        Headings {
            slugger: Slugger::new(flavour),
            open: None,
            list: Vec::new(),
        }
    }

    pub(super) fn start(&mut self, level: u8, start: usize, len: usize, id: Option<String>) {
        self.open = Some(Open {
            level,
            start,
            // Its text is at most as long as its source.
            text: String::with_capacity(len),
            id,
        });
    }

    pub(super) fn text(&mut self, s: &str) {
        if let Some(h) = &mut self.open {
            h.text.push_str(s);
        }
    }

    /// Close the open heading at body offset `end`: its level and what
    /// kind of section it opens.
    pub(super) fn end(&mut self, place: &Place<'_>, end: usize) -> Option<(u8, SectionKind)> {
        let Open {
            level,
            start,
            text,
            id,
        } = self.open.take()?;
        let text = if text.trim().len() == text.len() {
            text
        } else {
            text.trim().to_string()
        };
        let anchor = match &id {
            Some(id) => self.slugger.reserve(id),
            None => self.slugger.slug(&text),
        };
        let span = place.span(start..end);
        let kind = classify(&text);
        let written = place.text[span.start..span.end]
            .trim_start_matches('#')
            .trim();
        let tab = written.starts_with('[') && written.ends_with(')') && written.contains("](#tab/");
        self.list.push(Heading {
            level,
            text,
            anchor,
            line: span.line,
            explicit_id: id,
            tab,
            span,
        });
        Some((level, kind))
    }

    /// The text of the nearest heading above.
    pub(super) fn last_text(&self) -> Option<&str> {
        self.list.last().map(|h| h.text.as_str())
    }

    /// The nearest heading above: its index and text.
    pub(super) fn last(&self) -> Option<(usize, &str)> {
        self.list
            .len()
            .checked_sub(1)
            .map(|i| (i, self.list[i].text.as_str()))
    }
}

/// What kind of section a heading opens: "Next …", "Prerequisites" (and
/// the misspellings real guides carry), or any other.
pub(super) fn classify(text: &str) -> SectionKind {
    // The heading's letters, lower-cased, without allocating: most
    // headings are classified by their first letter alone.
    let letters = || {
        text.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
    };
    if !matches!(letters().next(), Some('n' | 'p' | 'b' | 'r')) {
        return SectionKind::Other;
    }
    if starts_with(letters(), "next") {
        return SectionKind::Next;
    }
    // "Prerequisites", and the misspellings real guides carry
    // ("Prerequisits", "Pre-requisites", "Prerequisities").
    let word = text.split_whitespace().next().unwrap_or("");
    let word_letters = || {
        word.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
    };
    if starts_with(word_letters(), "prereq")
        || starts_with(letters(), "prereq")
        || letters().eq("beforeyoubegin".chars())
        || letters().eq("requirements".chars())
    {
        return SectionKind::Prerequisites;
    }
    let word_len: usize = word_letters().map(char::len_utf8).sum();
    if (11..=15).contains(&word_len) && word_letters().next() == Some('p') {
        let first_word: String = word_letters().collect();
        if strsim::damerau_levenshtein(&first_word, "prerequisites") <= 2 {
            return SectionKind::Prerequisites;
        }
    }
    SectionKind::Other
}

/// Whether `chars` begins with `prefix`.
fn starts_with(mut chars: impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| chars.next() == Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_prerequisites_and_next_headings_are_recognised() {
        for (h, kind) in [
            ("Next steps", SectionKind::Next),
            ("nExT: part 2", SectionKind::Next),
            ("Prerequisites", SectionKind::Prerequisites),
            ("Prerequisits", SectionKind::Prerequisites),
            ("Pre-requisites", SectionKind::Prerequisites),
            ("Prerequisities", SectionKind::Prerequisites),
            ("Before you begin", SectionKind::Prerequisites),
            ("Requirements", SectionKind::Prerequisites),
            ("Remarks", SectionKind::Other),
            ("Properties of the Prerequisite", SectionKind::Other),
            ("", SectionKind::Other),
        ] {
            assert_eq!(classify(h), kind, "{h:?}");
        }
    }
}
