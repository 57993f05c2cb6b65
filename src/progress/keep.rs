//! `render --keep-progress`: what earlier progress carries into the
//! runbook rendered now, laid onto it by content ([`super::align`]).
//! Unchanged steps stay ticked with who did them, when and with what
//! result; changed ones (another hash) are unticked and marked; each
//! recorded run keeps its result and counts; a chapter's sign-off is
//! carried only when every step of the chapter is done.

use super::Progress;
use super::align::align;
use super::status::chapters;
use crate::env::Environment;
use crate::model::Guide;
use crate::render::Kept;
use crate::render::context::{Context, KeptProgress, KeptRun, KeptSignOff, KeptStep};
use crate::text::Located;
use std::path::{Path, PathBuf};

/// What `progress` carries into `ctx`'s runbook, and a note of each
/// sign-off it does not carry (its chapter is not done).
pub fn kept(progress: &Progress, ctx: &Context) -> (KeptProgress, Vec<String>) {
    let alignment = align(progress, ctx);
    let mut kept = KeptProgress::default();
    for (i, s) in ctx.steps.iter().enumerate() {
        let Some(laid) = alignment.of(i) else {
            continue;
        };
        let Some(p) = progress.steps.get(laid.progress).filter(|p| p.done) else {
            continue;
        };
        kept.steps.insert(
            s.id.clone(),
            KeptStep {
                changed: !laid.same,
                done_by: p.done_by.clone(),
                date: p.date.clone(),
                result: p.result.clone(),
            },
        );
    }
    for r in &ctx.run_cycle {
        if let Some(p) = progress.run(&r.id) {
            kept.runs.insert(
                r.id.clone(),
                KeptRun {
                    result: p.result.clone(),
                    counts: p.counts.clone().unwrap_or_default(),
                },
            );
        }
    }
    let mut notes = Vec::new();
    for c in chapters(progress, ctx, &alignment) {
        kept.chapters_done.insert(c.slug.clone(), c.is_done());
        match (c.counted_sign_off(), &c.sign_off) {
            (Some(s), _) => {
                kept.signoffs.insert(
                    c.slug.clone(),
                    KeptSignOff {
                        done_by: s.done_by.clone(),
                        date: s.date.clone(),
                        result: s.result.clone(),
                    },
                );
            }
            (None, Some(_)) => notes.push(format!(
                "the sign-off of chapter `{}` ({}) is not carried over: {} of its {} steps are done",
                c.slug, c.title, c.done, c.total
            )),
            (None, None) => {}
        }
    }
    (kept, notes)
}

/// Why earlier progress cannot be carried over.
#[derive(Debug, thiserror::Error)]
pub enum KeepError {
    /// A progress file cannot be read, does not say which environment it
    /// is for, or is for one this render does not render.
    #[error("{0}")]
    Progress(Located),
    /// The runbook the progress is laid onto does not render (each
    /// problem printed on its own).
    #[error("{} problem(s) in the runbook", .0.len())]
    Render(Vec<Located>),
}

/// A progress file to carry over, and the environment it is for when the
/// file may not say (the one `--env`, or the environment whose default
/// progress it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressSource {
    pub file: PathBuf,
    pub environment: Option<String>,
}

/// The default progress ([`super::default_file`]) of each environment
/// of the book at `root` among `environments` that has one.
pub fn default_sources(
    root: &Path,
    environments: &[Environment],
) -> Result<Vec<ProgressSource>, Located> {
    let mut sources = Vec::new();
    for env in environments {
        if let Some(file) = super::default_file(root, &env.name)? {
            sources.push(ProgressSource {
                file,
                environment: Some(env.name.clone()),
            });
        }
    }
    Ok(sources)
}

/// What each progress in `sources` carries into its environment's
/// runbook, for a render of `environments` into `out`, and the notes of
/// what it does not carry (each at its file). Several files for one
/// environment are each laid onto its runbook; a later file's record of a
/// step, run or sign-off wins.
pub fn carried_over(
    guide: &Guide,
    environments: &[Environment],
    out: &Path,
    sources: &[ProgressSource],
) -> Result<(Kept, Vec<Located>), KeepError> {
    let mut all = Kept::new();
    let mut notes = Vec::new();
    for source in sources {
        let shown = source.file.to_string_lossy();
        let progress = super::read::load(&source.file, &shown).map_err(KeepError::Progress)?;
        let name = progress
            .environment_for(source.environment.as_deref(), &shown)
            .map_err(KeepError::Progress)?;
        let Some(env) = environments.iter().find(|e| e.name == name) else {
            return Err(KeepError::Progress(Located::file(
                shown,
                format!("environment `{name}` is not rendered"),
            )));
        };
        let ctx = crate::render::context_for(guide, env, out).map_err(KeepError::Render)?;
        let (kept, these) = kept(&progress, &ctx);
        notes.extend(these.into_iter().map(|n| Located::file(shown.as_ref(), n)));
        let into = all.entry(name).or_default();
        into.steps.extend(kept.steps);
        into.runs.extend(kept.runs);
        into.signoffs.extend(kept.signoffs);
        for (slug, done) in kept.chapters_done {
            *into.chapters_done.entry(slug).or_default() |= done;
        }
    }
    Ok((all, notes))
}
