//! Turning the check on in a tree that already has findings: statistics
//! for a first look, a baseline of the known findings, and only what a
//! change touched.

use crate::common::{runsheet, write_files};
use serde_json::Value;
use std::path::Path;

/// Front matter with every key, for a chapter titled `title`.
fn front(title: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: A chapter of the test guide, long enough to say what it holds.\nauthor: t\nms.date: 11/30/2026\nms.topic: how-to\n---\n"
    )
}

/// A folder of chapters with findings of several kinds: broken links, a
/// broken anchor, a short table row, a chapter without front matter.
fn guide(root: &Path) {
    write_files(
        root,
        &[
            (
                "a.md",
                &format!(
                    "{}# A\n\nAn introduction.\n\nSee [setup](setup.md) and [gone](missing.md).\n\n| x | y |\n| --- | --- |\n| 1 |\n",
                    front("A")
                ),
            ),
            ("b.md", "# B\n\nRead [the D part](d.md#nowhere).\n"),
            ("setup.md", &format!("{}# Setup\n\nText.\n", front("Setup"))),
            (
                "d.md",
                &format!("{}# D\n\nSee [setup](setup.md).\n", front("D")),
            ),
            // Short descriptions are findings too.
            ("runsheet.toml", "profile = \"learn\"\n"),
        ],
    );
}

/// `runsheet check . ARGS` in `root`.
fn run(root: &Path, args: &[&str]) -> std::process::Output {
    runsheet()
        .current_dir(root)
        .args(["check", "."])
        .args(args)
        .output()
        .unwrap()
}

fn check_json(root: &Path, args: &[&str]) -> (Value, i32) {
    let out = run(root, &[&["--format", "json"], args].concat());
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, code)
}

fn findings(json: &Value) -> Vec<(String, String, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn edit(root: &Path, file: &str, change: impl FnOnce(&str) -> String) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(&text)).unwrap();
}

fn write_baseline(root: &Path) {
    let out = run(root, &["--write-baseline"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("runsheet-baseline.json"), "{said}");
}

#[test]
fn a_baseline_keeps_known_findings_through_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    let (before, code) = check_json(root, &[]);
    assert_eq!(code, 1);
    let all = findings(&before).len();
    assert!(all >= 4, "{before}");

    write_baseline(root);
    let text = std::fs::read_to_string(root.join("runsheet-baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    let entries = baseline["findings"].as_array().unwrap();
    let total: u64 = entries.iter().map(|e| e["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, all);
    // Sorted, so it diffs well when written again.
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e["file"].to_string(), e["rule"].to_string()))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));

    let (now, code) = check_json(root, &["--baseline"]);
    assert_eq!((findings(&now).len(), code), (0, 0), "{now}");
    assert_eq!(now["baseline"]["known"], all);

    // A hundred lines above the findings, and another paragraph reworded.
    let filler = "Filler line.\n\n".repeat(50);
    edit(root, "a.md", |t| {
        t.replacen("# A\n", &format!("{filler}# A\n"), 1)
            .replace("An introduction.", "An introduction, reworded.")
    });
    edit(root, "b.md", |t| format!("{filler}{t}"));
    let (now, code) = check_json(root, &["--baseline"]);
    assert_eq!((findings(&now), code), (vec![], 0), "{now}");

    // A second broken link to the same target is new: exactly one.
    edit(root, "a.md", |t| {
        t.replace(
            "An introduction, reworded.",
            "An introduction; [more](missing.md).",
        )
    });
    let (now, code) = check_json(root, &["--baseline"]);
    let new = findings(&now);
    assert_eq!(new.len(), 1, "{now}");
    assert_eq!(
        (new[0].0.as_str(), new[0].1.as_str()),
        ("a.md", "broken-link")
    );
    assert_eq!(code, 1);
}

