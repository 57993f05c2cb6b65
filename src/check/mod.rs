//! `runsheet check`: run every rule over a guide and collect diagnostics.
//!
//! Rules read the model and a shared [`index::Index`]; chapter rules run in
//! parallel, guide-wide rules once. Then the configured severities and the
//! inline `runsheet-disable` comments are applied, and the findings sorted,
//! so the output is the same whatever the thread pool did.

pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod index;
pub mod rules;

pub use config::Config;
pub use diagnostic::{Diagnostic, Fix, Severity};

use crate::model::{Chapter, DirectiveAction, Guide};
use index::Index;
use rayon::prelude::*;
use serde::Serialize;

/// What a rule sees.
pub struct Context<'g> {
    pub guide: &'g Guide,
    pub index: Index<'g>,
    pub config: &'g Config,
}

impl Context<'_> {
    /// Whether `chapter` is the book's SUMMARY.md: a table of contents, not
    /// a chapter, even when mdBook could not parse it and it was read as
    /// one.
    pub fn is_summary(&self, chapter: &Chapter) -> bool {
        let book = &self.guide.book;
        match &book.summary {
            Some(s) => s.path == chapter.path,
            None => book.kind == crate::model::BookKind::Mdbook && chapter.path == "SUMMARY.md",
        }
    }
}

/// One guide's findings.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub files: usize,
    pub links: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// Check a guide with these settings.
pub fn check(guide: &Guide, config: &Config) -> Vec<Diagnostic> {
    let cx = Context {
        guide,
        index: Index::new(guide),
        config,
    };
    let mut out: Vec<Diagnostic> = guide
        .chapters
        .par_iter()
        .flat_map_iter(|chapter| {
            let mut found = Vec::new();
            check_chapter(&cx, chapter, &mut found);
            found
        })
        .collect();
    rules::input::check(&cx, &mut out);
    rules::summary::check(&cx, &mut out);
    rules::prerequisites::check(&cx, &mut out);
    rules::structure::check_guide(&cx, &mut out);
    finish(&cx, out)
}

fn check_chapter(cx: &Context<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    rules::links::check(cx, chapter, out);
    rules::profiles::check(cx, chapter, out);
    rules::front_matter::check(cx, chapter, out);
    rules::structure::check_chapter(cx, chapter, out);
    rules::lists::check(cx, chapter, out);
    rules::mojibake::check(cx, chapter, out);
}

/// Apply severities and suppressions, attach source lines, sort.
fn finish(cx: &Context<'_>, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            d.severity = cx.config.severity(d.rule)?;
            let chapter = cx.index.chapter(&d.file);
            if let Some(c) = chapter {
                if suppressed(c, d.rule, d.line) {
                    return None;
                }
                d.source_line = Some(c.line_text(d.line).to_string());
            } else if let Some(s) = cx.guide.book.summary.as_ref().filter(|s| s.path == d.file) {
                d.source_line = s
                    .source
                    .lines()
                    .nth(d.line.saturating_sub(1))
                    .map(|l| l.trim_end().to_string());
            }
            Some(d)
        })
        .collect();
    out.sort_by_cached_key(|d| d.sort_key());
    out.dedup_by(|a, b| a.sort_key() == b.sort_key());
    out
}

/// Whether an inline comment turns `rule` off at `line`.
fn suppressed(chapter: &Chapter, rule: &str, line: usize) -> bool {
    let names = |rules: &[String]| rules.is_empty() || rules.iter().any(|r| r == rule);
    let mut disabled = false;
    for d in &chapter.directives {
        if d.line > line {
            break;
        }
        match d.action {
            DirectiveAction::DisableNextLine
                if names(&d.rules) && next_content_line(chapter, d.line) == line =>
            {
                return true;
            }
            DirectiveAction::Disable if names(&d.rules) => disabled = true,
            DirectiveAction::Enable if names(&d.rules) => disabled = false,
            _ => {}
        }
    }
    disabled
}

/// The first non-blank line after `line`.
fn next_content_line(chapter: &Chapter, line: usize) -> usize {
    let mut l = line + 1;
    while l < chapter.lines.line_count() && chapter.line_text(l).trim().is_empty() {
        l += 1;
    }
    l
}

/// Count what was checked and found.
pub fn summarise(guide: &Guide, diagnostics: &[Diagnostic]) -> Summary {
    Summary {
        files: guide.chapters.len(),
        links: guide.chapters.iter().map(|c| c.links.len()).sum(),
        errors: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
    }
}
