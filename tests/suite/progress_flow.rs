//! Working through a runbook: render, tick, change the guide, see which
//! ticked steps to redo (`runsheet diff`), where the runbook stands
//! (`runsheet status`), and render again keeping the rest
//! (`render --keep-progress`). Progress lives beside the book, in
//! `progress/ENV.json` (or `.md`, `.csv`), where no render writes; steps
//! are matched by their content, not their place.

use crate::common::{book_repository, runsheet};
use std::path::Path;

/// The chapter these tests tick, and its slug.
const CHAPTER: &str = "docs/prepare-azure-ad-for-GraphAPI.md";
const SLUG: &str = "prepare-azure-ad-for-graphapi";

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = runsheet().current_dir(root).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The step ids of chapter `slug` in a rendered runbook.md, in order.
fn step_ids(md: &str, slug: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| {
            l.strip_prefix("- [ ] `")
                .or_else(|| l.strip_prefix("- [x] `"))
        })
        .filter_map(|l| l.split_once('`').map(|(id, _)| id.to_string()))
        .filter(|id| id.starts_with(&format!("{slug}.")) && !id.contains(".profile."))
        .collect()
}

/// Tick `ids` in a rendered runbook.md.
fn tick(md: &str, ids: &[&str]) -> String {
    let mut md = md.to_string();
    for id in ids {
        let from = format!("- [ ] `{id}` ");
        assert!(md.contains(&from), "{id} is not in the runbook");
        md = md.replacen(&from, &format!("- [x] `{id}` "), 1);
    }
    md
}

