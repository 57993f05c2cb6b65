//! `runsheet check --format human|json|sarif|github|junit` on one small
//! failing book (`tests/fixtures/check-formats`): a snapshot of each, then
//! what each format promises its readers (the JSON shape, SARIF 2.1.0 as
//! code scanning reads it, GitHub's escaping, one JUnit test case per file,
//! colour only on a terminal and never with `NO_COLOR`).

use crate::common::{runsheet, write_files};
use serde_json::Value;
use std::path::Path;

const BOOK: &str = "tests/fixtures/check-formats";

/// The output of one format on the fixture book, run from the repository
/// root so paths are as a user there sees them.
fn output(format: &str) -> String {
    let out = runsheet()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", format, BOOK])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the book has errors");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_in(dir: &Path, args: &[&str]) -> Value {
    let out = runsheet()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn files_of(json: &Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn human_snapshot() {
    let text = output("human");
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    insta::assert_snapshot!("human", text);
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", output("json"));
}

/// The rule table is checked against `RULES` below; here it is left out so
/// that rewording a rule does not change this snapshot. So are the facts of
/// the checkout the test runs in (where it is, which commit), checked in
/// `sarif_bases_and_provenance_are_the_checkout`.
#[test]
fn sarif_snapshot() {
    let mut sarif: Value = serde_json::from_str(&output("sarif")).unwrap();
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "[runsheet version]".into();
    driver["rules"] = "[one entry per rule in RULES]".into();
    let run = sarif["runs"][0].as_object().unwrap();
    assert!(run.contains_key("originalUriBaseIds"));
    let run: serde_json::Map<String, Value> = run
        .iter()
        .filter(|(k, _)| *k != "versionControlProvenance")
        .map(|(k, v)| match k.as_str() {
            "originalUriBaseIds" => (k.clone(), "[%SRCROOT%: the working directory]".into()),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    sarif["runs"][0] = Value::Object(run);
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&sarif).unwrap());
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", output("github"));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", output("junit"));
}

// ---------------------------------------------------------------- json

#[test]
fn json_has_the_documented_shape() {
    let json: Value = serde_json::from_str(&output("json")).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&json), ["version", "diagnostics", "summary"]);
    assert_eq!(json["version"], 1);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "rule",
                "severity",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "message",
                "suggestion"
            ]
        );
        assert!(runsheet::check::rules::meta(d["rule"].as_str().unwrap()).is_some());
        assert!(matches!(d["severity"].as_str(), Some("error" | "warning")));
        for n in ["line", "column", "end_line", "end_column"] {
            assert!(d[n].as_u64().is_some_and(|n| n >= 1), "{n} in {d}");
        }
        assert!(d["end_line"].as_u64() >= d["line"].as_u64());
        assert!(d["message"].is_string());
        assert!(d["suggestion"].is_string() || d["suggestion"].is_null());
    }
    assert_eq!(
        keys(&json["summary"]),
        ["files", "links", "errors", "warnings"]
    );
    let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count();
    assert_eq!(json["summary"]["errors"], count("error"));
    assert_eq!(json["summary"]["warnings"], count("warning"));
    assert_eq!(json["summary"]["files"], 3);
    assert_eq!(json["summary"]["links"], 3);
}

