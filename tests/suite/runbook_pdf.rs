//! The printed runbook, in a real browser: `out/prod/runbook.html` of our
//! book printed to PDF with headless Chromium holds every step id, every
//! admonition's text and every chapter's sign-off, naming its chapter; no
//! page is blank, and none holds only a sign-off or a stray line; table
//! text breaks between words, an identifier only after its `.` and `_`.
//! Printed with progress carried over, a run's result and counts are in
//! its record.
//!
//! It needs `chromium`, `pdftotext` and `pdftoppm` (Debian's `chromium` and
//! `poppler-utils`). Without them it says so and is skipped, unless the
//! machine must have them (`CI=true`, `RUNSHEET_REQUIRE_TOOLS=1` or
//! `RUNSHEET_REQUIRE_BROWSER=1`, as `.ci/run` sets it, which installs
//! them): see `common::have`.

use crate::common::{CHROMIUM, PDFTOPPM, PDFTOTEXT, have};
use pulldown_cmark::{Event, Options, Parser};
use std::path::Path;
use std::process::Command;

/// The text of one page of `pdf`, laid out as printed.
fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The lines of a page's body, beside a sign-off: its text without the
/// running header and footer (the chapter, the environment, "page N of
/// M") and without the sign-off's caption and head row.
fn body_lines(page: &str) -> Vec<String> {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !l.ends_with("Runbook: prod"))
        .filter(|l| !(l.starts_with("page ") && l.contains(" of ")))
        .filter(|l| !l.starts_with("Sign-off: "))
        .filter(|l| l.split_whitespace().collect::<Vec<_>>() != ["Done", "by", "Date", "Result"])
        .map(str::to_string)
        .collect()
}

/// The pages of `pdf` whose body, beside a sign-off, is less than three
/// lines: a page that holds only a sign-off or a stray line.
fn stray_pages(pdf: &Path, pages: usize) -> Vec<(usize, Vec<String>)> {
    (1..=pages)
        .map(|n| (n, body_lines(&page_text(pdf, n))))
        .filter(|(_, body)| body.len() < 3)
        .collect()
}

/// Text without white space: how a PDF's text and a runbook's compare.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn plain(markdown: &str) -> String {
    let mut out = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Print `html` to `pdf` with headless Chromium.
