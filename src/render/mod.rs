//! `runsheet render`: per-environment runbooks and run-profile manifests
//! from one guide.
//!
//! For each environment the chapters on its path are filled in with its
//! values ([`fill`]), a [`context::Context`] is built ([`runbook`],
//! [`agents`]), and every template renders into `OUT/ENV/`. Everything is rendered in memory
//! first; any problem in any environment fails the whole run before a file
//! is written, and files are replaced atomically.

pub mod agents;
pub mod blocks;
pub mod context;
pub mod fill;
pub mod html;
pub mod ids;
pub mod lock;
pub mod runbook;
pub mod runbook_md;
pub mod select;
pub mod templates;
pub mod write;

pub use select::{book_environments, default_out, environments};
pub use write::{Difference, OutputError, WriteReport, check_out_dir, compare, stale, write};

use crate::env::Environment;
use crate::model::Guide;
use crate::text::Located;
use crate::yaml;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use templates::Templates;

/// A problem at the place an environment value came from.
pub fn problem_at(shown_root: &str, origin: &yaml::Origin, message: String) -> Located {
    match &origin.source {
        yaml::Source::File(f) => Located::new(
            format!("{shown_root}{f}"),
            origin.line,
            origin.column,
            message,
        ),
        yaml::Source::CommandLine(arg) => Located::file(format!("--set {arg}"), message),
    }
}

/// One rendered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub environment: String,
    /// The file's name (`runbook.md`).
    pub name: String,
    /// `OUT/ENV/NAME`.
    pub path: PathBuf,
    pub contents: String,
}

/// How a book's root is shown in messages: empty for the current folder,
/// else the path with a trailing `/`.
pub fn shown_root(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./");
    if s.is_empty() || s == "." {
        String::new()
    } else if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}

/// How a render writes its files.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Whether a `.csv` file starts with a UTF-8 byte order mark (so that
    /// Excel reads it as UTF-8). On by default.
    pub csv_bom: bool,
    /// Whether `runbook.html` loads no image from elsewhere: a
    /// Content-Security-Policy that allows images of its own folder and
    /// `data:` only, and each web image shown as a link to it. Off by
    /// default: a chapter's web images show, as on the book's site (and
    /// whoever serves them sees the runbook opened).
    pub no_remote: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            csv_bom: true,
            no_remote: false,
        }
    }
}

/// The UTF-8 byte order mark.
pub const BOM: char = '\u{feff}';

/// What earlier progress carries over, by environment.
pub type Kept = BTreeMap<String, context::KeptProgress>;

/// Render every template for every environment, in memory. Problems from
/// all environments are returned together, sorted.
pub fn render(
    guide: &Guide,
    environments: &[Environment],
    templates: &Templates,
    out_dir: &Path,
    options: &RenderOptions,
) -> Result<Vec<RenderedFile>, Vec<Located>> {
    render_keeping(
        guide,
        environments,
        templates,
        out_dir,
        options,
        &Kept::new(),
    )
}

/// [`render`], with the ticks of earlier progress carried over
/// (`render --keep-progress`).
pub fn render_keeping(
    guide: &Guide,
    environments: &[Environment],
    templates: &Templates,
    out_dir: &Path,
    options: &RenderOptions,
    kept: &Kept,
) -> Result<Vec<RenderedFile>, Vec<Located>> {
    let results: Vec<Result<Vec<RenderedFile>, Vec<Located>>> = environments
        .par_iter()
        .map(|env| {
            let kept = kept.get(&env.name).cloned().unwrap_or_default();
            render_one(guide, env, templates, out_dir, options, kept)
        })
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(mut f) => files.append(&mut f),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

/// One environment's context, as `render` builds it for `OUT/ENV/`.
pub fn context_for(
    guide: &Guide,
    env: &Environment,
    out_dir: &Path,
) -> Result<context::Context, Vec<Located>> {
    let dir = out_dir.join(&env.name);
    let to_root = crate::text::paths::between_folders(&dir, &guide.book.root);
    runbook::build(guide, env, &to_root, &shown_root(&guide.book.root))
}

/// The prerequisite graph of `guide` with `env`'s path highlighted and
/// each chapter's title filled in with `env`'s values: what
/// `runsheet graph --env` draws, and (its path only) what a runbook shows.
pub fn prerequisite_graph(guide: &Guide, env: &Environment) -> crate::graph::Graph {
    let mut graph =
        crate::graph::Graph::of(guide, |c| env.follows(c)).without_links_between(|a, b| {
            env.declarations
                .as_ref()
                .is_some_and(|d| d.are_alternatives(a, b))
        });
    for node in &mut graph.nodes {
        node.title = fill::fill_plain(&node.title, env);
    }
    graph
}

/// Whether an environment's render writes the output `name`: the book's
/// `outputs` when it lists them, else every output, less those about
/// Microsoft Identity Manager for a runbook that is not about it (`mim`).
fn wanted(env: &Environment, mim: bool, name: &str) -> bool {
    use crate::env::variables::MIM_OUTPUTS;
    match env.declarations.as_ref().and_then(|d| d.outputs.as_ref()) {
        Some(listed) => listed.names.iter().any(|(n, _)| n == name),
        None => mim || !MIM_OUTPUTS.contains(&name),
    }
}

fn render_one(
    guide: &Guide,
    env: &Environment,
    templates: &Templates,
    out_dir: &Path,
    options: &RenderOptions,
    kept: context::KeptProgress,
) -> Result<Vec<RenderedFile>, Vec<Located>> {
    let dir = out_dir.join(&env.name);
    let mut ctx = context_for(guide, env, out_dir)?;
    ctx.kept = kept.steps;
    ctx.runs = kept.runs;
    ctx.signoffs = kept.signoffs;
    ctx.chapters_done = kept.chapters_done;
    let value = minijinja::Value::from_serialize(&ctx);
    // A template may take work and memory in proportion to the book it
    // renders.
    let book_bytes: usize = guide.chapters.iter().map(|c| c.source.len()).sum();
    let budget = templates::Budget::for_book(book_bytes);
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for t in templates
        .outputs
        .iter()
        .filter(|t| wanted(env, ctx.mim, Templates::output_name(t)))
    {
        match templates.render(t, &value, &env.name, budget) {
            Ok(mut contents) => {
                let name = Templates::output_name(t).to_string();
                if options.csv_bom && name.ends_with(".csv") && !contents.starts_with(BOM) {
                    contents.insert(0, BOM);
                }
                if options.no_remote && name == "runbook.html" {
                    contents = html::without_remote_images(&contents);
                }
                files.push(RenderedFile {
                    environment: env.name.clone(),
                    path: dir.join(&name),
                    name,
                    contents,
                });
            }
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_outputs_are_the_default_templates() {
        let defaults: Vec<&str> = templates::DEFAULTS
            .iter()
            .map(|(n, _)| Templates::output_name(n))
            .collect();
        assert_eq!(defaults, crate::env::variables::BUILT_IN_OUTPUTS);
    }

    #[test]
    fn shown_roots_end_in_a_slash_or_are_empty() {
        assert_eq!(shown_root(Path::new(".")), "");
        assert_eq!(shown_root(Path::new("./book")), "book/");
        assert_eq!(shown_root(Path::new("a/b/")), "a/b/");
    }
}
