//! `runsheet check` as a command: exit codes, rule settings in book.toml
//! and runsheet.toml, inline suppression comments, several paths at once,
//! `--slug`, `--list-rules`, and this repository's own book.

use crate::common::{runsheet, write_files};
use serde_json::Value;
use std::path::Path;

/// A fresh folder holding `files`.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = runsheet().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `check --format json` with `args`: the exit code and (rule, severity,
/// file, line) of every finding.
fn findings(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String, String, u64)>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(dir, &all);
    let json: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    let found = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (r.code, found)
}

fn f(rule: &str, severity: &str, file: &str, line: u64) -> (String, String, String, u64) {
    (rule.into(), severity.into(), file.into(), line)
}

const BOOK_TOML: &str = "[book]\ntitle = \"T\"\nsrc = \"src\"\n";

/// A book with a broken link (an error) in a.md and an orphan chapter (a
/// warning), plus `extra` appended to book.toml.
fn failing_book(extra: &str) -> tempfile::TempDir {
    folder(&[
        ("book.toml", &format!("{BOOK_TOML}{extra}")),
        ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
        ("src/a.md", "# A\n\n[b](gone.md)\n"),
        ("src/extra.md", "# Extra\n"),
    ])
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_code_is_0_when_clean_and_1_with_errors() {
    let clean = folder(&[("a.md", "# A\n\n[b](b.md)\n"), ("b.md", "# B\n")]);
    let r = run(clean.path(), &["check", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.stdout,
        "runsheet check passed: 0 errors, 0 warnings in 2 files (1 link checked)\n"
    );

    let broken = folder(&[("a.md", "# A\n\n[b](gone.md)\n")]);
    let r = run(broken.path(), &["check", "."]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .ends_with("runsheet check failed: 1 error, 0 warnings in 1 file (1 link checked)\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = folder(&[("a.md", "# A\n\n1. one\n3. three\n")]);
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[list-numbering]"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("runsheet check passed: 0 errors, 1 warning")
    );
    assert_eq!(
        run(dir.path(), &["check", "--deny", "warnings", "."]).code,
        1
    );
    // A clean guide passes with --deny warnings too.
    let clean = folder(&[("a.md", "# A\n")]);
    assert_eq!(
        run(clean.path(), &["check", "--deny", "warnings", "."]).code,
        0
    );
}

#[test]
fn bad_arguments_exit_2() {
    let dir = folder(&[("a.md", "# A\n")]);
    for args in [
        &["check", "--format", "xml", "."][..],
        &["check", "--no-such-flag", "."],
        &["check", "--dry-run", "."],
        &["check", "--deny", "errors", "."],
        &["check", "--slug", "gitlab", "."],
        &["chekc", "."],
    ] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
    let r = run(dir.path(), &["check", "--help"]);
    assert_eq!(r.code, 0);
}

#[test]
fn an_unreadable_root_path_exits_2() {
    let dir = folder(&[("a.md", "# A\n")]);
    let r = run(dir.path(), &["check", "no-such-folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-folder"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    // One bad path among good ones still stops the run.
    assert_eq!(run(dir.path(), &["check", ".", "no-such-folder"]).code, 2);
    // A book whose source folder is missing cannot be read either.
    let book = folder(&[("book.toml", "[book]\nsrc = \"docs\"\n")]);
    let r = run(book.path(), &["check", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("docs"), "{}", r.stderr);
}

#[test]
fn broken_configuration_exits_2_and_names_the_problem() {
    let cases: [(&str, &str); 5] = [
        ("[book\ntitle = \"x\"\n", "book.toml:1:6: not valid TOML"),
        (
            "[book]\nsrc = \"src\"\n[preprocessor.runsheet.rules]\nbroken-links = \"off\"\n",
            "unknown rule `broken-links` (did you mean `broken-link`?)",
        ),
        (
            "[book]\nsrc = \"src\"\n[preprocessor.runsheet.rules]\nbroken-link = \"loud\"\n",
            "book.toml:4:15: rule `broken-link` is set to `loud`; use off, warn or error",
        ),
        (
            "[book]\nsrc = \"src\"\n[preprocessor.runsheet.rules]\nbroken-link = 1\n",
            "book.toml:4:15: rule `broken-link`: invalid type: integer `1`, expected a string: \"off\", \"warn\" or \"error\"",
        ),
        (
            "[book]\nsrc = \"src\"\n[preprocessor.runsheet]\nrules = \"all\"\n",
            "book.toml:4:9: `preprocessor.runsheet.rules`: invalid type: string \"all\", expected a map; it must be a table of rule",
        ),
    ];
    for (book_toml, message) in cases {
        let dir = folder(&[
            ("book.toml", book_toml),
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n"),
        ]);
        let r = run(dir.path(), &["check", "."]);
        assert_eq!(r.code, 2, "{book_toml}");
        assert!(r.stderr.contains("book.toml"), "{}", r.stderr);
        assert!(r.stderr.contains(message), "{book_toml}: {}", r.stderr);
    }
}

#[test]
fn broken_runsheet_toml_exits_2() {
    for (text, message) in [
        ("[rules\n", "runsheet.toml:1:7: not valid TOML"),
        (
            "[rules]\nmojibak = \"off\"\n",
            "runsheet.toml:2:1: unknown rule `mojibak` (did you mean `mojibake`?)",
        ),
        (
            "[rules]\nmojibake = \"sometimes\"\n",
            "runsheet.toml:2:12: rule `mojibake` is set to `sometimes`; use off, warn or error",
        ),
        (
            "exclude = \"drafts\"\n",
            "runsheet.toml:1:11: `exclude`: invalid type: string \"drafts\", expected a sequence; it must be a list of path patterns",
        ),
    ] {
        let dir = folder(&[("runsheet.toml", text), ("a.md", "# A\n")]);
        let r = run(dir.path(), &["check", "."]);
        assert_eq!(r.code, 2, "{text}");
        assert!(r.stderr.contains("runsheet.toml"), "{}", r.stderr);
        assert!(r.stderr.contains(message), "{text}: {}", r.stderr);
    }
}

// ---------------------------------------------------------------- settings

#[test]
fn book_toml_sets_rule_severities() {
    let dir = failing_book("");
    assert_eq!(
        findings(dir.path(), &["."]),
        (
            1,
            vec![
                f("broken-link", "error", "src/a.md", 3),
                f("orphan-chapter", "warning", "src/extra.md", 1)
            ]
        )
    );
    let dir = failing_book(
        "\n[preprocessor.runsheet.rules]\nbroken-link = \"warn\"\norphan-chapter = \"off\"\n",
    );
    assert_eq!(
        findings(dir.path(), &["."]),
        (0, vec![f("broken-link", "warning", "src/a.md", 3)])
    );
    let dir = failing_book(
        "\n[preprocessor.runsheet.rules]\nbroken-link = \"off\"\norphan-chapter = \"error\"\n",
    );
    assert_eq!(
        findings(dir.path(), &["."]),
        (1, vec![f("orphan-chapter", "error", "src/extra.md", 1)])
    );
}

#[test]
fn runsheet_toml_sets_rule_severities_and_wins_over_book_toml() {
    let dir = folder(&[
        (
            "runsheet.toml",
            "[rules]\nbroken-link = \"warn\"\nlist-numbering = \"error\"\n",
        ),
        ("a.md", "# A\n\n[b](gone.md)\n\n1. one\n3. three\n"),
    ]);
    assert_eq!(
        findings(dir.path(), &["."]),
        (
            1,
            vec![
                f("broken-link", "warning", "a.md", 3),
                f("list-numbering", "error", "a.md", 6)
            ]
        )
    );

    let dir = failing_book("\n[preprocessor.runsheet.rules]\nbroken-link = \"off\"\n");
    write_files(
        dir.path(),
        &[(
            "runsheet.toml",
            "[rules]\nbroken-link = \"error\"\norphan-chapter = \"off\"\n",
        )],
    );
    assert_eq!(
        findings(dir.path(), &["."]),
        (1, vec![f("broken-link", "error", "src/a.md", 3)])
    );
}

#[test]
fn a_single_file_takes_the_settings_beside_it() {
    let dir = folder(&[
        ("docs/runsheet.toml", "[rules]\nbroken-link = \"warn\"\n"),
        ("docs/a.md", "# A\n\n[x](gone.md)\n"),
    ]);
    assert_eq!(
        findings(dir.path(), &["docs/a.md"]),
        (0, vec![f("broken-link", "warning", "docs/a.md", 3)])
    );
    assert_eq!(
        findings(&dir.path().join("docs"), &["a.md"]),
        (0, vec![f("broken-link", "warning", "a.md", 3)])
    );
}

// ---------------------------------------------------------------- suppression

#[test]
fn disable_next_line_suppresses_the_named_rule_on_the_next_line_only() {
    let text = "# A\n\n<!-- runsheet-disable-next-line broken-link -->\n[a](gone-a.md) cafÃ©\n[b](gone-b.md)\n\n<!-- runsheet-disable-next-line mojibake, broken-link -->\n\n[c](gone-c.md) cafÃ©\n";
    let dir = folder(&[("a.md", text)]);
    assert_eq!(
        findings(dir.path(), &["."]),
        (
            1,
            vec![
                // Line 4: the link is suppressed, the mojibake is not named.
                f("mojibake", "warning", "a.md", 4),
                // Line 5 is not the next line.
                f("broken-link", "error", "a.md", 5),
                // Line 9: both named, across a blank line.
            ]
        )
    );
}

#[test]
fn disable_and_enable_bracket_a_region() {
    let text = "# A\n\n<!-- runsheet-disable broken-link -->\n[a](gone-a.md)\n\n[b](gone-b.md) cafÃ©\n<!-- runsheet-enable broken-link -->\n\n[c](gone-c.md)\n\n<!-- runsheet-disable -->\n[d](gone-d.md) cafÃ©\n\n1. one\n3. three\n";
    let dir = folder(&[("a.md", text)]);
    assert_eq!(
        findings(dir.path(), &["."]),
        (
            1,
            vec![
                f("mojibake", "warning", "a.md", 6),
                f("broken-link", "error", "a.md", 9),
            ]
        )
    );
}

#[test]
fn suppression_comments_in_code_are_only_examples() {
    let text = "# A\n\n```markdown\n<!-- runsheet-disable -->\n```\n\n    <!-- runsheet-disable-next-line broken-link -->\n[a](gone-a.md)\n";
    let dir = folder(&[("a.md", text)]);
    assert_eq!(
        findings(dir.path(), &["."]),
        (1, vec![f("broken-link", "error", "a.md", 8)])
    );
}

#[test]
fn suppressing_one_rule_leaves_the_others_in_the_region() {
    let text = "# A\n\n<!-- runsheet-disable mojibake -->\n[a](gone-a.md) cafÃ©\n";
    let dir = folder(&[("a.md", text)]);
    assert_eq!(
        findings(dir.path(), &["."]),
        (1, vec![f("broken-link", "error", "a.md", 4)])
    );
}

// ---------------------------------------------------------------- paths

#[test]
fn several_paths_are_checked_in_one_run() {
    let dir = folder(&[
        ("clean/a.md", "# A\n"),
        ("one/b.md", "# B\n\n[x](gone.md)\n"),
        ("two/c.md", "# C\n\n1. one\n3. three\n"),
    ]);
    assert_eq!(
        findings(dir.path(), &["two", "clean", "one"]),
        (
            1,
            vec![
                f("list-numbering", "warning", "two/c.md", 4),
                f("broken-link", "error", "one/b.md", 3),
            ]
        )
    );
    let r = run(dir.path(), &["check", "clean", "two"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .ends_with("runsheet check passed: 0 errors, 1 warning in 2 files (0 links checked)\n"),
        "{}",
        r.stdout
    );
    // Each path is its own guide: a link from one to the other leaves its root.
    write_files(dir.path(), &[("clean/a.md", "# A\n\n[b](../one/b.md)\n")]);
    let (_, found) = findings(dir.path(), &["clean", "one"]);
    assert_eq!(found[0], f("link-outside-root", "error", "clean/a.md", 3));
}

#[test]
fn the_default_path_is_the_working_directory() {
    let dir = folder(&[("a.md", "# A\n\n[x](gone.md)\n")]);
    assert_eq!(
        findings(dir.path(), &[]),
        (1, vec![f("broken-link", "error", "a.md", 3)])
    );
}

#[test]
fn slug_chooses_which_heading_ids_exist() {
    let text = "# A\n\n## Install the service {#install}\n\n[mdbook](#install) [github](#install-the-service-install)\n";
    let dir = folder(&[("a.md", text)]);
    let broken = |args: &[&str]| -> Vec<u64> {
        let mut all = vec!["."];
        all.extend_from_slice(args);
        findings(dir.path(), &all).1.iter().map(|f| f.3).collect()
    };
    let folder_messages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "."];
        all.extend_from_slice(args);
        let json: Value = serde_json::from_str(&run(dir.path(), &all).stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect()
    };
    // A folder uses GitHub's ids by default: `{#install}` is text there.
    assert_eq!(broken(&[]), [5]);
    assert_eq!(
        folder_messages(&[]),
        ["anchor `#install` does not exist in this file"]
    );
    assert_eq!(
        folder_messages(&["--slug", "mdbook"]),
        ["anchor `#install-the-service-install` does not exist in this file"]
    );
    assert_eq!(folder_messages(&["--slug", "github"]), folder_messages(&[]));

    // A book uses mdBook's ids by default.
    let book = folder(&[
        ("book.toml", BOOK_TOML),
        ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
        ("src/a.md", text),
    ]);
    let messages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "."];
        all.extend_from_slice(args);
        let json: Value = serde_json::from_str(&run(book.path(), &all).stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        messages(&[]),
        ["anchor `#install-the-service-install` does not exist in this file"]
    );
    assert_eq!(
        messages(&["--slug", "github"]),
        ["anchor `#install` does not exist in this file"]
    );
}

#[test]
fn list_rules_lists_every_rule_with_its_default_severity() {
    let dir = folder(&[]);
    let r = run(dir.path(), &["check", "--list-rules"]);
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), runsheet::check::rules::RULES.len());
    for (line, rule) in lines
        .iter()
        .zip(runsheet::check::rules::RULES.iter().map(|r| r.meta()))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&words[..2], [rule.id, rule.default.name()], "{line}");
    }
}

// ---------------------------------------------------------------- our book

/// The book in this repository passes: no errors. Warnings are allowed
/// here; CI runs `runsheet check --deny warnings` over it as well.
#[test]
fn our_own_book_has_no_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = run(root, &["check", "--format", "json", "."]);
    let json: Value = serde_json::from_str(&r.stdout).unwrap();
    let errors = crate::common::errors(&json);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(r.code, 0);
    assert!(
        json["summary"]["files"].as_u64().unwrap() > 10,
        "the book was read"
    );
}

