//! `runsheet verify`: a server's export held to an environment's runbook,
//! and `--write-env`, the environment values an export tells.

use crate::check::{Colour, Format};
use anyhow::Result;
use runsheet::env::Set;
use runsheet::report::{self, Checked, ExportSummary, Subject};
use runsheet::text::escape::{self, shown_message};
use runsheet::text::paths;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["env", "write_env"])))]
pub struct Args {
    /// The export: the folder `svrexport.exe FOLDER` wrote (its MA-*.XML
    /// files and MV.XML), or one agent's MA-*.XML file
    export: PathBuf,
    /// Hold the export to this environment's runbook (environments/NAME.yaml)
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Propose environment NAME's agents, partitions, OU scopes and
    /// metaverse settings from the export: write environments/NAME.yaml
    /// when it is new, else print a diff against it (exit 1 when they
    /// differ) and write nothing
    #[arg(long, value_name = "NAME", conflicts_with_all = ["sets", "format", "deny"])]
    write_env: Option<String>,
    /// The book (a folder with book.toml and environments/)
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Set a value over the environment files, last (as render --set)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// The output format, as `runsheet check` writes them [default: human]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// `--deny warnings`: warnings are drift too
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    deny: Option<String>,
    /// Print the findings only, without the summary line
    #[arg(long, short)]
    quiet: bool,
    /// Colour the human output: `auto`, `always` or `never`
    #[arg(long, value_enum, default_value_t = Colour::Auto)]
    color: Colour,
}

/// Exit 0 when the server matches the runbook, 1 when it has drifted, 2
/// when the verification could not run (a damaged export named with its
/// file and line, an environment that cannot be read).
pub fn run(args: Args) -> Result<u8> {
    if let Some(name) = &args.write_env {
        return write_env(&args, name);
    }
    let name = args.env.clone().unwrap_or_default();
    let mut sets = Vec::new();
    for s in &args.sets {
        match Set::parse(s) {
            Ok(set) => sets.push(set),
            Err(e) => {
                eprintln!("error: {}", shown_message(&e.to_string()));
                return Ok(2);
            }
        }
    }
    let request = runsheet::verify::VerifyRequest {
        book: &args.book,
        environment: &name,
        sets: &sets,
        export: &args.export,
    };
    let mut verified = match runsheet::verify::run(&request) {
        Ok(v) => v,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {}", shown_message(&p.to_string()));
            }
            return Ok(2);
        }
    };
    let deny_warnings = args.deny.is_some();
    let code = u8::from(verified.drifted(deny_warnings));
    let summary = ExportSummary {
        environment: name,
        path: verified.export.path.clone(),
        files: verified.export.files.clone(),
        agents: verified
            .expected
            .agents
            .iter()
            .filter(|a| {
                verified
                    .export
                    .agents
                    .iter()
                    .any(|e| runsheet::check::export::same_name(e.name(), &a.name))
            })
            .count(),
        profiles: verified.profiles_compared(),
    };
    let checked = [Checked {
        subject: Subject::Export(&summary),
        display_root: String::new(),
        diagnostics: std::mem::take(&mut verified.diagnostics),
        baseline: None,
    }];
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format.unwrap_or(Format::Human) {
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
                deny_warnings,
                findings: true,
                statistics: false,
            };
            report::human::write(&checked, &options, &mut out)?;
        }
        Format::Json => report::json::write(&checked, &mut out)?,
        Format::Sarif => {
            let checkout = report::checkout::Checkout::of([args.export.as_path()]);
            report::sarif::write(&checked, &checkout, &mut out)?;
        }
        Format::Github => report::github::write(&checked, &mut out)?,
        Format::Junit => report::junit::write(&checked, &mut out)?,
    }
    out.flush()?;
    Ok(code)
}

/// `--write-env NAME`: a new environment file, or a diff against the one
/// there is.
fn write_env(args: &Args, name: &str) -> Result<u8> {
    let root = runsheet::book::guide_root(&args.book);
    let export = match runsheet::mim::export::read(&args.export, &paths::shown(&args.export)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {}", shown_message(&e.to_string()));
            return Ok(2);
        }
    };
    let proposal = match runsheet::verify::propose::propose(&root, name, &export) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}", shown_message(&e.to_string()));
            return Ok(2);
        }
    };
    let shown = paths::shown(&proposal.path);
    for l in &proposal.left_out {
        eprintln!(
            "runsheet: left out {}: an environment describes MIM Service, Active Directory and extensible agents",
            escape::shown(l)
        );
    }
    if proposal.current.is_some() {
        return Ok(match proposal.diff() {
            Some(diff) => {
                std::io::stdout().lock().write_all(diff.as_bytes())?;
                eprintln!(
                    "runsheet: {shown} differs from what the export tells (above); nothing was written"
                );
                1
            }
            None => {
                eprintln!("runsheet: {shown} already says what the export tells");
                0
            }
        });
    }
    // Written beside its place and renamed into it, inside the book: never
    // through a link.
    let book = runsheet::text::inside::Root::new(&root);
    let rel = proposal.path.strip_prefix(&root).unwrap_or(&proposal.path);
    if let Err(e) = book.write(rel, proposal.file.as_bytes()) {
        eprintln!("error: {e}");
        return Ok(2);
    }
    eprintln!(
        "wrote {shown}: add the values the book needs besides, then run `runsheet check` and `runsheet verify --env {name} {}`",
        escape::shown(&export.path)
    );
    Ok(0)
}
