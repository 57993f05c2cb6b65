//! The `runsheet` command: parses arguments and calls the library.
//! One file per subcommand; each only turns arguments into a library call
//! and the result into output and an exit code.

mod allocator;
mod check;
mod env;
mod extract;
mod graph;
mod lsp;
mod mdbook;
mod progress;
mod render;
mod verify;

use clap::{Parser, Subcommand};
use runsheet::text::escape::shown_message;
use std::process::ExitCode;

/// mimalloc, with the library's memory budgets (see `allocator`).
#[global_allocator]
static ALLOCATOR: allocator::Bounded = allocator::Bounded;

#[derive(Parser)]
#[command(
    name = "runsheet",
    version,
    about = "Check a Markdown deployment guide and render per-environment runbooks from it",
    after_help = "Exit codes: 0 success; 1 findings (check), drift (verify), differences (render --check) or input problems; 2 the command could not run (bad arguments, unreadable input, broken configuration)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print what runsheet understood of a guide: chapters, headings, links,
    /// prerequisites, steps, run profiles and next links.
    Extract(extract::Args),
    /// Check links, anchors, SUMMARY, front matter, tables and run profiles.
    Check(check::Args),
    /// Render per-environment runbooks and run-profile manifests.
    Render(render::Args),
    /// Where a runbook stands: done and remaining per chapter, sign-offs,
    /// the next step, results that were not success.
    Status(progress::StatusArgs),
    /// What changed in a runbook since its progress was recorded: steps
    /// added, removed, and changed after they were ticked (exit 1).
    Diff(progress::DiffArgs),
    /// Hold a server's exported configuration (svrexport.exe) to an
    /// environment's runbook and name every drift (exit 1); or propose an
    /// environment from an export (--write-env).
    Verify(verify::Args),
    /// Print a JSON Schema for a runsheet file format.
    Schema(render::SchemaArgs),
    /// Draw the prerequisite graph (Mermaid, DOT, JSON or SVG).
    Graph(graph::Args),
    /// The mdBook preprocessor: run by `mdbook build` for
    /// `[preprocessor.runsheet]` in book.toml.
    Mdbook(mdbook::Args),
    /// Print a shell's completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a man directory.
    Man,
    /// Work with environments: `env new NAME --extends BASE`.
    #[command(subcommand)]
    Env(env::Command),
    /// The language server for editors (LSP over stdin and stdout):
    /// findings as you type, fixes, values on hover, go-to and completion.
    Lsp(lsp::Args),
}

fn main() -> ExitCode {
    // Where transparent huge pages are on for every process, the
    // allocator's arenas would be backed by 2 MiB pages, and a check of ten
    // thousand files would hold some 40 MB more for no gain in time.
    #[cfg(target_os = "linux")]
    // SAFETY: sets one flag of this process; touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Check(args) => check::run(args),
        Command::Render(args) => render::run(args),
        Command::Schema(args) => render::schema(args),
        Command::Verify(args) => verify::run(args),
        Command::Status(args) => progress::status(args),
        Command::Diff(args) => progress::diff(args),
        Command::Graph(args) => graph::run(args),
        Command::Mdbook(args) => mdbook::run(args),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
        Command::Env(command) => env::run(command),
        Command::Lsp(args) => lsp::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // `runsheet extract . | head` ends quietly when head stops reading,
        // as command-line tools do, instead of failing on the closed pipe.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", shown_message(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Write the completion script for `shell` to standard output.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "runsheet", &mut out);
    std::io::Write::write_all(&mut std::io::stdout().lock(), &out)?;
    Ok(0)
}

/// Write the manual page, subcommands included, to standard output.
fn man() -> anyhow::Result<u8> {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    // Each subcommand's options, as sections of the one page.
    for sub in command.get_subcommands() {
        let title = format!("RUNSHEET {}", sub.get_name().to_uppercase());
        let man =
            clap_mangen::Man::new(sub.clone().bin_name(format!("runsheet {}", sub.get_name())));
        out.extend_from_slice(format!(".SH \"{title}\"\n").as_bytes());
        if let Some(about) = sub.get_about() {
            out.extend_from_slice(format!("{about}\n").as_bytes());
        }
        man.render_synopsis_section(&mut out)?;
        man.render_options_section(&mut out)?;
    }
    std::io::Write::write_all(&mut std::io::stdout().lock(), &out)?;
    Ok(0)
}

/// Why a command ends before its last step: its problems are printed and
/// it exits with this code, or an error is left for `main` to print (exit
/// 2). Each step of a command returns one, so the command reads as its
/// steps joined by `?`.
pub enum Stop {
    Printed(u8),
    Error(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Stop {
    fn from(e: E) -> Self {
        Stop::Error(e.into())
    }
}

impl Stop {
    /// Print each problem as an error and stop with `code`; what it quotes
    /// from files is shown, not acted on.
    pub fn printing<T: std::fmt::Display>(problems: &[T], code: u8) -> Stop {
        for p in problems {
            eprintln!("error: {}", shown_message(&p.to_string()));
        }
        Stop::Printed(code)
    }
}

/// A command's steps ended as `main` takes it: the exit code, or the error
/// to print.
pub fn finish(result: Result<u8, Stop>) -> anyhow::Result<u8> {
    match result {
        Ok(code) | Err(Stop::Printed(code)) => Ok(code),
        Err(Stop::Error(e)) => Err(e),
    }
}

/// Whether writing failed because the reader went away.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
