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
    /// Left out with `--statistics` alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics: Option<Findings<'a, F>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statistics: Option<Vec<super::statistics::RuleCount>>,
    /// What the baseline took out (one guide's), when one was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<super::BaselineNote>,
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
    /// The further places of a finding reported once for many.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    repeats: Vec<Place>,
}

/// A further place of a folded finding.
#[derive(serde::Serialize)]
struct Place {
    file: String,
    line: usize,
    column: usize,
}

impl<'a> Finding<'a> {
    fn of(c: &Checked<'_>, _: usize, d: &'a Diagnostic) -> Finding<'a> {
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
            repeats: d
                .repeats
                .iter()
                .map(|r| Place {
                    file: c.display_path(&r.file),
                    line: r.line,
                    column: r.column,
                })
                .collect(),
        }
    }
}

/// What the JSON report holds besides the summary.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub findings: bool,
    pub statistics: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            findings: true,
            statistics: false,
        }
    }
}

pub fn write<W: Write + ?Sized>(checked: &[Checked<'_>], w: &mut W) -> io::Result<()> {
    write_parts(checked, Parts::default(), w)
}

pub fn write_parts<W: Write + ?Sized>(
    checked: &[Checked<'_>],
    parts: Parts,
    w: &mut W,
) -> io::Result<()> {
    let baseline = merged_baseline(checked);
    let report = Report {
        version: 1,
        diagnostics: parts.findings.then_some(Findings(checked, Finding::of)),
        statistics: parts.statistics.then(|| super::statistics::of(checked)),
        baseline,
        summary: summary(checked),
    };
    serde_json::to_writer_pretty(&mut *w, &report).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// The baselines of the guides as one note: the known findings
/// summed, the stale entries with their files as shown.
fn merged_baseline(checked: &[Checked<'_>]) -> Option<super::BaselineNote> {
    let notes: Vec<(&Checked<'_>, &super::BaselineNote)> = checked
        .iter()
        .filter_map(|c| c.baseline.as_ref().map(|b| (c, b)))
        .collect();
    if notes.is_empty() {
        return None;
    }
    Some(super::BaselineNote {
        file: notes
            .iter()
            .map(|(_, b)| b.file.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        known: notes.iter().map(|(_, b)| b.known).sum(),
        stale: notes
            .iter()
            .flat_map(|(c, b)| {
                b.stale.iter().map(|e| crate::check::baseline::Entry {
                    file: c.display_path(&e.file),
                    ..e.clone()
                })
            })
            .collect(),
    })
}

pub fn render(checked: &[Checked<'_>]) -> String {
    super::stream::to_string(|w| write(checked, w))
}
