//! What a hostile file can make runsheet print or leave behind: values
//! from files shown on a terminal with their control characters visible
//! (`␛`, `␍`, `<U+202E>`), never acted on; a render killed midway does not
//! lock its output folder for good; and the cases of the "Bad input" page
//! that are about values check must refuse as render does.

use crate::common::{copy_dir, runsheet, write_files};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/pg-upgrade";

/// A copy of the PostgreSQL book in a temporary folder.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE),
        dir.path(),
    );
    dir
}

fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = runsheet().current_dir(root).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// No control character but the line feeds between lines, and no
/// bidirectional override.
fn inert(text: &str) -> bool {
    !text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// A line no output should ever hold unless a file forged it.
const FORGED: &str = "\u{1b}[2K\r\u{1b}[32mFAKE: 210 of 210 done\u{1b}[0m";

/// A `progress/prod.json` whose first step is ticked by `done_by` with
/// `result`, and with a step the runbook does not have.
fn progress(root: &Path, done_by: &str, result: &str, gone: &str) {
    let p = serde_json::json!({
        "format": "runsheet-progress/1",
        "environment": "prod",
        "steps": [
            {"id": "check-cluster.announce-start-maintenance", "hash": "aa79cf4a4de0",
             "text": "Announce", "done": true, "done_by": done_by,
             "date": "2026\u{202e}01", "result": result},
            {"id": gone, "hash": "1", "text": "old\rFAKE", "done": true}
        ]
    });
    write_files(root, &[("progress/prod.json", &p.to_string())]);
}

#[test]
fn status_shows_a_progress_file_s_control_characters_instead_of_obeying_them() {
    let dir = book();
    let root = dir.path();
    progress(
        root,
        &format!("Ann{FORGED}"),
        "success\rFAKE",
        "gone\u{1b}]0;x\u{7}",
    );
    let (code, out, err) = run(root, &["status", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
    assert!(inert(&out), "{out:?}");
    assert!(
        out.contains("Ann␛[2K␍␛[32mFAKE: 210 of 210 done␛[0m · 2026<U+202E>01 · success␍FAKE"),
        "{out}"
    );
    assert!(
        out.contains("not in the runbook any more: gone␛]0;x␇"),
        "{out}"
    );
    // Plain values print as they are.
    progress(root, "Ann", "success", "gone");
    let (_, out, _) = run(root, &["status", "--env", "prod"]);
    assert!(out.contains("Ann · 2026<U+202E>01 · success"), "{out}");
}

#[test]
fn diff_shows_a_removed_step_s_id_and_text_with_their_control_characters_visible() {
    let dir = book();
    let root = dir.path();
    progress(root, "Ann", "success", &format!("gone{FORGED}"));
    let (code, out, err) = run(root, &["diff", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
    assert!(inert(&out), "{out:?}");
    assert!(
        out.contains("- gone␛[2K␍␛[32mFAKE: 210 of 210 done␛[0m  old␍FAKE"),
        "{out}"
    );
}

#[test]
fn an_unknown_environment_named_by_a_progress_file_is_echoed_inert() {
    let dir = book();
    let root = dir.path();
    let evil = serde_json::json!({
        "environment": format!("prod{FORGED}\nFAKE line"),
        "steps": [{"id": "a"}]
    });
    write_files(root, &[("evil.json", &evil.to_string())]);
    let (code, _, err) = run(root, &["status", "evil.json"]);
    assert_eq!(code, 2);
    assert!(inert(&err), "{err:?}");
    assert!(
        err.contains("there is no environment `prod␛[2K␍␛[32mFAKE: 210 of 210 done␛[0m␊FAKE line`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_baseline_entry_that_no_longer_occurs_is_named_with_its_message_inert() {
    let dir = book();
    let root = dir.path();
    let baseline = serde_json::json!({
        "version": 1,
        "findings": [{"file": "x\u{1b}[31m.md", "rule": "broken-link", "fingerprint": "0123456789abcdef",
                      "count": 1, "message": format!("old{FORGED}")}]
    });
    write_files(root, &[("base.json", &baseline.to_string())]);
    let (code, out, err) = run(root, &["check", "--baseline", "base.json"]);
    assert_eq!(code, 0, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(inert(&all), "{all:?}");
    assert!(
        all.contains("x␛[31m.md: broken-link: old␛[2K␍␛[32mFAKE: 210 of 210 done␛[0m"),
        "{all}"
    );
}

#[test]
fn render_check_shows_the_lines_of_a_file_on_disk_inert() {
    let dir = book();
    let root = dir.path();
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let md = root.join("out/prod/runbook.md");
    let text = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, format!("{FORGED}\n{text}")).unwrap();
    let (code, out, err) = run(root, &["render", "--out", "out", "--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(inert(&out) && inert(&err), "{out:?}{err:?}");
    assert!(out.contains("-␛[2K"), "{out}");
    assert!(out.contains("␛[32mFAKE: 210 of 210 done␛[0m"), "{out}");
}

#[test]
fn verify_names_an_export_s_broken_entity_inert() {
    // A damaged export is the server's file: the entity it names is quoted
    // with its control characters visible.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_files(
        root,
        &[
            ("book.toml", "[book]\ntitle = \"t\"\n"),
            ("src/SUMMARY.md", "# S\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n"),
            (
                "environments/lab.yaml",
                "agents:\n  mim:\n    name: MA\n    type: FIM Service Management Agent\n    partition: default\n",
            ),
            (
                "export/MA-{00000000-0000-0000-0000-000000000001}.XML",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<saved-ma-configuration><ma-data><name>&evil\u{1b}[31m;</name></ma-data></saved-ma-configuration>\n",
            ),
        ],
    );
    let (code, _, err) = run(root, &["verify", "--env", "lab", "export"]);
    assert_eq!(code, 2, "{err}");
    assert!(inert(&err), "{err:?}");
    assert!(err.contains("`&evil␛[31m;` refers to an entity"), "{err}");
}

#[test]
fn a_render_killed_midway_leaves_a_lock_and_staged_files_the_next_render_recovers() {
    let dir = book();
    let root = dir.path();
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    // What a render killed between staging and renaming leaves: its lock,
    // naming a process that is gone, and its staged files.
    let dead = dead_pid();
    write_files(
        root,
        &[
            ("out/.runsheet.lock", &format!("pid {dead}\n")),
            (
                &format!("out/prod/.runbook.md.new-{dead}"),
                "half a runbook",
            ),
            (
                &format!("out/.runsheet-rendered.new-{dead}"),
                "half a record",
            ),
            // Not a staged output of a render: left alone.
            (&format!("out/prod/.notes.txt.new-{dead}"), "mine"),
        ],
    );
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "recovered out/.runsheet.lock: the render that held it (process {dead}, gone) stopped before it finished"
        )),
        "{err}"
    );
    assert!(
        err.contains("removed 2 file(s) a stopped render left staged"),
        "{err}"
    );
    assert!(!root.join("out/.runsheet.lock").exists());
    assert!(
        !root
            .join(format!("out/prod/.runbook.md.new-{dead}"))
            .exists()
    );
    assert!(
        !root
            .join(format!("out/.runsheet-rendered.new-{dead}"))
            .exists()
    );
    assert!(
        root.join(format!("out/prod/.notes.txt.new-{dead}"))
            .exists()
    );
    // The next render has nothing to recover.
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("recovered"), "{err}");
}

#[test]
fn a_lock_held_by_a_live_process_is_respected() {
    let dir = book();
    let root = dir.path();
    let me = std::process::id();
    write_files(root, &[("out/.runsheet.lock", &format!("pid {me}\n"))]);
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "another render is writing into `out` (its lock file out/.runsheet.lock names process {me}, which is running)"
        )),
        "{err}"
    );
    assert!(!root.join("out/prod").exists());
    assert!(root.join("out/.runsheet.lock").exists());
}

/// The id of a process that has ended (a child, waited for).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// `runsheet mdbook` on a chapter `text` of a book whose environment
/// `lab` has `values` (YAML), as mdBook sends it: the chapter it gives
/// back.
fn preprocessed(text: &str, values: &str) -> String {
    use mdbook_preprocessor::PreprocessorContext;
    use mdbook_preprocessor::book::{Book, BookItem, Chapter};
    use std::str::FromStr;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let toml = "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[preprocessor.runsheet]\nenvironment = \"lab\"\nfail-on = \"never\"\n";
    write_files(
        root,
        &[
            ("book.toml", toml),
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("src/a.md", text),
            ("environments/lab.yaml", values),
        ],
    );
    let config = mdbook_preprocessor::config::Config::from_str(toml).unwrap();
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, "html".to_string());
    let mut book = Book::new();
    book.push_item(Chapter::new("A", text.to_string(), "a.md", vec![]));
    let out = runsheet()
        .args(["mdbook"])
        .write_stdin(serde_json::to_vec(&(ctx, book)).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let book: Book = serde_json::from_slice(&out.stdout).unwrap();
    match &book.items[0] {
        BookItem::Chapter(c) => c.content.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_preprocessor_leaves_no_script_link_that_a_value_makes() {
    let text = "# A\n\nSee [the portal]({{ v.u }}), ![logo]({{ v.i }}) and <a href=\"{{ v.u }}\">here</a>.\n\nMine: [home](https://example.com/{{ v.p }}) and [bad](JaVaScRiPt:alert(2)) and <vbscript:x>.\n";
    let values = "values:\n  v:\n    u: \"javascript:alert(document.cookie)\"\n    i: \"data:image/svg+xml;base64,PHN2Zz4=\"\n    p: docs\n";
    let out = preprocessed(text, values);
    assert!(!out.to_ascii_lowercase().contains("(javascript:"), "{out}");
    assert!(!out.contains("data:"), "{out}");
    assert!(out.contains("[the portal](#)"), "{out}");
    assert!(out.contains("![logo](#)"), "{out}");
    assert!(out.contains("<a href=\"#\">here</a>"), "{out}");
    assert!(out.contains("[bad](#)"), "{out}");
    assert!(out.contains(" and <#>."), "{out}");
    // A web address a value makes stays a link.
    assert!(out.contains("[home](https://example.com/docs)"), "{out}");
}

#[test]
fn check_refuses_a_value_holding_a_control_character_at_its_line_as_render_does() {
    let dir = book();
    let root = dir.path();
    let prod = root.join("environments/prod.yaml");
    let text = std::fs::read_to_string(&prod).unwrap();
    let bad = text.replace(
        "  window: \"Sat 02:00-04:00 UTC\"",
        "  window: \"Sat 02:00\\x7f-04:00 UTC\"",
    );
    assert_ne!(bad, text);
    std::fs::write(&prod, bad).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("  window:"))
        .unwrap()
        + 1;
    let expected = format!(
        "environments/prod.yaml:{line}:11: `window` holds the control character U+007F in environment `prod`"
    );
    let (code, out, _) = run(root, &["check", "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("invalid-variable-value"), "{out}");
    assert!(
        out.contains("`window` holds the control character U+007F"),
        "{out}"
    );
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&expected), "{err}");
    assert!(!root.join("out").exists());
}

#[test]
fn a_progress_listing_a_step_twice_is_refused_naming_it() {
    let dir = book();
    let root = dir.path();
    let step = |by: &str| {
        serde_json::json!({"id": "check-cluster.announce-start-maintenance",
            "hash": "aa79cf4a4de0", "done": true, "done_by": by})
    };
    let twice = serde_json::json!({"environment": "prod", "steps": [step("Ann"), step("Bob")]});
    write_files(root, &[("progress/prod.json", &twice.to_string())]);
    let (code, _, err) = run(root, &["status", "--env", "prod"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("step `check-cluster.announce-start-maintenance` is listed twice"),
        "{err}"
    );
    let once = serde_json::json!({"environment": "prod", "steps": [step("Ann")]});
    write_files(root, &[("progress/prod.json", &once.to_string())]);
    let (code, _, err) = run(root, &["status", "--env", "prod"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_csv_progress_with_cr_line_ends_is_read() {
    let dir = book();
    let root = dir.path();
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(root.join("out/prod/runbook.csv")).unwrap();
    for (name, text) in [
        ("lf.csv", csv.replace("\r\n", "\n")),
        ("cr.csv", csv.replace("\r\n", "\n").replace('\n', "\r")),
    ] {
        write_files(root, &[(name, &text)]);
        let (code, out, err) = run(root, &["status", "--env", "prod", name]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.starts_with("prod: 0 of 15 steps done"), "{name}: {out}");
    }
}

#[test]
fn a_baseline_with_a_byte_order_mark_is_read_and_one_counting_too_many_is_refused() {
    let dir = book();
    let root = dir.path();
    let baseline = |count: u64| {
        format!(
            "{{\"version\": 1, \"findings\": [{{\"file\": \"a.md\", \"rule\": \"broken-link\", \"fingerprint\": \"0123456789abcdef\", \"count\": {count}, \"message\": \"m\"}}]}}"
        )
    };
    write_files(root, &[("bom.json", &format!("\u{feff}{}", baseline(1)))]);
    let (code, _, err) = run(root, &["check", "--baseline", "bom.json"]);
    assert_eq!(code, 0, "{err}");
    write_files(root, &[("huge.json", &baseline(u64::MAX))]);
    let (code, _, err) = run(root, &["check", "--baseline", "huge.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("huge.json: not a runsheet baseline: the entry of a.md (broken-link) counts 18446744073709551615 findings, more than a check reports (1000000 at most)"),
        "{err}"
    );
}

#[test]
fn an_empty_set_names_itself_as_the_fix() {
    let dir = book();
    let root = dir.path();
    let (code, _, err) = run(
        root,
        &[
            "render", "--out", "out", "--env", "prod", "--set", "window=",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: --set window=: `values.window` is left empty in environment `prod`"),
        "{err}"
    );
    assert!(
        err.contains("give it a value (`--set window=VALUE`), or leave `--set window=` out"),
        "{err}"
    );
    assert!(!err.contains("add `values.window` to"), "{err}");
}

#[test]
fn a_template_whose_name_makes_no_file_is_named() {
    let dir = book();
    let root = dir.path();
    for name in ["..j2", ".j2"] {
        write_files(root, &[(&format!("templates/{name}"), "x")]);
        let (code, _, err) = run(root, &["render", "--out", "out"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!(
                "templates/{name}: a template makes the file its name gives without `.j2`"
            )),
            "{err}"
        );
        std::fs::remove_file(root.join("templates").join(name)).unwrap();
    }
    write_files(root, &[("templates/notes.md.j2", "x")]);
    let (code, _, err) = run(root, &["render", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn no_remote_keeps_runbook_html_from_loading_web_images() {
    let dir = book();
    let root = dir.path();
    let chapter = root.join("src/backup.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\n3. Compare with ![the pixel](https://tracker.example/p.gif) and ![local](img.png).\n"),
    )
    .unwrap();
    let (code, _, err) = run(root, &["render", "--out", "open"]);
    assert_eq!(code, 0, "{err}");
    let open = std::fs::read_to_string(root.join("open/prod/runbook.html")).unwrap();
    assert!(open.contains("<img src=\"https://tracker.example/p.gif\""));
    assert!(!open.contains("Content-Security-Policy"));
    let (code, _, err) = run(root, &["render", "--out", "strict", "--no-remote"]);
    assert_eq!(code, 0, "{err}");
    let strict = std::fs::read_to_string(root.join("strict/prod/runbook.html")).unwrap();
    assert!(!strict.contains("<img src=\"https:"), "{strict}");
    assert!(
        strict.contains(
            "<a href=\"https://tracker.example/p.gif\" class=\"remote-image\">the pixel</a>"
        ),
        "{strict}"
    );
    assert!(strict.contains("<img src=\"../../src/img.png\" alt=\"local\""));
    let head = strict.find("<meta charset=\"utf-8\">").unwrap();
    let policy = strict
        .find("<meta http-equiv=\"Content-Security-Policy\" content=\"img-src 'self' data:\">")
        .unwrap();
    assert!(policy > head && policy < strict.find("<style").unwrap_or(usize::MAX));
}
