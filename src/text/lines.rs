//! Byte offsets → 1-based line and column.
//!
//! Columns count Unicode scalar values (characters), so a curly apostrophe or
//! an emoji is one column, as editors and rustc-style diagnostics show them.
//! A `\r\n` line ending belongs to the line it ends, so CRLF and LF files map
//! the same text to the same line and column.

use serde::Serialize;

/// Start offsets of every line of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Whether the text is all ASCII, where a column is a byte count.
    ascii: bool,
}

/// A 1-based position in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A region of a chapter: 1-based start and end (end column is exclusive,
/// as SARIF and editors expect), plus the byte range it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// The number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        // `starts` always holds 0, the first line's start.
        let last = self.starts.len().saturating_sub(1);
        self.starts
            .get(line.saturating_sub(1).min(last))
            .copied()
            .unwrap_or(0)
    }

    /// The text of 1-based `line` without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_start(line);
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text[start..end.max(start)].trim_end_matches(['\n', '\r'])
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The 1-based line and column of byte `offset` (clamped to the text).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        if self.ascii {
            return Position {
                line,
                column: offset - start + 1,
            };
        }
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        Position { line, column }
    }

    /// [`LineIndex::position`], counting from an earlier position on the
    /// same line when there is one: a parser asks for positions in
    /// ascending order, and long lines are then counted once, not once per
    /// link on them.
    pub fn position_after(
        &self,
        text: &str,
        earlier: Option<(usize, Position)>,
        offset: usize,
    ) -> Position {
        let offset = offset.min(text.len());
        if let Some((at, pos)) = earlier {
            let next_line = self.starts.get(pos.line).copied().unwrap_or(usize::MAX);
            if self.ascii && at <= offset && offset < next_line {
                return Position {
                    line: pos.line,
                    column: pos.column + (offset - at),
                };
            }
            if at <= offset
                && offset < next_line
                && text.is_char_boundary(at)
                && text.is_char_boundary(offset)
            {
                let column = pos.column + text[at..offset].chars().count();
                return Position {
                    line: pos.line,
                    column,
                };
            }
        }
        self.position(text, offset)
    }

    /// The span of the byte range `start..end`.
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        self.span_after(text, None, start, end)
    }

    /// [`LineIndex::span`], counting columns from an `earlier` position
    /// (see [`LineIndex::position_after`]).
    pub fn span_after(
        &self,
        text: &str,
        earlier: Option<(usize, Position)>,
        start: usize,
        end: usize,
    ) -> Span {
        let a = self.position_after(text, earlier, start);
        // A range that ends with a line break ends on the line it breaks.
        let mut e = end.max(start);
        while e > start && matches!(text.as_bytes().get(e - 1), Some(b'\n' | b'\r')) {
            e -= 1;
        }
        let b = self.position_after(text, Some((start, a)), e);
        Span {
            line: a.line,
            column: a.column,
            end_line: b.line,
            end_column: b.column,
            start,
            end: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_first_column_is_one_one() {
        let text = "abc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 1, column: 4 });
    }

    #[test]
    fn lf_and_crlf_give_the_same_positions() {
        let lf = "one\ntwo\nthree";
        let crlf = "one\r\ntwo\r\nthree";
        let (a, b) = (LineIndex::new(lf), LineIndex::new(crlf));
        let at_lf = lf.find("three").unwrap();
        let at_crlf = crlf.find("three").unwrap();
        assert_eq!(a.position(lf, at_lf), Position { line: 3, column: 1 });
        assert_eq!(b.position(crlf, at_crlf), Position { line: 3, column: 1 });
        assert_eq!(a.line_text(lf, 2), "two");
        assert_eq!(b.line_text(crlf, 2), "two");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "MA’s [link](x.md)";
        let idx = LineIndex::new(text);
        let at = text.find('[').unwrap();
        assert_eq!(idx.position(text, at), Position { line: 1, column: 6 });
    }

    #[test]
    fn a_span_ending_in_a_newline_ends_on_its_own_line() {
        let text = "# Title\r\nbody\r\n";
        let idx = LineIndex::new(text);
        let span = idx.span(text, 0, 9);
        assert_eq!(
            (span.line, span.column, span.end_line, span.end_column),
            (1, 1, 1, 8)
        );
    }

    #[test]
    fn columns_after_an_earlier_position_agree_with_counting_afresh() {
        for text in ["ab [x](y) [z](w)\ncd [e](f)", "é [x](y) ’ [z](w)\nü [e](f)"] {
            let idx = LineIndex::new(text);
            let mut earlier = None;
            for (at, _) in text.match_indices('[') {
                let p = idx.position_after(text, earlier, at);
                assert_eq!(p, idx.position(text, at), "{text:?} at {at}");
                earlier = Some((at, p));
            }
        }
    }

    #[test]
    fn line_count_counts_a_last_line_without_newline() {
        assert_eq!(LineIndex::new("a\nb").line_count(), 2);
        assert_eq!(LineIndex::new("a\nb\n").line_count(), 3);
    }
}
