//! `runsheet graph`: the prerequisite graph, drawn.

use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// A book (folder with book.toml), a folder of Markdown files, or a file.
    #[arg(default_value = ".")]
    path: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
    /// Highlight this environment's path (the chapters its runbook holds).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Draw every prerequisite written, also those another path implies
    /// (by default they are left out: the transitive reduction)
    #[arg(long)]
    all_edges: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Mermaid,
    Dot,
    Json,
    Svg,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let guide = runsheet::load(&args.path, &runsheet::LoadOptions::default())?;
    let mut graph = match &args.env {
        Some(name) => {
            let root = runsheet::book::guide_root(&args.path);
            let env = runsheet::env::load(&root, name, &[])
                .map_err(|e| anyhow::anyhow!("environment `{name}`: {e}"))?;
            runsheet::render::prerequisite_graph(&guide, &env)
        }
        None => {
            // Links between alternative parts are no prerequisites.
            let root = runsheet::book::guide_root(&args.path);
            let declarations =
                runsheet::env::Declarations::load(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
            runsheet::graph::Graph::of(&guide, |_| true).without_links_between(|a, b| {
                declarations
                    .as_ref()
                    .is_some_and(|d| d.are_alternatives(a, b))
            })
        }
    };
    if !args.all_edges {
        graph.reduce();
    }
    let text = match args.format {
        Format::Mermaid => graph.mermaid(),
        Format::Dot => graph.dot(),
        Format::Json => serde_json::to_string_pretty(&graph)? + "\n",
        Format::Svg => graph.svg(),
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?;
    Ok(0)
}
