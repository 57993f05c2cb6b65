//! A checked book kept in memory and checked again one chapter at a time:
//! what an editor needs, where a chapter changes with every key.
//!
//! [`Incremental::open`] reads and checks the book once, as
//! [`super::read_and_check`] does, and keeps what the two passes need to
//! run again: the settings, the site, the index of files, every chapter's
//! [`ChapterDigest`] and chapter findings, and each guide check's findings.
//! [`Incremental::update`] reads one chapter again from a text (an
//! editor's, saved or not), runs the chapter pass on it, and runs again
//! only the guide checks whose inputs changed ([`super::Check::guide_reads`]:
//! the chapter's anchors, links, prerequisites, placeholders, front
//! matter, problems), over every digest. Findings are not folded (each
//! file shows its own), and a baseline, when the settings name one, is
//! applied file by file.
//!
//! The files of the book are those of the first reading: a file added or
//! deleted, SUMMARY.md or the settings changed, need a new
//! [`Incremental::open`]. The environments are read again after
//! [`Incremental::environments_changed`].

use super::baseline::Baseline;
use super::index::{Files, Resolved};
use super::session::SessionError;
use super::settings::Settings;
use super::{
    ChapterDigest, Diagnostic, GuideInputs, RULES, chapter_pass, confirm_fixes, kept, rules::Reads,
};
use crate::book::LoadOptions;
use crate::docfx::Site;
use crate::env::BookEnvironments;
use crate::model::{Book, Chapter, Link, Problem};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A book read and checked, kept to be checked again.
pub struct Incremental {
    root: PathBuf,
    settings: Settings,
    site: Site,
    book: Book,
    file_list: Vec<String>,
    files: Arc<Files>,
    /// Every problem met reading, sorted.
    problems: Vec<Problem>,
    /// Every chapter's digest, in reading order.
    chapters: Vec<ChapterDigest>,
    /// Each chapter's chapter-pass findings, by its place in `chapters`.
    found: Vec<Vec<Diagnostic>>,
    by_path: FxHashMap<String, usize>,
    /// Each rule's guide findings (as the rule made them: severity, file
    /// exclusion and comments are applied when a file's findings are
    /// asked for), by the rule's place in [`RULES`], grouped by file.
    guide: Vec<FxHashMap<String, Vec<Diagnostic>>>,
    environments: Option<Arc<BookEnvironments>>,
    /// The baseline the settings name, by file.
    baseline: Option<FxHashMap<String, Baseline>>,
    /// Texts given to [`Incremental::update`], for the source lines a
    /// baseline's fingerprints read.
    texts: FxHashMap<String, Arc<str>>,
    /// A hash of each file's findings as last given out, for files that
    /// have some: what [`Incremental::update`] compares with.
    shown: FxHashMap<String, u64>,
}

/// What [`Incremental::update`] did.
#[derive(Debug)]
pub struct Updated {
    /// The chapter as read from the text.
    pub chapter: Chapter,
    /// The files whose findings changed (the chapter's own among them
    /// when its did), sorted.
    pub changed: Vec<String>,
}

