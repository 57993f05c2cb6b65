//! Ordered lists as written (for numbering checks) and the steps: the
//! items of top-level ordered lists, with their number as written, their
//! plain text, and their Markdown without the marker.

use super::Place;
use crate::model::{OrderedList, Step};

struct OpenList {
    ordered: bool,
    numbers: Vec<u64>,
    item_lines: Vec<usize>,
    line: usize,
    nested: bool,
}

struct OpenStep {
    number: u64,
    start: usize,
    text: String,
    /// Depth of nested lists inside the step (text inside them is left out).
    nested: usize,
    in_code_block: bool,
}

#[derive(Default)]
pub(super) struct Lists {
    open: Vec<OpenList>,
    step: Option<OpenStep>,
    pub(super) ordered: Vec<OrderedList>,
    pub(super) steps: Vec<Step>,
}

impl Lists {
    /// How many lists are open.
    pub(super) fn depth(&self) -> usize {
        self.open.len()
    }

    /// Whether exactly one list is open and it is a bullet list.
    pub(super) fn in_top_bullet_list(&self) -> bool {
        matches!(self.open.as_slice(), [only] if !only.ordered)
    }

    /// A list opens at body offset `start`; returns whether it is nested.
    pub(super) fn list_start(&mut self, place: &Place<'_>, start: usize, ordered: bool) -> bool {
        let nested = !self.open.is_empty();
        if let Some(st) = &mut self.step {
            st.nested += 1;
        }
        self.open.push(OpenList {
            ordered,
            numbers: Vec::new(),
            item_lines: Vec::new(),
            line: place.line_at(start),
            nested,
        });
        nested
    }

    pub(super) fn list_end(&mut self) {
        if let Some(list) = self.open.pop()
            && list.ordered
        {
            self.ordered.push(OrderedList {
                line: list.line,
                numbers: list.numbers,
                lines: list.item_lines,
                nested: list.nested,
            });
        }
        if let Some(st) = &mut self.step {
            st.nested = st.nested.saturating_sub(1);
        }
    }

    pub(super) fn item_start(&mut self, place: &Place<'_>, start: usize) {
        let line = place.line_at(start);
        let depth = self.open.len();
        let number = item_number(&place.text[place.base + start..]);
        if let Some(list) = self.open.last_mut() {
            list.item_lines.push(line);
            if list.ordered {
                list.numbers.push(number.unwrap_or(0));
            }
            if list.ordered && depth == 1 {
                self.step = Some(OpenStep {
                    number: number.unwrap_or(0),
                    start,
                    text: String::new(),
                    nested: 0,
                    in_code_block: false,
                });
            }
        }
    }

    /// An item closes at body offset `end`; a step's section is the
    /// nearest heading above (its index and text).
    pub(super) fn item_end(
        &mut self,
        place: &Place<'_>,
        end: usize,
        section: Option<(usize, &str)>,
    ) {
        if self.open.len() != 1 {
            return;
        }
        let Some(st) = self.step.take() else {
            return;
        };
        let span = place.span(st.start..end);
        let range = place.base + st.start..place.base + end;
        self.steps.push(Step {
            number: st.number,
            text: collapse_owned(st.text),
            markdown: step_markdown(&place.text[range.clone()]),
            line: span.line,
            section: section.map(|(_, text)| text.to_string()),
            heading: section.map(|(i, _)| i),
            range,
        });
    }

    pub(super) fn text(&mut self, s: &str) {
        if let Some(st) = &mut self.step
            && st.nested == 0
            && !st.in_code_block
        {
            st.text.push_str(s);
        }
    }

    pub(super) fn code_block(&mut self, inside: bool) {
        if let Some(st) = &mut self.step {
            st.in_code_block = inside;
        }
    }
}

/// The number written at the start of an ordered-list item (`12.` / `3)`),
/// skipping indentation and blockquote markers.
fn item_number(s: &str) -> Option<u64> {
    let s = s.trim_start_matches([' ', '\t', '>']);
    let digits: &str = &s[..s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())];
    digits.parse().ok()
}

pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // The same as below, a byte at a time: most text is ASCII.
        let mut gap = false;
        for &b in s.as_bytes() {
            if is_space(b) {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(' ');
                    gap = false;
                }
                out.push(b as char);
            }
        }
        return out;
    }
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What `str::split_whitespace` splits ASCII text at.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// [`collapse_ws`] of an owned string, kept as it is when it needs nothing
/// done (most link texts and cells are one plain run of words).
pub(super) fn collapse_owned(s: String) -> String {
    // One pass over the bytes: ASCII only, no space at either end, and
    // every space a single ' ' between two words.
    let b = s.as_bytes();
    let mut tidy = b.first().is_none_or(|&c| !is_space(c));
    let mut after_space = false;
    for &c in b {
        // Most bytes are printable ASCII other than a space: one compare.
        if c.wrapping_sub(b'!') < 0x5E {
            after_space = false;
            continue;
        }
        if c != b' ' || after_space {
            // Another space, a doubled space, or a non-ASCII byte.
            tidy = false;
            break;
        }
        after_space = true;
    }
    if tidy && !after_space {
        s
    } else {
        collapse_ws(&s)
    }
}

/// An item's Markdown without its list marker, continuation lines dedented
/// to the item's content column, blockquote markers removed.
pub fn step_markdown(raw: &str) -> String {
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or("");
    let marker_len = first.find(|c: char| !c.is_ascii_digit()).unwrap_or(0) + 1;
    let after_marker = &first[marker_len.min(first.len())..];
    let content = after_marker.trim_start();
    let indent = marker_len + (after_marker.len() - content.len()).min(4);
    let mut out = String::from(content.trim_end());
    for line in lines {
        let line = strip_quote_markers(line);
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push('\n');
        out.push_str(line[spaces.min(indent)..].trim_end());
    }
    out.trim_end().to_string()
}

pub(super) fn strip_quote_markers(line: &str) -> &str {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix('>') {
        strip_quote_markers(rest.strip_prefix(' ').unwrap_or(rest))
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_as_split_whitespace_does() {
        for text in [
            "plain words",
            "  lead and trail  ",
            "tab\there\nand\x0bvertical\x0cfeed\r",
            "two  spaces",
            "",
            "   ",
            "é  and\u{a0}nbsp",
        ] {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ws(text), want, "{text:?}");
            assert_eq!(collapse_owned(text.to_string()), want, "{text:?}");
        }
    }
}
