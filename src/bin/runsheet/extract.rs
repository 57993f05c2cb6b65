use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A book (folder with book.toml), a folder of Markdown files, or one file.
    #[arg(default_value = ".")]
    path: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Heading-id flavour (default: mdbook for a book, github otherwise).
    #[arg(long)]
    slug: Option<runsheet::slug::Flavour>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Yaml,
}

/// Print the model; exit 1 when some input could not be read cleanly
/// (each problem is on stderr with file:line), 0 otherwise.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let guide = runsheet::load(
        &args.path,
        &runsheet::LoadOptions {
            flavour: args.slug,
            ..Default::default()
        },
    )?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&guide)? + "\n",
        Format::Yaml => yaml_serde::to_string(&guide)?,
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?;
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
    Ok(if guide.problems.is_empty() { 0 } else { 1 })
}
