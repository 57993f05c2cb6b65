//! The contract between `runbook.md` and the progress reader: the lines
//! the default template writes (`render::runbook_md`) read back as the
//! runbook's steps, sign-offs, environment and runs; a book's own template
//! that does not write them gets a message saying what is missing, not
//! progress read as nothing.

use crate::common::{copy_dir, runsheet};
use runsheet::progress::{self, Progress};
use runsheet::render::context::{Context, KeptProgress, KeptRun, KeptStep, RunCounts};
use runsheet::render::runbook_md;
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/render-book";

/// The fixture's `lab` runbook.md with the default templates, and its
/// context; `kept` carried over as `render --keep-progress` does.
fn lab_runbook(kept: KeptProgress) -> (String, Context) {
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let guide = runsheet::load(&book, &Default::default()).unwrap();
    let env = runsheet::env::load(&book, "lab", &[]).unwrap();
    let out = book.join("out");
    let ctx = runsheet::render::context_for(&guide, &env, &out).unwrap();
    let templates = runsheet::render::templates::Templates::load(&book, "").unwrap();
    let mut all = runsheet::render::Kept::new();
    all.insert("lab".into(), kept);
    let files = runsheet::render::render_keeping(
        &guide,
        std::slice::from_ref(&env),
        &templates,
        &out,
        &Default::default(),
        &all,
    )
    .unwrap();
    let md = files
        .into_iter()
        .find(|f| f.name == "runbook.md")
        .unwrap()
        .contents;
    (md, ctx)
}

/// Every box ticked, each chapter's sign-off line filled (`Op0`, `Op1`…
/// in order), and the first run recorded with a count left blank.
fn ticked(md: &str, ctx: &Context) -> String {
    let mut out = md.replace("- [ ] `", "- [x] `");
    let slugs = ctx
        .chapters
        .iter()
        .map(|c| c.slug.as_str())
        .chain(std::iter::once("run-cycle"));
    for (n, slug) in slugs.enumerate() {
        let blank = runbook_md::sign_off(slug, "", "", "");
        assert!(out.contains(&blank), "{slug}");
        out = out.replace(
            &blank,
            &runbook_md::sign_off(slug, &format!("Op{n}"), "2026-12-01", "success"),
        );
    }
    let row = out
        .lines()
        .find(|l| l.starts_with("| `run-cycle.1` |"))
        .unwrap()
        .to_string();
    out.replace(
        &row,
        &row.replace("| | | | | |", "| completed-warnings | 1 | | 3 | 4 |"),
    )
}

#[test]
fn the_default_runbook_md_reads_back_every_step_sign_off_and_run() {
    let (md, ctx) = lab_runbook(KeptProgress::default());
    let p: Progress = progress::read::markdown(&ticked(&md, &ctx), "runbook.md").unwrap();
    assert_eq!(p.environment.as_deref(), Some("lab"));
    assert!(ctx.run_cycle_in.is_none(), "the fixture's cycle is its own");

    // Every step of the runbook, in its order, with its hash and the text
    // `diff` compares.
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    let expected: Vec<&str> = ctx.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, expected);
    let lines = progress::markdown_lines(&ctx);
    for (read, step) in p.steps.iter().zip(&ctx.steps) {
        assert!(read.done, "{}", read.id);
        assert_eq!(read.hash, step.hash, "{}", read.id);
        assert_eq!(Some(&read.text), lines.get(step.id.as_str()), "{}", read.id);
    }

    // Each chapter's sign-off is its own; the run cycle's comes last.
    let signed: Vec<(&str, &str)> = p
        .signoffs
        .iter()
        .map(|s| (s.chapter.as_str(), s.done_by.as_str()))
        .collect();
    let mut expected: Vec<(&str, String)> = ctx
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_str(), format!("Op{i}")))
        .collect();
    expected.push(("run-cycle", format!("Op{}", ctx.chapters.len())));
    let expected: Vec<(&str, &str)> = expected.iter().map(|(c, o)| (*c, o.as_str())).collect();
    assert_eq!(signed, expected);
    assert!(
        p.signoffs
            .iter()
            .all(|s| s.date == "2026-12-01" && s.result == "success")
    );
    // A sign-off is the chapter's: it signs no step of its own.
    assert!(p.steps.iter().all(|s| s.done_by.is_empty()));

    // The recorded run: its result and counts from the run record, the
    // blank one not recorded.
    let run = p.step("run-cycle.1").unwrap();
    assert_eq!(run.result, "completed-warnings");
    assert_eq!(
        run.counts,
        Some(RunCounts::from_each([Some(1), None, Some(3), Some(4)]))
    );
}

