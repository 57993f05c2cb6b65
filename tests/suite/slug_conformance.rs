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

/// The same cases through Markdown: each input written as a heading, every
/// character but letters and digits as a numeric character reference (so
/// nothing in it is Markdown syntax), all in one chapter. The heading text
/// is trimmed of the spaces Markdown strips, never of those written as
/// references: `# &#x20;a` is `-a`.
#[test]
fn all_github_slugger_fixtures_pass_through_markdown() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/github-slugger/fixtures.json"
    ))
    .unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    let mut doc = String::new();
    for c in &cases {
        doc.push_str("# ");
        for ch in c.input.chars() {
            if ch.is_alphanumeric() {
                doc.push(ch);
            } else {
                doc.push_str(&format!("&#x{:X};", ch as u32));
            }
        }
        doc.push_str("\n\n");
    }
    let (chapter, _) =
        runsheet::markdown::parse_chapter("c.md", std::sync::Arc::new(doc), 0, Flavour::Github);
    assert_eq!(chapter.headings.len(), cases.len());
    let failures: Vec<String> = cases
        .iter()
        .zip(&chapter.headings)
        .filter(|(c, h)| h.anchor != c.expected)
        .map(|(c, h)| format!("{}: got {:?}, expected {:?}", c.name, h.anchor, c.expected))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
