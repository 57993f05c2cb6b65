//! Where a runbook stands: progress read back from a `progress.json`, a
//! ticked `runbook.md` or a filled `runbook.csv` ([`read`]), laid onto the
//! runbook the guide renders today ([`align`]: by content, not by
//! position), and compared with it: done and remaining per chapter
//! ([`status`]), steps added, removed and changed after they were ticked
//! ([`diff`]), and the ticks, records and sign-offs to carry over into a
//! new render ([`kept`]).
//!
//! A progress file lists every step of the runbook it came from, each with
//! its id, the hash of its text, the text itself (so that a changed step
//! can be shown as a word diff) and, once ticked, who did it, when, with
//! what result; the runs of the run cycle (`run-cycle.N`) with their
//! result and counts; and the chapters' sign-offs.
//!
//! An environment's progress lives beside the book, where no render
//! writes: `progress/ENV.json` (or `.md`, `.csv`), [`default_file`].

pub mod align;
pub mod diff;
pub mod keep;
pub mod read;
pub mod status;

pub use keep::kept;

use crate::render::context::{Context, RunCounts};
use crate::text::Located;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `format` of a `progress.json`.
pub const FORMAT: &str = "runsheet-progress/1";

/// One runbook's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub format: String,
    /// The environment, when the file says (`runbook.csv` does not).
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub steps: Vec<StepProgress>,
    /// The chapters' sign-offs, by chapter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signoffs: Vec<SignOff>,
    /// Whether the steps' `text` is their Markdown on one line (read from a
    /// `runbook.md`) rather than their plain text.
    #[serde(skip)]
    pub text_is_markdown: bool,
}

/// One step as the progress saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    pub id: String,
    /// [`crate::render::ids::step_hash`] of its text when the runbook was
    /// rendered.
    #[serde(default)]
    pub hash: String,
    /// Its text on one line, when the file has it.
    #[serde(default)]
    pub text: String,
    /// Ticked.
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub done_by: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub result: String,
    /// A run's adds, updates, deletes and errors, those recorded (a count
    /// left blank is not 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<RunCounts>,
}

/// A chapter's sign-off: who signed it, when, with what result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// The chapter's slug (the first part of its step ids; `run-cycle`
    /// for a run cycle of its own).
    pub chapter: String,
    #[serde(default)]
    pub done_by: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub result: String,
}

impl SignOff {
    /// Whether nothing is filled in.
    pub fn is_blank(&self) -> bool {
        self.done_by.is_empty() && self.date.is_empty() && self.result.is_empty()
    }
}

impl Progress {
    /// The step with this id, if the progress has it.
    pub fn step(&self, id: &str) -> Option<&StepProgress> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// By id, every step of the progress.
    pub fn by_id(&self) -> BTreeMap<&str, &StepProgress> {
        self.steps.iter().map(|s| (s.id.as_str(), s)).collect()
    }

    /// The sign-off of chapter `slug`, if the progress has one filled in.
    pub fn signoff(&self, slug: &str) -> Option<&SignOff> {
        self.signoffs
            .iter()
            .rev()
            .find(|s| s.chapter == slug && !s.is_blank())
    }

    /// The recorded run `id` (`run-cycle.N`): its result and counts, if
    /// either is filled in.
    pub fn run(&self, id: &str) -> Option<&StepProgress> {
        self.step(id)
            .filter(|s| !s.result.is_empty() || s.counts.as_ref().is_some_and(|c| !c.is_blank()))
    }

    /// The environment the progress is for: `given` (`--env`) when the
    /// file names none or the same, else the file's own. A file that names
    /// another, or none when none is given, is a problem at `shown`.
    pub fn environment_for(&self, given: Option<&str>, shown: &str) -> Result<String, Located> {
        match (given, self.environment.as_deref()) {
            (Some(g), Some(own)) if g != own => Err(Located::file(
                shown,
                format!(
                    "the progress is for environment `{}`, not `{}`",
                    crate::text::escape::shown(own),
                    crate::text::escape::shown(g)
                ),
            )),
            (Some(g), _) => Ok(g.to_string()),
            (None, Some(own)) => Ok(own.to_string()),
            (None, None) if self.text_is_markdown => Err(Located::file(
                shown,
                format!(
                    "no environment row (`{}`, which the built-in runbook.md.j2 writes with `md_environment_row`) names the runbook's environment: give --env NAME, or read the progress from progress.json (exported from runbook.html), which names it",
                    crate::render::runbook_md::environment_row("NAME")
                ),
            )),
            (None, None) => Err(Located::file(
                shown,
                "the file does not name its environment: give --env NAME",
            )),
        }
    }
}

