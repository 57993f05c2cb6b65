//! `undefined-variable`: a placeholder an environment leaves without a
//! value is an error at the chapter's line, once per environment; a chapter
//! on a path the environment does not follow is not its business.

use runsheet::check::{self, Config};
use runsheet::{LoadOptions, load};
use std::fs;
use std::path::Path;

fn book(dir: &Path, chapter: &str, lab: &str, prod: &str) {
    fs::write(dir.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("environments")).unwrap();
    fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n# Common\n\n- [Domain](domain.md)\n\n# Option 2\n\n- [DLL](dll.md)\n",
    )
    .unwrap();
    fs::write(dir.join("src/domain.md"), chapter).unwrap();
    fs::write(
        dir.join("src/dll.md"),
        "# DLL\n\n1. Copy the DLL to {{ server.extensions }}.\n",
    )
    .unwrap();
    fs::write(dir.join("environments/lab.yaml"), lab).unwrap();
    fs::write(dir.join("environments/prod.yaml"), prod).unwrap();
}

fn findings(dir: &Path) -> Vec<(String, usize, usize, String)> {
    let guide = load(dir, &LoadOptions::default()).unwrap();
    let config = Config::for_path(dir).unwrap();
    check::check(&guide, &config)
        .into_iter()
        .filter(|d| d.rule == "undefined-variable")
        .map(|d| (d.file, d.line, d.column, d.message))
        .collect()
}

const SKIP_OPTION_2: &str = "path:\n  skip_parts: [\"Option 2\"]\n";

#[test]
fn every_placeholder_defined_in_every_environment_passes() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n",
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n"),
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: fabrikam.local\n"),
    );
    assert_eq!(findings(dir.path()), []);
}

#[test]
fn a_value_missing_in_one_environment_is_reported_for_that_environment() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }} as {{ ad.account }}.\n",
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n    account: MIMMA\n"),
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: fabrikam.local\n"),
    );
    assert_eq!(
        findings(dir.path()),
        [(
            "domain.md".to_string(),
            3,
            28,
            "`{{ ad.account }}` has no value in environment `prod`".to_string()
        )]
    );
}

#[test]
fn chapters_off_an_environments_path_are_not_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    // Neither environment defines server.extensions, which only the
    // skipped option-2 chapter uses.
    book(
        dir.path(),
        "# Domain\n\nNothing to fill in.\n",
        SKIP_OPTION_2,
        &format!("{SKIP_OPTION_2}values:\n  other: x\n"),
    );
    assert_eq!(findings(dir.path()), []);
}

#[test]
fn an_unreadable_environment_is_reported_at_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n",
        "values: [broken\n",
        SKIP_OPTION_2,
    );
    let found = findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "../environments/lab.yaml");
    assert!(
        found[0].3.contains("cannot read the environments"),
        "{found:?}"
    );
}
