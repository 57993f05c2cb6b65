//! `runsheet check`: run every rule over a guide and collect diagnostics.
//!
//! The engine works in two passes. The chapter pass runs on each chapter
//! right after it is parsed, on that thread: it works out where every link
//! leads ([`links`]), runs each rule's chapter check, and keeps of the
//! chapter only its [`ChapterDigest`] (anchors, links into other chapters,
//! prerequisites, placeholders, directives): a check of ten thousand files
//! never holds the files. The guide pass then runs each rule's guide check
//! over the digests. Both passes apply the configured severities and the
//! inline `runsheet-disable` comments; the findings are sorted, so the
//! output is the same whatever the thread pool did.
//!
//! A loaded guide ([`check`]) and a guide read while it is checked
//! ([`read_and_check`]) go through the same two passes.

pub mod baseline;
pub mod changed;
pub mod cycles;
pub mod diagnostic;
pub mod digest;
pub mod edits;
pub mod export;
pub mod fix;
pub mod front_matter;
pub mod incremental;
pub mod index;
pub mod links;
pub mod preprocessed;
pub mod prerequisites;
pub mod rules;
pub mod session;
pub mod settings;

pub use diagnostic::{Diagnostic, Fix, Repeat, Severity};
pub use digest::{ChapterDigest, Digest};
pub use incremental::Incremental;
pub use rules::{Check, Command, RULES, Rule, RuleId, RuleMeta};
pub use session::Session;
pub use settings::Settings;

use crate::book::{LoadError, LoadOptions, Visit};
use crate::docfx::Site;
use crate::model::{
    Book, BookKind, Chapter, Directive, DirectiveAction, Guide, Link, Problem, ProblemKind,
};
use index::{Files, Linked, Resolved};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// What a rule's chapter check sees: one chapter, complete, where each of
/// its links leads, and the book's shape and settings, not the other
/// chapters, so chapter checks run while the book is still being read.
pub struct ChapterContext<'a> {
    pub book: &'a Book,
    /// What the user set.
    pub settings: &'a Settings,
    /// What the tree's own files say (a DocFX tree's docsets, redirects).
    pub site: &'a Site,
    pub chapter: &'a Chapter,
    /// Where each of the chapter's links leads, by the link's index:
    /// `None` for a link that is not to a local path (a URL, an email
    /// address, a bare `#anchor`).
    pub targets: &'a [Option<Resolved<'a>>],
    /// Every file under the source folder.
    pub files: &'a Files,
    /// Problems met while reading this chapter.
    pub problems: &'a [Problem],
    /// Whether the chapter is a page its DocFX docset publishes (always,
    /// outside DocFX): see [`Site::publishes`].
    pub page: bool,
}

impl<'a> ChapterContext<'a> {
    /// Whether the chapter is the book's SUMMARY.md: a table of contents,
    /// not a chapter, even when mdBook could not parse it and it was read
    /// as one.
    pub fn is_summary(&self) -> bool {
        is_summary(self.book, &self.chapter.path)
    }

    /// Whether the chapter is a table of contents, not a chapter: the
    /// book's SUMMARY.md, or a DocFX `toc.md`. Its links are checked; the
    /// rules about pages (titles, headings, lists, front matter) pass it by.
    pub fn is_toc(&self) -> bool {
        self.is_summary() || self.site.is_toc(&self.chapter.path)
    }

    /// Each of the chapter's links with where it leads (see `targets`).
    pub fn links(&self) -> impl Iterator<Item = (&'a Link, Option<&'a Resolved<'a>>)> {
        self.chapter
            .links
            .iter()
            .zip(self.targets.iter().map(Option::as_ref))
    }
}

/// What a rule's guide check sees: the book, its files, every chapter's
/// digest in reading order, and what the links reach.
pub struct GuideContext<'g> {
    pub book: &'g Book,
    /// What the user set.
    pub settings: &'g Settings,
    /// What the tree's own files say.
    pub site: &'g Site,
    pub files: &'g Files,
    /// Every file under the source folder (sorted).
    pub file_list: &'g [String],
    pub chapters: &'g [ChapterDigest],
    /// Problems met while reading the guide.
    pub problems: &'g [Problem],
    /// Which files some link reaches.
    pub linked: &'g Linked<'g>,
    /// Each chapter's place in `chapters`, by path.
    by_path: rustc_hash::FxHashMap<&'g str, usize>,
    /// The book's declarations and environments, read by the first rule
    /// that asks (or kept from an earlier pass: see [`incremental`]).
    environments: OnceLock<Arc<crate::env::BookEnvironments>>,
    /// What stops a render of each environment, in the order of
    /// `environments`, worked out by the first rule that asks.
    refusals: OnceLock<Vec<Vec<crate::env::resolve::Refusal>>>,
}

