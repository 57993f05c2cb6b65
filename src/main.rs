//! The `runsheet` command: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "runsheet",
    version,
    about = "Check a Markdown deployment guide and render per-environment runbooks from it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print what runsheet understood of a guide: chapters, headings, links,
    /// prerequisites, steps, run profiles, next links.
    Extract {
        /// A book (folder with book.toml), a folder of Markdown files, or one file.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
        /// Heading-id flavour (default: mdbook for a book, github otherwise).
        #[arg(long)]
        slug: Option<runsheet::slug::Flavour>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Json,
    Yaml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract { path, format, slug } => {
            let guide = runsheet::load(&path, &runsheet::LoadOptions { flavour: slug })?;
            let text = match format {
                ExtractFormat::Json => serde_json::to_string_pretty(&guide)? + "\n",
                ExtractFormat::Yaml => serde_yaml::to_string(&guide)?,
            };
            print!("{text}");
            for p in &guide.problems {
                eprintln!(
                    "{}:{}:{}: {}: {}",
                    guide.book.src_dir.join(&p.file).display(),
                    p.line,
                    p.column,
                    p.kind,
                    p.message
                );
            }
            Ok(if guide.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
