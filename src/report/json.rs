//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::{Checked, summary};
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Entry<'a>>,
    summary: crate::check::Summary,
}

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

pub fn render(checked: &[Checked<'_>]) -> String {
    let diagnostics = checked
        .iter()
        .flat_map(|c| {
            c.diagnostics.iter().map(move |d| Entry {
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
        .collect();
    let doc = Document {
        version: 1,
        diagnostics,
        summary: summary(checked),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
