//! The book's rule reference page is the rules table, written out: a rule
//! added, renamed or reworded without the page fails here. Rewrite the page
//! with `RUNSHEET_BLESS=1 cargo test --test suite rule_reference`.

#[test]
fn the_rule_reference_page_matches_the_rules() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runsheet-rules.md");
    let expected = runsheet::check::rules::reference_page();
    if std::env::var_os("RUNSHEET_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/runsheet-rules.md is out of date: run RUNSHEET_BLESS=1 cargo test --test suite rule_reference"
    );
    for rule in runsheet::check::rules::RULES.iter().map(|r| r.meta()) {
        assert!(
            actual.contains(&format!("\n## {}\n", rule.id)),
            "{} has no section",
            rule.id
        );
    }
}
