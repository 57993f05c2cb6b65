//! Where a runbook stands: progress read back from a `progress.json`, a
//! ticked `runbook.md` or a filled `runbook.csv` ([`read`]), compared with
//! the runbook the guide renders today: done and remaining per chapter
//! ([`status`]), steps added, removed and changed after they were ticked
//! ([`diff`]), and the ticks to carry over into a new render ([`kept`]).
//!
//! A progress file lists every step of the runbook it came from, each with
//! its id, the hash of its text, the text itself (so that a changed step
//! can be shown as a word diff) and, once ticked, who did it, when, with
//! what result and, for a run, its counts.

pub mod diff;
pub mod keep;
pub mod read;
pub mod status;

pub use keep::kept;

use crate::render::context::Context;
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
    /// A run's adds, updates, deletes and errors, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    #[serde(default)]
    pub adds: u64,
    #[serde(default)]
    pub updates: u64,
    #[serde(default)]
    pub deletes: u64,
    #[serde(default)]
    pub errors: u64,
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

    /// The environment the progress is for: `given` (`--env`) when the
    /// file names none or the same, else the file's own. A file that names
    /// another, or none when none is given, is a problem at `shown`.
    pub fn environment_for(&self, given: Option<&str>, shown: &str) -> Result<String, Located> {
        match (given, self.environment.as_deref()) {
            (Some(g), Some(own)) if g != own => Err(Located::file(
                shown,
                format!("the progress is for environment `{own}`, not `{g}`"),
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

/// The progress file `runbook.html` exports for environment `env` of the
/// book at `book`, where `status` looks when given none:
/// `BOOK/out/ENV/progress.json`.
pub fn default_file(book: &Path, env: &str) -> PathBuf {
    book.join("out").join(env).join("progress.json")
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