#[test]
fn json_files_are_the_path_given_joined_with_the_relative_path() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("book/book.toml", "[book]\nsrc = \"src\"\n"),
            ("book/src/SUMMARY.md", "# Summary\n\n- [A](sub/a.md)\n"),
            ("book/src/sub/a.md", "# A\n\n[x](gone.md)\n"),
            ("notes/b.md", "# B\n\n[x](gone.md)\n"),
            ("deep/er/c.md", "# C\n\n[x](gone.md)\n"),
        ],
    );
    let cases: [(&[&str], &[&str]); 6] = [
        (&["book"], &["book/src/sub/a.md"]),
        (&["./book/"], &["book/src/sub/a.md"]),
        (&["notes"], &["notes/b.md"]),
        (&["deep/er/c.md"], &["deep/er/c.md"]),
        (
            &["notes", "book", "deep"],
            &["notes/b.md", "book/src/sub/a.md", "deep/er/c.md"],
        ),
        // An absolute path below the working directory is shown relative.
        (&[""], &["book/src/sub/a.md"]),
    ];
    for (args, expected) in cases {
        let args: Vec<String> = if args == [""] {
            vec![tmp.path().join("book").display().to_string()]
        } else {
            args.iter().map(|a| a.to_string()).collect()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(files_of(&json_in(tmp.path(), &args)), expected, "{args:?}");
    }
    // From inside the book, `.` is the book and paths start at its src.
    assert_eq!(
        files_of(&json_in(&tmp.path().join("book"), &["."])),
        ["src/sub/a.md"]
    );
}

#[test]
fn json_files_under_an_absolute_path_outside_the_working_directory_stay_absolute() {
    let book = tempfile::tempdir().unwrap();
    write_files(book.path(), &[("a.md", "# A\n\n[x](gone.md)\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let given = book.path().display().to_string();
    assert_eq!(
        files_of(&json_in(elsewhere.path(), &[&given])),
        [format!("{given}/a.md")]
    );
}

// ---------------------------------------------------------------- sarif

#[test]
fn sarif_is_2_1_0_with_rules_help_and_regions() {
    let sarif: Value = serde_json::from_str(&output("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "runsheet");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), runsheet::check::rules::RULES.len());
    for (rule, meta) in rules
        .iter()
        .zip(runsheet::check::rules::RULES.iter().map(|r| r.meta()))
    {
        assert_eq!(rule["id"], meta.id);
        assert_eq!(rule["name"], meta.rule.name());
        assert!(
            meta.summary()
                .starts_with(rule["shortDescription"]["text"].as_str().unwrap())
        );
        assert_eq!(rule["fullDescription"]["text"], meta.summary());
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(
            help.contains(&meta.fails.text()) && help.contains(&meta.passes.text()),
            "{help}"
        );
        assert!(rule["help"]["markdown"].as_str().unwrap().contains("```"));
        assert_eq!(rule["defaultConfiguration"]["level"], meta.default.name());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(matches!(r["level"].as_str(), Some("error" | "warning")));
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("tests/fixtures/check-formats/src/"),
            "{uri}"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        let (line, col, end_line, end_col) = (
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        );
        assert!(line >= 1 && col >= 1 && end_line >= line);
        assert!(
            end_line > line || end_col > col,
            "a region is never empty: {region}"
        );
    }
    // The broken anchor: its region is the link, its message carries the
    // suggestion.
    let anchor = &results[0];
    assert_eq!(anchor["ruleId"], "broken-anchor");
    let region = &anchor["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        [
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ],
        [3, 6, 3, 40]
    );
    assert!(
        anchor["message"]["text"]
            .as_str()
            .unwrap()
            .contains("#prerequisites")
    );
    // The snippet is the region's text; the line is its context.
    assert_eq!(
        anchor["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
        "[the setup](setup.md#prerequisits)"
    );
    assert_eq!(
        anchor["locations"][0]["physicalLocation"]["contextRegion"],
        serde_json::json!({"startLine": 3, "snippet": {"text": "Read [the setup](setup.md#prerequisits) first, then [the portal](portal.md)."}})
    );
    // A space in a file name is escaped in the URI.
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "tests/fixtures/check-formats/src/old%20notes.md"
    ));
}

#[test]
fn sarif_uris_are_relative_to_the_working_directory() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("guides/mim/a.md", "# A\n\n[x](gone.md)\n")]);
    let absolute = tmp.path().join("guides/mim").display().to_string();
    for (cwd, given) in [
        (tmp.path().to_path_buf(), "guides/mim"),
        (tmp.path().to_path_buf(), absolute.as_str()),
        (tmp.path().join("guides"), "mim"),
    ] {
        let out = runsheet()
            .current_dir(&cwd)
            .args(["check", "--format", "sarif", given])
            .output()
            .unwrap();
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"];
        let expected = if cwd == tmp.path() {
            "guides/mim/a.md"
        } else {
            "mim/a.md"
        };
        assert_eq!(uri, expected, "{given} from {}", cwd.display());
    }
}

