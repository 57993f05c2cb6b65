//! Where a chapter's text is code: code spans, code blocks, and what raw
//! HTML puts inside `<code>` or `<pre>`. Read on demand, by a second pass
//! of the parser over the body, for the few rules that must leave code as
//! it is written (mojibake in a code span is often the example itself).

use crate::slug::Flavour;
use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// The byte ranges of `text` (a chapter's whole text, its body starting at
/// `body_start`) that are code, in order: each code span with its
/// backticks, each code block with its fences, and each `<code>` or
/// `<pre>` element of raw HTML from its opening tag to its closing one (to
/// the end of the text when it is never closed).
pub fn code_ranges(text: &str, body_start: usize, flavour: Flavour) -> Vec<Range<usize>> {
    let Some(body) = text.get(body_start..) else {
        return Vec::new();
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    // An open `<code>`/`<pre>` element of raw HTML: where it starts, and
    // how many are open.
    let mut open: Option<(usize, usize)> = None;
    for (event, range) in Parser::new_ext(body, super::options(flavour)).into_offset_iter() {
        let at = |r: &Range<usize>| body_start + r.start..body_start + r.end;
        match event {
            Event::Code(_) => out.push(at(&range)),
            Event::Start(Tag::CodeBlock(_)) => out.push(at(&range)),
            Event::Html(html) | Event::InlineHtml(html) => {
                html_code(&html, body_start + range.start, &mut open, &mut out);
            }
            _ => {}
        }
    }
    if let Some((start, _)) = open {
        out.push(start..text.len());
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The `<code>` and `<pre>` elements of a piece of raw HTML at `offset`:
/// opened and closed across pieces, each element's range pushed once it
/// closes.
fn html_code(
    html: &str,
    offset: usize,
    open: &mut Option<(usize, usize)>,
    out: &mut Vec<Range<usize>>,
) {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(lt) = lower.get(from..).and_then(|rest| rest.find('<')) {
        let tag_start = from + lt;
        from = tag_start + 1;
        let rest = lower.get(tag_start + 1..).unwrap_or_default();
        let (closing, name_at) = match rest.strip_prefix('/') {
            Some(_) => (true, 1),
            None => (false, 0),
        };
        let name = rest.get(name_at..).unwrap_or_default();
        let is_code = ["code", "pre"].iter().any(|n| {
            name.strip_prefix(n).is_some_and(|after| {
                after.is_empty() || after.starts_with(['>', ' ', '\t', '\n', '\r', '/'])
            })
        });
        if !is_code {
            continue;
        }
        let tag_end = lower
            .get(tag_start..)
            .and_then(|t| t.find('>'))
            .map_or(html.len(), |gt| tag_start + gt + 1);
        match (closing, open.as_mut()) {
            (false, Some((_, depth))) => *depth += 1,
            (false, None) => *open = Some((offset + tag_start, 1)),
            (true, Some((start, depth))) => {
                *depth -= 1;
                if *depth == 0 {
                    out.push(*start..offset + tag_end);
                    *open = None;
                }
            }
            (true, None) => {}
        }
        from = tag_end.max(from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Vec<&str> {
        code_ranges(text, 0, Flavour::Github)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn spans_blocks_and_html_code_elements_are_code() {
        let text = "Text `span` more.\n\n```\nblock\n```\n\nSee <code>inline <b>x</b></code> and <pre>pre</pre>.\n\n<div>\n<code>in a block</code>\n</div>\n";
        assert_eq!(
            code(text),
            [
                "`span`",
                "```\nblock\n```",
                "<code>inline <b>x</b></code>",
                "<pre>pre</pre>",
                "<code>in a block</code>",
            ]
        );
    }

    #[test]
    fn a_code_element_never_closed_runs_to_the_end_and_other_tags_are_not_code() {
        assert_eq!(
            code("A <codex>b</codex> c <code>d\n\ne\n"),
            ["<code>d\n\ne\n"]
        );
    }
}
