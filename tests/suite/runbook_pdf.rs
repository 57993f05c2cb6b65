//! The printed runbook, in a real browser: `out/prod/runbook.html` of our
//! book printed to PDF with headless Chromium holds every step id, every
//! admonition's text and every chapter's sign-off, and no page is blank.
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
    for body in &admonitions {
        let wanted = squeeze(&plain(body));
        assert!(
            text.contains(&wanted),
            "an admonition is not in the PDF: {body}"
        );
    }

    // A sign-off for every chapter.
    let chapters = md
        .lines()
        .filter(|l| l.starts_with("## ") && l[3..].starts_with(|c: char| c.is_ascii_digit()))
        .count();
    assert!(chapters > 10);
    assert_eq!(text.matches("DonebyDateResult").count(), chapters);

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
    println!("the printed prod runbook: {} pages", images.len());
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