/// Every rule's `helpUri` is its own section of the rule reference, on the
/// project's site (`repository` in Cargo.toml), which is also the driver's
/// `informationUri`.
#[test]
fn sarif_rules_link_their_section_of_the_rule_reference() {
    let sarif: Value = serde_json::from_str(&output("sarif")).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let site = env!("CARGO_PKG_REPOSITORY");
    assert!(site.starts_with("https://"), "{site}");
    assert_eq!(driver["informationUri"], site);
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/runsheet-rules.md");
    let text = std::fs::read_to_string(page).unwrap();
    let (chapter, _) = runsheet::markdown::parse_chapter(
        "runsheet-rules.md",
        std::sync::Arc::new(text),
        0,
        runsheet::slug::Flavour::Github,
    );
    let anchors: Vec<&str> = chapter.anchors().collect();
    let mut seen = std::collections::BTreeSet::new();
    for rule in driver["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let uri = rule["helpUri"].as_str().unwrap();
        assert_eq!(uri, format!("{site}/blob/main/docs/runsheet-rules.md#{id}"));
        assert!(
            anchors.contains(&id),
            "no heading #{id} in docs/runsheet-rules.md"
        );
        assert!(seen.insert(uri.to_string()), "{uri} twice");
        let name = rule["name"].as_str().unwrap();
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
                && !name.eq_ignore_ascii_case(id),
            "{name}"
        );
    }
}

/// `%SRCROOT%` is the working directory as a `file:` URI (directly, or
/// below a repository's root); results are relative to it.
#[test]
fn sarif_bases_and_provenance_are_the_checkout() {
    let sarif: Value = serde_json::from_str(&output("sarif")).unwrap();
    let run = &sarif["runs"][0];
    let bases = run["originalUriBaseIds"].as_object().unwrap();
    let resolve = |id: &str| {
        let mut uri = String::new();
        let mut at = &bases[id];
        loop {
            uri.insert_str(0, at["uri"].as_str().unwrap());
            match at["uriBaseId"].as_str() {
                Some(parent) => at = &bases[parent],
                None => break uri,
            }
        }
    };
    let srcroot = resolve("%SRCROOT%");
    let path = srcroot.strip_prefix("file://").unwrap();
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap();
    let cwd = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    assert_eq!(path, format!("{}/", cwd.display()));
    // In a Git checkout whose `origin` is a URL there is provenance, which
    // maps the repository's root to a base the results use.
    if let Some(vcs) = run.get("versionControlProvenance") {
        let vcs = &vcs[0];
        assert!(vcs["repositoryUri"].as_str().unwrap().contains("://"));
        assert_eq!(vcs["revisionId"].as_str().unwrap().len(), 40);
        let mapped = vcs["mappedTo"]["uriBaseId"].as_str().unwrap();
        assert!(mapped == "%SRCROOT%" || bases["%SRCROOT%"]["uriBaseId"] == mapped);
    }
}

