//! `runsheet status` and `runsheet diff`: a runbook's progress against the
//! runbook the guide renders today.

use anyhow::Result;
use runsheet::env::{self as environment, Environment};
use runsheet::progress::{self, Progress};
use runsheet::render::{self, context::Context};
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

/// A progress file, or its problem printed (exit 2).
pub fn load_progress(path: &Path) -> Result<Progress, u8> {
    progress::read::load(path, &path.to_string_lossy()).map_err(|e| {
        eprintln!("error: {e}");
        2
    })
}

/// The environment the progress is for: `--env`, else the file's own.
pub fn environment_of(flag: Option<&str>, progress: &Progress, shown: &Path) -> Result<String, u8> {
    match (flag, progress.environment.as_deref()) {
        (Some(f), Some(p)) if f != p => {
            eprintln!(
                "error: {}: the progress is for environment `{p}`, not `{f}`",
                shown.display()
            );
            Err(2)
        }
        (Some(f), _) => Ok(f.to_string()),
        (None, Some(p)) => Ok(p.to_string()),
        (None, None) => {
            eprintln!(
                "error: {}: the file does not name its environment: give --env NAME",
                shown.display()
            );
            Err(2)
        }
    }
}

/// The runbook `render` would write today for `name`.
fn context(book: &Path, name: &str) -> Result<Result<Context, u8>> {
    let guide = runsheet::load(book, &runsheet::LoadOptions::default())?;
    let root = guide.book.root.clone();
    let env: Environment = match environment::load(&root, name, &[]) {
        Ok(env) => env,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Err(2));
        }
    };
    Ok(
        render::context_for(&guide, &env, &root.join("out")).map_err(|problems| {
            for p in &problems {
                eprintln!("error: {p}");
            }
            2
        }),
    )
}

pub fn status(args: StatusArgs) -> Result<u8> {
    let files = if args.progress.is_empty() {
        match &args.about.env {
            Some(env) => vec![args.about.book.join("out").join(env).join("progress.json")],
            None => {
                eprintln!(
                    "error: give a PROGRESS file, or --env NAME to read out/NAME/progress.json"
                );
                return Ok(2);
            }
        }
    } else {
        args.progress.clone()
    };
    let mut all = Vec::new();
    for file in &files {
        let p = match load_progress(file) {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
        let name = match environment_of(args.about.env.as_deref(), &p, file) {
            Ok(n) => n,
            Err(code) => return Ok(code),
        };
        let ctx = match context(&args.about.book, &name)? {
            Ok(c) => c,
            Err(code) => return Ok(code),
        };
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

pub fn diff(args: DiffArgs) -> Result<u8> {
    let p = match load_progress(&args.progress) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let name = match environment_of(args.about.env.as_deref(), &p, &args.progress) {
        Ok(n) => n,
        Err(code) => return Ok(code),
    };
    let ctx = match context(&args.about.book, &name)? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let d = progress::diff::diff(&p, &ctx);
    let mut out = std::io::stdout().lock();
    match args.about.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?,
        Format::Human => write!(out, "{}", d.to_text())?,
    }
    Ok(u8::from(d.ticked_changed()))
}