/// The folder beside the book where an environment's progress lives,
/// which no render writes into.
pub const DIR: &str = "progress";

/// The extensions a progress file may have, in the order [`default_file`]
/// looks for them.
pub const EXTENSIONS: [&str; 3] = ["json", "md", "csv"];

/// The progress of environment `env` of the book whose root is `root`,
/// where `status`, `diff` and `render --keep-progress` look when given
/// none: `ROOT/progress/ENV.json`, `.md` or `.csv`, whichever exists.
/// `Ok(None)` when none does; a problem when more than one does.
pub fn default_file(root: &Path, env: &str) -> Result<Option<PathBuf>, Located> {
    let dir = folder(root);
    // Held inside the book: progress/ or a file of it that links out is
    // refused, not read. Anything there is found, so that what is not a
    // file is named rather than passed over.
    let book = crate::text::inside::Root::new(root);
    let mut found: Vec<PathBuf> = Vec::new();
    for ext in EXTENSIONS {
        let name = format!("{env}.{ext}");
        book.resolve(Path::new(DIR).join(&name))?;
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok() {
            found.push(path);
        }
    }
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [first, ..] => Err(Located::file(
            first.display().to_string(),
            format!(
                "environment `{env}` has {} progress files ({}): keep one, or give the one to read",
                found.len(),
                found
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The progress folder of the book whose root is `root`: `progress/` in
/// it (as the current folder names it, without `./`).
pub fn folder(root: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        PathBuf::from(DIR)
    } else {
        root.join(DIR)
    }
}

/// Where a new progress of environment `env` of the book whose root is
/// `root` goes: `progress/ENV.json`.
pub fn default_name(root: &Path, env: &str) -> PathBuf {
    folder(root).join(format!("{env}.json"))
}

/// Why the runbook a progress is compared with cannot be worked out.
#[derive(Debug, thiserror::Error)]
pub enum TodayError {
    /// The book cannot be read.
    #[error(transparent)]
    Book(#[from] crate::book::LoadError),
    /// The environment does not load.
    #[error("{0}")]
    Environment(Located),
    /// The runbook does not render (each problem printed on its own).
    #[error("{} problem(s) in the runbook", .0.len())]
    Render(Vec<Located>),
}

/// The runbook `render` would write today for environment `env` of the
/// book at `book` (into `out/ENV/` in its root): what a progress is
/// compared with.
pub fn runbook_today(book: &Path, env: &str) -> Result<Context, TodayError> {
    let guide = crate::book::load(book, &crate::book::LoadOptions::default())?;
    let root = &guide.book.root;
    let environment = crate::env::load(root, env, &[]).map_err(TodayError::Environment)?;
    crate::render::context_for(&guide, &environment, &root.join("out")).map_err(TodayError::Render)
}

/// Every step's Markdown on one line (its lines trimmed, joined by a
/// space), by id: what a `runbook.md` shows of it.
pub fn markdown_lines(ctx: &Context) -> BTreeMap<&str, String> {
    let one_line = crate::render::runbook_md::one_line;
    let mut out = BTreeMap::new();
    for c in &ctx.chapters {
        for b in &c.blocks {
            for s in &b.steps {
                out.insert(s.id.as_str(), one_line(&s.markdown));
            }
            for s in &b.profile_steps {
                out.insert(s.id.as_str(), one_line(&s.markdown));
            }
        }
    }
    for s in &ctx.run_cycle {
        out.insert(s.id.as_str(), one_line(&s.markdown));
    }
    out
}
