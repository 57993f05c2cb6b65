//! Writing a text report without holding it: findings are turned into
//! text a chunk at a time, in parallel, and written in order. A check of a
//! large tree can have tens of thousands of findings; its report never sits
//! in memory twice.

use super::Checked;
use crate::check::Diagnostic;
use rayon::prelude::*;
use std::io::{self, Write};

/// Findings per chunk drawn in parallel.
const CHUNK: usize = 1024;

/// Every finding with the guide it belongs to, in report order.
pub fn all<'a>(checked: &'a [Checked<'a>]) -> Vec<(&'a Checked<'a>, &'a Diagnostic)> {
    checked
        .iter()
        .flat_map(|c| c.diagnostics.iter().map(move |d| (c, d)))
        .collect()
}

/// Draw each finding with `draw` (in parallel) and write the pieces in
/// order, with `separator` between them.
pub fn each<W: Write + ?Sized>(
    w: &mut W,
    items: &[(&Checked<'_>, &Diagnostic)],
    separator: &str,
    draw: impl Fn(&Checked<'_>, &Diagnostic) -> String + Sync,
) -> io::Result<()> {
    let mut first = true;
    for chunk in items.chunks(CHUNK) {
        let drawn: Vec<String> = chunk.par_iter().map(|&(c, d)| draw(c, d)).collect();
        for piece in drawn {
            if !first {
                w.write_all(separator.as_bytes())?;
            }
            first = false;
            w.write_all(piece.as_bytes())?;
        }
    }
    Ok(())
}

/// Every finding of every checked guide, in order, each serialised as
/// `item` makes it from its guide, its index there and itself: a JSON document's array of findings, written as it is
/// serialised rather than held as JSON values.
pub struct Findings<'a, F>(pub &'a [Checked<'a>], pub F);

impl<'a, F, T> serde::Serialize for Findings<'a, F>
where
    F: Fn(&'a Checked<'a>, usize, &'a Diagnostic) -> T,
    T: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let count = self.0.iter().map(|c| c.diagnostics.len()).sum();
        let mut seq = s.serialize_seq(Some(count))?;
        for c in self.0 {
            for (i, d) in c.diagnostics.iter().enumerate() {
                seq.serialize_element(&(self.1)(c, i, d))?;
            }
        }
        seq.end()
    }
}

/// Run a writer into a string (for tests and small reports).
pub fn to_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut buf = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(&mut buf);
    String::from_utf8(buf).unwrap_or_default()
}
