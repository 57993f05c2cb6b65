//! The CI recipes the repository ships work as written: the GitHub
//! workflow's runsheet commands run on a copy of the book, and the
//! pre-commit hook names a command that checks only what changed.

use crate::common::{book_repository, shell};
use serde_json::Value;
use std::path::Path;

fn yaml(file: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_workflow_checks_uploads_sarif_and_builds_the_book() {
    let workflow = yaml(".github/workflows/docs.yml");
    let steps = workflow["jobs"]["guide"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/checkout@")));
    assert!(
        uses.iter()
            .any(|u| u.starts_with("github/codeql-action/upload-sarif@"))
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let all = runs.join("\n");
    for wanted in [
        "runsheet check --format sarif",
        "runsheet check --format github",
        "runsheet check --changed-since",
        "runsheet render",
        "mdbook build",
    ] {
        assert!(all.contains(wanted), "the workflow does not run `{wanted}`");
    }
    assert_eq!(workflow["permissions"]["security-events"], "write");

    // Its runsheet steps, run as the runner would on our book.
    let dir = book_repository();
    let root = dir.path();
    let scratch = tempfile::tempdir().unwrap();
    for run in runs
        .iter()
        .filter(|r| r.contains("runsheet ") && !r.contains("cargo install"))
    {
        let script = run
            .replace("$GITHUB_BASE_REF", "main")
            .replace("$RUNNER_TEMP", &scratch.path().display().to_string());
        let out = shell(root, &script);
        assert!(
            out.status.success(),
            "`{script}` failed on our book: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(root.join("runsheet.sarif").is_file());
    assert!(scratch.path().join("runbooks/lab/runbook.md").is_file());
}

#[test]
fn the_pre_commit_hook_checks_what_is_staged() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks.as_array().unwrap()[0];
    assert_eq!(hook["id"], "runsheet-check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let entry = hook["entry"].as_str().unwrap();
    assert!(
        entry.starts_with("runsheet check --changed-since"),
        "{entry}"
    );

    // With a broken link staged in one chapter, the hook's command fails on
    // it alone.
    let dir = book_repository();
    let root = dir.path();
    let clean = shell(root, entry);
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    let chapter = root.join("docs/preparedomain.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\nSee [the missing page](missing-page.md).\n"),
    )
    .unwrap();
    crate::common::git(root, &["add", "docs/preparedomain.md"]);
    let out = shell(root, entry);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("missing-page.md"), "{said}");
    assert!(said.contains("1 error"), "{said}");
}
