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
    /// runbook.md or a filled runbook.csv. Default: out/ENV/progress.json
    #[arg(value_name = "PROGRESS")]
    progress: Vec<PathBuf>,
    #[command(flatten)]
    about: About,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The progress to compare: a progress.json, a ticked runbook.md or a
    /// filled runbook.csv
    #[arg(value_name = "PROGRESS")]
    progress: PathBuf,
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
    let files = match (args.progress.is_empty(), &args.about.env) {
        (false, _) => args.progress.clone(),
        (true, Some(env)) => vec![progress::default_file(&args.about.book, env)],
        (true, None) => {
            eprintln!("error: give a PROGRESS file, or --env NAME to read out/NAME/progress.json");
            return Err(Stop::Printed(2));
        }
    };
    let mut all = Vec::new();
    for file in &files {
        let (p, ctx) = progress_and_runbook(file, &args.about)?;
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
    Ok(0)
}

/// `runsheet diff`, step by step.
fn diff_of(args: &DiffArgs) -> Result<u8, Stop> {
    let (p, ctx) = progress_and_runbook(&args.progress, &args.about)?;
    let d = progress::diff::diff(&p, &ctx);
    let mut out = std::io::stdout().lock();
    match args.about.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?,
        Format::Human => write!(out, "{}", d.to_text())?,
    }
    Ok(u8::from(d.ticked_changed()))
}

/// The progress in `file` and the runbook the guide renders today for its
/// environment.
fn progress_and_runbook(file: &Path, about: &About) -> Result<(Progress, Context), Stop> {
    let shown = file.to_string_lossy();
    let p = progress::read::load(file, &shown).map_err(|e| Stop::printing(&[e], 2))?;
    let name = p
        .environment_for(about.env.as_deref(), &shown)
        .map_err(|e| Stop::printing(&[e], 2))?;
    let ctx = progress::runbook_today(&about.book, &name).map_err(|e| match e {
        TodayError::Book(e) => Stop::Error(e.into()),
        TodayError::Environment(e) => Stop::printing(&[e], 2),
        TodayError::Render(problems) => Stop::printing(&problems, 2),
    })?;
    Ok((p, ctx))
}
