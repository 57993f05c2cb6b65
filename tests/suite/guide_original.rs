//! The original MIM guide for Azure AD guests, as a fixture rebuilt from the
//! facts of its outline (`tests/fixtures/guide-original`, written anew):
//! 25 chapter files in one folder, the same front matter keys in each, the
//! same links (each link the outline marks broken or wrongly cased is so
//! here), titles, H1s, headings, numbering, a chapter copied byte for byte.
//! It is what runsheet was first measured on: every error a real defect,
//! and the guide's other defects reported as warnings.
//!
//! Where the outline leaves a choice, the fixture takes one: the
//! prerequisites of the SQL chapter and of the fourteen chapters with
//! prerequisite links under a heading sit under `## Prerequisits` (15
//! chapters); the SharePoint chapter, its copy and the synchronization
//! service chapter list theirs under the H1 with no heading. Images and the
//! extension's source code are left out.

use crate::common::runsheet;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn check() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/guide-original");
    let out = runsheet()
        .current_dir(&root)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings of `rule`, per file: how many.
fn per_file(json: &Value, rule: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        if d["rule"] == rule {
            *out.entry(d["file"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    out
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(f, n)| (f.to_string(), *n)).collect()
}

#[test]
fn the_38_broken_links_are_its_only_errors() {
    let json = check();
    let errors: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(errors.len(), 38, "{json:#}");
    assert!(
        errors
            .iter()
            .all(|r| *r == "broken-link" || *r == "link-case-mismatch"),
        "{errors:?}"
    );
    // `install-SQL-server.md` for `Install-SQL-server.md`: in every chapter
    // that lists the three common steps.
    let case = per_file(&json, "link-case-mismatch");
    assert_eq!(case.len(), 17, "{case:?}");
    assert!(case.values().all(|&n| n == 1), "{case:?}");
    assert_eq!(
        per_file(&json, "broken-link"),
        counts(&[
            ("configuring-MA-runprofiles.md", 1),
            ("install-mim-portal.md", 1),
            ("installing-ADMA.md", 1),
            ("installing-MimMa.md", 1),
            ("rule1-import-from-aad.md", 3),
            ("rule2-import-from-ad.md", 2),
            ("rule3-export-to-ad.md", 3),
            ("run-sync-rules-dll.md", 3),
            ("run-sync-rules.md", 3),
            ("schedule-sync-runs.md", 3),
        ])
    );
}

#[test]
fn the_misspelt_headings_the_copied_titles_and_the_copied_chapter_are_warnings() {
    let json = check();
    let misspelt = per_file(&json, "misspelt-heading");
    assert_eq!(misspelt.len(), 15, "{misspelt:?}");
    let shown: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "title-mismatch" || d["rule"] == "duplicate-chapter")
        .map(|d| (d["file"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    for (file, message) in [
        (
            "install-mim-portal.md",
            "front matter title `Installing SQL Server for MIM` is also the title of `Install-SQL-server.md`",
        ),
        (
            "installing-ADMA.md",
            "front matter title `Installing MIM MA` is also the title of `architecture.md`",
        ),
        (
            "installing-MimMa.md",
            "front matter title `Installing MIM MA` is also the title of `architecture.md`",
        ),
        (
            "installing-GraphAPIMA-dll.md",
            "title `Active Directory MA with DLL for MIM to support AAD Guests -> AD` and H1 `Setup MIM for AAD Guest Accounts - Active Directory MA with DLL` are also those of `installing-ADMA-dll-version.md`",
        ),
        (
            "Install-SQL-server.md",
            "H1 `Installing MIM for Azure AD Guest accounts and Kerberos applications` is also the H1 of `README.md`",
        ),
        (
            "installing-sharepoint-2016.md",
            "chapter is the same as `install-sharepoint-server.md`, byte for byte",
        ),
    ] {
        assert!(
            shown.contains(&(file, message)),
            "{file}: {message}\n{shown:#?}"
        );
    }
    let severities: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            ["misspelt-heading", "title-mismatch", "duplicate-chapter"]
                .contains(&d["rule"].as_str().unwrap())
        })
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(severities.iter().all(|s| *s == "warning"), "{severities:?}");
}
