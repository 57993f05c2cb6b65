//! The situation this checker was written for, on a fixture book of its
//! own (`tests/fixtures/check-seed`): a run-profile chapter, saved with CRLF
//! line endings, whose Prerequisites list links `nstalling-GraphAPIMA.md`
//! (a typo for `installing-GraphAPIMA.md`, which exists) among good links,
//! says `MAâ€™s` (mojibake for `MA’s`) and holds its profiles in a
//! blockquoted Name | Type table whose delimiter row lacks its last pipe.
//!
//! `runsheet check` must report exactly one error, the typo, and suggest the
//! right file; `--fix` must repair the typo and the mojibake and change no
//! other byte; `--fix --dry-run` must show the diff and write nothing.
//! Fixes run on a copy in a temporary folder, never on the fixture.

use crate::common::runsheet;
use runsheet::check::{self, Severity};
use runsheet::{LoadOptions, load};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CHAPTER: &str = "src/agent-run-profiles.md";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-seed")
}

/// Every file under `dir` (but the expected result and the attributes
/// file, which are not part of the book), by relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel.starts_with("fixed/") || rel == ".gitattributes" {
                continue;
            }
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// A copy of the fixture book at `<tmp>/book`.
fn copy_of_fixture() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let original = read_tree(&fixture());
    for (rel, bytes) in &original {
        let to = tmp.path().join("book").join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    (tmp, original)
}

fn json_check(dir: &Path, path: &str) -> (Value, i32) {
    let out = runsheet()
        .current_dir(dir)
        .args(["check", "--format", "json", path])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (json, out.status.code().unwrap())
}

#[test]
fn the_fixture_is_shaped_like_the_original_chapter() {
    let bytes = std::fs::read(fixture().join(CHAPTER)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    // Guard against a checkout that rewrote line endings.
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "the chapter must be CRLF throughout"
    );
    assert!(text.contains("MAâ€™s"));

    let guide = load(&fixture(), &LoadOptions::default()).unwrap();
    let c = guide.chapter("agent-run-profiles.md").unwrap();
    let prerequisites: Vec<_> = c.prerequisites.iter().map(|p| p.target.as_str()).collect();
    assert_eq!(
        prerequisites,
        [
            "prepare-domain.md",
            "install-sync-service.md",
            "installing-ADMA.md",
            "nstalling-GraphAPIMA.md"
        ]
    );
    let t = &c.tables[0];
    assert!(t.in_blockquote && t.run_profiles);
    assert_eq!(c.profiles.len(), 5);
    assert!(guide.files.iter().any(|f| f == "installing-GraphAPIMA.md"));
}

#[test]
fn check_reports_exactly_one_error_the_typo_with_the_right_file_suggested() {
    let (json, code) = json_check(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "tests/fixtures/check-seed",
    );
    assert_eq!(code, 1);
    let errors = crate::common::errors(&json);
    assert_eq!(json["summary"]["errors"], 1, "{json:#}");
    assert_eq!(errors.len(), 1);
    let e = errors[0];
    assert_eq!(e["rule"], "broken-link");
    assert_eq!(
        e["file"],
        "tests/fixtures/check-seed/src/agent-run-profiles.md"
    );
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(18), Some(3))
    );
    assert_eq!(e["end_column"], 53);
    assert_eq!(e["suggestion"], "installing-GraphAPIMA.md");
    // The only warning is the mojibake, with its repair.
    let warnings: Vec<(&Value, &Value)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| (&d["rule"], &d["suggestion"]))
        .collect();
    assert_eq!(warnings, [(&Value::from("mojibake"), &Value::from("’"))]);
}

#[test]
fn the_library_finds_the_same() {
    let guide = load(&fixture(), &LoadOptions::default()).unwrap();
    let d = check::session::check_guide(&guide).unwrap();
    let found: Vec<_> = d
        .iter()
        .map(|d| (d.rule.as_str(), d.severity, d.line, d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-link",
                Severity::Error,
                18,
                Some("installing-GraphAPIMA.md")
            ),
            ("mojibake", Severity::Warning, 22, Some("’")),
        ]
    );
}

#[test]
fn fix_repairs_the_typo_and_the_mojibake_and_nothing_else() {
    let (tmp, original) = copy_of_fixture();
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "book"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fixed 2 findings in 1 file; 0 findings need a person"),
        "{stderr}"
    );
    // After the fix the book is checked again, and passes.
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let after = read_tree(&tmp.path().join("book"));
    let expected_chapter = std::fs::read(fixture().join("fixed/agent-run-profiles.md")).unwrap();
    assert!(
        after[CHAPTER] == expected_chapter,
        "the fixed chapter differs from fixed/agent-run-profiles.md:\n{}",
        String::from_utf8_lossy(&after[CHAPTER])
    );
    // Every other file is untouched, byte for byte, and none was added.
    let mut expected = original.clone();
    expected.insert(CHAPTER.to_string(), expected_chapter);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (rel, bytes) in &expected {
        assert!(after[rel] == *bytes, "{rel} changed");
    }
    // The expected file itself differs from the original only in the two
    // repairs, and keeps CRLF.
    let before = String::from_utf8(original[CHAPTER].clone()).unwrap();
    let fixed = String::from_utf8(after[CHAPTER].clone()).unwrap();
    assert_eq!(
        before
            .replace("(nstalling-GraphAPIMA.md)", "(installing-GraphAPIMA.md)")
            .replace("MAâ€™s", "MA’s"),
        fixed
    );
    assert_eq!(fixed.matches("\r\n").count(), fixed.matches('\n').count());

    let (json, code) = json_check(tmp.path(), "book");
    assert_eq!(
        (
            code,
            &json["summary"]["errors"],
            &json["summary"]["warnings"]
        ),
        (0, &Value::from(0), &Value::from(0)),
        "{json:#}"
    );
}

