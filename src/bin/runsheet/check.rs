use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Books, folders or files to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    anyhow::bail!("check is being built")
}
