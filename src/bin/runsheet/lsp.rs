//! `runsheet lsp`: the language server, over stdin and stdout.

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that start servers with `--stdio`; stdio is
    /// the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    runsheet::lsp::run(std::io::stdin(), std::io::stdout())?;
    Ok(0)
}