pub fn print_to_pdf(html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        pdf.exists(),
        "chromium printed no PDF:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether a grey-scale PGM (P5) image has nothing on it but white.
fn blank(pgm: &[u8]) -> bool {
    // The header: "P5", width, height, maximum, each after white space.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 && at < pgm.len() {
        while at < pgm.len() && pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        while at < pgm.len() && !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    pgm[(at + 1).min(pgm.len())..].iter().all(|&p| p >= 245)
}

#[test]
fn the_printed_prod_runbook_has_every_step_id_admonition_and_sign_off_and_no_blank_page() {
    if !have(&[&CHROMIUM, &PDFTOTEXT, &PDFTOPPM]) {
        return;
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    crate::common::runsheet()
        .args(["render", "--env", "prod", "--out"])
        .arg(&out)
        .arg(root)
        .assert()
        .success();
    let pdf = dir.path().join("prod.pdf");
    print_to_pdf(&out.join("prod/runbook.html"), &pdf);

    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = squeeze(&String::from_utf8_lossy(&text.stdout));

    // Every step id: each row of the tracking sheet, and each run of the
    // run cycle's record.
    let csv = std::fs::read_to_string(out.join("prod/runbook.csv")).unwrap();
    let md = std::fs::read_to_string(out.join("prod/runbook.md")).unwrap();
    let mut ids: Vec<String> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(',').map(|(id, _)| id.to_string()))
        .collect();
    ids.extend(
        md.lines()
            .filter_map(|l| l.strip_prefix("| `run-cycle."))
            .filter_map(|l| l.split_once('`'))
            .map(|(n, _)| format!("run-cycle.{n}")),
    );
    assert!(ids.len() > 150, "{} ids", ids.len());
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !text.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "step ids not in the PDF: {missing:?}");

    // Every admonition's text, wherever it stands (in a step too).
    let mut admonitions = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        let quoted = line.trim_start().strip_prefix('>');
        match (quoted, current.as_mut()) {
            (Some(q), None) if q.trim_start().starts_with("[!") => current = Some(String::new()),
            (Some(q), Some(body)) => {
                body.push_str(q);
                body.push('\n');
            }
            (None, Some(_)) => admonitions.push(current.take().unwrap()),
            _ => {}
        }
    }
    admonitions.extend(current);
    assert!(admonitions.len() >= 15, "{} admonitions", admonitions.len());
    // pdftotext joins a word broken at its hyphen across two lines
    // without the hyphen (`self-` `service`): hyphens are left out of both.
    let unhyphenated = text.replace('-', "");
    for body in &admonitions {
        let wanted = squeeze(&plain(body)).replace('-', "");
        assert!(
            unhyphenated.contains(&wanted),
            "an admonition is not in the PDF: {body}"
        );
    }

    // A sign-off for every chapter, naming it.
    let chapters: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(chapters.len() > 10);
    assert_eq!(text.matches("DonebyDateResult").count(), chapters.len());
    for c in &chapters {
        let (number, title) = c.split_once(". ").unwrap();
        let caption = squeeze(&format!("Sign-off: {number}. {}", plain(title)));
        assert!(
            text.contains(&format!("{caption}DonebyDateResult")),
            "{caption}"
        );
    }

    // Table text breaks between words: the record's heads and profiles
    // are whole, and an identifier breaks only after its `.` or `_`.
    // In the content stream's order (`-raw`): laid out by columns, a cell's
    // second line can land far from its first.
    let raw = Command::new("pdftotext")
        .arg("-raw")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&raw.stdout);
    for word in ["Updates", "Deletes", "Errors", "Synchronization"] {
        assert!(raw.contains(word), "{word}");
        let cut = &word[..word.len() - 1];
        assert!(
            !raw.lines().any(|l| l.trim_end().ends_with(cut)),
            "`{word}` broken in the PDF"
        );
    }
    let keys: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(k, _)| k))
        .filter(|k| k.contains('.') && !k.starts_with("run-cycle"))
        .collect();
    assert!(keys.len() > 20, "{keys:?}");
    for key in keys {
        let broken_only_after_separators = regex_lite(key);
        assert!(
            broken_only_after_separators(&raw),
            "`{key}` is broken in the PDF elsewhere than after `.` or `_`"
        );
    }

    // No page is blank.
    let pages = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "12", "-gray"])
        .arg(&pdf)
        .arg(&pages)
        .status()
        .unwrap();
    assert!(status.success());
    let mut images: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    images.sort();
    assert!(images.len() > 10, "{} pages", images.len());
    let blank_pages: Vec<String> = images
        .iter()
        .filter(|p| blank(&std::fs::read(p).unwrap()))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(blank_pages.is_empty(), "blank pages: {blank_pages:?}");

    // No page holds only a sign-off or a stray line.
    let stray = stray_pages(&pdf, images.len());
    assert!(
        stray.is_empty(),
        "pages with a sign-off or a stray line alone: {stray:?}"
    );
    println!("the printed prod runbook: {} pages", images.len());
}

/// Whether `text` holds `key` whole, or broken (white space, a new line)
/// only after a `.` or `_` of it.
fn regex_lite(key: &str) -> impl Fn(&str) -> bool + '_ {
    move |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        let key: Vec<char> = key.chars().collect();
        (0..chars.len()).any(|start| {
            let mut at = start;
            for (i, k) in key.iter().enumerate() {
                if chars.get(at) != Some(k) {
                    return false;
                }
                at += 1;
                if matches!(k, '.' | '_') && i + 1 < key.len() {
                    while chars.get(at).is_some_and(|c| c.is_whitespace()) {
                        at += 1;
                    }
                }
            }
            true
        })
    }
}