#[test]
fn fix_dry_run_prints_a_unified_diff_and_writes_nothing() {
    let (tmp, original) = copy_of_fixture();
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "--dry-run", "book"])
        .output()
        .unwrap();
    let expected = "--- a/book/src/agent-run-profiles.md\n\
        +++ b/book/src/agent-run-profiles.md\n\
        @@ -16,9 +16,9 @@\n \
        - [Install the sync service](install-sync-service.md)\r\n \
        - [Install the AD agent](installing-ADMA.md)\r\n\
        -- [Install the Graph agent](nstalling-GraphAPIMA.md)\r\n\
        +- [Install the Graph agent](installing-GraphAPIMA.md)\r\n \
        \r\n \
        ## Create the profiles\r\n \
        \r\n\
        -Repeat these steps for each of the MAâ€™s in the Synchronization Service Manager.\r\n\
        +Repeat these steps for each of the MA’s in the Synchronization Service Manager.\r\n \
        \r\n \
        1. Select the agent, then choose **Configure Run Profiles**.\r\n";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("would fix 2 findings in 1 file"),
        "{stderr}"
    );
    // Nothing was written: the error is still there.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read_tree(&tmp.path().join("book")), original);
}

#[test]
fn fix_keeps_a_byte_order_mark_and_the_file_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.md");
    std::fs::write(&path, "\u{feff}# A\r\n\r\nSee [b](B.md) and cafÃ©.\r\n").unwrap();
    std::fs::write(tmp.path().join("b.md"), "# B\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "\u{feff}# A\r\n\r\nSee [b](b.md) and café.\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn fix_leaves_findings_without_one_safe_answer_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "# A\n\n[x](step-3.md) [y](#step-3)\n\n## Step 1\n\n## Step 2\n";
    std::fs::write(tmp.path().join("a.md"), text).unwrap();
    std::fs::write(tmp.path().join("step-1.md"), "# 1\n").unwrap();
    std::fs::write(tmp.path().join("step-2.md"), "# 2\n").unwrap();
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    // Two equally close files and two equally close anchors: no fix.
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("a.md")).unwrap(),
        text
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fixed 0 findings in 0 files; 2 findings need a person"),
        "{stderr}"
    );
}

#[test]
fn fix_leaves_a_file_that_is_not_utf8_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = b"# Caf\xe9\r\n\r\n[b](bb.md) MA\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s\r\n";
    std::fs::write(tmp.path().join("a.md"), bytes).unwrap();
    std::fs::write(tmp.path().join("b.md"), "# B\n").unwrap();
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(std::fs::read(tmp.path().join("a.md")).unwrap(), bytes);
    // Still reported, with the suggestion for a person to apply.
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["invalid-utf8", "broken-link", "mojibake"]);
}

#[cfg(unix)]
#[test]
fn fix_never_writes_through_a_symbolic_link_or_over_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("shared")).unwrap();
    std::fs::create_dir_all(tmp.path().join("book/parts")).unwrap();
    let outside = "# Shared\n\n[b](bb.md)\n";
    std::fs::write(tmp.path().join("shared/common.md"), outside).unwrap();
    std::fs::write(tmp.path().join("book/b.md"), "# B\n").unwrap();
    std::fs::write(
        tmp.path().join("book/locked.md"),
        "# Locked\n\n[b](bb.md)\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("book/open.md"), "# Open\n\n[b](bb.md)\n").unwrap();
    let part = "# Part\n\n[b](../bb.md)\n";
    std::fs::write(tmp.path().join("book/parts/part.md"), part).unwrap();
    let locked = tmp.path().join("book/locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    // A link out of the book, and one inside it.
    std::os::unix::fs::symlink("../shared/common.md", tmp.path().join("book/common.md")).unwrap();
    std::os::unix::fs::symlink("part.md", tmp.path().join("book/parts/alias.md")).unwrap();
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "book"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("alias.md` as it is: it is a symbolic link"),
        "{said}"
    );
    assert!(
        said.contains("locked.md` as it is: it is read-only"),
        "{said}"
    );
    // The links are still links; what the outside one points to is
    // untouched (and was never read); the read-only file too. The other
    // files are fixed, the linked-to chapter through its own name.
    for link in ["book/common.md", "book/parts/alias.md"] {
        let meta = std::fs::symlink_metadata(tmp.path().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link}");
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("shared/common.md")).unwrap(),
        outside
    );
    assert_eq!(
        std::fs::read_to_string(&locked).unwrap(),
        "# Locked\n\n[b](bb.md)\n"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("book/open.md")).unwrap(),
        "# Open\n\n[b](b.md)\n"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("book/parts/part.md")).unwrap(),
        "# Part\n\n[b](../b.md)\n"
    );
    // What was left is still reported, the link out of the book among it.
    let after = String::from_utf8_lossy(&out.stdout);
    assert!(after.contains("symlink-outside-root"), "{after}");
    assert_eq!(out.status.code(), Some(1));
}
