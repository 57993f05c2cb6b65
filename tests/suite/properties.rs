//! Invariants, tried on generated input (proptest, a bounded number of
//! cases so the suite stays fast; `PROPTEST_CASES` raises it):
//!
//! - `--fix` edits only link destinations (the mojibake repair aside) and
//!   is idempotent: a second fix of the fixed text changes nothing;
//! - line and column agree with a naive count for LF, CRLF and CR endings;
//! - heading anchors are unique on a page, in every flavour;
//! - render is byte-identical across runs and thread counts;
//! - a step's progress follows its text through steps inserted, removed
//!   and moved;
//! - check never panics, whatever the bytes of a chapter.

use crate::common::write_files;
use proptest::prelude::*;
use runsheet::check::{RuleId, Settings, check, fix};
use runsheet::docfx::Site;
use runsheet::slug::Flavour;
use runsheet::text::LineIndex;
use std::path::Path;
use std::sync::Arc;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        // No files of regressions in the source tree: a failure prints
        // its minimal input, which becomes a named test.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces of Markdown that exercise links, anchors, fixes and text.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Guide\n".to_string()),
        Just("## Second part\n".to_string()),
        Just("## Second part\n".to_string()),
        Just("1. Open the menu.\n".to_string()),
        Just("   - a sub-step\n".to_string()),
        Just("> [!WARNING]\n> Careful.\n".to_string()),
        Just("```text\n[not](a-link.md)\n```\n".to_string()),
        Just("| a | b |\n|---|---|\n| [x](b.md) | y |\n".to_string()),
        Just("[ref]: b.md#second-part\n".to_string()),
        Just("See [ref] and [the text][ref].\n".to_string()),
        Just("Open the cafÃ© menu.\n".to_string()),
        Just("<a id=\"here\"></a>\n".to_string()),
        // Links whose targets are right, wrongly cased, near a name, or
        // near two names.
        prop::sample::select(vec![
            "b.md",
            "B.md",
            "bb.md",
            "c.md",
            "b.md#second-part",
            "b.md#Second-Part",
            "b.md#secnd-part",
            "#guide",
            "#gide",
            "Images/Pic.png",
            "images/pic.png",
            "folder/deep.md",
            "Folder/Deep.md#top",
            "../outside.md",
            "<b b.md>",
            "b%20b.md",
            "https://example.com/x",
        ])
        .prop_flat_map(|dest| {
            prop::sample::select(vec!["Bee", "Guide", "", "The other one", "Deep"])
                .prop_map(move |text| format!("Go to [{text}]({dest}).\n"))
        }),
        "[a-zA-Z #*`\\[\\]()!<>{}|\\-.\n]{0,40}",
    ]
}

fn chapter() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.join("\n"))
}

/// A folder guide with `a.md` and the files its links aim at.
fn guide_with(a: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a.md", a),
            ("b.md", "# Bee\n\n## Second part\n"),
            ("bbb.md", "# Bees\n"),
            ("b b.md", "# Spaced\n"),
            ("folder/deep.md", "# Deep\n\n## Top\n"),
            ("images/pic.png", "png"),
        ],
    );
    dir
}

fn planned(
    root: &Path,
) -> (
    runsheet::Guide,
    Vec<runsheet::check::Diagnostic>,
    Vec<fix::FileEdit>,
) {
    let guide = runsheet::load(root, &Default::default()).unwrap();
    let diagnostics = check(&guide, &Settings::default(), &Site::default());
    let edits = fix::plan(&guide, &diagnostics);
    (guide, diagnostics, edits)
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn fix_edits_only_link_destinations_and_is_idempotent(a in chapter()) {
        let dir = guide_with(&a);
        let (guide, diagnostics, edits) = planned(dir.path());
        for d in &diagnostics {
            let Some(f) = &d.fix else { continue };
            if d.rule == RuleId::MojibakeText {
                continue;
            }
            let chapter = guide.chapter(&d.file).unwrap();
            prop_assert!(
                chapter.links.iter().filter_map(|l| l.dest_span.clone())
                    .any(|dest| dest.start <= f.start && f.end <= dest.end),
                "{:?} at {}:{} edits bytes {}..{} outside every link destination",
                d.rule, d.line, d.column, f.start, f.end
            );
        }
        for edit in &edits {
            std::fs::write(dir.path().join(&edit.file), &edit.after).unwrap();
        }
        let (_, _, again) = planned(dir.path());
        prop_assert!(
            again.is_empty(),
            "a second --fix changed the text again:\n{}",
            again.iter().map(|e| fix::diff(e, &e.file)).collect::<String>()
        );
    }

    #[test]
    fn check_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600),
                                       text in chapter()) {
        // Random bytes spliced into plausible Markdown reach further than
        // random bytes alone.
        let mut chapter = text.into_bytes();
        let at = chapter.len() / 2;
        chapter.splice(at..at, bytes);
        let dir = guide_with("");
        std::fs::write(dir.path().join("a.md"), &chapter).unwrap();
        let (digest, diagnostics) = runsheet::check::read_and_check(
            dir.path(), &Default::default(), &Settings::default(), &Site::default()).unwrap();
        let checked = [runsheet::report::Checked {
            subject: runsheet::report::Subject::Guide(&digest),
            display_root: "book".into(),
            diagnostics,
            baseline: None,
        }];
        let _ = runsheet::report::human::render(&checked, false);
    }
}