/// Fill the sign-off line of chapter `slug`.
fn sign(md: &str, slug: &str, by: &str) -> String {
    let blank = format!(
        "**Sign-off of `{slug}`:** done by ____________ · date ____________ · result ____________"
    );
    assert!(md.contains(&blank), "no blank sign-off of {slug}");
    md.replacen(
        &blank,
        &format!("**Sign-off of `{slug}`:** done by {by} · date 2026-12-01 · result success"),
        1,
    )
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `render --env prod` in `root`, which must succeed; what it said on
/// standard error.
fn render_prod(root: &Path) -> String {
    let (code, _, err) = run(root, &["render", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
    err
}

#[test]
fn an_inserted_step_is_one_added_and_every_tick_stays_on_its_step() {
    let dir = book_repository();
    let root = dir.path();
    render_prod(root);
    // The operator's own files in the output folder.
    write(root, "out/prod/progress.json", "{\"steps\": []}\n");
    write(root, "out/prod/notes.md", "Ring Ann before the secret.\n");

    // Steps 1, 3 and 4 of the chapter ticked, kept where progress lives.
    let md = read(&root.join("out/prod/runbook.md"));
    let ids = step_ids(&md, SLUG);
    assert_eq!(ids.len(), 16, "{ids:?}");
    let ticked = [ids[0].as_str(), ids[2].as_str(), ids[3].as_str()];
    write(root, "progress/prod.md", &tick(&md, &ticked));

    // A step inserted after step 1 of the chapter's source.
    let chapter = root.join(CHAPTER);
    let text = read(&chapter);
    let first = "1. Open the Azure portal, authenticate as a Global Administrator of the tenant, and go to **Azure Active Directory**.\n";
    assert!(text.contains(first));
    let inserted = text
        .replacen(
            first,
            &format!("{first}2. Check that your account can grant admin consent for the tenant.\n"),
            1,
        )
        .replacen(
            "\n2. Select **App registrations**",
            "\n3. Select **App registrations**",
            1,
        )
        .replacen(
            "\n3. Fill in the registration form",
            "\n4. Fill in the registration form",
            1,
        )
        .replacen(
            "\n4. On the **Overview** page",
            "\n5. On the **Overview** page",
            1,
        );
    std::fs::write(&chapter, inserted).unwrap();

    let (code, diff, err) = run(root, &["diff", "--env", "prod"]);
    println!("$ runsheet diff --env prod\n{diff}");
    assert_eq!(code, 0, "{diff}{err}");
    assert!(
        diff.starts_with("prod: 1 added, 0 removed, 0 changed (0 of them ticked: to do again)\n"),
        "{diff}"
    );
    assert!(
        diff.contains(&format!(
            "+ {SLUG}.check-account-can  Check that your account"
        )),
        "{diff}"
    );

    let (code, _, err) = run(root, &["render", "--env", "prod", "--keep-progress"]);
    assert_eq!(code, 0, "{err}");
    let kept = read(&root.join("out/prod/runbook.md"));
    let now: Vec<&str> = kept
        .lines()
        .filter_map(|l| l.strip_prefix("- [x] `"))
        .filter_map(|l| l.split_once('`').map(|(id, _)| id))
        .collect();
    assert_eq!(now, ticked, "exactly the three ticked steps");
    assert!(!kept.contains("Changed since it was ticked"), "{kept}");
    let (code, status, err) = run(root, &["status", "--env", "prod"]);
    println!("$ runsheet status --env prod\n{status}");
    assert_eq!(code, 0, "{err}");
    assert!(status.starts_with("prod: 3 of "), "{status}");
    assert!(
        status.contains(&format!("next: {SLUG}.check-account-can ")),
        "{status}"
    );

    // A second render, plain: the operator's files are still there.
    let err = render_prod(root);
    assert!(
        err.contains("note: progress/prod.md is not carried into this render"),
        "{err}"
    );
    assert_eq!(
        read(&root.join("out/prod/progress.json")),
        "{\"steps\": []}\n"
    );
    assert_eq!(
        read(&root.join("out/prod/notes.md")),
        "Ring Ann before the secret.\n"
    );
}

#[test]
fn a_changed_ticked_step_is_named_and_the_others_are_kept() {
    let dir = book_repository();
    let root = dir.path();
    render_prod(root);

    // Three steps ticked in the Markdown runbook, the chapter signed off
    // early.
    let md = read(&root.join("out/prod/runbook.md"));
    let ids = step_ids(&md, SLUG);
    let ticked = [ids[0].as_str(), ids[1].as_str(), ids[2].as_str()];
    std::fs::write(
        root.join("ticked.md"),
        sign(&tick(&md, &ticked), SLUG, "Ann Operator"),
    )
    .unwrap();

    let (code, status, err) = run(root, &["status", "ticked.md"]);
    println!("$ runsheet status ticked.md\n{status}");
    assert_eq!(code, 0, "{err}");
    assert!(status.starts_with("prod: 3 of "), "{status}");
    assert!(
        status.contains("  Prepare Azure AD for the MIM Graph connector: 3 done, 13 remaining\n"),
        "{status}"
    );
    assert!(
        status.contains(&format!(
            "signed off with 3 of 16 steps done, so not counted: Prepare Azure AD for the MIM Graph connector ({SLUG})"
        )),
        "{status}"
    );
    assert!(status.contains(&format!("next: {} ", ids[3])), "{status}");
    let (code, _, _) = run(root, &["status", "--check", "ticked.md"]);
    assert_eq!(code, 1, "an early sign-off fails the check");

    // Unchanged guide: nothing to redo.
    let (code, out, err) = run(root, &["diff", "ticked.md"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("prod: 0 added, 0 removed, 0 changed"),
        "{out}"
    );

    // The chapter changes one ticked step.
    let chapter = root.join(CHAPTER);
    let text = read(&chapter);
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
        diff.contains(&format!(
            "~ {}  changed after it was ticked, do it again",
            ids[1]
        )),
        "{diff}"
    );
    assert!(
        diff.contains("then **New [-registration**.-]{+registration** at the top.+}"),
        "{diff}"
    );
    let (code, _, _) = run(root, &["status", "--check", "--env", "prod", "ticked.md"]);
    assert_eq!(code, 1);

    let (code, _, err) = run(
        root,
        &["render", "--env", "prod", "--keep-progress", "ticked.md"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "warning: ticked.md: the sign-off of chapter `{SLUG}` (Prepare Azure AD for the MIM Graph connector) is not carried over: 2 of its 16 steps are done"
        )),
        "{err}"
    );
    let kept = read(&root.join("out/prod/runbook.md"));
    assert!(kept.contains(&format!("- [x] `{}` ", ids[0])));
    assert!(kept.contains(&format!("- [x] `{}` ", ids[2])));
    let line = kept
        .lines()
        .find(|l| l.contains(&format!("`{}`", ids[1])))
        .unwrap();
    assert!(
        line.contains("**Changed since it was ticked: do it again.**"),
        "{line}"
    );
    assert!(
        kept.contains(&format!(
            "**Sign-off of `{SLUG}`:** done by ____________ · date ____________ · result ____________"
        )),
        "a chapter with steps to do is not signed off"
    );
    assert_eq!(kept.matches("- [x] ").count(), 2);
    let html = read(&root.join("out/prod/runbook.html"));
    assert!(html.contains(&format!(r#"data-step="{}" data-hash="#, ids[0])));
    assert_eq!(html.matches(" data-done ").count(), 2);
    assert!(!html.contains("<td data-field=\"done_by\"><span class=\"rs-value\">Ann Operator"));

    // The kept runbook reads back as the same progress, less the step to
    // redo; and against the guide it was rendered from, nothing changed.
    let (code, out, _) = run(root, &["status", "out/prod/runbook.md"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("prod: 2 of "), "{out}");
    let (code, out, _) = run(root, &["diff", "out/prod/runbook.md"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_chapter_with_every_step_done_carries_its_sign_off() {
    let dir = book_repository();
    let root = dir.path();
    render_prod(root);
    let md = read(&root.join("out/prod/runbook.md"));
    let ids = step_ids(&md, SLUG);
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    write(
        root,
        "progress/prod.md",
        &sign(&tick(&md, &all), SLUG, "Ann Operator"),
    );
    let (code, status, err) = run(root, &["status", "--check"]);
    assert_eq!(code, 0, "{status}{err}");
    assert!(
        status.contains("  Prepare Azure AD for the MIM Graph connector: 16 done, 0 remaining, signed off: Ann Operator · 2026-12-01 · success\n"),
        "{status}"
    );
    let (code, _, err) = run(root, &["render", "--env", "prod", "--keep-progress"]);
    assert_eq!(code, 0, "{err}");
    let kept = read(&root.join("out/prod/runbook.md"));
    assert!(kept.contains(&format!(
        "**Sign-off of `{SLUG}`:** done by Ann Operator · date 2026-12-01 · result success"
    )));
    let html = read(&root.join("out/prod/runbook.html"));
    assert!(html.contains("<td data-field=\"done_by\"><span class=\"rs-value\">Ann Operator</span></td><td data-field=\"date\"><span class=\"rs-value\">2026-12-01</span></td><td data-field=\"result\"><span class=\"rs-value\">success</span></td>"));
    // The next chapter's prerequisite box shows it done.
    let next = &html[html.find("id=\"preparedomain\"").unwrap()..];
    assert!(
        next.contains(&format!(
            "<li class=\"prerequisite\" data-chapter=\"{SLUG}\"><span class=\"box\" aria-hidden=\"true\">✓</span>"
        )),
        "{}",
        &next[..2000]
    );
}

#[test]
fn a_runs_result_and_counts_reach_the_record_and_blank_is_not_zero() {
    let dir = book_repository();
    let root = dir.path();
    render_prod(root);
    let csv = read(&root.join("out/prod/runbook.csv"));
    let hash_of = |id: &str| {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        row.rsplit(',').next().unwrap().to_string()
    };
    let md = read(&root.join("out/prod/runbook.md"));
    let ids = step_ids(&md, SLUG);
    let step = |id: &str| {
        format!(
            r#"{{"id": "{id}", "hash": "{}", "done": true, "done_by": "Bo", "date": "2026-12-02", "result": "success"}}"#,
            hash_of(id)
        )
    };
    let json = format!(
        r#"{{"format": "runsheet-progress/1", "environment": "prod", "steps": [
  {}, {},
  {{"id": "run-cycle.3", "result": "completed-export-errors", "counts": {{"adds": 417, "errors": 2}}}}
], "signoffs": [{{"chapter": "{SLUG}", "done_by": "Bo", "date": "2026-12-02", "result": "success"}}]}}"#,
        step(&ids[0]),
        step(&ids[1])
    );
    write(root, "progress/prod.json", &json);

    let (code, status, err) = run(root, &["status"]);
    println!("$ runsheet status\n{status}");
    assert_eq!(code, 0, "{err}");
    assert!(status.contains("runs recorded:\n  run-cycle.3  Full Import (Stage Only) on FAB-AD: completed-export-errors (adds 417, errors 2)\n"), "{status}");
    assert!(
        status.contains(
            "results that were not success:\n  run run-cycle.3: completed-export-errors\n"
        ),
        "{status}"
    );
    assert!(
        status.contains("signed off with 2 of 16 steps done"),
        "{status}"
    );
    let (code, _, _) = run(root, &["status", "--check"]);
    assert_eq!(code, 1, "a result that is not success fails the check");
    let (code, out, _) = run(root, &["status", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["done"], 2);
    let counts = &v[0]["runs"][0]["counts"];
    assert_eq!(counts["adds"], 417);
    assert_eq!(counts["updates"], serde_json::Value::Null, "blank is not 0");

    let (code, _, err) = run(root, &["render", "--env", "prod", "--keep-progress"]);
    assert_eq!(code, 0, "{err}");
    let kept = read(&root.join("out/prod/runbook.md"));
    let row = kept
        .lines()
        .find(|l| l.starts_with("| `run-cycle.3` |"))
        .unwrap();
    assert!(
        row.ends_with("| completed-export-errors | 417 | | | 2 |"),
        "{row}"
    );
    assert!(
        kept.contains(&format!(
            "**Sign-off of `{SLUG}`:** done by ____________ · date ____________ · result ____________"
        )),
        "2 of 16 steps done: not signed off"
    );
    let html = read(&root.join("out/prod/runbook.html"));
    assert!(html.contains("<td data-field=\"result\"><span class=\"rs-value\">completed-export-errors</span></td><td data-field=\"adds\"><span class=\"rs-value\">417</span></td><td data-field=\"updates\"><span class=\"rs-value\"></span></td><td data-field=\"deletes\"><span class=\"rs-value\"></span></td><td data-field=\"errors\"><span class=\"rs-value\">2</span></td>"));
    let sheet = read(&root.join("out/prod/runbook.csv"));
    assert!(
        sheet
            .lines()
            .any(|l| l.starts_with("run-cycle.3,")
                && l.contains(",completed-export-errors,417,,,2,")),
        "{sheet}"
    );

    // The kept runbook.md and runbook.csv read back as the same record.
    for file in ["out/prod/runbook.md", "out/prod/runbook.csv"] {
        let (code, out, err) = run(root, &["status", "--env", "prod", file]);
        assert_eq!(code, 0, "{file}: {err}");
        assert!(
            out.contains("  run-cycle.3  Full Import (Stage Only) on FAB-AD: completed-export-errors (adds 417, errors 2)\n"),
            "{file}: {out}"
        );
    }
}

#[test]
fn progress_json_and_the_tracking_sheet_are_read_too() {
    let dir = book_repository();
    let root = dir.path();
    render_prod(root);
    let csv = read(&root.join("out/prod/runbook.csv"));
    let first = step_ids(&read(&root.join("out/prod/runbook.md")), SLUG)
        .into_iter()
        .next()
        .unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{first},")))
        .unwrap();
    let hash = row.rsplit(',').next().unwrap();

    let json = format!(
        r#"{{"format": "runsheet-progress/1", "environment": "prod", "steps": [
  {{"id": "{first}", "hash": "{hash}", "done": true,
    "done_by": "Bo", "date": "2026-12-02", "result": "completed-sync-errors"}}
]}}"#
    );
    std::fs::write(root.join("progress.json"), json).unwrap();
    let (code, out, err) = run(root, &["status", "progress.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "results that were not success:\n  step {first}: completed-sync-errors\n"
        )),
        "{out}"
    );

    // A JSON progress lists only ticked steps: the others are "added".
    let (code, out, _) = run(root, &["diff", "progress.json"]);
    assert_eq!(code, 0, "{out}");

    // The tracking sheet: a filled `done by` ticks the row.
    let filled = csv.replacen(
        row,
        &row.replacen(",,,,,,,", ",Cy,2026-12-03,success,,,,,", 1),
        1,
    );
    std::fs::write(root.join("sheet.csv"), filled).unwrap();
    let (code, out, err) = run(root, &["status", "--env", "prod", "sheet.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("  {first}  Cy · 2026-12-03 · success\n")),
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
fn progress_is_read_from_beside_the_book_by_default() {
    let dir = book_repository();
    let root = dir.path();
    let (code, _, err) = run(root, &["status", "--env", "prod"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "no progress to read: progress/prod.json (or .md, .csv) beside the book does not exist"
        ),
        "{err}"
    );
    let (code, _, err) = run(root, &["render", "--env", "prod", "--keep-progress"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--keep-progress: no progress to keep"),
        "{err}"
    );

    render_prod(root);
    let md = read(&root.join("out/prod/runbook.md"));
    write(root, "progress/prod.md", &md);
    write(
        root,
        "progress/prod.csv",
        &read(&root.join("out/prod/runbook.csv")),
    );
    let (code, _, err) = run(root, &["status"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("environment `prod` has 2 progress files"),
        "{err}"
    );
    std::fs::remove_file(root.join("progress/prod.csv")).unwrap();
    let (code, out, err) = run(root, &["status"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("prod: 0 of "), "{out}");
    let (code, out, err) = run(root, &["diff"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("prod: 0 added, 0 removed, 0 changed"),
        "{out}"
    );
}

#[test]
fn an_id_its_author_wrote_holds_a_step_whose_words_all_changed() {
    let dir = book_repository();
    let root = dir.path();
    let chapter = root.join(CHAPTER);
    let text = read(&chapter);
    let step = "3. Fill in the registration form and select **Register**:";
    assert!(text.contains(step));
    std::fs::write(
        &chapter,
        text.replacen(
            step,
            &format!("{step} <!-- runsheet-step: register-app -->"),
            1,
        ),
    )
    .unwrap();
    render_prod(root);
    let md = read(&root.join("out/prod/runbook.md"));
    let id = format!("{SLUG}.register-app");
    write(root, "progress/prod.md", &tick(&md, &[&id]));
    let html = read(&root.join("out/prod/runbook.html"));
    assert!(!html.contains("runsheet-step"), "the comment is not shown");

    // Its words all change, and it moves before the step above it.
    let text = read(&chapter);
    let rewritten = text
        .replacen(
            &format!("{step} <!-- runsheet-step: register-app -->"),
            "2. Complete every field of the form, then press **Register** <!-- runsheet-step: register-app -->:",
            1,
        )
        .replacen("\n2. Select **App registrations**", "\n3. Select **App registrations**", 1);
    std::fs::write(&chapter, rewritten).unwrap();
    let (code, diff, err) = run(root, &["diff", "--env", "prod"]);
    assert_eq!(code, 1, "{diff}{err}");
    assert!(
        diff.starts_with("prod: 0 added, 0 removed, 1 changed (1 of them ticked: to do again)\n"),
        "{diff}"
    );
    assert!(
        diff.contains(&format!("~ {id}  changed after it was ticked")),
        "{diff}"
    );

    // Two steps of a chapter cannot share an id.
    let text = read(&chapter);
    std::fs::write(
        &chapter,
        text.replacen(
            "3. Select **App registrations**",
            "3. Select **App registrations** <!-- runsheet-step: register-app -->",
            1,
        ),
    )
    .unwrap();
    let (code, _, err) = run(root, &["render", "--env", "prod"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("step id `register-app` is also the id of the step at line"),
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
        root.join("c.md"),
        "| Environment | `prod` |\n- [x] `a.1` <!-- hash 0 --> x\n| `run-cycle.1` | `AD` | Export | success | 3 | lots | | |\n",
    )
    .unwrap();
    let (code, _, err) = run(root, &["status", "c.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("c.md:3:49: run `run-cycle.1`: a count is a whole number, or blank when not recorded, not `lots`"),
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