/// A guide in a Git repository: the commit, the branch, and `origin`
/// without its credentials. Without `git`, outside a repository or with no
/// remote there is no provenance, and the check is the same.
#[test]
fn sarif_provenance_comes_from_git_without_credentials() {
    let git = |dir: &Path, args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=runsheet",
                "-c",
                "user.email=dev@runsheet.invalid",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string())
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    write_files(&root, &[("docs/a.md", "# A\n\n[x](gone.md)\n")]);
    let sarif_in = |dir: &Path, path: Option<&str>| -> Value {
        let mut cmd = runsheet();
        cmd.current_dir(dir)
            .args(["check", "--format", "sarif", "docs"]);
        if let Some(path) = path {
            cmd.env("PATH", path);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Not a repository.
    let sarif = sarif_in(&root, None);
    assert!(sarif["runs"][0].get("versionControlProvenance").is_none());
    if !crate::common::have(&[&crate::common::GIT]) {
        return;
    }
    git(&root, &["init", "-q", "-b", "main"]).unwrap();
    git(&root, &["add", "-A"]).unwrap();
    git(&root, &["commit", "-q", "-m", "guide"]).unwrap();
    let head = git(&root, &["rev-parse", "HEAD"]).unwrap();
    // No remote.
    let sarif = sarif_in(&root, None);
    assert!(sarif["runs"][0].get("versionControlProvenance").is_none());
    git(
        &root,
        &[
            "remote",
            "add",
            "origin",
            "https://someone:ghp_SECRET@github.com/o/r.git",
        ],
    )
    .unwrap();
    let text = serde_json::to_string(&sarif_in(&root, None)).unwrap();
    assert!(
        !text.contains("SECRET") && !text.contains("someone"),
        "{text}"
    );
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        sarif["runs"][0]["versionControlProvenance"],
        serde_json::json!([{
            "repositoryUri": "https://github.com/o/r",
            "revisionId": head,
            "branch": "main",
            "mappedTo": {"uriBaseId": "%SRCROOT%"},
        }])
    );
    // From a folder inside the repository, %SRCROOT% is below its root.
    let sarif = {
        std::fs::create_dir_all(root.join("sub/docs")).unwrap();
        std::fs::copy(root.join("docs/a.md"), root.join("sub/docs/a.md")).unwrap();
        sarif_in(&root.join("sub"), None)
    };
    let run = &sarif["runs"][0];
    assert_eq!(
        run["versionControlProvenance"][0]["mappedTo"],
        serde_json::json!({"uriBaseId": "REPOROOT"})
    );
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"],
        serde_json::json!({"uri": "sub/", "uriBaseId": "REPOROOT"})
    );
    // An scp-style remote is its https address.
    git(
        &root,
        &["remote", "set-url", "origin", "git@github.com:o/r.git"],
    )
    .unwrap();
    let sarif = sarif_in(&root, None);
    assert_eq!(
        sarif["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
        "https://github.com/o/r"
    );
    // Without git on PATH: no provenance, and nothing else changes.
    let without = sarif_in(&root, Some(""));
    assert!(without["runs"][0].get("versionControlProvenance").is_none());
    assert_eq!(without["runs"][0]["results"], sarif["runs"][0]["results"]);
}

/// The same guide in the same place gives the same bytes.
#[test]
fn sarif_is_the_same_every_time() {
    assert_eq!(output("sarif"), output("sarif"));
}

// ---------------------------------------------------------------- github

#[test]
fn github_escapes_messages_and_properties() {
    let tmp = tempfile::tempdir().unwrap();
    let name = if cfg!(windows) {
        "notes, v2.md"
    } else {
        "notes, v2: draft.md"
    };
    write_files(
        tmp.path(),
        &[(
            name,
            "# Notes\n\nSee [the plan](50%25-done.md) and [b](#setpu).\n\n## Setup\n",
        )],
    );
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--format", "github", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let file = if cfg!(windows) {
        "notes%2C v2.md"
    } else {
        "notes%2C v2%3A draft.md"
    };
    assert_eq!(
        text,
        format!(
            "::error file={file},line=3,col=5,endColumn=30,title=broken-link::link target `50%25-done.md` does not exist\n\
             ::error file={file},line=3,col=35,endColumn=46,title=broken-anchor::anchor `#setpu` does not exist in this file%0Adid you mean `#setup`?\n"
        )
    );
    // One line per finding: nothing in a message may break the command.
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn github_escaping_follows_the_actions_toolkit() {
    use runsheet::report::github::{data, property};
    assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
    assert_eq!(property("C:\\docs\\a,b.md"), "C%3A\\docs\\a%2Cb.md");
    // `%` is escaped first, so escapes are never escaped twice.
    assert_eq!(data("%0A"), "%250A");
}