impl<'g> GuideContext<'g> {
    /// The digest of the chapter at `path`.
    pub fn chapter(&self, path: &str) -> Option<&'g ChapterDigest> {
        self.chapter_index(path).and_then(|i| self.chapters.get(i))
    }

    /// The place of the chapter at `path` in reading order.
    pub fn chapter_index(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// The ids links can name in the chapter at `path` (`None` for a file
    /// that is not a chapter).
    pub fn anchors(&self, path: &str) -> Option<&'g digest::ChapterAnchors> {
        self.chapter(path).map(|c| &c.anchors)
    }

    /// The book's declared variables and environments (read once, by the
    /// first rule that asks).
    pub fn environments(&self) -> &crate::env::BookEnvironments {
        self.environments
            .get_or_init(|| Arc::new(crate::env::load_book(&self.book.root)))
    }

    /// What stops a render of each environment of the book (see
    /// [`crate::env::resolve`]): the same `runsheet render` refuses to
    /// write for, each with its environment.
    pub fn refusals(
        &self,
    ) -> impl Iterator<Item = (&crate::env::Environment, &crate::env::resolve::Refusal)> {
        let envs = &self.environments().environments;
        let all = self.refusals.get_or_init(|| {
            let facts = crate::env::resolve::BookFacts {
                chapters: self
                    .chapters
                    .iter()
                    .map(|c| {
                        let mut uses = c.title_placeholders.clone();
                        uses.extend(c.placeholders.iter().map(crate::env::resolve::Use::of));
                        crate::env::resolve::ChapterFacts {
                            path: &c.path,
                            listed: c.listed,
                            part: c.part.as_deref(),
                            uses,
                            profiles: c.profiles.iter().map(|(n, _)| n.as_str()).collect(),
                        }
                    })
                    .collect(),
            };
            envs.iter()
                .map(|e| crate::env::resolve::refusals(e, &facts))
                .collect()
        });
        envs.iter()
            .zip(all)
            .flat_map(|(e, r)| r.iter().map(move |r| (e, r)))
    }

    /// A finding of `rule` for a refusal, at its place, its help kept.
    pub fn refusal(&self, rule: RuleId, r: &crate::env::resolve::Refusal) -> Diagnostic {
        let mut d = match &r.place {
            crate::env::resolve::Where::Value(origin) => {
                self.at_origin(rule, origin, r.message.clone())
            }
            crate::env::resolve::Where::Chapter {
                path,
                line,
                column,
                end_column,
            } => {
                let mut d = Diagnostic::at_line(rule, path, *line, r.message.clone());
                d.column = *column;
                d.end_column = (*end_column).max(*column);
                d
            }
        };
        d.help = r.help.clone();
        d
    }

    /// A file given relative to the book's root (`environments/prod.yaml`)
    /// as findings name files: relative to the source folder
    /// (`../environments/prod.yaml`).
    pub fn root_file(&self, rel: &str) -> String {
        let rel = rel.replace('\\', "/");
        if self.book.src == "." {
            rel
        } else {
            crate::text::paths::relative(
                &format!("{}/x", self.book.src.trim_end_matches('/')),
                &rel,
            )
        }
    }

    /// A file as an environment error shows it (the root joined with its
    /// place) as findings name files.
    pub fn shown_file(&self, shown: &str) -> String {
        let path = std::path::Path::new(shown);
        let rel = crate::text::paths::below(&self.book.root, path)
            .unwrap_or_else(|| shown.replace('\\', "/"));
        self.root_file(&rel)
    }

    /// A finding at the place a value was set.
    pub fn at_origin(
        &self,
        rule: RuleId,
        origin: &crate::yaml::Origin,
        message: impl Into<String>,
    ) -> Diagnostic {
        let file = match &origin.source {
            crate::yaml::Source::File(f) => self.root_file(f),
            crate::yaml::Source::CommandLine(arg) => format!("--set {arg}"),
        };
        let mut d = Diagnostic::at_line(rule, &file, origin.line.max(1), message);
        d.column = origin.column.max(1);
        d.end_column = d.column;
        d
    }

    /// Whether `path` is the book's SUMMARY.md.
    pub fn is_summary(&self, path: &str) -> bool {
        is_summary(self.book, path)
    }

    /// Whether `path` is a table of contents, not a chapter (see
    /// [`ChapterContext::is_toc`]).
    pub fn is_toc(&self, path: &str) -> bool {
        self.is_summary(path) || self.site.is_toc(path)
    }

    /// The problems of one kind met while reading the guide.
    pub fn problems_of(&self, kind: ProblemKind) -> impl Iterator<Item = &'g Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }
}

