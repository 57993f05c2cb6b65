//! `--format json`: `{"version": 1, "diagnostics": [...], "summary": {...}}`,
//! pretty-printed. The findings are serialised one by one as they are
//! written: a report of tens of thousands is never held as JSON values.

use super::stream::Findings;
use super::{Checked, summary};
use crate::check::{Diagnostic, Summary};
use std::io::{self, Write};

#[derive(serde::Serialize)]
#[serde(bound(serialize = "Findings<'a, F>: serde::Serialize"))]
struct Report<'a, F> {
    version: u32,
    diagnostics: Findings<'a, F>,
    summary: Summary,
}

/// One finding as the report writes it.
#[derive(serde::Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: &'static str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    suggestion: Option<&'a str>,
}

impl<'a> Finding<'a> {
    fn of(c: &Checked<'_>, d: &'a Diagnostic) -> Finding<'a> {
        Finding {
            rule: d.rule.as_str(),
            severity: d.severity.name(),
            file: c.display_path(&d.file),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            message: &d.message,
            suggestion: d.suggestion.as_deref(),
        }
    }
}

pub fn write<W: Write + ?Sized>(checked: &[Checked<'_>], w: &mut W) -> io::Result<()> {
    let report = Report {
        version: 1,
        diagnostics: Findings(checked, Finding::of),
        summary: summary(checked),
    };
    serde_json::to_writer_pretty(&mut *w, &report).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

pub fn render(checked: &[Checked<'_>]) -> String {
    super::stream::to_string(|w| write(checked, w))
}