/// Where every character of `text` is, counted the obvious way: a line
/// ends at `\n`, at `\r\n` and at a lone `\r`.
fn naive_positions(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let (mut line, mut column) = (1, 1);
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        out.push((i, line, column));
        let lone_cr = c == '\r' && bytes.get(i + 1) != Some(&b'\n');
        if c == '\n' || lone_cr {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn line_and_column_agree_with_a_naive_count(
        lines in prop::collection::vec(
            ("[a-zé€😀 \t\\[\\]]{0,12}", prop::sample::select(vec!["\n", "\r\n", "\r"])),
            0..12,
        )
    ) {
        let text: String = lines.iter().map(|(l, end)| format!("{l}{end}")).collect();
        // As a file is read: a lone CR becomes a line break.
        let (read, _, _) = runsheet::book::decode::decode("a.md", text.clone().into_bytes());
        prop_assert_eq!(read.len(), text.len());
        let index = LineIndex::new(&read);
        for (offset, line, column) in naive_positions(&text) {
            let p = index.position(&read, offset);
            prop_assert_eq!((p.line, p.column), (line, column), "offset {}", offset);
        }
    }

    #[test]
    fn heading_anchors_are_unique_on_a_page(
        headings in prop::collection::vec(
            prop::sample::select(vec![
                "A", "a", "A-1", "A 1", "a-1", "a-2", "`$?`", "", "Next steps",
                "Next Steps", "next-steps-1", "&#x20;a", "-a", "Ünïcode", "?", "a_b",
            ]),
            1..30,
        ),
        level in 1u8..4,
    ) {
        let hashes = "#".repeat(level as usize);
        let text: String = headings.iter().map(|h| format!("{hashes} {h}\n\n")).collect();
        for flavour in [Flavour::Github, Flavour::Mdbook, Flavour::Docfx] {
            let (chapter, _) = runsheet::markdown::parse_chapter(
                "a.md", Arc::new(text.clone()), 0, flavour);
            let mut seen = std::collections::BTreeSet::new();
            for h in &chapter.headings {
                prop_assert!(seen.insert(h.anchor.clone()),
                    "{:?}: `{}` twice in\n{}", flavour, h.anchor, text);
            }
        }
    }
}

/// Render the fixture book, with `extra` as one more chapter, on a pool of
/// `threads` threads.
fn render_on(book: &Path, threads: usize) -> Vec<(String, Vec<u8>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let guide = runsheet::load(book, &Default::default()).unwrap();
        let environments = runsheet::env::load_all(book).unwrap();
        let shown = runsheet::render::shown_root(book);
        let templates = runsheet::render::templates::Templates::load(book, &shown).unwrap();
        let files = runsheet::render::render(
            &guide,
            &environments,
            &templates,
            &book.join("out"),
            &Default::default(),
        )
        .unwrap();
        files
            .into_iter()
            .map(|f| (f.path.display().to_string(), f.contents.into_bytes()))
            .collect()
    })
}

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn render_is_byte_identical_across_runs_and_thread_counts(extra in chapter()) {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render-book");
        let dir = tempfile::tempdir().unwrap();
        crate::common::copy_dir(&fixture, dir.path());
        // One more chapter on every path, with whatever the generator made.
        let summary = dir.path().join("src/SUMMARY.md");
        let mut s = std::fs::read_to_string(&summary).unwrap();
        s.push_str("\n- [Extra](extra.md)\n");
        std::fs::write(&summary, s).unwrap();
        std::fs::write(dir.path().join("src/extra.md"),
            format!("# Extra\n\n1. Join {{{{ ad.domain }}}}.\n\n{extra}")).unwrap();
        let one = render_on(dir.path(), 1);
        prop_assert_eq!(&one, &render_on(dir.path(), 4));
        prop_assert_eq!(&one, &render_on(dir.path(), 2));
    }
}

