//! `runsheet verify`: a server's exported configuration held to what an
//! environment's runbook requires of it.
//!
//! [`run`] loads the book and the environment, works out what its runbook
//! requires ([`expect`]: agents, partitions, OU scopes, run profiles and
//! their steps, the metaverse's settings), reads the export
//! ([`crate::mim::export`]) and runs every rule of the registry that
//! `verify` runs ([`crate::check::Command::Verify`]), with the book's
//! settings' severities. Findings are the check's [`Diagnostic`]s, so every
//! report format shows them. [`propose`] goes the other way: the
//! environment values an export tells (`--write-env`).

pub mod expect;
pub mod propose;

use crate::check::export::{Expected, ExportContext};
use crate::check::{Command, Diagnostic, RULES, Settings, Severity};
use crate::env::Set;
use crate::mim::export::Export;
use crate::text::{LineIndex, Located, paths};
use std::path::Path;
use std::sync::Arc;

/// What to verify.
#[derive(Debug, Clone, Copy)]
pub struct VerifyRequest<'a> {
    /// The book: its root (with `book.toml` and `environments/`) or its
    /// source folder.
    pub book: &'a Path,
    pub environment: &'a str,
    /// `--set KEY=VALUE`, applied last.
    pub sets: &'a [Set],
    /// The export: the folder `svrexport.exe` wrote, or one agent's file.
    pub export: &'a Path,
}

/// A verification: what the runbook requires, what the export holds, and
/// where they differ, sorted.
#[derive(Debug)]
pub struct Verified {
    pub expected: Expected,
    pub export: Export,
    pub diagnostics: Vec<Diagnostic>,
}

impl Verified {
    /// Whether the server has drifted from the runbook: an error, or a
    /// warning with `deny_warnings`.
    pub fn drifted(&self, deny_warnings: bool) -> bool {
        self.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        })
    }

    /// How many run profiles the runbook requires, on the agents the
    /// export was compared for.
    pub fn profiles_compared(&self) -> usize {
        self.expected
            .agents
            .iter()
            .filter(|a| {
                self.export
                    .agents
                    .iter()
                    .any(|e| crate::check::export::same_name(e.name(), &a.name))
            })
            .map(|a| a.profiles.len())
            .sum()
    }
}

/// Verify the export of `request` against its environment. An error is
/// what stops a verification (a book, an environment or a settings file
/// that cannot be read, an environment the book's declarations refuse, an
/// export that is damaged), each with its file and line.
pub fn run(request: &VerifyRequest<'_>) -> Result<Verified, Vec<Located>> {
    let root = crate::book::guide_root(request.book);
    let shown_root = crate::render::shown_root(&root);
    let guide = crate::book::load(&root, &crate::LoadOptions::default())
        .map_err(|e| vec![Located::file(paths::shown(&root), e.to_string())])?;
    let env = crate::env::load(&root, request.environment, request.sets).map_err(|e| vec![e])?;
    if !env.findings.is_empty() {
        return Err(env
            .findings
            .iter()
            .map(|f| crate::render::problem_at(&shown_root, &f.origin, f.message.clone()))
            .collect());
    }
    let ctx = crate::render::context_for(&guide, &env, &root.join("out"))?;
    let expected = expect::expected(&ctx, &env, &shown_root).map_err(|e| vec![e])?;
    let settings = Settings::for_path(&root).map_err(|e| {
        vec![match e {
            crate::check::settings::SettingsError::Invalid(located) => located,
            other => Located::file(paths::shown(&root), other.to_string()),
        }]
    })?;
    let export = crate::mim::export::read(request.export, &paths::shown(request.export))
        .map_err(|e| vec![e])?;
    let diagnostics = compare(&export, &expected, &settings);
    Ok(Verified {
        expected,
        export,
        diagnostics,
    })
}

/// Every verify rule that `settings` leaves on, over `export` and
/// `expected`: the findings at their severities, sorted, with their
/// source lines.
pub fn compare(export: &Export, expected: &Expected, settings: &Settings) -> Vec<Diagnostic> {
    let cx = ExportContext { export, expected };
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| r.meta().command == Command::Verify) {
        let Some(severity) = settings.severity(rule.meta().rule) else {
            continue;
        };
        let mut found = Vec::new();
        rule.export(&cx, &mut found);
        for mut d in found {
            d.severity = severity;
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.sort_key() == b.sort_key());
    attach_source_lines(&mut out);
    out
}

/// The text of each finding's line, read once per file: an export file
/// decoded as the export was, any other file as UTF-8.
fn attach_source_lines(found: &mut [Diagnostic]) {
    let mut files: std::collections::BTreeMap<String, Option<(String, LineIndex)>> =
        Default::default();
    for d in found.iter_mut() {
        let text = files.entry(d.file.clone()).or_insert_with(|| {
            let bytes = std::fs::read(&d.file).ok()?;
            let text = crate::mim::export::xml::decode(bytes, &d.file).ok()?;
            let lines = LineIndex::new(&text);
            Some((text, lines))
        });
        if let Some((text, lines)) = text {
            d.source_line = Some(Arc::from(lines.line_text(text, d.line)));
        }
    }
}
