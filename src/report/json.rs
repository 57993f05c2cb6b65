//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::{Checked, stream, summary};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    severity: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    suggestion: Option<&'a str>,
}

pub fn write<W: Write + ?Sized>(checked: &[Checked<'_>], w: &mut W) -> io::Result<()> {
    let doc = serde_json::json!({
        "version": 1,
        "diagnostics": stream::array_marker(),
        "summary": summary(checked),
    });
    stream::json_with_array(w, &doc, &stream::all(checked), |c, d| {
        stream::pretty(&Entry {
            rule: d.rule,
            severity: d.severity.name(),
            file: c.display_path(&d.file),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            message: &d.message,
            suggestion: d.suggestion.as_deref(),
        })
    })
}

pub fn render(checked: &[Checked<'_>]) -> String {
    stream::to_string(|w| write(checked, w))
}