fn is_summary(book: &Book, path: &str) -> bool {
    match &book.summary {
        Some(s) => s.path == path,
        None => book.kind == BookKind::Mdbook && path == "SUMMARY.md",
    }
}

/// One guide's findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub links: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Hidden folders (`.github`) not read; `--hidden` reads them.
    #[serde(skip_serializing_if = "is_zero")]
    pub hidden_folders: usize,
    /// Places of findings reported once for many (see
    /// [`Diagnostic::repeats`]): counted here, not listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub repeats: usize,
    /// Site-absolute links to other sites of the same host (DocFX): not
    /// checked offline.
    #[serde(skip_serializing_if = "is_zero")]
    pub other_site: usize,
    /// DocFX `xref:` links: checked against an xref map in the tree when
    /// there is one, else only counted.
    #[serde(skip_serializing_if = "is_zero")]
    pub xrefs: usize,
    /// Site-absolute links (`/cpp/x`, `~/x`) that lead to files of the tree.
    #[serde(skip_serializing_if = "is_zero")]
    pub site_links: usize,
    /// Links and references left to preprocessors the check does not see
    /// (see [`preprocessed`]): not checked.
    #[serde(skip_serializing_if = "is_zero")]
    pub left_to_preprocessors: usize,
    /// Those preprocessors, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preprocessors: Vec<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Check a guide that is already loaded, with the user's `settings` and
/// what its tree's files say (`site`).
pub fn check(guide: &Guide, settings: &Settings, site: &Site) -> Vec<Diagnostic> {
    check_loaded(guide, settings, site).1
}

/// [`check`], with the digest a report is drawn from. Source lines are
/// attached to every finding.
pub fn check_loaded(guide: &Guide, settings: &Settings, site: &Site) -> (Digest, Vec<Diagnostic>) {
    let files = Files::new(&guide.files);
    let found: Vec<ChapterOutcome> = guide
        .chapters
        .par_iter()
        .map(|chapter| {
            let problems: Vec<Problem> = guide
                .problems
                .iter()
                .filter(|p| p.file == chapter.path)
                .cloned()
                .collect();
            chapter_pass(&guide.book, settings, site, &files, chapter, &problems)
        })
        .collect();
    let digest = Digest {
        book: guide.book.clone(),
        files: guide.files.clone(),
        hidden: Vec::new(),
        chapters: Vec::new(),
        problems: guide.problems.clone(),
        unseen_preprocessors: settings.unseen_preprocessors.clone(),
    };
    let (digest, mut diagnostics) = guide_pass(digest, settings, site, &files, found);
    attach_source_lines_from(&digest, &mut diagnostics, |path| {
        guide.chapter(path).map(|c| c.source.as_str().into())
    });
    (digest, diagnostics)
}

/// Read and check the guide at `path` in one pass: each chapter goes
/// through the chapter pass as soon as it is parsed, and only its digest
/// is kept; then the guide pass. This is how `runsheet check` reads ten
/// thousand files in little memory. Findings of the guide pass carry no
/// source line (see [`attach_source_lines`]).
pub fn read_and_check(
    path: &std::path::Path,
    options: &LoadOptions,
    settings: &Settings,
    site: &Site,
) -> Result<(Digest, Vec<Diagnostic>), LoadError> {
    let (read, files) = read_chapters(path, options, settings, site)?;
    let digest = Digest {
        book: read.book,
        files: read.files,
        hidden: read.hidden,
        chapters: Vec::new(),
        problems: read.problems,
        unseen_preprocessors: settings.unseen_preprocessors.clone(),
    };
    Ok(guide_pass(digest, settings, site, &files, read.chapters))
}