impl Incremental {
    /// Read the settings and the tree's files at the guide root of
    /// `path`, then read and check the guide. With `baseline`, the
    /// baseline the settings name is applied (it must exist, as for
    /// `runsheet check`).
    pub fn open(
        path: &Path,
        load: &LoadOptions,
        baseline: bool,
    ) -> Result<Incremental, SessionError> {
        let root = crate::book::guide_root(path);
        let settings = Settings::read(&root)?;
        let site = Site::read(&root, settings.site_path.as_deref());
        let baseline = match (&settings.baseline, baseline) {
            (Some(file), true) => {
                let file = root.join(file);
                if !file.exists() {
                    return Err(SessionError::NoBaseline {
                        path: file,
                        from_setting: true,
                    });
                }
                let mut by_file: FxHashMap<String, Baseline> = FxHashMap::default();
                for entry in Baseline::read(&file)?.findings {
                    by_file
                        .entry(entry.file.clone())
                        .or_insert_with(|| Baseline {
                            version: 1,
                            findings: Vec::new(),
                        })
                        .findings
                        .push(entry);
                }
                Some(by_file)
            }
            _ => None,
        };
        let (read, files) = super::read_chapters(path, load, &settings, &site)?;
        let (chapters, found): (Vec<ChapterDigest>, Vec<Vec<Diagnostic>>) = read
            .chapters
            .into_iter()
            .map(|o| (o.digest, o.diagnostics))
            .unzip();
        let by_path = chapters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.path.clone(), i))
            .collect();
        let mut book = Incremental {
            root,
            settings,
            site,
            book: read.book,
            file_list: read.files,
            files,
            problems: read.problems,
            chapters,
            found,
            by_path,
            guide: RULES.iter().map(|_| FxHashMap::default()).collect(),
            environments: None,
            baseline,
            texts: FxHashMap::default(),
            shown: FxHashMap::default(),
        };
        book.run_guide(Reads::ALL);
        let with_findings = book.files_with_findings();
        for file in with_findings {
            let hash = hash_of(&book.findings(&file));
            book.shown.insert(file, hash);
        }
        Ok(book)
    }

    /// The folder the settings were read in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn book(&self) -> &Book {
        &self.book
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every file under the source folder (sorted).
    pub fn files(&self) -> &[String] {
        &self.file_list
    }

    /// Every chapter's digest, in reading order.
    pub fn chapters(&self) -> &[ChapterDigest] {
        &self.chapters
    }

    /// The digest of the chapter at `path`.
    pub fn chapter(&self, path: &str) -> Option<&ChapterDigest> {
        self.by_path.get(path).and_then(|&i| self.chapters.get(i))
    }

    /// Where `link`, written in the file `from`, leads (`None` for a URL
    /// or an ignored link), as the rules see it.
    pub fn target(&self, from: &str, link: &Link) -> Option<Resolved<'_>> {
        super::links::target(&self.files, &self.settings, &self.site, from, link)
    }

    /// The file a digest's link leads to, by its id (see
    /// [`super::digest::FragmentLink::target`]).
    pub fn file_at(&self, id: u32) -> Option<&str> {
        self.files.path(id)
    }

    /// The book's declared variables and environments, read from the
    /// files once and kept until [`Incremental::environments_changed`].
    pub fn environments(&mut self) -> Arc<BookEnvironments> {
        let root = &self.book.root;
        Arc::clone(
            self.environments
                .get_or_insert_with(|| Arc::new(crate::env::load_book(root))),
        )
    }

    /// Every file that has findings, sorted.
    pub fn files_with_findings(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .chapters
            .iter()
            .zip(&self.found)
            .filter(|(_, found)| !found.is_empty())
            .map(|(c, _)| c.path.clone())
            .chain(self.guide.iter().flat_map(|g| g.keys().cloned()))
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// The findings in `file` (relative to the source folder, as findings
    /// name files), in report order: its chapter pass's and every guide
    /// check's, with the configured severities, less those the chapter's
    /// comments turn off and those the baseline knows.
    pub fn findings(&self, file: &str) -> Vec<Diagnostic> {
        let at = self.by_path.get(file).copied();
        let mut out: Vec<Diagnostic> = at
            .and_then(|i| self.found.get(i))
            .cloned()
            .unwrap_or_default();
        let directives = at
            .and_then(|i| self.chapters.get(i))
            .map(|c| &c.directives[..]);
        out.extend(
            self.guide
                .iter()
                .filter_map(|g| g.get(file))
                .flatten()
                .filter_map(|d| kept(&self.settings, directives, d.clone())),
        );
        confirm_fixes(&mut out, |path| self.chapter(path).map(|c| &c.titles[..]));
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.dedup_by(|a, b| a.sort_key() == b.sort_key());
        match self.baseline.as_ref().and_then(|b| b.get(file)) {
            Some(baseline) => {
                self.attach_source_lines(file, &mut out);
                baseline.apply(out).new
            }
            None => out,
        }
    }

    /// Read the chapter at `path` again from `text` (an editor's, saved
    /// or not) and check it: its chapter pass, then the guide checks whose
    /// inputs changed. `None` when `path` is not a chapter of the book
    /// (a file added since it was read, SUMMARY.md, a file outside it).
    pub fn update(&mut self, path: &str, text: &str) -> Option<Updated> {
        let &i = self.by_path.get(path)?;
        let old = self.chapters.get(i)?;
        let (chapter, problems) = crate::book::read_again(
            &self.book,
            path,
            text.as_bytes().to_vec(),
            old.listed,
            old.part.clone(),
        );
        let chapter = chapter?;
        let outcome = chapter_pass(
            &self.book,
            &self.settings,
            &self.site,
            &self.files,
            &chapter,
            &problems,
        );
        let mut changed = inputs_changed(old, &outcome.digest);
        let titles_changed = old.titles != outcome.digest.titles;
        if !problems_equal(&self.problems, path, &problems) {
            changed = changed.and(Reads::PROBLEMS);
            self.problems.retain(|p| p.file != path);
            self.problems.extend(problems);
            self.problems.sort();
        }
        if let (Some(digest), Some(found)) = (self.chapters.get_mut(i), self.found.get_mut(i)) {
            *digest = outcome.digest;
            *found = outcome.diagnostics;
        }
        self.texts.insert(path.to_string(), Arc::from(text));
        let mut candidates = self.run_guide(changed);
        candidates.push(path.to_string());
        if titles_changed {
            // A fix that waits on a link's text agreeing with this
            // chapter's title may stand or fall now.
            candidates.extend(self.confirming(path));
        }
        Some(Updated {
            chapter,
            changed: self.compare(candidates),
        })
    }

    /// The environment files or `variables.yaml` changed: read them again
    /// and run the guide checks that read them. Gives the files whose
    /// findings changed, sorted.
    pub fn environments_changed(&mut self) -> Vec<String> {
        self.environments = None;
        let candidates = self.run_guide(Reads::ENVIRONMENTS);
        self.compare(candidates)
    }

    /// A chapter of the book read from `text`, or from its file when
    /// `text` is `None`, without checking it (what an editor shows of a
    /// file it has not opened).
    pub fn read_chapter(&self, path: &str, text: Option<&str>) -> Option<Chapter> {
        let entry = self.chapter(path);
        let bytes = match text {
            Some(t) => t.as_bytes().to_vec(),
            None => std::fs::read(self.book.src_dir.join(path)).ok()?,
        };
        crate::book::read_again(
            &self.book,
            path,
            bytes,
            entry.is_none_or(|e| e.listed),
            entry.and_then(|e| e.part.clone()),
        )
        .0
    }

    /// Run again every enabled guide check that reads a part in
    /// `changed`; gives the files whose guide findings it may have changed
    /// (those it found something in, before or now).
    fn run_guide(&mut self, changed: Reads) -> Vec<String> {
        let wanted: Vec<usize> = RULES
            .iter()
            .enumerate()
            .filter(|(_, rule)| {
                rule.meta().command == super::Command::Check
                    && self.settings.severity(rule.meta().rule).is_some()
                    && rule.guide_reads().meets(changed)
            })
            .map(|(i, _)| i)
            .collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        let inputs = GuideInputs {
            book: &self.book,
            settings: &self.settings,
            site: &self.site,
            files: &self.files,
            file_list: &self.file_list,
            chapters: &self.chapters,
            problems: &self.problems,
        };
        let (found, environments) = inputs.with_context(self.environments.clone(), |cx| {
            wanted
                .par_iter()
                .map(|&i| {
                    let mut found = Vec::new();
                    if let Some(rule) = RULES.get(i) {
                        rule.guide(cx, &mut found);
                    }
                    (i, found)
                })
                .collect::<Vec<_>>()
        });
        if environments.is_some() {
            self.environments = environments;
        }
        let mut candidates = Vec::new();
        for (i, found) in found {
            let mut by_file: FxHashMap<String, Vec<Diagnostic>> = FxHashMap::default();
            for d in found {
                by_file.entry(d.file.clone()).or_default().push(d);
            }
            if let Some(slot) = self.guide.get_mut(i) {
                candidates.extend(slot.keys().cloned());
                candidates.extend(by_file.keys().cloned());
                *slot = by_file;
            }
        }
        candidates
    }

    /// The files with a chapter finding whose fix waits on the title of
    /// the chapter at `target`.
    fn confirming(&self, target: &str) -> Vec<String> {
        self.chapters
            .iter()
            .zip(&self.found)
            .filter(|(_, found)| {
                found
                    .iter()
                    .any(|d| d.confirm.as_ref().is_some_and(|c| c.target == target))
            })
            .map(|(c, _)| c.path.clone())
            .collect()
    }

    /// Of `candidates`, the files whose findings are not what was last
    /// given out; remembers them as given out now.
    fn compare(&mut self, mut candidates: Vec<String>) -> Vec<String> {
        candidates.sort_unstable();
        candidates.dedup();
        let mut changed = Vec::new();
        for file in candidates {
            let found = self.findings(&file);
            let hash = (!found.is_empty()).then(|| hash_of(&found));
            let before = self.shown.get(&file).copied();
            if hash != before {
                match hash {
                    Some(h) => self.shown.insert(file.clone(), h),
                    None => self.shown.remove(&file),
                };
                changed.push(file);
            }
        }
        changed
    }

    /// Give the findings of `file` the text of their lines (the text an
    /// update gave, else the file's), as a baseline's fingerprints read it.
    fn attach_source_lines(&self, file: &str, out: &mut [Diagnostic]) {
        if out.iter().all(|d| d.source_line.is_some()) {
            return;
        }
        let text: Option<Arc<str>> = match self.texts.get(file) {
            Some(t) => Some(Arc::clone(t)),
            None => std::fs::read(self.book.src_dir.join(file))
                .ok()
                .map(|b| Arc::from(String::from_utf8_lossy(&b).as_ref())),
        };
        let Some(text) = text else {
            return;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let lines: Vec<&str> = text.lines().collect();
        for d in out.iter_mut().filter(|d| d.source_line.is_none()) {
            if let Some(line) = d.line.checked_sub(1).and_then(|l| lines.get(l)) {
                d.source_line = Some(Arc::from(line.trim_end_matches('\r')));
            }
        }
    }
}

/// Whether the problems kept for `file` are `new`.
fn problems_equal(all: &[Problem], file: &str, new: &[Problem]) -> bool {
    let mut new: Vec<&Problem> = new.iter().collect();
    new.sort();
    let old: Vec<&Problem> = all.iter().filter(|p| p.file == file).collect();
    old == new
}

/// A hash of what a file's findings say and where.
fn hash_of(found: &[Diagnostic]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for d in found {
        (d.rule, d.severity, &d.file, d.line, d.column).hash(&mut h);
        (d.end_line, d.end_column, &d.message, &d.suggestion, &d.help).hash(&mut h);
        if let Some(f) = &d.fix {
            (f.start, f.end, &f.replacement).hash(&mut h);
        }
    }
    h.finish()
}

/// Which parts a guide check reads differ between a chapter's `old` and
/// `new` digest.
fn inputs_changed(old: &ChapterDigest, new: &ChapterDigest) -> Reads {
    let mut changed = Reads::NOTHING;
    if old.anchors != new.anchors {
        changed = changed.and(Reads::ANCHORS);
    }
    if old.fragment_links != new.fragment_links || old.reached != new.reached {
        changed = changed.and(Reads::LINKS);
    }
    if old.prerequisites != new.prerequisites {
        changed = changed.and(Reads::PREREQUISITES);
    }
    if old.placeholders != new.placeholders {
        changed = changed.and(Reads::PLACEHOLDERS);
    }
    if old.has_front_matter != new.has_front_matter {
        changed = changed.and(Reads::FRONT_MATTER);
    }
    if old.profiles != new.profiles {
        changed = changed.and(Reads::PROFILES);
    }
    if old.front_title != new.front_title || old.h1 != new.h1 {
        changed = changed.and(Reads::TITLES);
    }
    if old.fingerprint != new.fingerprint {
        changed = changed.and(Reads::TEXT);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn open(dir: &tempfile::TempDir) -> Incremental {
        Incremental::open(dir.path(), &LoadOptions::default(), true).unwrap()
    }

    /// Each finding as a line: what it says and where.
    fn shown(found: &[Diagnostic]) -> Vec<String> {
        found
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {} {}",
                    d.file,
                    d.line,
                    d.column,
                    d.rule.as_str(),
                    d.message
                )
            })
            .collect()
    }

    const A: &str = "# A\n\nSee [setup](b.md#setup).\n";
    const B: &str = "# B\n\n## Setup\n\nText.\n";

    #[test]
    fn an_edit_that_breaks_a_link_is_found_and_undoing_it_clears_it() {
        let dir = book(&[("a.md", A), ("b.md", B)]);
        let mut book = open(&dir);
        assert!(book.findings("a.md").is_empty());
        let up = book
            .update("a.md", "# A\n\nSee [setup](c.md#setup).\n")
            .unwrap();
        assert_eq!(up.changed, ["a.md"]);
        assert_eq!(
            shown(&book.findings("a.md")),
            ["a.md:3:5 broken-link link target `c.md` does not exist"]
        );
        let up = book.update("a.md", A).unwrap();
        assert_eq!(up.changed, ["a.md"]);
        assert!(book.findings("a.md").is_empty());
        // The same text again changes nothing.
        assert!(book.update("a.md", A).unwrap().changed.is_empty());
    }

    #[test]
    fn a_renamed_heading_breaks_the_links_of_other_chapters() {
        let dir = book(&[("a.md", A), ("b.md", B)]);
        let mut book = open(&dir);
        let up = book.update("b.md", "# B\n\n## Set-up\n\nText.\n").unwrap();
        assert_eq!(up.changed, ["a.md"]);
        assert_eq!(up.chapter.headings[1].anchor, "set-up");
        assert_eq!(
            shown(&book.findings("a.md")),
            ["a.md:3:5 broken-anchor anchor `#setup` does not exist in `b.md`"]
        );
        assert!(book.update("b.md", B).unwrap().changed == ["a.md"]);
        assert!(book.findings("a.md").is_empty());
    }

    #[test]
    fn the_baseline_the_settings_name_hides_what_it_knows() {
        let broken = "# A\n\nSee [gone](gone.md).\n";
        let dir = book(&[
            ("a.md", broken),
            ("b.md", B),
            ("runsheet.toml", "baseline = \"runsheet-baseline.json\"\n"),
        ]);
        let mut known = Incremental::open(dir.path(), &LoadOptions::default(), false)
            .unwrap()
            .findings("a.md");
        for d in &mut known {
            d.source_line = broken.lines().nth(d.line - 1).map(Arc::from);
        }
        Baseline::of(&known)
            .write(&dir.path().join("runsheet-baseline.json"))
            .unwrap();
        let mut book = open(&dir);
        assert!(book.findings("a.md").is_empty());
        let up = book
            .update("a.md", "# A\n\nSee [gone](gone.md) and [more](more.md).\n")
            .unwrap();
        assert_eq!(up.changed, ["a.md"]);
        assert_eq!(
            shown(&book.findings("a.md")),
            ["a.md:3:25 broken-link link target `more.md` does not exist"]
        );
        // Without it, every finding.
        let all = Incremental::open(dir.path(), &LoadOptions::default(), false).unwrap();
        assert_eq!(all.findings("a.md").len(), 1);
    }

    #[test]
    fn a_file_that_is_not_a_chapter_is_not_updated() {
        let dir = book(&[("a.md", A), ("b.md", B), ("img.png", "")]);
        let mut book = open(&dir);
        assert!(book.update("img.png", "x").is_none());
        assert!(book.update("new.md", "# New\n").is_none());
    }

    #[test]
    fn typing_in_a_paragraph_changes_no_input_of_a_guide_check() {
        let dir = book(&[("a.md", A), ("b.md", B)]);
        let book = open(&dir);
        let chapter = book
            .read_chapter("b.md", Some("# B\n\n## Setup\n\nText, more text.\n"))
            .unwrap();
        let targets =
            super::super::links::targets(&book.files, &book.settings, &book.site, &chapter);
        let new = ChapterDigest::of(&chapter, &targets);
        let old = book.chapter("b.md").unwrap();
        // Only the text's fingerprint, which the checks for chapters that
        // say the same read.
        assert_eq!(inputs_changed(old, &new), Reads::TEXT);
        let chapter = book
            .read_chapter("b.md", Some("# B\n\n## Setup again\n\nText.\n"))
            .unwrap();
        let new = ChapterDigest::of(&chapter, &[]);
        assert_eq!(inputs_changed(old, &new), Reads::ANCHORS.and(Reads::TEXT));
    }

    #[test]
    fn placeholders_and_environments_are_checked_again() {
        let dir = book(&[
            ("book.toml", "[book]\ntitle = \"T\"\n"),
            ("src/SUMMARY.md", "# S\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n\nDomain: {{ ad.domain }}.\n"),
            (
                "variables.yaml",
                "ad.domain:\n  description: The domain.\n  type: domain\n",
            ),
            (
                "environments/lab.yaml",
                "values:\n  ad:\n    domain: lab.local\n",
            ),
        ]);
        let mut book = open(&dir);
        assert!(
            book.files_with_findings().is_empty(),
            "{:?}",
            book.files_with_findings()
        );
        let up = book
            .update("a.md", "# A\n\nDomain: {{ ad.domian }}.\n")
            .unwrap();
        assert_eq!(up.changed, ["../variables.yaml", "a.md"]);
        let found = shown(&book.findings("a.md"));
        assert!(
            found.iter().any(|f| f.contains("undeclared-variable")),
            "{found:?}"
        );
        book.update("a.md", "# A\n\nDomain: {{ ad.domain }}.\n");
        std::fs::write(
            dir.path().join("environments/lab.yaml"),
            "values:\n  ad:\n    domain: 1 2\n",
        )
        .unwrap();
        assert_eq!(book.environments_changed(), ["../environments/lab.yaml"]);
    }

    #[test]
    fn after_edits_the_findings_are_those_of_a_check_of_the_edited_files() {
        let dir = book(&[
            ("a.md", A),
            ("b.md", B),
            ("c.md", "# C\n\n## Prerequisites\n\n- [A](a.md)\n"),
            ("img.png", ""),
        ]);
        let mut book = open(&dir);
        let edits = [
            (
                "a.md",
                "# A\n\nSee [setup](b.md#set-up) and ![i](img.png).\n",
            ),
            (
                "b.md",
                "# B\n\n## Set up\n\n## Prerequisites\n\n- [C](c.md)\n",
            ),
            (
                "c.md",
                "# C\n\n[x](B.md)\n\n## Prerequisites\n\n- [A](a.md)\n",
            ),
            ("a.md", "# A\n\n# Two\n\nSee [setup](b.md#setup).\n"),
        ];
        for (path, text) in edits {
            book.update(path, text).unwrap();
            std::fs::write(dir.path().join(path), text).unwrap();
            let fresh = open(&dir);
            let mut files = fresh.files_with_findings();
            files.extend(book.files_with_findings());
            files.sort();
            files.dedup();
            for file in files {
                assert_eq!(
                    shown(&book.findings(&file)),
                    shown(&fresh.findings(&file)),
                    "after editing {path}"
                );
            }
        }
        let rules: std::collections::BTreeSet<&str> = book
            .files_with_findings()
            .iter()
            .flat_map(|f| book.findings(f))
            .map(|d| d.rule.as_str())
            .collect();
        assert_eq!(
            rules.into_iter().collect::<Vec<_>>(),
            [
                "broken-anchor",
                "link-case-mismatch",
                "multiple-h1",
                "unused-asset"
            ]
        );
    }
}
