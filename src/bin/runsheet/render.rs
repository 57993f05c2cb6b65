//! `runsheet render` and `runsheet schema`.

use crate::Stop;
use anyhow::Result;
use runsheet::env::{self as environment, EnvError, Environment, Set};
use runsheet::progress::keep::{self, KeepError};
use runsheet::render;
use runsheet::render::templates::{TemplateLoadError, Templates};
use runsheet::text::Located;
use runsheet::text::escape::{shown, shown_message};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The book (a folder with book.toml and environments/), a folder of
    /// Markdown files, or one file
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Render this environment (environments/NAME.yaml); repeat for more.
    /// Default: every environment
    #[arg(long = "env", value_name = "NAME")]
    envs: Vec<String>,
    /// The output folder; each environment gets OUT/NAME/. Default: out/ in
    /// the book's root
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Set a value over the environment files, last: `ad.domain=x` sets
    /// values.ad.domain, `agents.ad.name=x` an agent. Repeat for more
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Render in memory and compare with the output folder; exit 1 listing
    /// the files that differ (for CI). Writes nothing
    #[arg(long, conflicts_with = "explain")]
    check: bool,
    /// Print KEY's value in each environment and the file:line that set it
    /// (`ad.domain`, `agents.ad.name`, `values.ad`); renders nothing
    #[arg(long, value_name = "KEY")]
    explain: Option<String>,
    /// Start runbook.csv (every .csv output) with a UTF-8 byte order mark,
    /// which Excel needs to read it as UTF-8; `--csv-bom=false` leaves it
    /// off
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    csv_bom: bool,
    /// Make runbook.html load no image from elsewhere: a
    /// Content-Security-Policy allowing images of its own folder and data:
    /// only, and each web image shown as a link to it. Without it, a
    /// chapter's web images load when the runbook is opened
    #[arg(long)]
    no_remote: bool,
    /// Carry the ticks, run records and sign-offs of this progress (a
    /// progress.json, a ticked runbook.md or a filled runbook.csv) into its
    /// environment's runbook: unchanged steps stay ticked, changed ones are
    /// unticked and marked. Without PROGRESS: progress/ENV.json (or .md,
    /// .csv) beside the book, of each environment that has one. Repeat for
    /// more files
    #[arg(
        long = "keep-progress",
        value_name = "PROGRESS",
        num_args = 0..=1,
        default_missing_value = ""
    )]
    keep_progress: Vec<String>,
}

#[derive(clap::Args)]
pub struct SchemaArgs {
    /// The file format
    #[arg(value_enum)]
    what: SchemaKind,
    /// The book whose environment schema to print: with a variables.yaml,
    /// its declared values (types, patterns, descriptions) are in it
    #[arg(default_value = ".")]
    path: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SchemaKind {
    /// environments/NAME.yaml of the book at PATH
    Environment,
    /// variables.yaml, the book's declared variables
    Variables,
}

pub fn schema(args: SchemaArgs) -> Result<u8> {
    let schema = match args.what {
        SchemaKind::Environment => {
            match environment::book_json_schema(&runsheet::book::guide_root(&args.path)) {
                Ok(s) => s,
                Err(e) => return Ok(print_env_errors(&[e])),
            }
        }
        SchemaKind::Variables => environment::variables::json_schema(),
    };
    writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&schema)?
    )?;
    Ok(0)
}

fn print_env_errors(errors: &[EnvError]) -> u8 {
    for e in errors {
        eprintln!("error: {}", shown_message(&e.to_string()));
    }
    2
}

pub fn run(args: Args) -> Result<u8> {
    crate::finish(render(&args))
}