/// Read the guide at `path`, each chapter through the chapter pass as it
/// is parsed; with the index of its files.
fn read_chapters(
    path: &std::path::Path,
    options: &LoadOptions,
    settings: &Settings,
    site: &Site,
) -> Result<(crate::book::Visited<ChapterOutcome>, Arc<Files>), LoadError> {
    let visit = StreamingCheck {
        settings,
        site,
        files: OnceLock::new(),
    };
    let read = crate::book::load_with(path, options, &visit)?;
    let files = match visit.files.into_inner() {
        Some(f) => f,
        None => Arc::new(Files::new(&read.files)),
    };
    Ok((read, files))
}

/// The chapter pass of [`read_and_check`], run as each chapter is read.
struct StreamingCheck<'c> {
    settings: &'c Settings,
    site: &'c Site,
    /// Built from the walk before the first chapter is read.
    files: OnceLock<Arc<Files>>,
}

impl Visit for StreamingCheck<'_> {
    type Output = ChapterOutcome;

    fn files(&self, all: &[String]) {
        self.files.get_or_init(|| Arc::new(Files::new(all)));
    }

    fn chapter(
        &self,
        book: &Book,
        all: &[String],
        chapter: Chapter,
        problems: &[Problem],
    ) -> ChapterOutcome {
        let files = self.files.get_or_init(|| Arc::new(Files::new(all)));
        chapter_pass(book, self.settings, self.site, files, &chapter, problems)
    }
}

/// What the chapter pass keeps of one chapter.
struct ChapterOutcome {
    diagnostics: Vec<Diagnostic>,
    digest: ChapterDigest,
}

/// Every enabled rule's chapter check, with severities and suppressions
/// applied and the source line attached while the text is at hand; and the
/// chapter's digest.
fn chapter_pass(
    book: &Book,
    settings: &Settings,
    site: &Site,
    files: &Files,
    chapter: &Chapter,
    problems: &[Problem],
) -> ChapterOutcome {
    let targets = links::targets(files, settings, site, chapter);
    let cx = ChapterContext {
        book,
        settings,
        site,
        chapter,
        targets: &targets,
        files,
        problems,
        page: site.publishes(&chapter.path),
    };
    let mut out = Vec::new();
    // An excluded file is read (its links count) but not reported on.
    if !settings.exclude.matches(&chapter.path) {
        for rule in RULES {
            if rule.meta().command == Command::Check
                && settings.severity(rule.meta().rule).is_some()
            {
                rule.chapter(&cx, &mut out);
            }
        }
    }
    // Findings on the same line share one copy of it: a long line with
    // many findings is copied once, not once per finding.
    let mut lines: rustc_hash::FxHashMap<usize, Arc<str>> = Default::default();
    out.retain_mut(|d| {
        let Some(severity) = settings.severity(d.rule) else {
            return false;
        };
        d.severity = severity;
        if suppressed(&chapter.directives, d.rule, d.line) {
            return false;
        }
        let line = lines
            .entry(d.line)
            .or_insert_with(|| chapter.line_text(d.line).into());
        d.source_line = Some(Arc::clone(line));
        true
    });
    let mut digest = ChapterDigest::of(chapter, &targets);
    let withheld = preprocessed::withheld(settings, files, chapter, &targets);
    digest.withheld = withheld.total;
    digest.local_links = digest.local_links.saturating_sub(withheld.links);
    // With an xref map, xref links are checked, not only counted.
    if site.xrefs.is_some() {
        digest.xrefs = 0;
    }
    // The files an mdBook chapter pulls in with `{{#include}}` are used.
    if book.kind == BookKind::Mdbook {
        for (_, path) in links::includes(&chapter.source) {
            if let Resolved::File(_, id) | Resolved::CaseMismatch(_, id) =
                files.resolve(&chapter.path, path)
            {
                digest.reached.push(id);
            }
        }
    }
    ChapterOutcome {
        diagnostics: out,
        digest,
    }
}

