//! `runbook.html` as a checklist in a real browser: headless Chromium,
//! driven over its DevTools pipe by `tests/browser/checklist.js`, opens
//! `out/prod/runbook.html` of our book, ticks every step of the first
//! chapter, fills a step's details (which open on demand), the chapter's
//! sign-off and a run's record; the next chapter's prerequisite box shows
//! the chapter done and links to it; a contents link leaves the heading
//! clear of the toolbar; after a reload everything is still there (local
//! storage); the keyboard ticks a box and opens a step's details; "Export progress" saves a `prod.json` that `runsheet status`
//! and `render --keep-progress` read from `progress/prod.json`.
//!
//! It needs `chromium` and `node`. Without them it says so and is
//! skipped, unless the machine must have them (`CI=true`,
//! `RUNSHEET_REQUIRE_TOOLS=1` or `RUNSHEET_REQUIRE_BROWSER=1`, as `.ci/run`
//! sets it): see `common::have`.

use crate::common::{CHROMIUM, NODE, book_repository, have, runsheet};
use std::process::Command;

#[test]
fn ticks_survive_a_reload_and_the_export_reads_back() {
    if !have(&[&CHROMIUM, &NODE]) {
        return;
    }
    let dir = book_repository();
    let root = dir.path();
    runsheet()
        .current_dir(root)
        .args(["render", "--env", "prod"])
        .assert()
        .success();
    let downloads = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/checklist.js");
    let out = Command::new("node")
        .arg(script)
        .arg(root.join("out/prod/runbook.html"))
        .arg(downloads.path())
        .arg(profile.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let chapter = "prepare-azure-ad-for-graphapi";

    // Before anything is done: details closed, a result offers MIM's run
    // results, every field is labelled, the prerequisite is a link that
    // shows the chapter's progress and cannot be ticked.
    let fresh = &v["fresh"];
    assert_eq!(fresh["chapter"], chapter, "{v}");
    assert_eq!(fresh["steps"], 16, "{v}");
    assert_eq!(fresh["first"]["details_open"], false, "{v}");
    assert_eq!(fresh["first"]["fields_in_details"], true, "{v}");
    assert_eq!(fresh["first"]["result_list"], "rs-results", "{v}");
    assert_eq!(fresh["run"]["options"], 7, "{v}");
    assert_eq!(fresh["unlabelled"], 0, "{v}");
    assert_eq!(fresh["prerequisite"]["href"], format!("#{chapter}"), "{v}");
    assert_eq!(fresh["prerequisite"]["box"], "", "{v}");
    assert_eq!(
        fresh["prerequisite"]["state"], "(0 of 16 steps done)",
        "{v}"
    );
    assert_eq!(fresh["prerequisite"]["checkbox"], false, "{v}");
    assert_eq!(
        fresh["signoff"]["caption"], "Sign-off: 1. Prepare Azure AD for the MIM Graph connector",
        "{v}"
    );

    for state in ["before", "after"] {
        let s = &v[state];
        assert_eq!(s["ticked"], 16, "{state}: {v}");
        assert_eq!(s["overall"], 16, "{state}: {v}");
        assert_eq!(s["first"]["done_by"], "Ann Operator", "{state}: {v}");
        assert_eq!(s["first"]["result"], "success", "{state}: {v}");
        // Ticking a step fills in today's date.
        let summary = s["first"]["summary"].as_str().unwrap();
        assert!(
            summary.starts_with(" (Ann Operator · ") && summary.ends_with(" · success)"),
            "{state}: {v}"
        );
        assert_eq!(s["prerequisite"]["box"], "✓", "{state}: {v}");
        assert_eq!(s["prerequisite"]["state"], "(done)", "{state}: {v}");
        assert_eq!(
            s["run"]["result"], "completed-export-errors",
            "{state}: {v}"
        );
        assert_eq!(s["run"]["adds"], "417", "{state}: {v}");
        assert_eq!(s["run"]["updates"], "", "{state}: {v}");
        assert_eq!(s["signoff"]["done_by"], "Ann Operator", "{state}: {v}");
        // A bar for the whole runbook and one per chapter with steps.
        assert!(s["bars"].as_u64().unwrap() > 10, "{state}: {v}");
    }
    assert_eq!(v["before"]["first"]["details_open"], true, "{v}");
    let jump = &v["jump"];
    assert!(jump["scrolled"].as_f64().unwrap() > 0.0, "{v}");
    assert!(
        jump["heading"].as_f64().unwrap() >= jump["toolbar"].as_f64().unwrap(),
        "the heading a contents link jumps to is under the toolbar: {v}"
    );
    assert_eq!(
        v["keyboard"],
        serde_json::json!({"ticked": true, "details_open": true}),
        "Space ticks a focused box, Enter opens a step's details: {v}"
    );
    assert_eq!(
        v["print"]["overflow"], 0,
        "printed, nothing is wider than an A4 page (else every page shrinks): {}",
        v["print"]
    );
    assert_eq!(v["exported"], true, "{v}");

    // The export, kept where progress lives, is read by status and
    // carried into the next render: blank counts stay blank.
    let exported = downloads.path().join("prod.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    let run = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "run-cycle.3")
        .unwrap();
    assert_eq!(run["counts"], serde_json::json!({"adds": 417, "errors": 2}));
    std::fs::create_dir_all(root.join("progress")).unwrap();
    std::fs::copy(&exported, root.join("progress/prod.json")).unwrap();
    let out = runsheet().current_dir(root).arg("status").output().unwrap();
    let status = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{status}");
    assert!(status.starts_with("prod: 17 of "), "{status}");
    assert!(
        status.contains("  Prepare Azure AD for the MIM Graph connector: 16 done, 0 remaining, signed off: Ann Operator · 2026-12-01 · success\n"),
        "{status}"
    );
    assert!(
        status.contains("  run-cycle.3  Full Import (Stage Only) on FAB-AD: completed-export-errors (adds 417, errors 2)\n"),
        "{status}"
    );
    // Against the guide it was rendered from, nothing changed.
    let out = runsheet().current_dir(root).arg("diff").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    runsheet()
        .current_dir(root)
        .args(["render", "--env", "prod", "--keep-progress"])
        .assert()
        .success();
    let md = std::fs::read_to_string(root.join("out/prod/runbook.md")).unwrap();
    assert!(md.contains(
        "**Sign-off of `prepare-azure-ad-for-graphapi`:** done by Ann Operator · date 2026-12-01 · result success"
    ));
    let row = md
        .lines()
        .find(|l| l.starts_with("| `run-cycle.3` |"))
        .unwrap();
    assert!(
        row.ends_with("| completed-export-errors | 417 | | | 2 |"),
        "{row}"
    );
    // The runbook rendered with that progress, printed, is no wider than
    // the page either.
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("node")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/checklist.js"))
        .arg("--measure")
        .arg(root.join("out/prod/runbook.html"))
        .arg(profile.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["print"]["overflow"], 0, "{v}");
}
