use runsheet::check::baseline::Baseline;
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
    /// Read hidden folders (`.github`) too; by default they are skipped,
    /// and counted in the closing line.
    #[arg(long)]
    hidden: bool,
    /// List every rule with its default severity, then exit.
    #[arg(long)]
    list_rules: bool,
    /// Count the findings per rule (largest first, with the files they are
    /// in) instead of listing them; with --verbose, after them.
    #[arg(long)]
    statistics: bool,
    /// With --statistics: list the findings too.
    #[arg(long, short)]
    verbose: bool,
    /// Print the findings only, without the summary lines.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Colour the human output: `auto` (on a terminal, unless NO_COLOR is
    /// set), `always` or `never`.
    #[arg(long, value_enum, default_value_t = Colour::Auto)]
    color: Colour,
    /// Report only the findings that the baseline FILE does not record
    /// (default: the `baseline` setting, else runsheet-baseline.json beside
    /// book.toml or in the checked folder), and the entries that no longer
    /// occur.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    baseline: Option<Option<PathBuf>>,
    /// Report every finding, even when the settings name a baseline.
    #[arg(long, conflicts_with = "baseline")]
    no_baseline: bool,
    /// Record today's findings as the baseline FILE (same default as
    /// --baseline), then exit 0.
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        conflicts_with_all = ["baseline", "fix", "changed_since", "statistics"]
    )]
    write_baseline: Option<Option<PathBuf>>,
    /// Report only findings in files changed since the Git revision REF
    /// (committed, staged, unstaged or new) and in links a change broke,
    /// such as a link to a file it renamed. The whole guide is still read.
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
        }
    }
}

struct Loaded {
    /// The folder its settings and baseline are in.
    root: PathBuf,
    config: Config,
    /// The whole guide, when it was read for fixing.
    guide: Option<runsheet::Guide>,
    digest: check::Digest,
    diagnostics: Vec<check::Diagnostic>,
    display_root: String,
}

/// Exit 0 when clean, 1 when errors (or warnings with `--deny warnings`)
/// remain, 2 when the check could not run (an environment file that is not
/// valid included).
pub fn run(args: Args) -> anyhow::Result<u8> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if args.list_rules {
        for r in check::rules::RULES {
            let r = r.meta();
            writeln!(
                stdout,
                "{:<26} {:<8} {}{}",
                r.id,
                r.default.name(),
                if r.opt_in {
                    "(off unless turned on) "
                } else {
                    ""
                },
                r.summary()
            )?;
        }
        return Ok(0);
    }
    if args.statistics && !matches!(args.format, Format::Human | Format::Json) {
        anyhow::bail!(
            "--statistics writes the human or the JSON report, not {}",
            args.format.name()
        );
    }
    let explicit_file = |file: &Option<Option<PathBuf>>| file.clone().flatten();
    if args.paths.len() > 1
        && (explicit_file(&args.baseline).is_some()
            || explicit_file(&args.write_baseline).is_some())
    {
        anyhow::bail!(
            "a baseline FILE belongs to one guide: with several paths, leave FILE out (each guide then has its own runsheet-baseline.json)"
        );
    }
    let options = runsheet::LoadOptions {
        flavour: args.slug,
        hidden: args.hidden,
    };
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
                    root: runsheet::book::guide_root(p),
                    config,
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
                } else if let Err(e) = fix::write(guide, &edit) {
                    // One file refused (a link, read-only) or unwritable:
                    // the others are still fixed.
                    eprintln!("runsheet: {e}");
                    continue;
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

    let baseline_wanted = args.write_baseline.is_some()
        || args.baseline.is_some()
        || (!args.no_baseline && loaded.iter().any(|l| l.config.baseline.is_some()));
    // Fingerprints read the text a finding points at.
    let shows_lines = match args.format {
        Format::Human => !args.statistics || args.verbose,
        Format::Sarif => true,
        _ => false,
    };
    if baseline_wanted || shows_lines {
        for l in &mut loaded {
            check::attach_source_lines(&l.digest, &mut l.diagnostics);
        }
    }
    if let Some(file) = &args.write_baseline {
        for l in &loaded {
            let path = file.clone().unwrap_or_else(|| baseline_file(l));
            let baseline = Baseline::of(&l.diagnostics);
            baseline.write(&path)?;
            eprintln!(
                "runsheet: recorded {} finding{} ({} entr{}) in {}",
                baseline.total(),
                if baseline.total() == 1 { "" } else { "s" },
                baseline.findings.len(),
                if baseline.findings.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                path.display()
            );
        }
        return Ok(0);
    }
    let mut notes: Vec<Option<report::BaselineNote>> = Vec::new();
    for l in &mut loaded {
        let path = match &args.baseline {
            Some(file) => Some(file.clone().unwrap_or_else(|| baseline_file(l))),
            None if args.no_baseline => None,
            None => l.config.baseline.clone(),
        };
        let Some(path) = path else {
            notes.push(None);
            continue;
        };
        if !path.exists() {
            anyhow::bail!(
                "the baseline {} does not exist{}: record today's findings in it with `runsheet check --write-baseline`",
                path.display(),
                if args.baseline.is_none() {
                    " (the `baseline` setting names it)"
                } else {
                    ""
                }
            );
        }
        let baseline = Baseline::read(&path)?;
        let applied = baseline.apply(std::mem::take(&mut l.diagnostics));
        l.diagnostics = applied.new;
        notes.push(Some(report::BaselineNote {
            file: path.display().to_string(),
            known: applied.known,
            stale: applied.stale,
        }));
    }
    if let Some(since) = &args.changed_since {
        for l in &mut loaded {
            let changes = runsheet::git::changes_since(&l.digest.book.src_dir, since)?;
            l.diagnostics =
                check::changed::only_changed(std::mem::take(&mut l.diagnostics), &changes);
        }
    }

    let code = exit_code(&loaded, args.deny.is_some());
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
            baseline: None,
        })
        .collect();
    let mut checked = checked;
    for (c, note) in checked.iter_mut().zip(notes) {
        c.baseline = note;
    }
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut stdout);
        match args.format {
            Format::Human => {
                let colour = match args.color {
                    Colour::Always => true,
                    Colour::Never => false,
                    Colour::Auto => {
                        std::io::stdout().is_terminal()
                            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    }
                };
                let options = report::human::Options {
                    colour,
                    summary: !args.quiet,
                    deny_warnings: args.deny.is_some(),
                    findings: !args.statistics || args.verbose,
                    statistics: args.statistics,
                };
                report::human::write(&checked, &options, &mut out)?
            }
            Format::Json => {
                let parts = report::json::Parts {
                    findings: !args.statistics || args.verbose,
                    statistics: args.statistics,
                };
                report::json::write_parts(&checked, parts, &mut out)?
            }
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

/// Where a guide's baseline is when no FILE is named: the `baseline`
/// setting, else runsheet-baseline.json in its root folder.
fn baseline_file(l: &Loaded) -> PathBuf {
    l.config
        .baseline
        .clone()
        .unwrap_or_else(|| l.root.join(check::baseline::DEFAULT_FILE))
}

fn exit_code(loaded: &[Loaded], deny_warnings: bool) -> u8 {
    // An environment file that cannot be read: the check could not run
    // for the environments.
    if loaded
        .iter()
        .flat_map(|l| &l.diagnostics)
        .any(|d| d.rule == check::RuleId::EnvironmentInvalid && d.severity == Severity::Error)
    {
        return 2;
    }
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