#[test]
fn a_kept_runbook_md_reads_back_as_the_ticks_it_kept() {
    let (_, ctx) = lab_runbook(KeptProgress::default());
    let [first, second, ..] = ctx.steps.as_slice() else {
        panic!("the fixture has steps");
    };
    let steps = BTreeMap::from([
        (
            first.id.clone(),
            KeptStep {
                done_by: "Ann".into(),
                ..KeptStep::default()
            },
        ),
        (
            second.id.clone(),
            KeptStep {
                changed: true,
                ..KeptStep::default()
            },
        ),
    ]);
    let runs = BTreeMap::from([(
        "run-cycle.2".to_string(),
        KeptRun {
            result: "completed-export-errors".into(),
            counts: RunCounts::from_each([Some(417), None, None, Some(2)]),
        },
    )]);
    let (md, _) = lab_runbook(KeptProgress {
        steps,
        runs,
        ..KeptProgress::default()
    });
    assert!(md.contains(runbook_md::CHANGED));
    assert!(
        md.lines().any(|l| l.starts_with("| `run-cycle.2` |")
            && l.ends_with("| completed-export-errors | 417 | | | 2 |")),
        "{md}"
    );
    let p = progress::read::markdown(&md, "runbook.md").unwrap();
    let done: Vec<&str> = p
        .steps
        .iter()
        .filter(|s| s.done)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(done, [first.id.as_str(), "run-cycle.2"]);
    let run = p.step("run-cycle.2").unwrap();
    assert_eq!(run.result, "completed-export-errors");
    assert_eq!(
        run.counts,
        Some(RunCounts::from_each([Some(417), None, None, Some(2)]))
    );
    // The mark is not part of the changed step's text.
    let lines = progress::markdown_lines(&ctx);
    assert_eq!(
        Some(&p.step(&second.id).unwrap().text),
        lines.get(second.id.as_str())
    );
}

/// A copy of the fixture book with its own `runbook.md.j2`, rendered for
/// `lab`.
fn book_with_runbook_template(template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE),
        dir.path(),
    );
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/runbook.md.j2"), template).unwrap();
    let out = runsheet()
        .current_dir(dir.path())
        .args(["render", "--env", "lab"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
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

#[test]
fn a_runbook_md_without_step_lines_says_so_and_points_to_the_other_files() {
    let dir = book_with_runbook_template(
        "# {{ environment.name }}\n{% for s in steps %}\n- [ ] {{ s.id }}: {{ s.text }}\n{% endfor %}\n",
    );
    let root = dir.path();
    let md = std::fs::read_to_string(root.join("out/lab/runbook.md")).unwrap();
    std::fs::write(root.join("ticked.md"), md.replacen("- [ ]", "- [x]", 1)).unwrap();
    for args in [
        &["status", "--env", "lab", "ticked.md"][..],
        &["diff", "--env", "lab", "ticked.md"],
        &["render", "--env", "lab", "--keep-progress", "ticked.md"],
    ] {
        let (code, _, err) = run(root, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ticked.md: no step lines to read progress from (`- [ ] `ID` <!-- hash HASH --> …`"),
            "{args:?}: {err}"
        );
        assert!(err.contains("progress.json"), "{err}");
        assert!(err.contains("runbook.csv"), "{err}");
    }
    // The tracking sheet of the same render is read as ever.
    let (code, out, err) = run(root, &["status", "--env", "lab", "out/lab/runbook.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("lab: 0 of "), "{out}");
}

#[test]
fn a_runbook_md_without_the_environment_row_asks_for_env() {
    let dir = book_with_runbook_template(
        "# Runbook\n{% for c in chapters %}{% for s in c.steps %}\n{{ md_step_box(s, kept) }}{{ s.markdown | indent(2) }}\n{% endfor %}{% endfor %}\n",
    );
    let root = dir.path();
    let (code, _, err) = run(root, &["status", "out/lab/runbook.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("out/lab/runbook.md: no environment row (`| Environment | `NAME` |`"),
        "{err}"
    );
    assert!(err.contains("give --env NAME"), "{err}");
    assert!(err.contains("progress.json"), "{err}");

    let (code, out, err) = run(root, &["status", "--env", "lab", "out/lab/runbook.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("lab: 0 of "), "{out}");
}