/// Every enabled rule's guide check over the digests, then the final sort.
fn guide_pass(
    mut digest: Digest,
    settings: &Settings,
    site: &Site,
    files: &Files,
    per_chapter: Vec<ChapterOutcome>,
) -> (Digest, Vec<Diagnostic>) {
    // The chapter findings, gathered into one vector of the size they need.
    let mut out = Vec::with_capacity(per_chapter.iter().map(|f| f.diagnostics.len()).sum());
    // Collected in place: the digests take over the outcomes' memory
    // rather than a second vector of them living beside it.
    digest.chapters = per_chapter
        .into_iter()
        .map(|f| {
            out.extend(f.diagnostics);
            f.digest
        })
        .collect();
    let inputs = GuideInputs {
        book: &digest.book,
        settings,
        site,
        files,
        file_list: &digest.files,
        chapters: &digest.chapters,
        problems: &digest.problems,
    };
    inputs.with_context(None, |cx| {
        let found: Vec<Diagnostic> = RULES
            .par_iter()
            .filter(|rule| {
                rule.meta().command == Command::Check
                    && settings.severity(rule.meta().rule).is_some()
            })
            .flat_map_iter(|rule| {
                let mut found = Vec::new();
                rule.guide(cx, &mut found);
                found
            })
            .collect();
        out.extend(found.into_iter().filter_map(|d| {
            let directives = cx.chapter(&d.file).map(|c| &c.directives[..]);
            kept(settings, directives, d)
        }));
        confirm_fixes(&mut out, |path| cx.chapter(path).map(|c| &c.titles[..]));
    });
    out.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.sort_key() == b.sort_key());
    let out = fold_repeats(out);
    (digest, out)
}

/// What the guide pass reads, borrowed from whoever keeps it: a check's
/// [`Digest`], or a book kept for re-checks ([`incremental`]).
struct GuideInputs<'g> {
    book: &'g Book,
    settings: &'g Settings,
    site: &'g Site,
    files: &'g Files,
    file_list: &'g [String],
    chapters: &'g [ChapterDigest],
    problems: &'g [Problem],
}

impl<'g> GuideInputs<'g> {
    /// Run `f` with the guide pass's context over these inputs; the
    /// book's environments are `environments` when given (read earlier),
    /// else read by the first rule that asks. Gives back what `f` gave and
    /// the environments, if they were read.
    fn with_context<R>(
        &self,
        environments: Option<Arc<crate::env::BookEnvironments>>,
        f: impl FnOnce(&GuideContext<'_>) -> R,
    ) -> (R, Option<Arc<crate::env::BookEnvironments>>) {
        let mut linked = Linked::new(self.files);
        for c in self.chapters {
            for &id in &c.reached {
                linked.add(id);
            }
        }
        let cell = OnceLock::new();
        if let Some(e) = environments {
            let _ = cell.set(e);
        }
        let cx = GuideContext {
            book: self.book,
            settings: self.settings,
            site: self.site,
            files: self.files,
            file_list: self.file_list,
            chapters: self.chapters,
            problems: self.problems,
            linked: &linked,
            by_path: self
                .chapters
                .iter()
                .enumerate()
                .map(|(i, c)| (c.path.as_str(), i))
                .collect(),
            environments: cell,
            refusals: OnceLock::new(),
        };
        let r = f(&cx);
        (r, cx.environments.into_inner())
    }
}

/// A finding of a guide check as reported: with its configured severity,
/// unless the rule is off, the file excluded or a comment among the
/// `directives` of its chapter turns the rule off there.
fn kept(
    settings: &Settings,
    directives: Option<&[Directive]>,
    mut d: Diagnostic,
) -> Option<Diagnostic> {
    d.severity = settings.severity(d.rule)?;
    if settings.exclude.matches(&d.file) {
        return None;
    }
    if directives.is_some_and(|directives| suppressed(directives, d.rule, d.line)) {
        return None;
    }
    Some(d)
}

/// Report once the findings of a rule that share a fold key (see
/// [`Diagnostic::fold`]): the first in report order stays, says how many
/// more links repeat it, and carries their places and fixes.
fn fold_repeats(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if found.iter().all(|d| d.fold.is_none()) {
        return found;
    }
    let mut first: rustc_hash::FxHashMap<(RuleId, String), usize> = Default::default();
    let mut out: Vec<Diagnostic> = Vec::with_capacity(found.len());
    for d in found {
        let Some(key) = d.fold.as_ref().map(|f| f.key.clone()) else {
            out.push(d);
            continue;
        };
        match first
            .get(&(d.rule, key.clone()))
            .and_then(|&at| out.get_mut(at))
        {
            Some(folded) => folded.repeats.push(Repeat {
                file: d.file,
                line: d.line,
                column: d.column,
                fix: d.fix,
                target: d.target,
            }),
            None => {
                first.insert((d.rule, key), out.len());
                out.push(d);
            }
        }
    }
    for d in &mut out {
        if d.repeats.is_empty() {
            continue;
        }
        if let Some(fold) = &d.fold {
            let note = (fold.note)(d.repeats.len(), &fold.key);
            d.message = format!("{}; {note}", d.message);
        }
    }
    out
}

/// Keep the fixes that wait on a link's text only where the text agrees
/// with the title of the file the fix would lead to (`titles` of a
/// chapter, by path); the others become suggestions that are not applied.
fn confirm_fixes<'t>(out: &mut [Diagnostic], titles: impl Fn(&str) -> Option<&'t [String]>) {
    for d in out.iter_mut() {
        let Some(confirm) = d.confirm.take() else {
            continue;
        };
        let titles: Vec<&str> = titles(&confirm.target)
            .map(|t| t.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if !edits::text_agrees(&confirm.text, &titles, &confirm.target) {
            d.fix = None;
            let title = titles.first().copied().unwrap_or(&confirm.target);
            let help = d.help.take().unwrap_or_default();
            d.help = Some(format!(
                "{help} (not fixed: the link's text `{}` does not name \"{title}\")",
                confirm.text
            ));
        }
    }
}

/// Attach the source line to findings that have none (those of the guide
/// pass of [`read_and_check`]), reading each file they are in again once for
/// the lines they need. Only output that shows source lines needs this.
pub fn attach_source_lines(digest: &Digest, out: &mut [Diagnostic]) {
    let dir = &digest.book.src_dir;
    attach_source_lines_from(digest, out, |path| {
        let bytes = std::fs::read(dir.join(path)).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned().into())
    });
}

