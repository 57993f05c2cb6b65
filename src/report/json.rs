//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use super::{Checked, summary};
use serde_json::json;

pub fn render(checked: &[Checked<'_>]) -> String {
    let diagnostics: Vec<_> = checked
        .iter()
        .flat_map(|c| {
            c.diagnostics.iter().map(move |d| {
                json!({
                    "rule": d.rule,
                    "severity": d.severity.name(),
                    "file": c.display_path(&d.file),
                    "line": d.line,
                    "column": d.column,
                    "end_line": d.end_line,
                    "end_column": d.end_column,
                    "message": d.message,
                    "suggestion": d.suggestion,
                })
            })
        })
        .collect();
    let s = summary(checked);
    let doc = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {"files": s.files, "links": s.links, "errors": s.errors, "warnings": s.warnings},
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
