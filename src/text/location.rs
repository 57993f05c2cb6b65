//! A place in a file and a message about it: what every problem runsheet
//! reports outside a check's findings (a bad environment file, a template
//! error, a broken configuration, a value that cannot be filled in) is.

use super::escape::{shown, shown_message};
use std::fmt;

/// A message about a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
pub struct Located {
    /// The file as the user can open it from the current folder, or what
    /// stands for it (`--set KEY=VALUE`, `built-in template x.j2`).
    pub file: String,
    /// 1-based; 0 when the message is about the whole file.
    pub line: usize,
    /// 1-based; 0 when only the line is known.
    pub column: usize,
    pub message: String,
}

impl Located {
    pub fn new(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Located {
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A message about a whole file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Located::new(file, 0, 0, message)
    }
}

/// Shown on a terminal or in a log: the file's name and each line of the
/// message through [`shown`], so a value quoted in it from a file shows
/// its control characters rather than acting on them (the message's own
/// line breaks kept).
impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = shown(&self.file);
        match (self.line, self.column) {
            (0, _) => write!(f, "{file}: ")?,
            (l, 0) => write!(f, "{file}:{l}: ")?,
            (l, c) => write!(f, "{file}:{l}:{c}: ")?,
        }
        f.write_str(&shown_message(&self.message))
    }
}