/// `runsheet render`, step by step.
fn render(args: &Args) -> Result<u8, Stop> {
    let sets = sets(&args.sets)?;
    let guide = runsheet::load(&args.path, &runsheet::LoadOptions::default())?;
    warn_of_problems(&guide);
    let root = &guide.book.root;
    let environments =
        render::environments(root, &args.envs, &sets).map_err(|e| Stop::printing(&e, 2))?;
    if let Some(key) = &args.explain {
        return Ok(explain(&environments, key)?);
    }
    let templates = templates(root)?;
    let out = render::check_out_dir(args.out.as_deref(), root, &guide.book.src_dir)
        .map_err(|e| anyhow::anyhow!("--out: {e}"))?;
    let kept = kept(&guide, &environments, &out, args)?;
    let options = render::RenderOptions {
        csv_bom: args.csv_bom,
        no_remote: args.no_remote,
    };
    let files = render::render_keeping(&guide, &environments, &templates, &out, &options, &kept)
        .map_err(|problems| failed(&problems, "problem(s)"))?;
    let book_environments = render::book_environments(root, &environments);
    let names = environments
        .iter()
        .map(|e| runsheet::text::escape::shown(&e.name).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if args.check {
        Ok(compare(&out, &files, &book_environments, &names)?)
    } else {
        write(&out, &files, &book_environments, &names)
    }
}

/// The `--set` arguments.
fn sets(args: &[String]) -> Result<Vec<Set>, Stop> {
    args.iter()
        .map(|s| Set::parse(s))
        .collect::<Result<_, _>>()
        .map_err(|e| Stop::printing(&[e], 2))
}

/// What could not be read of the guide, as warnings: the render goes on.
fn warn_of_problems(guide: &runsheet::Guide) {
    for p in &guide.problems {
        eprintln!(
            "warning: {}: {}:{}: {}",
            p.kind,
            shown_path(&Path::new(&guide.book.src).join(&p.file)),
            p.line,
            shown_message(&p.message)
        );
    }
}

/// The templates, the book's own over the defaults.
fn templates(root: &Path) -> Result<Templates, Stop> {
    Templates::load(root, &render::shown_root(root)).map_err(|e| match e {
        TemplateLoadError::Unreadable(message) => {
            eprintln!("error: {}", shown_message(&message));
            Stop::Printed(2)
        }
        TemplateLoadError::Syntax(problems) => failed(&problems, "template error(s)"),
    })
}

/// The progress `--keep-progress` carries over: the files given, and,
/// for `--keep-progress` without one, the default progress of each
/// environment rendered that has one. A file that does not name its
/// environment is for the one `--env`, when only one is given. Without
/// `--keep-progress`, a note of each default progress not carried.
fn kept(
    guide: &runsheet::Guide,
    environments: &[Environment],
    out: &Path,
    args: &Args,
) -> Result<render::Kept, Stop> {
    let root = &guide.book.root;
    let defaults =
        keep::default_sources(root, environments).map_err(|e| Stop::printing(&[e], 2))?;
    if args.keep_progress.is_empty() {
        for d in &defaults {
            eprintln!(
                "note: {} is not carried into this render: add --keep-progress to keep its ticks",
                shown_path(&d.file)
            );
        }
        return Ok(render::Kept::new());
    }
    let given = match args.envs.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let mut sources = Vec::new();
    for file in &args.keep_progress {
        if file.is_empty() {
            sources.extend(defaults.iter().cloned());
        } else {
            sources.push(keep::ProgressSource {
                file: PathBuf::from(file),
                environment: given.clone(),
            });
        }
    }
    if sources.is_empty() {
        eprintln!(
            "error: --keep-progress: no progress to keep: no environment rendered has {} (or .md, .csv) beside the book",
            runsheet::progress::default_name(root, "ENV").display()
        );
        return Err(Stop::Printed(2));
    }
    let (kept, notes) =
        keep::carried_over(guide, environments, out, &sources).map_err(|e| match e {
            KeepError::Progress(p) => Stop::printing(&[p], 2),
            KeepError::Render(problems) => Stop::printing(&problems, 1),
        })?;
    for n in &notes {
        eprintln!("warning: {}", shown_message(&n.to_string()));
    }
    Ok(kept)
}

/// A render that failed: its problems, how many, and that nothing was
/// written (exit 1).
fn failed(problems: &[Located], what: &str) -> Stop {
    for p in problems {
        eprintln!("error: {}", shown_message(&p.to_string()));
    }
    eprintln!(
        "render failed: {} {what}; nothing was written",
        problems.len()
    );
    Stop::Printed(1)
}

/// `--check`: the files that differ from what is in `out` (and their
/// diffs), and the folders of environments that no longer exist.
fn compare(
    out: &Path,
    files: &[render::RenderedFile],
    book_environments: &[String],
    names: &str,
) -> std::io::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    let differences = render::compare(out, files);
    let outputs: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let stale = render::stale(out, book_environments, &outputs);
    for file in &stale {
        writeln!(
            stdout,
            "stale: {} (its environment no longer exists)",
            shown_path(file)
        )?;
    }
    if differences.is_empty() && !stale.is_empty() {
        eprintln!(
            "{} file(s) in {} are left from environments that no longer exist; run `runsheet render` to remove them",
            stale.len(),
            shown_path(out)
        );
        return Ok(1);
    }
    if differences.is_empty() {
        eprintln!(
            "{} is up to date: {} files for {names}",
            shown_path(out),
            files.len()
        );
        return Ok(0);
    }
    for d in &differences {
        match &d.diff {
            None => writeln!(stdout, "missing: {}", shown_path(&d.path))?,
            Some(_) => writeln!(stdout, "differs: {}", shown_path(&d.path))?,
        }
    }
    for diff in differences.iter().filter_map(|d| d.diff.as_deref()) {
        print_diff(&mut stdout, diff)?;
    }
    eprintln!(
        "{} file(s) in {} differ from what the book renders; run `runsheet render --out {}` to bring them up to date",
        differences.len(),
        shown_path(out),
        shown_path(out)
    );
    Ok(1)
}