#[test]
fn a_fixed_finding_is_reported_as_prunable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    write_baseline(root);
    edit(root, "b.md", |t| t.replace("d.md#nowhere", "d.md#d"));
    let (now, code) = check_json(root, &["--baseline"]);
    assert_eq!((findings(&now).len(), code), (0, 0), "{now}");
    let stale = now["baseline"]["stale"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{now}");
    assert_eq!(stale[0]["rule"], "broken-anchor");
    assert_eq!(stale[0]["file"], "b.md");

    let out = run(root, &["--baseline"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no longer occur"), "{text}");
    assert!(text.contains("--write-baseline"), "{text}");
}

#[test]
fn the_baseline_set_in_configuration_applies_unless_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    write_files(
        root,
        &[("runsheet.toml", "baseline = \"known-findings.json\"\n")],
    );
    // Before it exists, the check says how to make it.
    let out = run(root, &[]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("known-findings.json") && said.contains("--write-baseline"),
        "{said}"
    );

    let out = run(root, &["--write-baseline"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(root.join("known-findings.json").is_file());
    let (now, code) = check_json(root, &[]);
    assert_eq!((findings(&now).len(), code), (0, 0), "{now}");
    let (all, code) = check_json(root, &["--no-baseline"]);
    let all = findings(&all);
    let all: Vec<(&str, &str, u64)> = all
        .iter()
        .map(|(f, r, l)| (f.as_str(), r.as_str(), *l))
        .collect();
    assert_eq!(
        all,
        [
            ("a.md", "broken-link", 12),
            ("a.md", "table-column-count", 16),
            ("b.md", "front-matter-missing-key", 1),
            ("b.md", "broken-anchor", 3),
        ]
    );
    assert_eq!(code, 1);

    write_files(
        root,
        &[("runsheet.toml", "baseline = \"../outside.json\"\n")],
    );
    let out = run(root, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the guide"));
}

#[test]
fn a_damaged_baseline_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    write_files(
        root,
        &[("runsheet-baseline.json", "{\"version\": 1, \"findings\": [")],
    );
    let out = run(root, &["--baseline"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("runsheet-baseline.json:1:"), "{said}");
    assert!(said.contains("--write-baseline"), "{said}");
}

#[test]
fn statistics_count_findings_per_rule_largest_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    edit(root, "d.md", |t| {
        format!("{t}\n[x](nope1.md) [y](nope2.md) [z](nope3.md)\n")
    });
    let out = run(root, &["--statistics"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    // No findings shown: a line per rule, then the total.
    assert!(!text.contains("-->"), "{text}");
    let first = lines[1];
    assert!(
        first.contains("broken-link") && first.contains("error"),
        "{text}"
    );
    assert!(first.trim_start().starts_with('4'), "{text}");
    assert!(first.contains("2 files"), "{text}");
    let counts: Vec<usize> = lines[1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{text}");
    assert!(text.contains("runsheet check failed"), "{text}");

    // With --verbose the findings come first.
    let out = run(root, &["--statistics", "--verbose"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let findings_at = text.find("nope1.md").unwrap();
    let statistics_at = text.find("broken-link  ").unwrap_or(usize::MAX);
    assert!(findings_at < statistics_at, "{text}");

    let (json, _) = check_json(root, &["--statistics"]);
    let rules = json["statistics"].as_array().unwrap();
    assert_eq!(rules[0]["rule"], "broken-link");
    assert_eq!(rules[0]["count"], 4);
    assert_eq!(rules[0]["files"], 2);
}

fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=runsheet tests",
            "-c",
            "user.email=tests@runsheet.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn changed_since_reports_changed_files_and_links_a_rename_broke() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "the guide"]);

    // Nothing changed: nothing to report, though the tree has findings.
    let (now, code) = check_json(root, &["--changed-since", "HEAD"]);
    assert_eq!((findings(&now), code), (vec![], 0), "{now}");

    // a.md gets a new broken link; setup.md is renamed, which breaks the
    // link in d.md, a file the change did not touch. The renamed file is
    // changed; b.md, whose link into d.md was broken before, is not.
    edit(root, "a.md", |t| format!("{t}\nAnd [new](nothere.md).\n"));
    git(root, &["mv", "setup.md", "setup-guide.md"]);
    let (now, code) = check_json(root, &["--changed-since", "HEAD"]);
    let files: std::collections::BTreeSet<String> =
        findings(&now).into_iter().map(|f| f.0).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["a.md", "d.md", "setup-guide.md"],
        "{now}"
    );
    let in_d: Vec<_> = findings(&now)
        .into_iter()
        .filter(|f| f.0 == "d.md")
        .collect();
    assert_eq!(in_d.len(), 1);
    assert_eq!(in_d[0].1, "broken-link");
    assert_eq!(code, 1);
}

#[test]
fn changed_since_runs_no_command_the_repository_names() {
    if !crate::common::have(&[&crate::common::GIT]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("guide");
    std::fs::create_dir(&root).unwrap();
    guide(&root);
    git(&root, &["init", "--quiet"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "--quiet", "-m", "the guide"]);
    // A repository whose configuration runs commands when git reads the
    // work tree: a file-system monitor, and a clean filter every file
    // takes (through .git/info/attributes, which no pull request shows).
    let marker = |name: &str| dir.path().join(name);
    let touch = |name: &str| format!("touch '{}'; cat", marker(name).display());
    git(
        &root,
        &["config", "core.fsmonitor", &touch("fsmonitor-ran")],
    );
    git(
        &root,
        &["config", "filter.evil.clean", &touch("filter-ran")],
    );
    std::fs::write(root.join(".git/info/attributes"), "* filter=evil\n").unwrap();
    edit(&root, "a.md", |t| format!("{t}\nAnd [new](nothere.md).\n"));
    let (now, code) = check_json(&root, &["--changed-since", "HEAD"]);
    assert_eq!(code, 1, "{now}");
    assert!(findings(&now).iter().any(|f| f.0 == "a.md"), "{now}");
    assert!(!marker("fsmonitor-ran").exists(), "core.fsmonitor ran");
    assert!(!marker("filter-ran").exists(), "the clean filter ran");
}

#[test]
fn changed_since_outside_a_repository_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    let out = run(root, &["--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("not in a Git repository"), "{said}");
}

#[test]
fn sarif_results_carry_fingerprints_that_survive_moves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    guide(root);
    let prints = || -> Vec<String> {
        let out = run(root, &["--format", "sarif"]);
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut prints: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["runsheetFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        prints.sort();
        prints
    };
    let before = prints();
    let unique: std::collections::BTreeSet<_> = before.iter().collect();
    assert_eq!(unique.len(), before.len(), "{before:?}");
    edit(root, "a.md", |t| {
        t.replacen("# A\n", &format!("{}# A\n", "Moved.\n\n".repeat(30)), 1)
    });
    assert_eq!(prints(), before);
}
