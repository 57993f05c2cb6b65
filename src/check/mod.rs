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

use crate::book::LoadOptions;
use crate::model::{Book, Chapter, DirectiveAction, Guide, Problem};
use index::{Files, Index};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// What a guide-wide rule sees: the whole guide and its index.
pub struct Context<'g> {
    pub guide: &'g Guide,
    pub index: Index<'g>,
    pub config: &'g Config,
}

/// What a chapter rule sees: the settings and the book's shape, not the
/// other chapters — so chapter rules can run while the book is still being
/// read, each chapter on the thread that parsed it.
pub struct ChapterContext<'a> {
    pub book: &'a Book,
    pub config: &'a Config,
    /// Problems met while reading this chapter.
    pub problems: &'a [Problem],
}

impl ChapterContext<'_> {
    /// Whether `chapter` is the book's SUMMARY.md: a table of contents, not
    /// a chapter, even when mdBook could not parse it and it was read as
    /// one.
    pub fn is_summary(&self, chapter: &Chapter) -> bool {
        match &self.book.summary {
            Some(s) => s.path == chapter.path,
            None => {
                self.book.kind == crate::model::BookKind::Mdbook && chapter.path == "SUMMARY.md"
            }
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

/// What the chapter rules found in one chapter.
struct ChapterFindings {
    diagnostics: Vec<Diagnostic>,
    reached: rules::links::Reached,
}

/// Check a guide that is already loaded.
pub fn check(guide: &Guide, config: &Config) -> Vec<Diagnostic> {
    let files = Arc::new(Files::new(&guide.files));
    let found: Vec<ChapterFindings> = guide
        .chapters
        .par_iter()
        .map(|chapter| {
            let problems: Vec<Problem> = guide
                .problems
                .iter()
                .filter(|p| p.file == chapter.path)
                .cloned()
                .collect();
            let cx = ChapterContext {
                book: &guide.book,
                config,
                problems: &problems,
            };
            check_chapter(&cx, &files, chapter)
        })
        .collect();
    check_guide(guide, config, files, found)
}

/// Read and check the guide at `path` in one pass: chapter rules run as
/// each chapter is parsed, after which its text is let go, and of its
/// links only those the guide-wide rules still need are kept; then the
/// guide-wide rules run over what is left. This is how `runsheet check`
/// reads ten thousand files in little memory. Returns the guide (without
/// chapter texts) and the findings.
pub fn check_path(
    path: &std::path::Path,
    options: &LoadOptions,
    config: &Config,
) -> anyhow::Result<(Guide, Vec<Diagnostic>)> {
    let options = LoadOptions {
        lean: true,
        ..options.clone()
    };
    let visit = StreamingCheck {
        config,
        files: OnceLock::new(),
    };
    let (guide, found) = crate::book::load_with(path, &options, &visit)?;
    let files = match visit.files.into_inner() {
        Some(f) => f,
        None => Arc::new(Files::new(&guide.files)),
    };
    let diagnostics = check_guide(&guide, config, files, found);
    Ok((guide, diagnostics))
}

/// The chapter rules of [`check_path`], run as each chapter is read.
struct StreamingCheck<'c> {
    config: &'c Config,
    /// Built from the walk before the first chapter is read.
    files: OnceLock<Arc<Files>>,
}

impl crate::book::Visit<ChapterFindings> for StreamingCheck<'_> {
    fn files(&self, all: &[String]) {
        self.files.get_or_init(|| Arc::new(Files::new(all)));
    }

    fn chapter(
        &self,
        book: &Book,
        all: &[String],
        chapter: &mut Chapter,
        problems: &[Problem],
    ) -> ChapterFindings {
        let files = self.files.get_or_init(|| Arc::new(Files::new(all)));
        let cx = ChapterContext {
            book,
            config: self.config,
            problems,
        };
        let mut found = check_chapter(&cx, files, chapter);
        found.reached.fragments = chapter.keep_links(&found.reached.fragments);
        found
    }
}

/// The rules that read one chapter, with severities and suppressions
/// applied and the source line attached while the text is at hand.
fn check_chapter(cx: &ChapterContext<'_>, files: &Files, chapter: &Chapter) -> ChapterFindings {
    let mut out = Vec::new();
    rules::profiles::check(cx, chapter, &mut out);
    rules::front_matter::check(cx, chapter, &mut out);
    rules::structure::check_chapter(cx, chapter, &mut out);
    rules::lists::check(cx, chapter, &mut out);
    rules::mojibake::check(cx, chapter, &mut out);
    rules::links::check_references(chapter, &mut out);
    let reached = rules::links::check(files, chapter, &mut out);
    out.retain_mut(|d| {
        let Some(severity) = cx.config.severity(d.rule) else {
            return false;
        };
        d.severity = severity;
        if suppressed(chapter, d.rule, d.line) {
            return false;
        }
        d.source_line = Some(chapter.line_text(d.line).to_string());
        true
    });
    ChapterFindings {
        diagnostics: out,
        reached,
    }
}

