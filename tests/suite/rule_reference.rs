//! The book's rule reference page is the rules table, written out: a rule
//! added, renamed or reworded without the page fails here. Rewrite the page
//! with `RUNSHEET_BLESS=1 cargo test --test suite rule_reference`.

use runsheet::check::rules::RULES;
use runsheet::{LoadOptions, load};
use std::path::Path;

#[test]
fn the_rule_reference_page_matches_the_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runsheet-rules.md");
    let expected = runsheet::check::rules::reference_page();
    if std::env::var_os("RUNSHEET_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/runsheet-rules.md is out of date: run RUNSHEET_BLESS=1 cargo test --test suite rule_reference"
    );
}

/// The page as the book reads it: one level-2 heading per rule, in the
/// registry's order, whose anchor is the rule's id (what SARIF's `helpUri`
/// and the page's own table link to); each rule listed in the table with
/// its default; each section giving its default and its two examples,
/// silenced for that rule only.
#[test]
fn each_rule_has_a_section_under_its_id_with_its_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = load(root, &LoadOptions::default()).unwrap();
    let chapter = guide
        .chapters
        .iter()
        .find(|c| c.path == "runsheet-rules.md")
        .expect("the book has the rule reference page");
    let h2: Vec<_> = chapter.headings.iter().filter(|h| h.level == 2).collect();
    let sections: Vec<(&str, &str)> = h2
        .iter()
        .map(|h| (h.text.as_str(), h.anchor.as_str()))
        .collect();
    // The rules of `runsheet check`, then those of `runsheet verify`.
    let of = |command| {
        RULES
            .iter()
            .map(|r| r.meta())
            .filter(move |m| m.command == command)
    };
    let ordered: Vec<_> = of(runsheet::check::Command::Check)
        .chain(of(runsheet::check::Command::Verify))
        .collect();
    let ids: Vec<(&str, &str)> = ordered.iter().map(|m| (m.id, m.id)).collect();
    assert_eq!(sections, ids);

    let page = chapter.source.as_str();
    // Each section's text: from its heading to the next.
    let starts: Vec<usize> = h2
        .iter()
        .map(|h| chapter.lines.line_start(h.line))
        .collect();
    let ends = starts.iter().skip(1).map(|e| e - 1).chain([page.len()]);
    let texts: Vec<&str> = starts.iter().zip(ends).map(|(&a, b)| &page[a..b]).collect();
    let escape = runsheet::check::rules::escape_placeholders;
    for (rule, text) in ordered.iter().copied().zip(texts) {
        assert!(
            page.contains(&format!(
                "| [`{}`](#{}) | {} |\n",
                rule.id,
                rule.id,
                rule.default_shown()
            )),
            "{} is not in the table",
            rule.id
        );
        let reported = format!(
            "\nReported:\n\n{}\n\nPasses:\n\n",
            escape(&rule.fails.markdown())
        );
        let passes = format!(
            "\nPasses:\n\n{}\n<!-- runsheet-enable {} -->\n",
            escape(&rule.passes.markdown()),
            rule.id
        );
        assert!(
            text.starts_with(&format!(
                "## {}\n\n<!-- runsheet-disable {} -->\nDefault: {}",
                rule.id,
                rule.id,
                if rule.opt_in {
                    "off"
                } else {
                    rule.default.name()
                }
            )),
            "{text}"
        );
        assert!(
            text.contains(&reported),
            "{}: no failing example in\n{text}",
            rule.id
        );
        assert!(
            text.ends_with(&passes),
            "{}: no passing example in\n{text}",
            rule.id
        );
    }
}
