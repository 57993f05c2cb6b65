//! `--format junit`: one test suite, one test case per checked file (a
//! verification's: per file of the export, and per file a finding names). A
//! file with errors fails, its failure listing every error; its warnings
//! are the case's system-out. Written with quick-junit.

use super::Checked;
use crate::check::{Diagnostic, Severity};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    w: &mut W,
) -> std::io::Result<()> {
    w.write_all(render(checked).as_bytes())
}

pub fn render(checked: &[Checked<'_>]) -> String {
    let mut cases: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for c in checked {
        match c.subject {
            super::Subject::Guide(digest) => {
                for ch in &digest.chapters {
                    cases.entry(c.display_path(&ch.path)).or_default();
                }
            }
            super::Subject::Export(export) => {
                for file in &export.files {
                    cases.entry(c.display_path(file)).or_default();
                }
            }
        }
        for d in &c.diagnostics {
            cases.entry(c.display_path(&d.file)).or_default().push(d);
        }
    }
    let command = checked
        .first()
        .map_or(crate::check::Command::Check, Checked::command)
        .name();
    let mut suite = TestSuite::new(format!("runsheet {command}"));
    for (file, ds) in &cases {
        let line =
            |d: &Diagnostic| format!("{file}:{}:{}: {} [{}]", d.line, d.column, d.message, d.rule);
        let errors: Vec<&&Diagnostic> = ds
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let status = match errors.first() {
            None => TestCaseStatus::success(),
            Some(first) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let message = if errors.len() == 1 {
                    first.message.clone()
                } else {
                    format!("{} errors; the first: {}", errors.len(), first.message)
                };
                status
                    .set_type(first.rule.as_str())
                    .set_message(message)
                    .set_description(
                        errors
                            .iter()
                            .map(|d| line(d))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                status
            }
        };
        let mut case = TestCase::new(file.as_str(), status);
        case.set_classname(format!("runsheet.{command}"));
        case.extra.insert("file".into(), file.as_str().into());
        let warnings: String = ds
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| format!("warning: {}\n", line(d)))
            .collect();
        if !warnings.is_empty() {
            case.set_system_out(warnings);
        }
        suite.add_test_case(case);
    }
    let mut report = Report::new("runsheet");
    report.add_test_suite(suite);
    // Serialising into memory fails only on an XML writer bug.
    report.to_string().unwrap_or_default()
}
