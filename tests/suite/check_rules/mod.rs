//! Every rule of `runsheet check`, each with tests of its own: a guide the
//! rule reports (where, what, and the suggestion it offers) and the same
//! guide corrected, which passes with no finding at all. One file per
//! family of rules; `examples` runs every rule's documented examples.
//!
//! Guides are written into a temporary folder and checked through the
//! library. The rules about variables and environments are tested with
//! them, in `check_variables.rs`.

mod cycles;
mod directives;
mod docfx;
mod examples;
mod front_matter;
mod hygiene;
mod links;
mod prerequisites;
mod structure;
mod summary;
mod text;
mod verify;

use crate::common::{write_bytes, write_files};
use runsheet::check::{self, Diagnostic, Settings, Severity};
use runsheet::docfx::Site;
use runsheet::{LoadOptions, load};
use std::path::Path;

/// Write `files` (path, text) under a fresh folder and check it as the CLI
/// would: a book when `book.toml` is among them, a plain folder otherwise.
fn check_files(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    check_dir(dir.path())
}

/// Checks twice: the loaded guide, and the guide read and checked in one
/// pass as the CLI does, which lets each chapter's text and most of its
/// links go as soon as the chapter rules have run. Both must find the same.
fn check_dir(root: &Path) -> Vec<Diagnostic> {
    let guide = load(root, &LoadOptions::default()).expect("the guide loads");
    let settings = Settings::read(&guide.book.root).unwrap();
    let site = Site::read(&guide.book.root, settings.site_path.as_deref());
    let found = check::check(&guide, &settings, &site);
    let (_, streamed) =
        check::read_and_check(root, &LoadOptions::default(), &settings, &site).unwrap();
    let shown = |ds: &[Diagnostic]| -> Vec<String> {
        ds.iter()
            .map(|d| {
                format!(
                    "{} {:?} {:?}",
                    serde_json::to_string(d).unwrap(),
                    d.help,
                    d.fix
                )
            })
            .collect()
    };
    assert_eq!(
        shown(&found),
        shown(&streamed),
        "the one-pass check differs"
    );
    found
}

/// The findings of one rule.
fn of<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> impl Iterator<Item = &'a Diagnostic> {
    let rule = rule.to_string();
    diagnostics.iter().filter(move |d| d.rule == rule)
}

/// The single finding of `rule`, failing the test if there is not exactly one.
fn one<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> &'a Diagnostic {
    let found: Vec<_> = of(diagnostics, rule).collect();
    assert_eq!(found.len(), 1, "one `{rule}` expected in {diagnostics:#?}");
    found[0]
}

/// The findings of one rule, as (file, line, column, message): what a
/// test asserts whole, with `assert_eq!`.
fn found<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> Vec<(&'a str, usize, usize, &'a str)> {
    of(diagnostics, rule)
        .map(|d| (d.file.as_str(), d.line, d.column, d.message.as_str()))
        .collect()
}

/// Every finding, as (rule, file, line, column, message).
fn all(diagnostics: &[Diagnostic]) -> Vec<(&str, &str, usize, usize, &str)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.as_str(),
                d.file.as_str(),
                d.line,
                d.column,
                d.message.as_str(),
            )
        })
        .collect()
}

fn assert_clean(diagnostics: &[Diagnostic]) {
    assert!(
        diagnostics.is_empty(),
        "no finding expected: {diagnostics:#?}"
    );
}

fn s(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// [`check_files`] with `profile = "learn"`, which turns on the rules that
/// are Microsoft Learn's conventions.
fn check_learn(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut files = files.to_vec();
    files.push(("runsheet.toml", "profile = \"learn\"\n"));
    check_files(&files)
}

/// A two-chapter mdBook: `a.md` and `b.md` listed in that order, plus any
/// other files.
fn book<'a>(a: &'a str, b: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut files = vec![
        ("book.toml", "[book]\ntitle = \"Test\"\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [B](b.md)\n"),
        ("src/a.md", a),
        ("src/b.md", b),
    ];
    files.extend_from_slice(more);
    files
}

const GOOD_DESCRIPTION: &str = "Install SQL Server 2019 with the features MIM needs, as the account that MIM setup uses later.";

fn with_front_matter(keys: &str) -> String {
    format!("---\n{keys}---\n\n# Install SQL Server\n")
}

fn good_keys() -> String {
    format!(
        "title: Install SQL Server\ndescription: {GOOD_DESCRIPTION}\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n"
    )
}

// ---------------------------------------------------------------- the guard

/// The files that hold the rules' tests: this folder's, and the variables'.
fn test_sources() -> Vec<(String, String)> {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(suite.join("check_rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.push(suite.join("check_variables.rs"));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The rules of `ids` that no source tests whole: none of their lines
/// names the rule in `one(…, "id")` (exactly one finding, looked at
/// field by field), `found(…, "id")` (every finding of the rule, compared
/// whole) or `findings_of(…, "id")` (the same, in `check_variables.rs`).
/// A rule only run through its documented examples is not tested here.
fn untested<'a>(ids: &[&'a str], sources: &[(String, String)]) -> Vec<&'a str> {
    ids.iter()
        .copied()
        .filter(|id| {
            let named = format!("\"{id}\")");
            !sources.iter().any(|(name, text)| {
                name != "examples.rs"
                    && text.lines().any(|l| {
                        l.contains(&named)
                            && ["one(", "found(", "findings_of("]
                                .iter()
                                .any(|h| l.contains(h))
                    })
            })
        })
        .collect()
}

#[test]
fn every_rule_has_a_test_of_its_own() {
    let ids: Vec<&str> = runsheet::check::rules::RULES
        .iter()
        .map(|r| r.meta().id)
        .collect();
    let sources = test_sources();
    let names: Vec<&str> = sources.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"links.rs") && names.contains(&"check_variables.rs"),
        "{names:?}"
    );
    assert_eq!(
        untested(&ids, &sources),
        Vec::<&str>::new(),
        "rules without a test"
    );
}

#[test]
fn the_guard_names_a_rule_without_a_test() {
    let ids = ["broken-link", "mojibake", "unused-variable"];
    let sources = |text: &str| vec![("links.rs".to_string(), text.to_string())];
    // Named only loosely, or only in the examples: not tested.
    let loose = "let d = check(x);\nassert!(of(&d, \"mojibake\").next().is_some());\n";
    assert_eq!(untested(&ids, &sources(loose)), ids);
    let mut only_examples = sources("one(&d, \"mojibake\")");
    only_examples[0].0 = "examples.rs".to_string();
    assert_eq!(untested(&ids, &only_examples), ids);
    // Each helper that asserts exactly counts.
    let exact = "let f = one(&d, \"broken-link\");\nassert_eq!(found(&d, \"mojibake\"), []);\nfindings_of(dir.path(), \"unused-variable\")";
    assert_eq!(untested(&ids, &sources(exact)), Vec::<&str>::new());
}