// ---------------------------------------------------------------- junit

#[test]
fn junit_has_one_test_case_per_file() {
    let xml = output("junit");
    let cases: Vec<&str> = xml
        .lines()
        .filter(|l| l.trim_start().starts_with("<testcase "))
        .collect();
    let names: Vec<&str> = cases
        .iter()
        .map(|l| {
            l.split(" name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    // Every chapter, clean or not; SUMMARY.md is not a chapter.
    assert_eq!(
        names,
        [
            "tests/fixtures/check-formats/src/install.md",
            "tests/fixtures/check-formats/src/old notes.md",
            "tests/fixtures/check-formats/src/setup.md"
        ]
    );
    assert!(xml.contains(
        "<testsuites name=\"runsheet\" tests=\"3\" skipped=\"0\" failures=\"1\" errors=\"0\">"
    ));
    // Errors fail the case, with one failure that lists them all; warnings
    // do not.
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert!(xml.contains("message=\"3 errors; the first: "), "{xml}");
    assert_eq!(xml.matches("[broken-").count(), 3);
    assert_eq!(
        xml.matches("</testcase>").count() + xml.matches("\"/>").count(),
        3
    );
}

#[test]
fn junit_lists_clean_files_as_passing_cases_and_escapes_text() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("clean.md", "# Clean\n"),
            ("quotes.md", "# Q\n\n[<\"&'>](gone<&>.md)\n"),
        ],
    );
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--format", "junit", "."])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains(
            "<testcase name=\"clean.md\" classname=\"runsheet.check\" file=\"clean.md\"/>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("link target `gone&lt;&amp;&gt;.md` does not exist"),
        "{xml}"
    );
    assert!(!xml.contains("gone<&>"), "{xml}");
}

// ---------------------------------------------------------------- colour

/// Run the human format on a pseudo-terminal (util-linux `script`), where
/// colour is on unless `NO_COLOR` is set to something.
#[cfg(target_os = "linux")]
fn on_a_terminal(no_color: Option<&str>) -> String {
    let exe = assert_cmd::cargo::cargo_bin("runsheet");
    let mut cmd = std::process::Command::new("script");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "-qec",
            &format!("'{}' check {BOOK}", exe.display()),
            "/dev/null",
        ])
        .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn no_color_turns_colour_off_on_a_terminal() {
    if !crate::common::have(&[&crate::common::SCRIPT]) {
        return;
    }
    let coloured = on_a_terminal(None);
    assert!(
        coloured.contains("\x1b["),
        "colour on a terminal: {coloured:?}"
    );
    let plain = on_a_terminal(Some("1"));
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.contains("error[broken-anchor]"));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(on_a_terminal(Some("")).contains("\x1b["));
}

/// Every format copes with text that is not what it seems: a file that is
/// not UTF-8 (shown with U+FFFD), a finding at a multi-byte character.
#[test]
fn every_format_renders_findings_at_multi_byte_characters() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("latin1.md"),
        b"# Caf\xe9 menu\n\n\xe9t\xe9\n",
    )
    .unwrap();
    write_files(
        tmp.path(),
        &[
            ("accents.md", "Été\n"),
            ("fm.md", "---\ntitle: T\n---\n\n# T\n"),
        ],
    );
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = runsheet()
            .current_dir(tmp.path())
            .args(["check", "--format", format, "."])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
    let human = output_in(tmp.path(), "human");
    assert!(
        human.contains(" --> latin1.md:1:6\n  |\n1 | # Caf\u{fffd} menu\n  |      ^\n"),
        "{human}"
    );
    assert!(
        human.contains(" --> accents.md:1:1\n  |\n1 | Été\n  | ^\n"),
        "{human}"
    );
}

fn output_in(dir: &Path, format: &str) -> String {
    let out = runsheet()
        .current_dir(dir)
        .args(["check", "--format", format, "."])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}