/// The rules that need the whole guide, then the final sort.
fn check_guide(
    guide: &Guide,
    config: &Config,
    files: Arc<Files>,
    per_chapter: Vec<ChapterFindings>,
) -> Vec<Diagnostic> {
    let cx = Context {
        guide,
        index: Index::new(guide, files),
        config,
    };
    let mut linked = index::Linked::new(cx.index.files());
    for f in &per_chapter {
        for &id in &f.reached.files {
            linked.add(id);
        }
    }
    // Anchors in other chapters, chapter by chapter in parallel.
    let mut found: Vec<Diagnostic> = guide
        .chapters
        .par_iter()
        .zip(per_chapter.par_iter())
        .flat_map_iter(|(chapter, f)| {
            let mut more = Vec::new();
            rules::links::check_fragments(&cx, chapter, &f.reached.fragments, &mut more);
            more
        })
        .collect();
    // The chapter rules' findings, gathered into one vector of the size
    // they need.
    let mut out = Vec::with_capacity(per_chapter.iter().map(|f| f.diagnostics.len()).sum());
    for f in per_chapter {
        out.extend(f.diagnostics);
    }
    rules::input::check(&cx, &mut found);
    rules::summary::check(&cx, &mut found);
    rules::prerequisites::check(&cx, &mut found);
    rules::structure::check_guide(&cx, &linked, &mut found);
    rules::front_matter::check_guide(&cx, &mut found);
    rules::variables::check(&cx, &mut found);
    out.extend(finish(&cx, found));
    out.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.sort_key() == b.sort_key());
    out
}

/// Apply severities and suppressions to guide-wide findings and attach
/// their source lines (read again from disk for a chapter whose text was
/// let go).
fn finish(cx: &Context<'_>, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            d.severity = cx.config.severity(d.rule)?;
            if let Some(c) = cx.index.chapter(&d.file)
                && suppressed(c, d.rule, d.line)
            {
                return None;
            }
            Some(d)
        })
        .collect();
    for d in out.iter_mut() {
        if d.source_line.is_some() {
            continue;
        }
        if let Some(c) = cx.index.chapter(&d.file).filter(|c| !c.source.is_empty()) {
            d.source_line = Some(c.line_text(d.line).to_string());
        } else if let Some(s) = cx.guide.book.summary.as_ref().filter(|s| s.path == d.file) {
            d.source_line = s
                .source
                .lines()
                .nth(d.line.saturating_sub(1))
                .map(|l| l.trim_end().to_string());
        }
    }
    out
}

/// Attach the source line to findings in chapters whose text a lean check
/// let go, reading each such file again once for the lines it needs. Only
/// output that shows source lines needs this.
pub fn attach_source_lines(guide: &Guide, out: &mut [Diagnostic]) {
    let chapters: rustc_hash::FxHashMap<&str, &Chapter> = guide
        .chapters
        .iter()
        .map(|c| (c.path.as_str(), c))
        .collect();
    // Chapters whose text was let go: read each again once, keeping only
    // the lines the findings need.
    let mut wanted: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for d in out.iter() {
        if d.source_line.is_none()
            && let Some(c) = chapters
                .get(d.file.as_str())
                .filter(|c| c.source.is_empty())
        {
            wanted.entry(c.path.as_str()).or_default().push(d.line);
        }
    }
    let read: Vec<Vec<((String, usize), String)>> = wanted
        .into_par_iter()
        .map(|(path, mut numbers)| {
            numbers.sort_unstable();
            numbers.dedup();
            let Ok(bytes) = std::fs::read(guide.book.src_dir.join(path)) else {
                return Vec::new();
            };
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut found = Vec::with_capacity(numbers.len());
            let mut next = numbers.iter().peekable();
            for (i, line) in text.lines().enumerate() {
                let Some(&&n) = next.peek() else { break };
                if i + 1 == n {
                    found.push((
                        (path.to_string(), n),
                        line.trim_end_matches('\r').to_string(),
                    ));
                    next.next();
                }
            }
            found
        })
        .collect();
    let lines: std::collections::HashMap<(String, usize), String> =
        read.into_iter().flatten().collect();
    for d in out.iter_mut() {
        if d.source_line.is_none() {
            d.source_line = lines.get(&(d.file.clone(), d.line)).cloned();
        }
    }
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
            DirectiveAction::DisableNextLine if names(&d.rules) && d.target_line == line => {
                return true;
            }
            DirectiveAction::Disable if names(&d.rules) => disabled = true,
            DirectiveAction::Enable if names(&d.rules) => disabled = false,
            _ => {}
        }
    }
    disabled
}

/// Count what was checked and found.
pub fn summarise(guide: &Guide, diagnostics: &[Diagnostic]) -> Summary {
    Summary {
        files: guide.chapters.len(),
        links: guide.chapters.iter().map(|c| c.local_links).sum(),
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
