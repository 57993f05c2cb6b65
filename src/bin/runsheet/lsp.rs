//! `runsheet lsp`: the language server, over stdin and stdout.

use std::io::IsTerminal;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that start servers with `--stdio`; stdio is
    /// the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

pub fn run(_args: Args) -> anyhow::Result<u8> {
    if std::io::stdin().is_terminal() {
        anyhow::bail!(
            "`runsheet lsp` is started by an editor, which speaks the Language Server Protocol over its stdin and stdout: see the README's \"Editors\" section for VS Code, Neovim and Helix"
        );
    }
    runsheet::lsp::run(std::io::stdin(), std::io::stdout())?;
    Ok(0)
}