#[test]
fn a_page_with_a_sign_off_and_a_stray_line_alone_is_found() {
    let lone = "1. Install                      Runbook: prod\n\n   Create the agent\n   Sign-off: 1. Install\n   Done by     Date     Result\n\n   page 7 of 9\n";
    assert_eq!(body_lines(lone), ["Create the agent"]);
    let full = "Runbook: prod\n a\n b\n c\n Sign-off: 1. Install\n Done by Date Result\n";
    assert_eq!(body_lines(full).len(), 3);
    assert!(regex_lite("accounts.sharepoint_farm")(
        "x accounts.\nsharepoint_farm y"
    ));
    assert!(!regex_lite("accounts.sharepoint_farm")(
        "accounts.sharepoint_f\narm"
    ));
}

#[test]
fn a_runs_result_and_counts_carried_over_are_printed_and_a_chapter_not_done_is_not_signed() {
    if !have(&[&CHROMIUM, &PDFTOTEXT]) {
        return;
    }
    let dir = crate::common::book_repository();
    let root = dir.path();
    crate::common::runsheet()
        .current_dir(root)
        .args(["render", "--env", "prod"])
        .assert()
        .success();
    let md = std::fs::read_to_string(root.join("out/prod/runbook.md")).unwrap();
    let csv = std::fs::read_to_string(root.join("out/prod/runbook.csv")).unwrap();
    // Two of the first chapter's sixteen steps done, and signed anyway.
    let steps: Vec<String> = csv
        .lines()
        .filter(|l| l.starts_with("prepare-azure-ad-for-graphapi."))
        .take(2)
        .map(|l| {
            let id = l.split(',').next().unwrap();
            let hash = l.rsplit(',').next().unwrap();
            format!(r#"{{"id": "{id}", "hash": "{hash}", "done": true, "done_by": "Bo"}}"#)
        })
        .collect();
    assert!(md.contains("| `run-cycle.3` |"));
    std::fs::create_dir_all(root.join("progress")).unwrap();
    std::fs::write(
        root.join("progress/prod.json"),
        format!(
            r#"{{"environment": "prod", "steps": [{}, {{"id": "run-cycle.3", "result": "completed-export-errors", "counts": {{"adds": 417, "errors": 2}}}}],
  "signoffs": [{{"chapter": "prepare-azure-ad-for-graphapi", "done_by": "Bo Signer", "date": "2026-12-02", "result": "success"}}]}}"#,
            steps.join(", ")
        ),
    )
    .unwrap();
    crate::common::runsheet()
        .current_dir(root)
        .args(["render", "--env", "prod", "--keep-progress"])
        .assert()
        .success();
    let pdf = root.join("prod.pdf");
    print_to_pdf(&root.join("out/prod/runbook.html"), &pdf);
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("run-cycle.3 "))
        .unwrap_or_else(|| panic!("no record row of run-cycle.3:\n{text}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    // The result, which may wrap after one of its hyphens.
    assert!(cells.iter().any(|c| c.starts_with("completed-")), "{row}");
    let raw = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(squeeze(&String::from_utf8_lossy(&raw.stdout)).contains("completed-export-errors"));
    assert!(
        cells.ends_with(&["417", "2"]),
        "adds 417 and errors 2, the blank counts left blank: {row}"
    );
    assert!(
        !text.contains("Bo Signer"),
        "2 of 16 steps done: not signed off"
    );
}

#[test]
fn a_white_page_is_blank_and_a_page_with_a_mark_is_not() {
    let mut white = b"P5\n4 2\n255\n".to_vec();
    white.extend([255u8; 8]);
    assert!(blank(&white));
    let mut marked = white.clone();
    marked[12] = 0;
    assert!(!blank(&marked));
}
