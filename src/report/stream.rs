//! Writing a report without holding it: findings are turned into text a
//! chunk at a time, in parallel, and written in order. A check of a large
//! tree can have tens of thousands of findings; its report never sits in
//! memory twice.

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

const MARKER: &str = "@@runsheet-findings@@";

/// Write the pretty-printed JSON document `doc`, whose array of findings is
/// the string [`array_marker`] in `doc`, with each finding drawn by `entry`
/// already indented by the `pad` it is given (see [`pretty`]): the same
/// bytes one pretty-printer would write for the whole document.
pub fn json_with_array<W: Write + ?Sized>(
    w: &mut W,
    doc: &serde_json::Value,
    items: &[(&Checked<'_>, &Diagnostic)],
    entry: impl Fn(&Checked<'_>, &Diagnostic, &str) -> String + Sync,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(doc).map_err(io::Error::other)?;
    let quoted = format!("\"{MARKER}\"");
    let at = text
        .find(&quoted)
        .ok_or_else(|| io::Error::other("the document has no place for findings"))?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..].len() - text[line_start..].trim_start().len();
    let (head, tail) = (&text[..at], &text[at + quoted.len()..]);
    w.write_all(head.as_bytes())?;
    if items.is_empty() {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[\n")?;
        let pad = " ".repeat(indent + 2);
        each(w, items, ",\n", |c, d| entry(c, d, &pad))?;
        w.write_all(b"\n")?;
        w.write_all(" ".repeat(indent).as_bytes())?;
        w.write_all(b"]")?;
    }
    w.write_all(tail.as_bytes())?;
    w.write_all(b"\n")
}

/// One finding's JSON, pretty-printed, each line indented by `pad`.
pub fn pretty<T: serde::Serialize>(value: &T, pad: &str) -> String {
    let one = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(one.len() + 16 * pad.len());
    for (i, line) in one.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(pad);
        out.push_str(line);
    }
    out
}

/// The value to put where the findings go in a document for
/// [`json_with_array`].
pub fn array_marker() -> serde_json::Value {
    serde_json::Value::String(MARKER.to_string())
}

/// Run a writer into a string (for tests and small reports).
pub fn to_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut buf = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(&mut buf);
    String::from_utf8(buf).unwrap_or_default()
}
