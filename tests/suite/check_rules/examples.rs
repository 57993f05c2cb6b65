//! Every rule's documented examples (`declare_rule!`'s `fails` and
//! `passes`, which the rule reference page and SARIF's help show) run as
//! they are written: each is written into a temporary folder and checked
//! with its rule on (an opt-in rule turned on), or, for a rule of
//! `runsheet verify`, its export verified against its environment. The rule reports the
//! failing example, and the passing one is clean: no finding of any rule.
//! What each failing example reports is kept in a snapshot.

use super::*;
use runsheet::check::rules::{Example, File, RULES, RuleMeta};

/// One finding as the snapshot shows it.
type Finding = (String, String, usize, usize, String);

/// A PNG file's first bytes: what an example's image holds.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Write `files` under `root`.
fn write(root: &Path, files: &[File]) {
    use std::os::unix::fs::PermissionsExt;
    for file in files {
        match *file {
            File::Text(path, text) => write_bytes(root, path, text.as_bytes()),
            File::Bytes(path, bytes) => write_bytes(root, path, bytes),
            File::Image(path) => write_bytes(root, path, PNG),
            File::Symlink(path, to) => {
                let at = root.join(path);
                std::fs::create_dir_all(at.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(to, at).unwrap();
            }
            File::Unreadable(path, text) => {
                write_bytes(root, path, text.as_bytes());
                std::fs::set_permissions(root.join(path), std::fs::Permissions::from_mode(0o000))
                    .unwrap();
            }
        }
    }
}

/// Check the example's files with `rule` on: through the library, or,
/// where a file must be unreadable and this is root, through the program
/// run without privileges. `None` when the example cannot be run here
/// (the reason is printed).
fn run(rule: &RuleMeta, files: &[File]) -> Option<Vec<Finding>> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, files);
    if rule.command == runsheet::check::Command::Verify {
        return Some(verify(root));
    }
    let unreadable = files.iter().any(|f| matches!(f, File::Unreadable(..)));
    if unreadable && crate::common::euid() == 0 {
        return unprivileged(rule, root);
    }
    let mut settings = Settings::for_path(root).unwrap();
    settings.set_severity(rule.rule, Some(rule.default));
    let site = Site::read(root, settings.site_path.as_deref());
    let (_, found) =
        check::read_and_check(root, &LoadOptions::default(), &settings, &site).unwrap();
    Some(
        found
            .into_iter()
            .map(|d| (d.rule.to_string(), d.file, d.line, d.column, d.message))
            .collect(),
    )
}

/// An export example verified: `runsheet verify --env lab export` in its
/// folder, files named from there.
fn verify(root: &Path) -> Vec<Finding> {
    let export = root.join(Example::EXPORT);
    let request = runsheet::verify::VerifyRequest {
        book: root,
        environment: Example::ENVIRONMENT,
        sets: &[],
        export: &export,
    };
    let verified = runsheet::verify::run(&request)
        .unwrap_or_else(|e| panic!("the example does not verify: {e:?}"));
    let prefix = format!("{}/", root.display());
    verified
        .diagnostics
        .into_iter()
        .map(|d| {
            let file = d.file.strip_prefix(&prefix).unwrap_or(&d.file).to_string();
            (d.rule.to_string(), file, d.line, d.column, d.message)
        })
        .collect()
}

/// [`run`] through the program as `nobody`, for whom permissions count.
/// Only a rule that is on by default can be checked this way.
fn unprivileged(rule: &RuleMeta, root: &Path) -> Option<Vec<Finding>> {
    assert!(
        !rule.opt_in,
        "{}: the program runs the default rules",
        rule.id
    );
    let out = crate::common::runsheet_without_privileges(root)?
        .current_dir(root)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    Some(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap() as usize,
                    d["column"].as_u64().unwrap() as usize,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect(),
    )
}

fn shown(found: &[Finding]) -> String {
    found
        .iter()
        .map(|(rule, file, line, column, message)| {
            format!("  {file}:{line}:{column}: [{rule}] {message}\n")
        })
        .collect()
}

#[test]
fn every_rules_examples_fail_and_pass_as_documented() {
    let mut snapshot = String::new();
    let mut complete = true;
    for rule in RULES.iter().map(|r| r.meta()) {
        snapshot.push_str(&format!("{}:\n", rule.id));
        let (Some(fails), Some(passes)) = (rule.fails.files(), rule.passes.files()) else {
            // An example in words cannot be run.
            for (which, example) in [("fails", rule.fails), ("passes", rule.passes)] {
                if let Example::Prose(text) = example {
                    snapshot.push_str(&format!("  {which}, in words: {text}\n"));
                }
            }
            continue;
        };
        match run(rule, &fails) {
            Some(found) => {
                assert!(
                    found.iter().any(|f| f.0 == rule.id),
                    "{}'s failing example is not reported by it:\n{}",
                    rule.id,
                    shown(&found)
                );
                snapshot.push_str(&shown(&found));
            }
            None => complete = false,
        }
        if let Some(found) = run(rule, &passes) {
            assert!(
                found.is_empty(),
                "{}'s passing example is not clean:\n{}",
                rule.id,
                shown(&found)
            );
        }
    }
    if complete {
        insta::assert_snapshot!("rule_examples", snapshot);
    } else {
        eprintln!(
            "the snapshot of the examples' findings was not compared: an example could not run"
        );
    }
}
