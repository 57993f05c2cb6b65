use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[arg(default_value = ".")]
    path: PathBuf,
}

#[derive(clap::Args)]
pub struct SchemaArgs {
    what: String,
}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("render is being built")
}

pub fn schema(_args: SchemaArgs) -> anyhow::Result<u8> {
    anyhow::bail!("schema is being built")
}