/// The lab's export of `runsheet verify`, one agent's file.
fn lab_agent() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verify-lab");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("MA-"))
        .collect();
    files.sort();
    let bytes = std::fs::read(&files[0]).unwrap();
    runsheet::mim::export::xml::decode(bytes, "MA.XML").unwrap()
}

/// An edit of a chapter's steps: insert a new step at, remove the step
/// at, or move the step at one place to another.
#[derive(Debug, Clone)]
enum StepEdit {
    Insert(usize),
    Remove(usize),
    Move(usize, usize),
}

fn step_edit() -> impl Strategy<Value = StepEdit> {
    prop_oneof![
        (0usize..20).prop_map(StepEdit::Insert),
        (0usize..20).prop_map(StepEdit::Remove),
        (0usize..20, 0usize..20).prop_map(|(a, b)| StepEdit::Move(a, b)),
    ]
}

proptest! {
    #![proptest_config(config(64))]

    /// An export's reader takes any bytes without panicking, and an
    /// agent's file cut anywhere before its end is refused at a line of it.
    #[test]
    fn an_export_is_read_or_refused_never_a_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        cut in 0usize..100_000,
    ) {
        if let Ok(text) = runsheet::mim::export::xml::decode(bytes, "MA.XML") {
            let _ = runsheet::mim::export::agent::read(&text, "MA.XML");
        }
        let full = lab_agent();
        let trimmed = full.trim_end();
        let mut at = cut % trimmed.len();
        while !trimmed.is_char_boundary(at) {
            at -= 1;
        }
        let e = runsheet::mim::export::agent::read(&trimmed[..at], "MA.XML").unwrap_err();
        prop_assert!(e.line <= trimmed[..at].lines().count() + 1, "{e}");
    }

    /// A step's progress follows its text: after steps are inserted,
    /// removed and moved, every step still there carries its own progress,
    /// every new one none, and every removed one is left over.
    #[test]
    fn progress_follows_each_step_through_inserts_removals_and_moves(
        count in 1usize..12,
        edits in proptest::collection::vec(step_edit(), 0..6),
    ) {
        use runsheet::progress::align::{Side, align_steps};
        let words = ["Open", "Select", "Copy", "Enter", "Check", "Run", "Close", "Add"];
        let text = |n: usize| format!("{} item {n} of the list.", words[n % words.len()]);
        let old_texts: Vec<String> = (0..count).map(text).collect();
        let mut new_texts = old_texts.clone();
        let mut next = count;
        for e in &edits {
            match *e {
                StepEdit::Insert(at) => {
                    new_texts.insert(at.min(new_texts.len()), text(next));
                    next += 1;
                }
                StepEdit::Remove(at) if !new_texts.is_empty() => {
                    new_texts.remove(at % new_texts.len());
                }
                StepEdit::Move(from, to) if !new_texts.is_empty() => {
                    let s = new_texts.remove(from % new_texts.len());
                    new_texts.insert(to.min(new_texts.len()), s);
                }
                _ => {}
            }
        }
        let ids: Vec<String> = (0..new_texts.len().max(count)).map(|i| format!("c.{i}")).collect();
        fn side<'a>((id, t): (&'a String, &'a String)) -> Side<'a> {
            Side { id, hash: t, text: t, written_id: false }
        }
        let old: Vec<Side> = ids.iter().zip(&old_texts).map(side).collect();
        let new: Vec<Side> = ids.iter().zip(&new_texts).map(side).collect();
        let (today, left) = align_steps(&old, &new);
        for (n, t) in new_texts.iter().enumerate() {
            let laid = today[n];
            match old_texts.iter().position(|o| o == t) {
                Some(o) => prop_assert_eq!(laid.map(|l| (l.progress, l.same)), Some((o, true)), "{}", t),
                None => prop_assert!(laid.is_none_or(|l| !l.same), "{}: {:?}", t, laid),
            }
        }
        for (o, t) in old_texts.iter().enumerate() {
            prop_assert_eq!(left.contains(&o), !new_texts.contains(t) && !today.iter().flatten().any(|l| l.progress == o), "{}", t);
        }
    }
}