/// A guide whose only finding is a warning: a second H1.
fn warning_only(root: &std::path::Path) {
    crate::common::write_files(
        root,
        &[("guide.md", "# Guide\n\nText.\n\n# Another title\n")],
    );
    std::fs::write(
        root.join("runsheet.toml"),
        "[rules]\nfront-matter-missing-key = \"off\"\n",
    )
    .unwrap();
}

#[test]
fn the_summary_line_agrees_with_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    warning_only(dir.path());
    let out = runsheet().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("runsheet check passed: 0 errors, 1 warning")
    );
    let out = runsheet()
        .arg("check")
        .arg(dir.path())
        .args(["--deny", "warnings"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("runsheet check failed: 0 errors, 1 warning"),
        "{text}"
    );
}

#[test]
fn a_folder_without_markdown_is_exit_2_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not Markdown").unwrap();
    for command in ["check", "extract", "render"] {
        let out = runsheet().arg(command).arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("holds no Markdown files"),
            "{command}: {said}"
        );
    }
}

#[test]
fn colour_and_quiet_are_the_users_choice() {
    let dir = tempfile::tempdir().unwrap();
    warning_only(dir.path());
    let run = |args: &[&str]| {
        let out = runsheet()
            .arg("check")
            .arg(dir.path())
            .args(args)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Not a terminal: no colour unless asked for.
    assert!(!run(&[]).contains('\u{1b}'));
    assert!(run(&["--color", "always"]).contains('\u{1b}'));
    assert!(!run(&["--color", "never"]).contains('\u{1b}'));
    let quiet = run(&["--quiet"]);
    assert!(
        quiet.contains("multiple-h1") && !quiet.contains("runsheet check"),
        "{quiet}"
    );
}
