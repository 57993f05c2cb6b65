//! `runbook.html` as a checklist in a real browser: headless Chromium,
//! driven over its DevTools pipe by `tests/browser/checklist.js`, opens
//! `out/prod/runbook.html` of our book, ticks two steps and fills a
//! sign-off; after a reload they are still there (local storage); "Export
//! progress" saves a `progress.json` that `runsheet status` reads.
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
    let first = "prepare-azure-ad-for-graphapi.1";
    for state in ["before", "after"] {
        let steps = &v[state]["steps"];
        assert_eq!(steps[0]["id"], first, "{v}");
        assert_eq!(steps[0]["checked"], true, "{state}: {v}");
        assert_eq!(steps[0]["done_by"], "Ann Operator", "{state}: {v}");
        assert_eq!(steps[0]["result"], "success", "{state}: {v}");
        assert_eq!(steps[1]["checked"], true, "{state}: {v}");
        assert_eq!(steps[2]["checked"], false, "{state}: {v}");
        assert_eq!(steps[0]["labelled"], true, "{state}: {v}");
        assert_eq!(v[state]["overall"], 2, "{state}: {v}");
        // A bar for the whole runbook and one per chapter with steps; the
        // runs of the cycle take their counts.
        assert!(v[state]["bars"].as_u64().unwrap() > 10, "{state}: {v}");
        assert!(
            v[state]["count_fields"].as_u64().unwrap() > 0,
            "{state}: {v}"
        );
    }
    assert_eq!(v["exported"], true, "{v}");

    let exported = downloads.path().join("progress.json");
    let out = runsheet()
        .current_dir(root)
        .arg("status")
        .arg(&exported)
        .output()
        .unwrap();
    let status = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{status}");
    assert!(status.starts_with("prod: 2 of "), "{status}");
    assert!(
        status.contains(&format!("  {first}  Ann Operator · ")),
        "{status}"
    );
    assert!(
        status.contains("next: prepare-azure-ad-for-graphapi.3 "),
        "{status}"
    );
    // Against the guide it was rendered from, nothing changed.
    let out = runsheet()
        .current_dir(root)
        .arg("diff")
        .arg(&exported)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
