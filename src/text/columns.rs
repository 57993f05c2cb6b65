//! Where character columns fall in a finding's line, worked out once per
//! line: the findings on one line share its text (one `Arc`), and a
//! megabyte-long line with thousands of findings must not be walked once
//! per finding.

use std::collections::HashMap;
use std::sync::Arc;

/// The byte offsets of a line's characters.
pub struct Columns {
    /// `None` for an ASCII line, where a column is a byte.
    starts: Option<Vec<usize>>,
}

impl Columns {
    pub fn new(line: &str) -> Columns {
        Columns {
            starts: (!line.is_ascii()).then(|| line.char_indices().map(|(i, _)| i).collect()),
        }
    }

    /// The columns of each of `lines` longer than `longer_than` bytes,
    /// each line worked out once, by the address of its text (see
    /// [`Columns::address`]).
    pub fn of_lines<'l>(
        lines: impl Iterator<Item = &'l Arc<str>>,
        longer_than: usize,
    ) -> HashMap<usize, Columns> {
        let mut out = HashMap::new();
        for line in lines.filter(|line| line.len() > longer_than) {
            out.entry(Columns::address(line))
                .or_insert_with(|| Columns::new(line));
        }
        out
    }

    /// The key a line's columns are found under in [`Columns::of_lines`].
    pub fn address(line: &str) -> usize {
        line.as_ptr() as usize
    }

    /// The byte offset of 0-based character `index`, its length when
    /// `index` is its number of characters, `None` past that.
    pub fn byte_of(&self, line: &str, index: usize) -> Option<usize> {
        match &self.starts {
            None => (index <= line.len()).then_some(index),
            Some(starts) => match starts.get(index) {
                Some(&b) => Some(b),
                None => (index == starts.len()).then_some(line.len()),
            },
        }
    }

    /// The byte offset of 1-based character column `column` (the line's
    /// length past its end).
    pub fn byte(&self, line: &str, column: usize) -> usize {
        self.byte_of(line, column.saturating_sub(1))
            .unwrap_or(line.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_characters_in_any_line() {
        let ascii = Columns::new("abc");
        assert_eq!(ascii.byte_of("abc", 3), Some(3));
        assert_eq!(ascii.byte_of("abc", 4), None);
        let line = "é1€2";
        let c = Columns::new(line);
        assert_eq!(c.byte_of(line, 1), Some(2));
        assert_eq!(c.byte_of(line, 3), Some(6));
        assert_eq!(c.byte_of(line, 4), Some(line.len()));
        assert_eq!(c.byte_of(line, 5), None);
        assert_eq!(c.byte(line, 3), 3);
    }
}