/// The most lines of one file's diff `--check` prints.
const DIFF_LINES: usize = 60;

fn print_diff(out: &mut impl Write, diff: &str) -> std::io::Result<()> {
    let lines: Vec<&str> = diff.lines().collect();
    for line in lines.iter().take(DIFF_LINES) {
        writeln!(out, "{}", shown(line))?;
    }
    if lines.len() > DIFF_LINES {
        writeln!(out, "… {} more lines of diff", lines.len() - DIFF_LINES)?;
    }
    Ok(())
}

/// Write the files into `out`, removing the folders of environments that
/// no longer exist, and say what was done.
fn write(
    out: &Path,
    files: &[render::RenderedFile],
    book_environments: &[String],
    names: &str,
) -> Result<u8, Stop> {
    let report = render::write(out, files, book_environments)
        .map_err(|e| anyhow::anyhow!("cannot write the output: {e}; nothing was changed"))?;
    if let Some(r) = &report.recovered_lock {
        eprintln!(
            "recovered {}: the render that held it{} stopped before it finished",
            shown_path(&r.lock),
            r.pid
                .map_or(String::new(), |pid| format!(" (process {pid}, gone)"))
        );
    }
    if !report.leftovers.is_empty() {
        eprintln!(
            "removed {} file(s) a stopped render left staged: {}",
            report.leftovers.len(),
            (report.leftovers.iter())
                .map(|f| shown_path(f))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    eprintln!(
        "rendered {names} into {}: {} files, {} written, {} unchanged",
        shown_path(out),
        files.len(),
        report.written.len(),
        report.unchanged.len()
    );
    for file in &report.removed {
        eprintln!(
            "removed {}: written by an earlier render, its environment or template no longer exists",
            shown_path(file)
        );
    }
    for file in &report.left {
        eprintln!(
            "left {} where it is: its environment or template no longer exists, but it was changed since it was written, so it is yours now",
            shown_path(file)
        );
    }
    Ok(0)
}

fn explain(environments: &[Environment], key: &str) -> std::io::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    let mut code = 0;
    for env in environments {
        writeln!(stdout, "# {} ({})", env.name, env.layers.join(" ← "))?;
        let plain = key.strip_prefix("values.").unwrap_or(key);
        if env.is_secret(plain) {
            writeln!(
                stdout,
                "values.{plain} is a secret: runsheet never prints it; the runbook asks for it"
            )?;
            continue;
        }
        match env.explain(key) {
            Some(explanation) => write!(stdout, "{explanation}")?,
            None => {
                code = 1;
                let full = environment::document_path(key).join(".");
                writeln!(stdout, "{full} is not set")?;
            }
        }
    }
    Ok(code)
}

/// A path as a terminal shows it: its names come from the book's files.
fn shown_path(path: &Path) -> String {
    shown(&path.display().to_string()).to_string()
}
