//! Every `runsheet` command the README shows in a `console` block runs, as
//! written, on a copy of this repository's book: none is refused as bad
//! usage (exit 2) or crashes. Findings (exit 1) are allowed: some examples
//! show them. The lines that set files up for the next (`mkdir`, `cp`) run
//! too, in their place.

use crate::common::{book_repository, shell};

/// The `$ runsheet …` lines of the README's console blocks, and those
/// that set files up (`$ mkdir …`, `$ cp …`), in order, without their
/// comments.
fn examples(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ").filter(|_| in_console)
            && ["runsheet ", "mkdir ", "cp "]
                .iter()
                .any(|p| command.starts_with(p))
        {
            let command = match command.find(" # ") {
                Some(i) => &command[..i],
                None => command,
            };
            out.push(command.trim_end().to_string());
        }
    }
    out
}

#[test]
fn every_readme_example_runs() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let commands = examples(&readme);
    assert!(commands.len() >= 10, "{commands:?}");

    // `--changed-since origin/main` asks Git: the copy is a repository
    // with that branch.
    let dir = book_repository();
    let root = dir.path();

    for command in &commands {
        // A pipe into a program this machine lacks (`dot`) is not runsheet's
        // to test.
        let missing = command.split('|').skip(1).find_map(|stage| {
            let program = stage.split_whitespace().next()?;
            (!crate::common::installed(program)).then_some(program)
        });
        if let Some(program) = missing {
            // Graphviz draws the graph the README pipes into it.
            let tool = match program {
                "dot" => &crate::common::DOT,
                other => panic!(
                    "`{command}` pipes into `{other}`, which is not installed, and the suite does not know how to install it"
                ),
            };
            if !crate::common::have(&[tool]) {
                continue;
            }
        }
        let out = shell(root, command);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "`{command}` exited {code:?}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn examples_are_read_from_console_blocks_only() {
    let readme = "```console\n$ runsheet check   # a comment\n$ cargo build\n$ cp a b\n```\n\n```yaml\n$ runsheet nope\n```\n";
    assert_eq!(examples(readme), ["runsheet check", "cp a b"]);
}
