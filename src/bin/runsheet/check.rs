use runsheet::check::session::{BaselineUse, FixMode, Request, Session, Verdict};
use runsheet::check::{self, fix};
use runsheet::report::{self, Checked};
use runsheet::text::escape::shown_message;
use std::io::{IsTerminal, Write};
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
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Colour {
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

/// Exit 0 when clean, 1 when errors (or warnings with `--deny warnings`)
/// remain, 2 when the check could not run (an environment file that is not
/// valid included).
pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    if args.list_rules {
        list_rules(&mut stdout)?;
        return Ok(0);
    }
    let request = request(&args)?;
    let mut sessions = args
        .paths
        .iter()
        .map(|p| Session::run(p, &request))
        .collect::<Result<Vec<_>, _>>()?;
    let deny_warnings = args.deny.is_some();
    if request.fix != FixMode::No {
        print_fixes(&sessions, args.dry_run, &mut stdout)?;
        if args.dry_run {
            // The diff is the output; the exit code still tells the state.
            return Ok(exit_code(&sessions, deny_warnings));
        }
    }
    if args.write_baseline.is_some() {
        for recorded in sessions.iter().filter_map(|s| s.recorded.as_ref()) {
            let (total, entries) = (recorded.baseline.total(), recorded.baseline.findings.len());
            eprintln!(
                "runsheet: recorded {total} finding{} ({entries} entr{}) in {}",
                if total == 1 { "" } else { "s" },
                if entries == 1 { "y" } else { "ies" },
                recorded.path.display()
            );
        }
        return Ok(0);
    }
    let code = exit_code(&sessions, deny_warnings);
    print_report(&args, &mut sessions, &mut stdout)?;
    // The process ends next; handing a hundred thousand allocations back
    // one by one would only cost time.
    std::mem::forget(sessions);
    Ok(code)
}

/// `--list-rules`: every rule with its default severity, those of
/// `runsheet verify` marked.
fn list_rules(out: &mut impl Write) -> std::io::Result<()> {
    for r in check::rules::RULES {
        let r = r.meta();
        writeln!(
            out,
            "{:<26} {:<8} {}{}{}",
            r.id,
            r.default.name(),
            if r.opt_in {
                "(off unless turned on) "
            } else {
                ""
            },
            if r.command == check::Command::Verify {
                "(runsheet verify) "
            } else {
                ""
            },
            r.summary()
        )?;
    }
    Ok(())
}

/// What the arguments ask of each guide's check.
fn request(args: &Args) -> anyhow::Result<Request> {
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
    let baseline = match (&args.write_baseline, &args.baseline) {
        (Some(file), _) => BaselineUse::Record(file.clone()),
        (None, Some(file)) => BaselineUse::Apply(file.clone()),
        (None, None) if args.no_baseline => BaselineUse::Off,
        (None, None) => BaselineUse::Settings,
    };
    // Fingerprints read the text a finding points at; so do these formats.
    let source_lines = match args.format {
        Format::Human => !args.statistics || args.verbose,
        Format::Sarif => true,
        _ => false,
    };
    Ok(Request {
        load: runsheet::LoadOptions {
            flavour: args.slug,
            hidden: args.hidden,
            ..Default::default()
        },
        fix: match (args.fix, args.dry_run) {
            (false, _) => FixMode::No,
            (true, true) => FixMode::DryRun,
            (true, false) => FixMode::Write,
        },
        baseline,
        changed_since: args.changed_since.clone(),
        source_lines,
        settings_over: None,
        preprocessed: None,
    })
}

/// What `--fix` did: the diffs with `--dry-run`, files it left alone, and
/// one closing line on standard error.
fn print_fixes(sessions: &[Session], dry_run: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let (mut applied, mut files, mut left) = (0, 0, 0);
    for s in sessions {
        let Some(fixed) = &s.fixed else { continue };
        let display_root = display_root(&s.digest.book);
        if dry_run {
            for edit in &fixed.edits {
                let shown = runsheet::text::paths::join(&display_root, &edit.file);
                write!(out, "{}", fix::diff(edit, &shown))?;
            }
        }
        for refused in &fixed.refused {
            eprintln!("runsheet: {}", shown_message(&refused.to_string()));
        }
        applied += fixed.applied;
        files += fixed.files;
        left += fixed.left;
    }
    let verb = if dry_run { "would fix" } else { "fixed" };
    eprintln!(
        "runsheet: {verb} {applied} finding{} in {files} file{}; {left} finding{} need{} a person",
        if applied == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        if left == 1 { "" } else { "s" },
        if left == 1 { "s" } else { "" },
    );
    Ok(())
}

/// The findings of every guide in the format asked for.
fn print_report(
    args: &Args,
    sessions: &mut [Session],
    stdout: &mut impl Write,
) -> anyhow::Result<()> {
    // Where the report is made, for SARIF: the working directory and the
    // guides' Git repositories.
    let checkout = match args.format {
        Format::Sarif => {
            report::checkout::Checkout::of(sessions.iter().map(|s| s.digest.book.root.as_path()))
        }
        _ => report::checkout::Checkout::default(),
    };
    let checked: Vec<Checked<'_>> = sessions
        .iter_mut()
        .map(|s| Checked {
            display_root: display_root(&s.digest.book),
            diagnostics: std::mem::take(&mut s.diagnostics),
            baseline: s.baseline.take(),
            subject: report::Subject::Guide(&s.digest),
        })
        .collect();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
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
    std::mem::forget(checked);
    Ok(())
}

/// 2 when a guide could not be checked, 1 when one fails, else 0.
fn exit_code(sessions: &[Session], deny_warnings: bool) -> u8 {
    let verdicts: Vec<Verdict> = sessions.iter().map(|s| s.verdict(deny_warnings)).collect();
    if verdicts.contains(&Verdict::Unrunnable) {
        2
    } else {
        u8::from(verdicts.contains(&Verdict::Failing))
    }
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
