//! `runsheet render` and `runsheet schema`.

use anyhow::Result;
use runsheet::env::{self as environment, EnvError, Environment, Set};
use runsheet::render::templates::{TemplateLoadError, Templates};
use runsheet::render::{self, Problem};
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
    /// Carry the ticks and sign-offs of this progress (a progress.json, a
    /// ticked runbook.md or a filled runbook.csv) into its environment's
    /// runbook: unchanged steps stay ticked, changed ones are unticked and
    /// marked. Repeat for more environments
    #[arg(long = "keep-progress", value_name = "PROGRESS")]
    keep_progress: Vec<PathBuf>,
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
        eprintln!("error: {e}");
    }
    2
}

fn print_problems(problems: &[Problem]) {
    for p in problems {
        eprintln!("error: {p}");
    }
}

pub fn run(args: Args) -> Result<u8> {
    let sets: Vec<Set> = match args.sets.iter().map(|s| Set::parse(s)).collect() {
        Ok(sets) => sets,
        Err(e) => return Ok(print_env_errors(&[e])),
    };
    let guide = runsheet::load(&args.path, &runsheet::LoadOptions::default())?;
    let root = guide.book.root.clone();
    for p in &guide.problems {
        eprintln!(
            "warning: {}: {}:{}: {}",
            p.kind,
            Path::new(&guide.book.src).join(&p.file).display(),
            p.line,
            p.message
        );
    }

    let names = if args.envs.is_empty() {
        match environment::names(&root) {
            Ok(names) if names.is_empty() => {
                eprintln!(
                    "error: {}: no environments: add one NAME.yaml per environment (`runsheet schema environment` prints the format)",
                    Path::new(&render::shown_root(&root))
                        .join(environment::DIR)
                        .display()
                );
                return Ok(2);
            }
            Ok(names) => names,
            Err(e) => return Ok(print_env_errors(&[e])),
        }
    } else {
        let mut names = args.envs.clone();
        names.dedup();
        names
    };
    let mut environments: Vec<Environment> = Vec::new();
    let mut errors = Vec::new();
    for name in &names {
        match environment::load(&root, name, &sets) {
            Ok(env) => environments.push(env),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Ok(print_env_errors(&errors));
    }

    if let Some(key) = &args.explain {
        return Ok(explain(&environments, key)?);
    }

    let shown = render::shown_root(&root);
    let templates = match Templates::load(&root, &shown) {
        Ok(t) => t,
        Err(TemplateLoadError::Unreadable(message)) => {
            eprintln!("error: {message}");
            return Ok(2);
        }
        Err(TemplateLoadError::Syntax(problems)) => {
            print_problems(&problems);
            eprintln!(
                "render failed: {} template error(s); nothing was written",
                problems.len()
            );
            return Ok(1);
        }
    };
    let out = args.out.clone().unwrap_or_else(|| {
        if root == Path::new(".") {
            PathBuf::from("out")
        } else {
            root.join("out")
        }
    });
    if !args.check {
        render::check_out_dir(&out, &guide.book.root, &guide.book.src_dir)
            .map_err(|e| anyhow::anyhow!("--out: {e}"))?;
    }
    let options = render::Options {
        csv_bom: args.csv_bom,
    };
    let mut kept = render::Kept::new();
    for file in &args.keep_progress {
        let p = match crate::progress::load_progress(file) {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
        let flag = match args.envs.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        };
        let name = match crate::progress::environment_of(flag, &p, file) {
            Ok(n) => n,
            Err(code) => return Ok(code),
        };
        let Some(env) = environments.iter().find(|e| e.name == name) else {
            eprintln!(
                "error: {}: environment `{name}` is not rendered",
                file.display()
            );
            return Ok(2);
        };
        match render::context_for(&guide, env, &out) {
            Ok(ctx) => {
                kept.insert(name, runsheet::progress::kept(&p, &ctx));
            }
            Err(problems) => {
                print_problems(&problems);
                return Ok(1);
            }
        }
    }
    let rendered = render::render_keeping(&guide, &environments, &templates, &out, &options, &kept);
    let files = match rendered {
        Ok(files) => files,
        Err(problems) => {
            print_problems(&problems);
            eprintln!(
                "render failed: {} problem(s); nothing was written",
                problems.len()
            );
            return Ok(1);
        }
    };

    let env_list = environments
        .iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Every environment of the book: a recorded folder of any other is stale.
    let mut all_names = environment::names(&root).unwrap_or_default();
    all_names.extend(environments.iter().map(|e| e.name.clone()));
    if args.check {
        let mut stdout = std::io::stdout().lock();
        let differences = render::compare(&files);
        let stale = render::stale(&out, &all_names);
        for folder in &stale {
            writeln!(
                stdout,
                "stale: {}/ (its environment no longer exists)",
                folder.display()
            )?;
        }
        if differences.is_empty() && !stale.is_empty() {
            eprintln!(
                "{} folder(s) in {} are left from environments that no longer exist; run `runsheet render` to remove them",
                stale.len(),
                out.display()
            );
            return Ok(1);
        }
        if differences.is_empty() {
            eprintln!(
                "{} is up to date: {} files for {env_list}",
                out.display(),
                files.len()
            );
            return Ok(0);
        }
        for d in &differences {
            match &d.diff {
                None => writeln!(stdout, "missing: {}", d.path.display())?,
                Some(_) => writeln!(stdout, "differs: {}", d.path.display())?,
            }
        }
        for d in &differences {
            if let Some(diff) = &d.diff {
                let lines: Vec<&str> = diff.lines().collect();
                for line in lines.iter().take(60) {
                    writeln!(stdout, "{line}")?;
                }
                if lines.len() > 60 {
                    writeln!(stdout, "… {} more lines of diff", lines.len() - 60)?;
                }
            }
        }
        eprintln!(
            "{} file(s) in {} differ from what the book renders; run `runsheet render` and commit the result",
            differences.len(),
            out.display()
        );
        return Ok(1);
    }

    let report = render::write(&out, &files, &all_names)
        .map_err(|e| anyhow::anyhow!("cannot write the output: {e}; nothing was changed"))?;
    eprintln!(
        "rendered {env_list} into {}: {} files, {} written, {} unchanged",
        out.display(),
        files.len(),
        report.written.len(),
        report.unchanged.len()
    );
    for folder in &report.removed {
        eprintln!(
            "removed {}/: its environment no longer exists",
            folder.display()
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
