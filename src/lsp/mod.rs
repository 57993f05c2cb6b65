//! `runsheet lsp`: a language server over stdio. It reads the book of the
//! editor's workspace folder as `runsheet check` does (the same settings
//! and baseline), keeps it in memory ([`crate::check::Incremental`]) and
//! checks each open document again as it changes. Beside diagnostics it
//! offers the fixes `--fix` makes, placeholders' values on hover, links
//! followed to their chapter and heading, headings' references and
//! renames, completion of paths, anchors and variables, and an outline.
//!
//! One file per part: [`transport`] (framing), [`server`] (the protocol
//! loop), [`documents`] (open documents and positions), [`workspace`] (the
//! book and the documents together), [`uri`], [`diagnostics`],
//! [`actions`], [`hover`], [`navigation`] (definition, references,
//! rename), [`completion`], [`symbols`].

pub mod actions;
pub mod completion;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod navigation;
pub mod server;
pub mod symbols;
pub mod transport;
pub mod uri;
pub mod workspace;

pub use server::ServeError;

/// Serve one editor over `input` and `output` (the program's stdin and
/// stdout) until it says `exit`.
pub fn run<R, W>(input: R, output: W) -> Result<(), ServeError>
where
    R: std::io::Read + Send + 'static,
    W: std::io::Write + Send + 'static,
{
    let (conn, notes, threads) = transport::connect(input, output)?;
    let served = server::serve(conn, notes);
    threads.join();
    served
}
