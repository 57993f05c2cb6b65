//! `render --keep-progress`: the ticks and sign-offs of earlier progress
//! carried into the runbook rendered now. Unchanged steps stay ticked;
//! changed ones (another hash) are unticked and marked.

use super::Progress;
use crate::env::Environment;
use crate::model::Guide;
use crate::render::Kept;
use crate::render::context::{Context, KeptStep};
use crate::text::Located;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The ticked steps of `progress` that are in `ctx`'s runbook, for
/// `render --keep-progress`: unchanged ones stay ticked with their
/// sign-off, changed ones (another hash) are marked.
pub fn kept(progress: &Progress, ctx: &Context) -> BTreeMap<String, KeptStep> {
    let ticked = progress.by_id();
    ctx.steps
        .iter()
        .filter_map(|s| {
            let p = ticked.get(s.id.as_str()).filter(|p| p.done)?;
            Some((
                s.id.clone(),
                KeptStep {
                    changed: !p.hash.is_empty() && p.hash != s.hash,
                    done_by: p.done_by.clone(),
                    date: p.date.clone(),
                    result: p.result.clone(),
                },
            ))
        })
        .collect()
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

/// The steps each progress in `files` carries into its environment's
/// runbook, for a render of `environments` into `out`. A file that does
/// not name its environment is for `given` (the one `--env`, when only one
/// is given).
pub fn carried_over(
    guide: &Guide,
    environments: &[Environment],
    out: &Path,
    files: &[PathBuf],
    given: Option<&str>,
) -> Result<Kept, KeepError> {
    let mut all = Kept::new();
    for file in files {
        let shown = file.to_string_lossy();
        let progress = super::read::load(file, &shown).map_err(KeepError::Progress)?;
        let name = progress
            .environment_for(given, &shown)
            .map_err(KeepError::Progress)?;
        let Some(env) = environments.iter().find(|e| e.name == name) else {
            return Err(KeepError::Progress(Located::file(
                shown,
                format!("environment `{name}` is not rendered"),
            )));
        };
        let ctx = crate::render::context_for(guide, env, out).map_err(KeepError::Render)?;
        all.insert(name, kept(&progress, &ctx));
    }
    Ok(all)
}
