//! Every `runsheet` command the README shows in a `console` block runs, as
//! written, on a copy of this repository's book: none is refused as bad
//! usage (exit 2) or crashes. Findings (exit 1) are allowed: some examples
//! show them.

use crate::common::copy_dir;
use std::path::Path;
use std::process::Command;

/// The `$ runsheet …` lines of the README's console blocks, in order,
/// without their comments.
fn examples(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ").filter(|_| in_console)
            && command.starts_with("runsheet ")
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

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@runsheet.invalid"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn every_readme_example_runs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let commands = examples(&readme);
    assert!(commands.len() >= 10, "{commands:?}");

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in ["book.toml", "README.md"] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    for folder in ["docs", "environments", "templates"] {
        if repo.join(folder).is_dir() {
            copy_dir(&repo.join(folder), &root.join(folder));
        }
    }
    // `--changed-since origin/main` asks Git: a repository with that branch.
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "the book"]);
    git(root, &["update-ref", "refs/remotes/origin/main", "HEAD"]);

    let programs = assert_cmd::cargo::cargo_bin("runsheet");
    let path = format!(
        "{}:{}",
        programs.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in &commands {
        let out = Command::new("sh")
            .args(["-c", command])
            .current_dir(root)
            .env("PATH", &path)
            .output()
            .unwrap();
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
    let readme = "```console\n$ runsheet check   # a comment\n$ cargo build\n```\n\n```yaml\n$ runsheet nope\n```\n";
    assert_eq!(examples(readme), ["runsheet check"]);
}
