//! `runsheet mdbook`: the mdBook preprocessor (see `runsheet::mdbook`).

use std::io::IsTerminal;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    supports: Option<Supports>,
}

#[derive(clap::Subcommand)]
enum Supports {
    /// Exit 0 when runsheet works with the renderer (mdBook asks first).
    Supports { renderer: String },
}

/// mdBook asks `supports RENDERER` first, then sends the book on standard
/// input; the book goes back on standard output. A failure is exit 2 with
/// its reason on standard error, which mdBook shows.
pub fn run(args: Args) -> anyhow::Result<u8> {
    if let Some(Supports::Supports { renderer }) = args.supports {
        return Ok(if runsheet::mdbook::supports(&renderer) {
            0
        } else {
            1
        });
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        anyhow::bail!(
            "`runsheet mdbook` is run by mdBook: add `[preprocessor.runsheet]` to book.toml and run `mdbook build`"
        );
    }
    let mut stderr = std::io::stderr().lock();
    runsheet::mdbook::run_protocol(stdin.lock(), std::io::stdout().lock(), &mut stderr)?;
    Ok(0)
}
