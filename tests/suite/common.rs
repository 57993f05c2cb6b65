//! Helpers the integration tests share: writing guides into temporary
//! folders and copying fixture books.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Write `files` (path relative to `root`, text) under `root`, making
/// folders as needed.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        write_bytes(root, path, text.as_bytes());
    }
}

/// Write one file of raw bytes under `root`, making folders as needed.
pub fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

/// Copy the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The `runsheet` program of this build.
pub fn runsheet() -> Command {
    Command::cargo_bin("runsheet").unwrap()
}

/// The findings of severity `error` in a JSON report.
pub fn errors(json: &Value) -> Vec<&Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

/// A copy of this repository's book (book.toml, variables.yaml, docs,
/// environments, templates, README) in a fresh Git repository with one commit, which is
/// also `origin/main`.
pub fn book_repository() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in ["book.toml", "variables.yaml", "README.md"] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    for folder in ["docs", "environments", "templates"] {
        if repo.join(folder).is_dir() {
            copy_dir(&repo.join(folder), &root.join(folder));
        }
    }
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "the book"]);
    git(root, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    dir
}

/// Run `git ARGS` in `root`, as a test user.
pub fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=runsheet tests",
            "-c",
            "user.email=tests@runsheet.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Run a shell command line in `root`, with this build's programs first on
/// `PATH`.
pub fn shell(root: &Path, command: &str) -> std::process::Output {
    let programs = assert_cmd::cargo::cargo_bin("runsheet");
    let path = format!(
        "{}:{}",
        programs.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("sh")
        .args(["-c", command])
        .current_dir(root)
        .env("PATH", path)
        .output()
        .unwrap()
}
