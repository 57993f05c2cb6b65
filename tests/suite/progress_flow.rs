//! Working through a runbook: render, tick, change the guide, see which
//! ticked steps to redo (`runsheet diff`), where the runbook stands
//! (`runsheet status`), and render again keeping the rest
//! (`render --keep-progress`).

use crate::common::{book_repository, runsheet};
use std::path::Path;

const BLANK_SIGN_OFF: &str =
    "**Sign-off:** done by ____________ · date ____________ · result ____________";

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = runsheet().current_dir(root).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Tick `ids` in a rendered runbook.md and fill the sign-off of the
/// chapter of the last of them.
fn tick(md: &str, ids: &[&str], signed: &str) -> String {
    let mut md = md.to_string();
    for id in ids {
        let from = format!("- [ ] `{id}` ");
        assert!(md.contains(&from), "{id} is not in the runbook");
        md = md.replacen(&from, &format!("- [x] `{id}` "), 1);
    }
    let last = md.find(&format!("`{}`", ids.last().unwrap())).unwrap();
    let at = last + md[last..].find(BLANK_SIGN_OFF).unwrap();
    md.replace_range(at..at + BLANK_SIGN_OFF.len(), signed);
    md
}

#[test]
fn a_changed_ticked_step_is_named_and_the_others_are_kept() {
    let dir = book_repository();
    let root = dir.path();
    let (code, _, err) = run(root, &["render", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");

    // Three steps ticked in the Markdown runbook, the chapter signed off.
    let md = std::fs::read_to_string(root.join("out/prod/runbook.md")).unwrap();
    let ids = [
        "prepare-azure-ad-for-graphapi.1",
        "prepare-azure-ad-for-graphapi.2",
        "prepare-azure-ad-for-graphapi.3",
    ];
    let ticked = tick(
        &md,
        &ids,
        "**Sign-off:** done by Ann Operator · date 2026-12-01 · result success",
    );
    std::fs::write(root.join("ticked.md"), &ticked).unwrap();

    let (code, status, err) = run(root, &["status", "ticked.md"]);
    println!("$ runsheet status ticked.md\n{status}");
    assert_eq!(code, 0, "{err}");
    assert!(status.starts_with("prod: 3 of "), "{status}");
    assert!(
        status.contains("  Prepare Azure AD for the MIM Graph connector: 3 done, 13 remaining\n"),
        "{status}"
    );
    assert!(
        status.contains("  prepare-azure-ad-for-graphapi.2  Ann Operator · 2026-12-01 · success\n"),
        "{status}"
    );
    assert!(
        status.contains("next: prepare-azure-ad-for-graphapi.4 "),
        "{status}"
    );

    // Unchanged guide: nothing to redo.
    let (code, out, err) = run(root, &["diff", "ticked.md"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("prod: 0 added, 0 removed, 0 changed"),
        "{out}"
    );

    // The chapter changes one ticked step.
    let chapter = root.join("docs/prepare-azure-ad-for-GraphAPI.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    assert!(text.contains("then **New registration**"));
    std::fs::write(
        &chapter,
        text.replacen(
            "then **New registration**",
            "then **New registration** at the top",
            1,
        ),
    )
    .unwrap();

    let (code, diff, err) = run(root, &["diff", "--env", "prod", "ticked.md"]);
    println!("$ runsheet diff --env prod ticked.md\n{diff}");
    assert_eq!(code, 1, "a ticked step changed: {diff}{err}");
    assert!(
        diff.starts_with("prod: 0 added, 0 removed, 1 changed (1 of them ticked: to do again)\n"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "~ prepare-azure-ad-for-graphapi.2  changed after it was ticked, do it again"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("then **New [-registration**.-]{+registration** at the top.+}"),
        "{diff}"
    );

    let (code, _, err) = run(
        root,
        &["render", "--env", "prod", "--keep-progress", "ticked.md"],
    );
    assert_eq!(code, 0, "{err}");
    let kept = std::fs::read_to_string(root.join("out/prod/runbook.md")).unwrap();
    assert!(kept.contains("- [x] `prepare-azure-ad-for-graphapi.1` "));
    assert!(kept.contains("- [x] `prepare-azure-ad-for-graphapi.3` "));
    let line = kept
        .lines()
        .find(|l| l.contains("`prepare-azure-ad-for-graphapi.2`"))
        .unwrap();
    assert!(
        line.contains("**Changed since it was ticked: do it again.**"),
        "{line}"
    );
    assert!(kept.contains("**Sign-off:** done by Ann Operator · date 2026-12-01 · result success"));
    assert_eq!(kept.matches("- [x] ").count(), 2);
    let html = std::fs::read_to_string(root.join("out/prod/runbook.html")).unwrap();
    assert!(html.contains(r#"data-step="prepare-azure-ad-for-graphapi.1" data-hash="#));
    assert_eq!(html.matches(" data-done>").count(), 2);
    assert!(html.contains("<td>Ann Operator</td><td>2026-12-01</td><td>success</td>"));

    // The kept runbook reads back as the same progress, less the step to
    // redo; and against the guide it was rendered from, nothing changed.
    let (code, out, _) = run(root, &["status", "out/prod/runbook.md"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("prod: 2 of "), "{out}");
    let (code, out, _) = run(root, &["diff", "out/prod/runbook.md"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn progress_json_and_the_tracking_sheet_are_read_too() {
    let dir = book_repository();
    let root = dir.path();
    let (code, _, err) = run(root, &["render", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(root.join("out/prod/runbook.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("prepare-azure-ad-for-graphapi.1,"))
        .unwrap();
    let hash = row.rsplit(',').next().unwrap();

    let json = format!(
        r#"{{"format": "runsheet-progress/1", "environment": "prod", "steps": [
  {{"id": "prepare-azure-ad-for-graphapi.1", "hash": "{hash}", "done": true,
    "done_by": "Bo", "date": "2026-12-02", "result": "completed-sync-errors",
    "counts": {{"adds": 1, "updates": 2, "deletes": 0, "errors": 3}}}}
]}}"#
    );
    std::fs::write(root.join("progress.json"), json).unwrap();
    let (code, out, err) = run(root, &["status", "progress.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("results that were not success:\n  prepare-azure-ad-for-graphapi.1  Bo · 2026-12-02 · completed-sync-errors (adds 1, updates 2, deletes 0, errors 3)\n"), "{out}");
    let (code, out, _) = run(root, &["status", "--format", "json", "progress.json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["done"], 1);
    assert_eq!(v[0]["next"]["id"], "prepare-azure-ad-for-graphapi.2");

    // A JSON progress lists only ticked steps: the others are "added".
    let (code, out, _) = run(root, &["diff", "progress.json"]);
    assert_eq!(code, 0, "{out}");

    // The tracking sheet: a filled `done by` ticks the row.
    let filled = csv.replacen(
        &row.to_string(),
        &row.replacen(",,,,", ",Cy,2026-12-03,success,", 1),
        1,
    );
    std::fs::write(root.join("sheet.csv"), filled).unwrap();
    let (code, out, err) = run(root, &["status", "--env", "prod", "sheet.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  prepare-azure-ad-for-graphapi.1  Cy · 2026-12-03 · success\n"),
        "{out}"
    );
    let (code, _, err) = run(root, &["status", "sheet.csv"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("sheet.csv: the file does not name its environment: give --env NAME"),
        "{err}"
    );
}

#[test]
fn bad_progress_files_are_named_with_their_line() {
    let dir = book_repository();
    let root = dir.path();
    std::fs::write(
        root.join("p.json"),
        "{\"environment\": \"prod\",\n \"steps\": [1]}",
    )
    .unwrap();
    let (code, _, err) = run(root, &["status", "p.json"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: p.json:2:"), "{err}");

    std::fs::write(root.join("p.txt"), "hello").unwrap();
    let (code, _, err) = run(root, &["status", "p.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("p.txt: not a progress file"), "{err}");

    std::fs::write(root.join("p.md"), "# Notes\n\n- [x] done\n").unwrap();
    let (code, _, err) = run(root, &["diff", "--env", "prod", "p.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("p.md: no step lines to read progress from"),
        "{err}"
    );

    std::fs::write(
        root.join("q.md"),
        "| Environment | `prod` |\n- [?] `a.1` <!-- hash 0 --> x\n",
    )
    .unwrap();
    let (code, _, err) = run(root, &["status", "q.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("q.md:2:4: step `a.1`: a check box is `[ ]` or `[x]`"),
        "{err}"
    );

    std::fs::write(
        root.join("r.json"),
        r#"{"environment": "test", "steps": [{"id": "a.1", "done": true}]}"#,
    )
    .unwrap();
    let (code, _, err) = run(root, &["status", "--env", "prod", "r.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the progress is for environment `test`, not `prod`"),
        "{err}"
    );
}
