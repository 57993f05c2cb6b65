//! `mdbook-runsheet`: `runsheet mdbook` under the name mdBook looks for
//! when `book.toml` has a bare `[preprocessor.runsheet]` table.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [supports, renderer] if supports == "supports" => {
            ExitCode::from(if runsheet::mdbook::supports(renderer) {
                0
            } else {
                1
            })
        }
        [] => {
            let mut stderr = std::io::stderr().lock();
            match runsheet::mdbook::run_protocol(
                std::io::stdin().lock(),
                std::io::stdout().lock(),
                &mut stderr,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "error: {}",
                        runsheet::text::escape::shown_message(&e.to_string())
                    );
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            eprintln!(
                "mdbook-runsheet is run by mdBook as the preprocessor of `[preprocessor.runsheet]` in book.toml (usage: mdbook-runsheet [supports RENDERER])"
            );
            ExitCode::from(2)
        }
    }
}
