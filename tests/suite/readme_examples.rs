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

/// The README's settings: its `toml` blocks of runsheet's settings (a
/// `[preprocessor.runsheet]` table for book.toml, or a `runsheet.toml`),
/// each with the line it starts at, and its one-line settings written in
/// the text (`` `exclude = ["styleguide/**"]` ``) as a `runsheet.toml` of
/// their own. Blocks of another program's settings (an editor's) are left
/// out.
fn settings_examples(readme: &str) -> Vec<(usize, String)> {
    const KEYS: [&str; 9] = [
        "profile",
        "exclude",
        "ignore-links",
        "site-path",
        "published-beside",
        "baseline",
        "environment",
        "fail-on",
        "front-matter",
    ];
    let mut out = Vec::new();
    let mut block: Option<(usize, String)> = None;
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some((start, text)) = &mut block {
            if trimmed.starts_with("```") {
                let ours = text.lines().all(|l| {
                    let l = l.trim();
                    !l.starts_with('[')
                        || l.starts_with("[rules]")
                        || l.starts_with("[preprocessor.runsheet")
                });
                if ours {
                    out.push((*start, std::mem::take(text)));
                }
                block = None;
            } else {
                text.push_str(line.strip_prefix("  ").unwrap_or(line));
                text.push('\n');
            }
            continue;
        }
        if trimmed == "```toml" {
            block = Some((i + 1, String::new()));
            continue;
        }
        for (j, span) in line.split('`').enumerate() {
            let is_setting = j % 2 == 1
                && span
                    .split_once(" = ")
                    .is_some_and(|(key, _)| KEYS.contains(&key));
            if is_setting {
                out.push((i + 1, format!("{span}\n")));
            }
        }
    }
    out
}

#[test]
fn every_readme_settings_example_is_accepted() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let examples = settings_examples(&readme);
    assert!(examples.len() >= 6, "{examples:#?}");
    let book_toml = std::fs::read_to_string(repo.join("book.toml")).unwrap();
    let (before_table, _) = book_toml.split_once("[preprocessor.runsheet]").unwrap();
    for (line, settings) in &examples {
        let dir = book_repository();
        let root = dir.path();
        if settings.contains("[preprocessor.runsheet") {
            std::fs::write(root.join("book.toml"), format!("{before_table}{settings}")).unwrap();
        } else {
            std::fs::write(root.join("runsheet.toml"), settings).unwrap();
        }
        // A file a setting names is there (`baseline = "FILE"`).
        if let Some(file) = settings
            .lines()
            .find_map(|l| l.strip_prefix("baseline = "))
            .map(|v| v.trim().trim_matches('"'))
        {
            let out = shell(root, &format!("runsheet check --write-baseline {file}"));
            assert!(out.status.success(), "{out:?}");
        }
        let out = shell(root, "runsheet check");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)) && !said.contains(".toml:"),
            "README.md:{line}: the settings\n{settings}are refused: {said}"
        );
    }
}

#[test]
fn settings_examples_are_toml_blocks_of_runsheet_and_settings_in_the_text() {
    let readme = "Set `exclude = [\"a/**\"]` or `x = 1`.\n\n  ```toml\n  profile = \"learn\"\n  [rules]\n  mojibake = \"off\"\n  ```\n\n```toml\n[language-server.x]\ncommand = \"x\"\n```\n";
    assert_eq!(
        settings_examples(readme),
        [
            (1, "exclude = [\"a/**\"]\n".to_string()),
            (
                3,
                "profile = \"learn\"\n[rules]\nmojibake = \"off\"\n".to_string()
            ),
        ]
    );
}
