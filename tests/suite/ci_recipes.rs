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

/// The README's "Runbooks in CI" commands, as written.
fn readme_ci_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Runbooks in CI")
        .nth(1)
        .expect("the README has a \"Runbooks in CI\" section");
    let block = section
        .split("```console\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    block
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(|l| l.split(" # ").next().unwrap().trim_end().to_string())
        .collect()
}

#[test]
fn the_readme_s_runbook_ci_recipe_passes_on_a_fresh_clone() {
    let commands = readme_ci_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    // A clone of the repository: what Git tracks, so no out/.
    let origin = book_repository();
    let clone = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet"])
        .arg(origin.path())
        .arg(clone.path().join("repo"))
        .status()
        .unwrap();
    assert!(status.success());
    let root = clone.path().join("repo");
    assert!(!root.join("out").exists());
    for command in &commands {
        let out = shell(&root, command);
        assert!(
            out.status.success(),
            "`{command}` failed on a fresh clone:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // And the check can fail: a changed runbook is a difference.
    let runbook = root.join("out/ci/prod/runbook.md");
    let text = std::fs::read_to_string(&runbook).unwrap();
    std::fs::write(&runbook, text.replace("FAB-AD", "FAB-XX")).unwrap();
    let out = shell(&root, &commands[1]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_readme_s_run_result_table_is_the_script_s() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    crate::common::runsheet()
        .args(["render", "--env", "prod", "--out"])
        .arg(out.path())
        .arg(repo)
        .assert()
        .success();
    let script = std::fs::read_to_string(out.path().join("prod/Invoke-RunCycle.ps1")).unwrap();
    // `'result' = 'Action'` in the script.
    let in_script = |result: &str| -> Option<String> {
        script.lines().find_map(|l| {
            let rest = l.trim().strip_prefix(&format!("'{result}' = '"))?;
            Some(rest.strip_suffix('\'')?.to_string())
        })
    };
    // `| `a`, `b` | Action | the cycle |` rows of the README's table.
    let mut rows = 0;
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, results, action, effect, _] = cells.as_slice() else {
            continue;
        };
        if !matches!(*action, "Continue" | "Warn" | "Stop") || results.starts_with("anything") {
            continue;
        }
        match *action {
            "Warn" => assert!(effect.contains("exit 3"), "{line}"),
            "Stop" => assert!(effect.contains("exit 1"), "{line}"),
            _ => assert!(!effect.contains("exit"), "{line}"),
        }
        for result in results.split(", ") {
            let result = result.trim_matches('`');
            assert_eq!(
                in_script(result).as_deref(),
                Some(*action),
                "README says `{result}` is {action}"
            );
            rows += 1;
        }
    }
    assert_eq!(
        rows, 7,
        "read every finished result from the README's table"
    );
    // Anything else stops the cycle, as the README says.
    assert!(
        readme.contains("| anything else (`stopped-*`, `no-start-*`) | Stop | stops: exit 1 |")
    );
    assert!(script.contains("    return 'Stop'\n"));
    assert!(script.contains("    Stopped = 1\n"));
}