/// [`attach_source_lines`] with the text of a chapter from `text_of`.
fn attach_source_lines_from<'t>(
    digest: &Digest,
    out: &mut [Diagnostic],
    text_of: impl Fn(&str) -> Option<std::borrow::Cow<'t, str>> + Sync,
) {
    let summary = digest.book.summary.as_ref();
    let mut wanted: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for d in out.iter() {
        if d.source_line.is_none() {
            wanted.entry(d.file.as_str()).or_default().push(d.line);
        }
    }
    // Each file's wanted lines, by (file, line number).
    type Found = Vec<((String, usize), Arc<str>)>;
    let read: Vec<Found> = wanted
        .into_par_iter()
        .map(|(path, mut numbers)| {
            numbers.sort_unstable();
            numbers.dedup();
            let text = match summary.filter(|s| s.path == path) {
                Some(s) => std::borrow::Cow::Borrowed(&*s.source),
                None if digest.chapters.iter().any(|c| c.path == path) => {
                    let Some(text) = text_of(path) else {
                        return Vec::new();
                    };
                    text
                }
                None => return Vec::new(),
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut found = Vec::with_capacity(numbers.len());
            let mut next = numbers.iter().peekable();
            for (i, line) in text.lines().enumerate() {
                let Some(&&n) = next.peek() else { break };
                if i + 1 == n {
                    found.push(((path.to_string(), n), line.trim_end_matches('\r').into()));
                    next.next();
                }
            }
            found
        })
        .collect();
    // One copy of each line, shared by the findings on it.
    let lines: std::collections::HashMap<(String, usize), Arc<str>> =
        read.into_iter().flatten().collect();
    for d in out.iter_mut() {
        if d.source_line.is_none() {
            d.source_line = lines.get(&(d.file.clone(), d.line)).cloned();
        }
    }
}

/// Whether an inline comment turns `rule` off at `line`.
fn suppressed(directives: &[Directive], rule: RuleId, line: usize) -> bool {
    let names = |rules: &[String]| rules.is_empty() || rules.iter().any(|r| r == rule.as_str());
    let mut disabled = false;
    for d in directives {
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
pub fn summarise(digest: &Digest, diagnostics: &[Diagnostic]) -> Summary {
    Summary {
        hidden_folders: digest.hidden.len(),
        files: digest.chapters.len(),
        links: digest.chapters.iter().map(|c| c.local_links).sum(),
        errors: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        repeats: diagnostics.iter().map(|d| d.repeats.len()).sum(),
        other_site: digest.chapters.iter().map(|c| c.other_site).sum(),
        xrefs: digest.chapters.iter().map(|c| c.xrefs).sum(),
        site_links: digest.chapters.iter().map(|c| c.site_links).sum(),
        left_to_preprocessors: digest.chapters.iter().map(|c| c.withheld).sum(),
        preprocessors: digest.unseen_preprocessors.clone(),
    }
}
