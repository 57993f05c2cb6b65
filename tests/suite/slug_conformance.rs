//! GitHub's heading ids: every case of github-slugger's own fixture file
//! (copied into tests/data with its licence) must come out the same.
//! All cases run through one slugger, in order, as the fixture intends:
//! the repeat cases depend on what came before.

use runsheet::slug::{Flavour, Slugger};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    input: String,
    expected: String,
}

#[test]
fn all_github_slugger_fixtures_pass() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/github-slugger/fixtures.json"
    ))
    .unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 78);
    let mut slugger = Slugger::new(Flavour::Github);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let got = slugger.slug(&c.input);
            (got != c.expected).then(|| {
                let diff: Vec<String> = got
                    .chars()
                    .zip(c.expected.chars())
                    .filter(|(a, b)| a != b)
                    .take(3)
                    .map(|(a, b)| format!("{a:?}(U+{:04X}) vs {b:?}(U+{:04X})", a as u32, b as u32))
                    .collect();
                format!(
                    "{}: got {} chars, expected {}; first differences {:?}",
                    c.name,
                    got.chars().count(),
                    c.expected.chars().count(),
                    diff
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of 78 cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
