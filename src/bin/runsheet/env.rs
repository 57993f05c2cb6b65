//! `runsheet env new NAME [--extends BASE] [--choose PART]…`.

use anyhow::Result;
use runsheet::env::scaffold::{ScaffoldError, chosen_part};
use runsheet::text::escape::{self, shown_message};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write environments/NAME.yaml with every required value the base
    /// does not set, each with its description and an example, to fill in,
    /// and a path that takes one part of each set of alternatives the book
    /// declares (asked for on a terminal, or given with --choose)
    New(NewArgs),
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The environment's name (environments/NAME.yaml)
    name: String,
    /// The file it extends: a name in environments/ (`_fabrikam`)
    #[arg(long, value_name = "BASE")]
    extends: Option<String>,
    /// The part to take of a set of alternatives the book declares: its
    /// SUMMARY title or the start of it ("Option 1"); once per set
    #[arg(long, value_name = "PART")]
    choose: Vec<String>,
    /// The book (a folder with book.toml and environments/)
    #[arg(long, default_value = ".")]
    path: PathBuf,
}

pub fn run(command: Command) -> Result<u8> {
    match command {
        Command::New(args) => new(args),
    }
}

fn new(args: NewArgs) -> Result<u8> {
    let root = runsheet::book::guide_root(&args.path);
    let mut choose = args.choose.clone();
    let scaffold = loop {
        match runsheet::env::scaffold::scaffold(&root, &args.name, args.extends.as_deref(), &choose)
        {
            Ok(s) => break s,
            Err(ScaffoldError::Choose(alt)) if std::io::stdin().is_terminal() => match ask(&alt)? {
                Some(part) => choose.push(part),
                None => return Ok(2),
            },
            Err(e) => {
                eprintln!("error: {}", shown_message(&e.to_string()));
                return Ok(2);
            }
        }
    };
    // Written beside its place and renamed into it, inside the book: never
    // through a link.
    let book = runsheet::text::inside::Root::new(&root);
    let rel = scaffold.path.strip_prefix(&root).unwrap_or(&scaffold.path);
    if let Err(e) = book.write(rel, scaffold.text.as_bytes()) {
        eprintln!("error: {e}");
        return Ok(2);
    }
    let shown = runsheet::text::paths::shown(&scaffold.path);
    if scaffold.keys.is_empty() {
        eprintln!("wrote {shown}: the base sets every required value");
    } else {
        eprintln!(
            "wrote {shown}: fill in {} value{}: {}",
            scaffold.keys.len(),
            if scaffold.keys.len() == 1 { "" } else { "s" },
            (scaffold.keys.iter())
                .map(|k| escape::shown(k).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    eprintln!(
        "then run `runsheet check` and `runsheet render --env {}`",
        args.name
    );
    Ok(0)
}

/// Ask on the terminal which part of `alt` the environment takes: a
/// number or the start of a part's title. `None` when the answer names
/// none (or the input ends).
fn ask(alt: &runsheet::env::variables::Alternative) -> Result<Option<String>> {
    let mut err = std::io::stderr();
    match &alt.description {
        Some(d) => writeln!(
            err,
            "Which does this environment take? ({})",
            escape::shown(d)
        )?,
        None => writeln!(err, "Which does this environment take?")?,
    }
    for (i, p) in alt.parts.iter().enumerate() {
        writeln!(err, "  {}. {}", i + 1, escape::shown(p))?;
    }
    write!(err, "> ")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let answer = line.trim();
    let part = answer
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| alt.parts.get(i).cloned())
        .or_else(|| chosen_part(alt, answer).map(str::to_string));
    if part.is_none() {
        eprintln!(
            "error: `{}` is none of the parts; give a number from 1 to {}",
            escape::shown(answer),
            alt.parts.len()
        );
    }
    Ok(part)
}
