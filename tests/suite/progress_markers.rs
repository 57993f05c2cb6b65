//! The contract between `runbook.md` and the progress reader: the lines
//! the default template writes (`render::runbook_md`) read back as the
//! runbook's steps, sign-offs, environment and runs; a book's own template
//! that does not write them gets a message saying what is missing, not
//! progress read as nothing.

use crate::common::{copy_dir, runsheet};
use runsheet::progress::{self, Progress};
use runsheet::render::context::{Context, KeptStep};
use runsheet::render::runbook_md;
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/render-book";

/// The fixture's `lab` runbook.md with the default templates, and its
/// context; `kept` carried over as `render --keep-progress` does.
fn lab_runbook(kept: BTreeMap<String, KeptStep>) -> (String, Context) {
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

/// Every box ticked, the sign-off lines filled in order (`Op0`, `Op1`…),
/// and the first run recorded.
fn ticked(md: &str) -> String {
    let blank = runbook_md::sign_off("", "", "");
    let mut out = md.replace("- [ ] `", "- [x] `");
    let mut n = 0;
    while let Some(at) = out.find(&blank) {
        out.replace_range(
            at..at + blank.len(),
            &runbook_md::sign_off(&format!("Op{n}"), "2026-12-01", "success"),
        );
        n += 1;
    }
    let row = out
        .lines()
        .find(|l| l.starts_with("| `run-cycle.1` |"))
        .unwrap()
        .to_string();
    out.replace(
        &row,
        &row.replace("| | | | | |", "| completed-warnings | 1 | 2 | 3 | 4 |"),
    )
}

#[test]
fn the_default_runbook_md_reads_back_every_step_sign_off_and_run() {
    let (md, ctx) = lab_runbook(BTreeMap::new());
    let p: Progress = progress::read::markdown(&ticked(&md), "runbook.md").unwrap();
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

    // Each chapter's sign-off signs its steps; the run cycle's comes last.
    let mut sign_off_of: BTreeMap<&str, String> = ctx
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.title.as_str(), format!("Op{i}")))
        .collect();
    sign_off_of.insert("Run cycle", format!("Op{}", ctx.chapters.len()));
    for (read, step) in p.steps.iter().zip(&ctx.steps) {
        if read.id == "run-cycle.1" {
            continue;
        }
        assert_eq!(
            read.done_by,
            sign_off_of[step.chapter.as_str()],
            "{}",
            read.id
        );
        assert_eq!(
            (read.date.as_str(), read.result.as_str()),
            ("2026-12-01", "success")
        );
    }

    // The recorded run: its result and counts from the run record.
    let run = p.step("run-cycle.1").unwrap();
    assert_eq!(run.result, "completed-warnings");
    let counts = run.counts.clone().unwrap();
    assert_eq!(
        (counts.adds, counts.updates, counts.deletes, counts.errors),
        (1, 2, 3, 4)
    );
}

#[test]
fn a_kept_runbook_md_reads_back_as_the_ticks_it_kept() {
    let (_, ctx) = lab_runbook(BTreeMap::new());
    let [first, second, ..] = ctx.steps.as_slice() else {
        panic!("the fixture has steps");
    };
    let kept = BTreeMap::from([
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
    let (md, _) = lab_runbook(kept);
    assert!(md.contains(runbook_md::CHANGED));
    let p = progress::read::markdown(&md, "runbook.md").unwrap();
    let done: Vec<&str> = p
        .steps
        .iter()
        .filter(|s| s.done)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(done, [first.id.as_str()]);
    assert_eq!(p.step(&first.id).unwrap().done_by, "Ann");
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
