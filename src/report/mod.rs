//! Views of a check's diagnostics: one module per output format. Every
//! format shows the same findings in the same order; none decides anything.

pub mod checkout;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod statistics;
pub mod stream;

pub use crate::check::baseline::BaselineNote;
use crate::check::{Diagnostic, Digest, Severity, Summary};

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// What a report is about: a guide `runsheet check` read, or a server's
/// export `runsheet verify` held to an environment's runbook.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    Guide(&'a Digest),
    Export(&'a ExportSummary),
}

/// What a verification read, for the closing lines and the test cases.
#[derive(Debug, Clone, Default)]
pub struct ExportSummary {
    pub environment: String,
    /// The export as given.
    pub path: String,
    /// Every file of the export read, as shown.
    pub files: Vec<String>,
    /// The runbook's agents the export was compared for, and their run
    /// profiles.
    pub agents: usize,
    pub profiles: usize,
}

/// One checked guide or verified export, as the report shows it.
pub struct Checked<'a> {
    pub subject: Subject<'a>,
    /// The source folder as the user reaches it from the working directory
    /// (`docs`, `tests/fixtures/book/src`, `.`).
    pub display_root: String,
    pub diagnostics: Vec<Diagnostic>,
    /// What a baseline took out of the findings, when one was applied.
    pub baseline: Option<BaselineNote>,
}

impl Checked<'_> {
    /// The command whose report it is.
    pub fn command(&self) -> crate::check::Command {
        match self.subject {
            Subject::Guide(_) => crate::check::Command::Check,
            Subject::Export(_) => crate::check::Command::Verify,
        }
    }

    /// A diagnostic's file as the user should see it: `/`-separated,
    /// relative to the working directory when the input was.
    pub fn display_path(&self, file: &str) -> String {
        crate::text::paths::join(&self.display_root, file)
    }
}

/// Totals over every checked guide.
pub fn summary(checked: &[Checked<'_>]) -> Summary {
    let mut total = Summary::default();
    for c in checked {
        let s = match c.subject {
            Subject::Guide(digest) => crate::check::summarise(digest, &c.diagnostics),
            Subject::Export(export) => Summary {
                files: export.files.len(),
                errors: count(&c.diagnostics, Severity::Error),
                warnings: count(&c.diagnostics, Severity::Warning),
                ..Summary::default()
            },
        };
        total.files += s.files;
        total.links += s.links;
        total.errors += s.errors;
        total.warnings += s.warnings;
        total.hidden_folders += s.hidden_folders;
        total.repeats += s.repeats;
        total.other_site += s.other_site;
        total.xrefs += s.xrefs;
        total.site_links += s.site_links;
        total.left_to_preprocessors += s.left_to_preprocessors;
        for p in s.preprocessors {
            if !total.preprocessors.contains(&p) {
                total.preprocessors.push(p);
            }
        }
    }
    total
}
