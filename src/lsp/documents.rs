//! The documents the editor has open, and positions in a text: the
//! protocol counts a line's characters in UTF-16 code units (or UTF-8
//! bytes, when the client offers it), runsheet in bytes and characters.
//!
//! Every position a client sends is taken as far as it makes sense: a
//! line past the end is the end, a character past a line's end is the
//! line's end, one inside a character (half a surrogate pair, the middle
//! of a UTF-8 sequence) is that character's start. A change whose range
//! ends before it starts replaces the range between the two.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use rustc_hash::FxHashMap;

/// How a client counts a line's characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf8,
}

/// The largest document checked as it is typed. A larger one is kept (so
/// later changes apply) but checked only as saved on disk.
pub const MAX_CHECKED: usize = 8 << 20;

/// A text with the start of each line, for positions.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    starts: Vec<usize>,
}

impl Text {
    pub fn new(text: String) -> Text {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Text { text, starts }
    }

    /// The byte range of 0-based `line`, its line ending left out.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.starts.get(line).copied().unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        let mut end = end.max(start);
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        (start, end)
    }

    /// The text of 0-based `line`, without its ending.
    pub fn line(&self, line: usize) -> &str {
        let (start, end) = self.line_range(line);
        self.text.get(start..end).unwrap_or("")
    }

    /// The number of lines.
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset of a client's `position` (see the module's notes).
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_range(line);
        let Some(text) = self.text.get(start..end) else {
            return start;
        };
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in text.char_indices() {
            if units >= wanted {
                return start + i;
            }
            units += match encoding {
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf8 => c.len_utf8(),
            };
            if units > wanted {
                // Inside this character: its start.
                return start + i;
            }
        }
        end
    }

    /// The client's position of byte `offset` (clamped to the text, and
    /// back to a character's start).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let before = self.text.get(start..offset).unwrap_or("");
        Position::new(to_u32(line), to_u32(units(before, encoding)))
    }

    /// The client's position of 1-based `line` and character `column` (as
    /// runsheet's findings give them), clamped to the line.
    pub fn position_of_column(&self, line: usize, column: usize, encoding: Encoding) -> Position {
        let line = line.saturating_sub(1);
        if line >= self.starts.len() {
            return self.position(self.text.len(), encoding);
        }
        let text = self.line(line);
        let end = text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        Position::new(
            to_u32(line),
            to_u32(units(text.get(..end).unwrap_or(""), encoding)),
        )
    }

    /// The range of a byte range.
    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(
            self.position(start, encoding),
            self.position(end.max(start), encoding),
        )
    }

    /// The position of the end of 0-based `line`.
    pub fn line_end(&self, line: usize, encoding: Encoding) -> Position {
        Position::new(to_u32(line), to_u32(units(self.line(line), encoding)))
    }
}

/// How many of the client's units `text` counts.
fn units(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: Text,
    pub version: i32,
}

impl Document {
    /// Apply the client's changes in order.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        let mut text = std::mem::take(&mut self.text.text);
        for change in changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let current = Text::new(text);
                    let a = current.offset(range.start, encoding);
                    let b = current.offset(range.end, encoding);
                    let (a, b) = (a.min(b), a.max(b));
                    text = current.text;
                    text.replace_range(a..b, &change.text);
                }
            }
        }
        self.text = Text::new(text);
        self.version = version;
    }

    /// Whether it is small enough to be checked as typed.
    pub fn checked(&self) -> bool {
        self.text.text.len() <= MAX_CHECKED
    }
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: FxHashMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: &str, text: String, version: i32) {
        self.open.insert(
            uri.to_string(),
            Document {
                text: Text::new(text),
                version,
            },
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    /// Every open document's URI, sorted.
    pub fn uris(&self) -> Vec<String> {
        let mut uris: Vec<String> = self.open.keys().cloned().collect();
        uris.sort_unstable();
        uris
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf16_positions_count_surrogate_pairs_as_two() {
        let t = Text::new("a😀b\nzé\n".to_string());
        assert_eq!(t.offset(Position::new(0, 3), Encoding::Utf16), 5);
        assert_eq!(t.position(5, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(t.position(5, Encoding::Utf8), Position::new(0, 5));
        // Half a surrogate pair is the character's start.
        assert_eq!(t.offset(Position::new(0, 2), Encoding::Utf16), 1);
        assert_eq!(
            t.position_of_column(2, 3, Encoding::Utf16),
            Position::new(1, 2)
        );
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let t = Text::new("ab\r\ncd".to_string());
        assert_eq!(t.offset(Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(t.offset(Position::new(7, 0), Encoding::Utf16), 6);
        assert_eq!(
            t.offset(Position::new(u32::MAX, u32::MAX), Encoding::Utf8),
            6
        );
        assert_eq!(t.position(99, Encoding::Utf16), Position::new(1, 2));
        assert_eq!(
            t.position_of_column(9, 9, Encoding::Utf16),
            Position::new(1, 2)
        );
    }

    #[test]
    fn changes_apply_in_order_and_a_reversed_range_is_read_forward() {
        let mut d = Document {
            text: Text::new("# Title\n\nSee [a](a.md).\n".to_string()),
            version: 1,
        };
        let edit = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        };
        d.change(
            2,
            vec![edit(2, 8, 2, 12, "b.md"), edit(0, 7, 0, 2, "T")],
            Encoding::Utf16,
        );
        assert_eq!(d.text.text, "# T\n\nSee [a](b.md).\n");
        assert_eq!(d.version, 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_change_at_any_position_keeps_the_text_valid(
            text in "[a-zé😀\r\n]{0,40}",
            l1 in 0u32..6, c1 in 0u32..12, l2 in 0u32..6, c2 in 0u32..12,
            insert in "[x😀\n]{0,4}",
        ) {
            let mut d = Document { text: Text::new(text), version: 0 };
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                range_length: None,
                text: insert,
            };
            d.change(1, vec![change], Encoding::Utf16);
            for offset in 0..=d.text.text.len() + 2 {
                let p = d.text.position(offset, Encoding::Utf16);
                let back = d.text.offset(p, Encoding::Utf16);
                prop_assert!(back <= d.text.text.len());
                prop_assert!(d.text.text.is_char_boundary(back));
            }
        }
    }
}
