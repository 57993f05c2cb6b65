//! `runsheet status` and `runsheet diff`: a runbook's progress against the
//! runbook the guide renders today.

use crate::Stop;
use anyhow::Result;
use runsheet::progress::{self, Progress, TodayError};
use runsheet::render::context::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// What `status` and `diff` share: the environment, the book, the format.
#[derive(clap::Args)]
pub struct About {
    /// The environment; default: the one the progress file names
    #[arg(long = "env", value_name = "NAME")]
    env: Option<String>,
    /// The book (a folder with book.toml and environments/)
    #[arg(long, value_name = "DIR", default_value = ".")]
    book: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(clap::Args)]
pub struct StatusArgs {
    /// Progress: a progress.json exported from runbook.html, a ticked
    /// runbook.md or a filled runbook.csv. Default: progress/ENV.json (or
    /// .md, .csv) beside the book, of --env or of every environment that
    /// has one
    #[arg(value_name = "PROGRESS")]
    progress: Vec<PathBuf>,
    /// Exit 1 when a result is not success, a ticked step changed since,
    /// or a chapter is signed off before all its steps are done (for CI)
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    about: About,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The progress to compare: a progress.json, a ticked runbook.md or a
    /// filled runbook.csv. Default: progress/ENV.json (or .md, .csv)
    /// beside the book, of --env or of every environment that has one
    #[arg(value_name = "PROGRESS")]
    progress: Vec<PathBuf>,
    #[command(flatten)]
    about: About,
}

pub fn status(args: StatusArgs) -> Result<u8> {
    crate::finish(status_of(&args))
}

pub fn diff(args: DiffArgs) -> Result<u8> {
    crate::finish(diff_of(&args))
}

/// `runsheet status`, step by step.
fn status_of(args: &StatusArgs) -> Result<u8, Stop> {
    let files = files(&args.progress, &args.about)?;
    let mut all = Vec::new();
    for (file, env) in &files {
        let (p, ctx) = progress_and_runbook(file, env.as_deref(), &args.about)?;
        all.push(progress::status::status(&p, &ctx));
    }
    let mut out = std::io::stdout().lock();
    match args.about.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?,
        Format::Human => {
            for s in &all {
                write!(out, "{}", s.to_text())?;
            }
        }
    }
    Ok(u8::from(args.check && all.iter().any(|s| s.check_fails())))
}

/// `runsheet diff`, step by step.
fn diff_of(args: &DiffArgs) -> Result<u8, Stop> {
    let files = files(&args.progress, &args.about)?;
    let mut all = Vec::new();
    for (file, env) in &files {
        let (p, ctx) = progress_and_runbook(file, env.as_deref(), &args.about)?;
        all.push(progress::diff::diff(&p, &ctx));
    }
    let mut out = std::io::stdout().lock();
    match args.about.format {
        Format::Json => match all.as_slice() {
            [one] => writeln!(out, "{}", serde_json::to_string_pretty(one)?)?,
            all => writeln!(out, "{}", serde_json::to_string_pretty(all)?)?,
        },
        Format::Human => {
            for d in &all {
                write!(out, "{}", d.to_text())?;
            }
        }
    }
    Ok(u8::from(all.iter().any(|d| d.ticked_changed())))
}

/// The progress files to read, each with the environment it is for when
/// the file may not say: those given (for --env), or the default progress
/// beside the book of --env, or of every environment that has one.
fn files(given: &[PathBuf], about: &About) -> Result<Vec<(PathBuf, Option<String>)>, Stop> {
    if !given.is_empty() {
        return Ok(given
            .iter()
            .map(|f| (f.clone(), about.env.clone()))
            .collect());
    }
    let root = runsheet::book::guide_root(&about.book);
    let names = match &about.env {
        Some(env) => vec![env.clone()],
        None => runsheet::env::names(&root).map_err(|e| Stop::printing(&[e], 2))?,
    };
    let mut files = Vec::new();
    for name in &names {
        if let Some(file) =
            progress::default_file(&root, name).map_err(|e| Stop::printing(&[e], 2))?
        {
            files.push((file, Some(name.clone())));
        }
    }
    if files.is_empty() {
        let which = progress::default_name(&root, about.env.as_deref().unwrap_or("ENV"));
        eprintln!(
            "error: no progress to read: {} (or .md, .csv) beside the book does not exist; save the progress exported from runbook.html there, or give a PROGRESS file",
            which.display()
        );
        return Err(Stop::Printed(2));
    }
    Ok(files)
}

/// The progress in `file` and the runbook the guide renders today for its
/// environment.
fn progress_and_runbook(
    file: &Path,
    env: Option<&str>,
    about: &About,
) -> Result<(Progress, Context), Stop> {
    let shown = file.to_string_lossy();
    let p = progress::read::load(file, &shown).map_err(|e| Stop::printing(&[e], 2))?;
    let name = p
        .environment_for(env, &shown)
        .map_err(|e| Stop::printing(&[e], 2))?;
    let ctx = progress::runbook_today(&about.book, &name).map_err(|e| match e {
        TodayError::Book(e) => Stop::Error(e.into()),
        TodayError::Environment(e) => Stop::printing(&[e], 2),
        TodayError::Render(problems) => Stop::printing(&problems, 2),
    })?;
    Ok((p, ctx))
}
