//! A book that is not about Microsoft Identity Manager
//! (`tests/fixtures/pg-upgrade`: upgrading a PostgreSQL primary and its
//! replicas, with a part one environment skips, alerts, a table and code)
//! renders runbooks only: no MIM file, no agents, no run cycle; each
//! runbook complete and in the book's order, opened by the introduction's
//! prerequisites and warning, which no path takes.

use crate::common::{copy_dir, runsheet};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/pg-upgrade";

/// A copy of the book in a temporary folder.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE),
        dir.path(),
    );
    dir
}

/// The files of `OUT/ENV/`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The chapters' titles of a runbook.md, in order (`## N. Title`).
fn chapters(runbook: &str) -> Vec<String> {
    runbook
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| l.split_once(". "))
        .filter(|(n, _)| n.bytes().all(|b| b.is_ascii_digit()))
        .map(|(_, title)| title.to_string())
        .collect()
}

#[test]
fn a_book_about_postgresql_checks_and_renders_runbooks_only() {
    let dir = book();
    let root = dir.path();
    let check = runsheet().arg("check").current_dir(root).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let render = runsheet()
        .args(["render", "--out", "out"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(0), "{render:?}");

    // The steps of each chapter, as the book has them.
    let extract = runsheet()
        .arg("extract")
        .current_dir(root)
        .output()
        .unwrap();
    let guide: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    let steps_of = |title: &str| -> usize {
        let chapter = guide["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == title)
            .unwrap_or_else(|| panic!("no chapter {title}"));
        chapter["steps"].as_array().unwrap().len()
    };

    let all = [
        "Check the cluster",
        "Back up the primary",
        "Upgrade the primary",
        "Rebuild the replicas",
        "Verify and reopen",
    ];
    for (env, expected) in [
        ("prod", all.to_vec()),
        // Staging is one server: it skips the part "Replicas".
        (
            "staging",
            all.iter()
                .copied()
                .filter(|t| *t != "Rebuild the replicas")
                .collect(),
        ),
    ] {
        let out = root.join("out").join(env);
        assert_eq!(
            files(&out),
            ["runbook.csv", "runbook.html", "runbook.md"],
            "{env}"
        );
        let md = std::fs::read_to_string(out.join("runbook.md")).unwrap();
        let html = std::fs::read_to_string(out.join("runbook.html")).unwrap();
        let csv = std::fs::read_to_string(out.join("runbook.csv")).unwrap();
        assert_eq!(chapters(&md), expected, "{env}");
        // Every step of every chapter on the path, once in each runbook.
        let steps: usize = expected.iter().map(|t| steps_of(t)).sum();
        assert_eq!(md.matches("\n- [ ] `").count(), steps, "{env}: {md}");
        assert_eq!(csv.lines().count(), steps + 1, "{env}: {csv}");
        // Nothing about Microsoft Identity Manager.
        for text in [&md, &html, &csv] {
            let lower = text.to_lowercase();
            for word in [
                "agent",
                "run cycle",
                "run-cycle",
                "synchronization service",
                "mim",
            ] {
                assert!(!lower.contains(word), "{env}: `{word}` in {text}");
            }
        }
        // The introduction's prerequisites and warning come first.
        let before = md.find("## Before you start").expect("a preamble");
        assert!(before < md.find("## 1. ").unwrap());
        assert!(md.contains("- The backup host has room for a full base backup of the primary."));
        assert!(
            md.contains("> [!WARNING]\n> `pg_upgrade --link` hard-links"),
            "{md}"
        );
        assert!(html.contains("id=\"before-you-start\""));
        // The book's table, code and alerts, filled in.
        assert!(
            md.contains(
                "| Data folder | `/var/lib/postgresql/15/main` | `/var/lib/postgresql/16/main` |"
            ),
            "{md}"
        );
        assert!(md.contains("pg_upgrade --link \\\n"), "{md}");
        for alert in ["[!NOTE]", "[!IMPORTANT]", "[!CAUTION]", "[!TIP]"] {
            assert!(md.contains(alert), "{env}: {alert}");
        }
    }
    let prod = std::fs::read_to_string(root.join("out/prod/runbook.md")).unwrap();
    assert!(
        prod.contains("On `pg-prod-02.example.net`, stop the old cluster"),
        "{prod}"
    );
}

#[test]
fn a_book_lists_the_outputs_it_wants() {
    let dir = book();
    let root = dir.path();
    let declarations = root.join("variables.yaml");
    let text = std::fs::read_to_string(&declarations).unwrap();
    std::fs::write(&declarations, format!("{text}\noutputs: [runbook.md]\n")).unwrap();
    let render = runsheet()
        .args(["render", "--out", "out"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(0), "{render:?}");
    assert_eq!(files(&root.join("out/staging")), ["runbook.md"]);

    // An output no template makes is the declarations' error, for check
    // and render alike.
    std::fs::write(&declarations, format!("{text}\noutputs: [runbook.pdf]\n")).unwrap();
    let line = text.lines().count() + 2;
    for args in [&["check"][..], &["render", "--out", "out2"]] {
        let out = runsheet().args(args).current_dir(root).output().unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_ne!(out.status.code(), Some(0), "{args:?}: {said}");
        assert!(
            said.contains(&format!("variables.yaml:{line}:")),
            "{args:?}: {said}"
        );
        assert!(
            said.contains("`runbook.pdf` is listed in `outputs`, but no template makes it"),
            "{args:?}: {said}"
        );
    }
    assert!(!root.join("out2").exists());
}
