//! `runsheet env new NAME [--extends BASE]`.

use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write environments/NAME.yaml with every required value the base
    /// does not set, each with its description and an example, to fill in
    New(NewArgs),
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The environment's name (environments/NAME.yaml)
    name: String,
    /// The file it extends: a name in environments/ (`_fabrikam`)
    #[arg(long, value_name = "BASE")]
    extends: Option<String>,
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
    let scaffold =
        match runsheet::env::scaffold::scaffold(&root, &args.name, args.extends.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(2);
            }
        };
    if let Some(dir) = scaffold.path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&scaffold.path, &scaffold.text)
        .with_context(|| format!("cannot write {}", scaffold.path.display()))?;
    let shown = runsheet::text::paths::shown(&scaffold.path);
    if scaffold.keys.is_empty() {
        eprintln!("wrote {shown}: the base sets every required value");
    } else {
        eprintln!(
            "wrote {shown}: fill in {} value{}: {}",
            scaffold.keys.len(),
            if scaffold.keys.len() == 1 { "" } else { "s" },
            scaffold.keys.join(", ")
        );
    }
    eprintln!(
        "then run `runsheet check` and `runsheet render --env {}`",
        args.name
    );
    Ok(0)
}
