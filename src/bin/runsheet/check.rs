use runsheet::check::{self, Config, Severity, fix};
use runsheet::report::{self, Checked};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Books (folders with book.toml), folders of Markdown files, or files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Heading-id flavour anchors are checked against (default: mdbook for
    /// a book, github otherwise).
    #[arg(long)]
    slug: Option<runsheet::slug::Flavour>,
    /// Apply the fixes that have exactly one safe answer.
    #[arg(long)]
    fix: bool,
    /// With --fix: print a unified diff instead of writing.
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// `--deny warnings`: warnings fail the check too.
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    deny: Option<String>,
    /// List every rule with its default severity, then exit.
    #[arg(long)]
    list_rules: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

struct Loaded {
    /// The whole guide, when it was read for fixing.
    guide: Option<runsheet::Guide>,
    digest: check::Digest,
    diagnostics: Vec<check::Diagnostic>,
    display_root: String,
}

/// Exit 0 when clean, 1 when errors (or warnings with `--deny warnings`)
/// remain, 2 when the check could not run.
pub fn run(args: Args) -> anyhow::Result<u8> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if args.list_rules {
        for r in check::rules::RULES {
            let r = r.meta();
            writeln!(
                stdout,
                "{:<26} {:<8} {}",
                r.id,
                r.default.name(),
                r.summary()
            )?;
        }
        return Ok(0);
    }
    let options = runsheet::LoadOptions { flavour: args.slug };
    // A check reads each chapter once and lets its text go; --fix keeps
    // the texts, since it edits them.
    let keep_text = args.fix;
    let load_all = || -> anyhow::Result<Vec<Loaded>> {
        args.paths
            .iter()
            .map(|p| {
                let config = Config::for_path(p)?;
                let (guide, digest, diagnostics) = if keep_text {
                    let guide = runsheet::load(p, &options)?;
                    let (digest, diagnostics) = check::check_loaded(&guide, &config);
                    (Some(guide), digest, diagnostics)
                } else {
                    let (digest, diagnostics) = check::check_path(p, &options, &config)?;
                    (None, digest, diagnostics)
                };
                let display_root = display_root(&digest.book);
                Ok(Loaded {
                    guide,
                    digest,
                    diagnostics,
                    display_root,
                })
            })
            .collect()
    };
    let mut loaded = load_all()?;

    if args.fix {
        let mut fixed = 0;
        let mut files = 0;
        for l in &loaded {
            let Some(guide) = &l.guide else {
                continue;
            };
            for edit in fix::plan(guide, &l.diagnostics) {
                let shown = runsheet::text::paths::join(&l.display_root, &edit.file);
                if args.dry_run {
                    write!(stdout, "{}", fix::diff(&edit, &shown))?;
                } else {
                    fix::write(guide, &edit)?;
                }
                fixed += edit.applied;
                files += 1;
            }
        }
        let left = loaded
            .iter()
            .flat_map(|l| &l.diagnostics)
            .filter(|d| d.fix.is_none())
            .count();
        let verb = if args.dry_run { "would fix" } else { "fixed" };
        eprintln!(
            "runsheet: {verb} {fixed} finding{} in {files} file{}; {left} finding{} need{} a person",
            if fixed == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
            if left == 1 { "" } else { "s" },
            if left == 1 { "s" } else { "" },
        );
        if !args.dry_run && fixed > 0 {
            loaded = load_all()?;
        }
        if args.dry_run {
            // The diff is the output; the exit code still tells the state.
            return Ok(exit_code(&loaded, args.deny.is_some()));
        }
    }

    let code = exit_code(&loaded, args.deny.is_some());
    if matches!(args.format, Format::Human | Format::Sarif) {
        for l in &mut loaded {
            check::attach_source_lines(&l.digest, &mut l.diagnostics);
        }
    }
    // Where the report is made, for SARIF: the working directory and the
    // guides' Git repositories.
    let checkout = match args.format {
        Format::Sarif => {
            report::checkout::Checkout::of(loaded.iter().map(|l| l.digest.book.root.as_path()))
        }
        _ => report::checkout::Checkout::default(),
    };
    let checked: Vec<Checked<'_>> = loaded
        .iter_mut()
        .map(|l| Checked {
            digest: &l.digest,
            display_root: l.display_root.clone(),
            diagnostics: std::mem::take(&mut l.diagnostics),
        })
        .collect();
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut stdout);
        match args.format {
            Format::Human => {
                let colour = std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                report::human::write(&checked, colour, &mut out)?
            }
            Format::Json => report::json::write(&checked, &mut out)?,
            Format::Sarif => report::sarif::write(&checked, &checkout, &mut out)?,
            Format::Github => report::github::write(&checked, &mut out)?,
            Format::Junit => report::junit::write(&checked, &mut out)?,
        }
        out.flush()?;
    }
    // The process ends next; handing a hundred thousand allocations back
    // one by one would only cost time.
    std::mem::forget(checked);
    std::mem::forget(loaded);
    Ok(code)
}

fn exit_code(loaded: &[Loaded], deny_warnings: bool) -> u8 {
    let failing = loaded.iter().flat_map(|l| &l.diagnostics).any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    u8::from(failing)
}

/// The source folder as the user reaches it (the path as given, plus the
/// book's `src`; a file's folder for a file), relative to the working
/// directory when it lies below it.
fn display_root(book: &runsheet::model::Book) -> String {
    let base: PathBuf = book.src_dir.clone();
    let base = match std::env::current_dir() {
        Ok(cwd) if base.is_absolute() => base
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(base),
        _ => base,
    };
    let parts: Vec<String> = base
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    let joined = parts.join("/");
    if base.has_root() {
        format!("/{joined}")
    } else {
        joined
    }
}
