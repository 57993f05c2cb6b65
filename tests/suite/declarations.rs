//! What a book declares an environment must be (`variables.yaml`): the
//! parts it chooses between, the checks between values, the fields of its
//! agents the book derives; and one resolution of an environment for
//! `check` and `render`, so that whatever `render` refuses, `check`
//! reports at the same place in the same words. On copies of our book.

use crate::common::{copy_dir, runsheet, shell};
use serde_json::Value;
use std::path::Path;

/// A copy of this repository's book in a temporary folder.
fn our_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["docs", "environments"] {
        copy_dir(&repo.join(d), &dir.path().join(d));
    }
    dir
}

/// Replace `from` by `to` in the book's file `file`, which must hold it.
fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `runsheet check --format json` in `root`: its exit code and findings.
fn check(root: &Path) -> (Option<i32>, Vec<Value>) {
    let out = runsheet()
        .args(["check", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code(),
        json["diagnostics"].as_array().unwrap().clone(),
    )
}

/// A problem `render` printed: file, line, column and sentence.
type Printed = (String, usize, usize, String);

/// `runsheet render` into a scratch folder: its exit code and the
/// problems it printed, as `(file, line, column, sentence)`.
fn render(root: &Path) -> (Option<i32>, Vec<Printed>) {
    let out = runsheet()
        .args(["render", "--out", "scratch-out"])
        .current_dir(root)
        .output()
        .unwrap();
    let problems = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let file = parts.next().unwrap().to_string();
            let line = parts.next().unwrap().parse().unwrap();
            let column = parts.next().unwrap().parse().unwrap();
            let sentence = parts.next().unwrap().trim_start().to_string();
            (file, line, column, sentence)
        })
        .collect();
    (out.status.code(), problems)
}

/// Every problem `render` prints is a finding of `check` at the same
/// file, line and column, whose message the problem starts with (the
/// problem adds the finding's help after `; `).
fn check_reports_what_render_refuses(root: &Path) -> Vec<Value> {
    let (code, found) = check(root);
    let (render_code, problems) = render(root);
    assert_eq!(render_code, Some(1), "render: {problems:?}");
    assert_eq!(code, Some(1), "check: {found:#?}");
    assert!(!problems.is_empty());
    for (file, line, column, sentence) in &problems {
        let at = |d: &&Value| {
            d["line"] == *line
                && d["column"] == *column
                && Path::new(d["file"].as_str().unwrap()) == Path::new(file)
        };
        assert!(
            found
                .iter()
                .filter(at)
                .any(|d| sentence.starts_with(d["message"].as_str().unwrap())),
            "render refuses {file}:{line}:{column}: {sentence}\nand check does not report it: {found:#?}"
        );
    }
    found
}

/// The findings of `rule`.
fn of<'a>(found: &'a [Value], rule: &str) -> Vec<&'a Value> {
    found.iter().filter(|d| d["rule"] == rule).collect()
}

#[test]
fn an_environment_on_both_options_is_an_error_in_its_file() {
    let book = our_book();
    let root = book.path();
    edit(
        root,
        "environments/prod.yaml",
        "skip_parts: [\"Option 2: extension DLL\"]",
        "skip_parts: []",
    );
    let found = check_reports_what_render_refuses(root);
    let both = of(&found, "path-alternatives");
    assert_eq!(both.len(), 1, "{found:#?}");
    assert_eq!(both[0]["file"], "environments/prod.yaml");
    assert_eq!(both[0]["severity"], "error");
    assert!(
        both[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("environment `prod` takes 2 alternative parts, `Option 1: MIM portal and synchronization rules` and `Option 2: extension DLL`"),
        "{both:#?}"
    );

    // Skipping both is as wrong as taking both.
    edit(
        root,
        "environments/prod.yaml",
        "skip_parts: []",
        "skip_parts: [\"Option 1: MIM portal and synchronization rules\", \"Option 2: extension DLL\"]",
    );
    let (code, found) = check(root);
    assert_eq!(code, Some(1));
    let none = of(&found, "path-alternatives");
    assert!(
        none[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("environment `prod` skips every one of the alternative parts"),
        "{none:#?}"
    );
}

#[test]
fn a_partition_that_contradicts_the_domain_is_an_error_where_it_is_set() {
    let book = our_book();
    let root = book.path();
    // The README's `--set ad.domain=…` on an environment that writes its
    // partition by hand: the two would disagree.
    edit(
        root,
        "environments/prod.yaml",
        "values:\n",
        "agents:\n  ad:\n    partition: DC=corp,DC=fabrikam,DC=com\nvalues:\n",
    );
    edit(
        root,
        "environments/prod.yaml",
        "domain: corp.fabrikam.com",
        "domain: corp.fabrikam.org",
    );
    let found = check_reports_what_render_refuses(root);
    let mismatch = of(&found, "derived-value-mismatch");
    assert_eq!(mismatch.len(), 1, "{found:#?}");
    assert_eq!(mismatch[0]["file"], "environments/prod.yaml");
    assert_eq!(mismatch[0]["line"], 8);
    assert_eq!(
        mismatch[0]["message"],
        "`agents.ad.partition` is `DC=corp,DC=fabrikam,DC=com` in environment `prod`, but it is derived as `DC=corp,DC=fabrikam,DC=org` from `ad.domain`"
    );

    // Left out, the partition follows the domain, `--set` included.
    let book = our_book();
    let out = shell(
        book.path(),
        "runsheet render --env prod --set ad.domain=corp.example.com --out out",
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let manifest = std::fs::read_to_string(book.path().join("out/prod/manifest.yaml")).unwrap();
    assert!(manifest.contains("DC=corp,DC=example,DC=com"), "{manifest}");
    assert!(
        !manifest.contains("DC=corp,DC=fabrikam,DC=com"),
        "{manifest}"
    );
}

#[test]
fn a_partition_written_in_another_case_is_the_same_distinguished_name() {
    // The lab writes `DC=CONTOSO,DC=local` for contoso.local, as the guide
    // does: Active Directory compares names without regard to case, and
    // the runbook keeps what the lab wrote.
    let book = our_book();
    let (code, found) = check(book.path());
    assert_eq!(code, Some(0), "{found:#?}");
    let out = shell(book.path(), "runsheet render --env lab --out out");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let manifest = std::fs::read_to_string(book.path().join("out/lab/manifest.yaml")).unwrap();
    assert!(manifest.contains("DC=CONTOSO,DC=local"), "{manifest}");
}

#[test]
fn a_part_named_in_another_case_is_an_error_in_the_environments_file() {
    let book = our_book();
    let root = book.path();
    edit(
        root,
        "environments/prod.yaml",
        "Option 2: extension DLL",
        "Option 2: Extension DLL",
    );
    let found = check_reports_what_render_refuses(root);
    let unknown = of(&found, "unknown-path-entry");
    assert_eq!(unknown.len(), 1, "{found:#?}");
    assert_eq!(unknown[0]["file"], "environments/prod.yaml");
    assert_eq!(
        (unknown[0]["line"].clone(), unknown[0]["column"].clone()),
        (5.into(), 16.into())
    );
    assert!(
        unknown[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`Option 2: Extension DLL` is not a part of the book (did you mean `Option 2: extension DLL`?)"),
        "{unknown:#?}"
    );
}

#[test]
fn the_dlls_agent_name_is_a_check_between_values() {
    let book = our_book();
    let root = book.path();
    // Fabrikam's name for the agent, as the issue found the test
    // environment writing it.
    edit(
        root,
        "environments/test.yaml",
        "    name: ADMA\n",
        "    name: FAB-AD\n",
    );
    let found = check_reports_what_render_refuses(root);
    let checks = of(&found, "value-check");
    assert_eq!(checks.len(), 1, "{found:#?}");
    // Where the name is set.
    assert_eq!(checks[0]["file"], "environments/test.yaml");
    assert_eq!(checks[0]["line"], 12);
    assert_eq!(
        checks[0]["message"],
        "the published extension DLL of option 2 provisions only to a management agent named ADMA: in environment `test`, `agents.ad.name` is `FAB-AD` (set at environments/test.yaml:12)"
    );
    // An environment of option 1 may name its agent as it likes.
    assert!(
        found
            .iter()
            .all(|d| !d["message"].as_str().unwrap().contains("`prod`"))
    );
}

#[test]
fn env_new_names_the_new_file_first_and_every_other_finding_still_shows() {
    let book = our_book();
    let root = book.path();
    let out = shell(root, "runsheet env new zz --choose 'option 2'");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = std::fs::read_to_string(root.join("environments/zz.yaml")).unwrap();
    assert!(
        written.contains("skip_parts: [\"Option 1: MIM portal and synchronization rules\"]"),
        "{written}"
    );
    // Another finding elsewhere in the book still shows.
    edit(
        root,
        "docs/preparedomain.md",
        "](prepare-server-ws-2019.md)",
        "](prepare-server-ws-2091.md)",
    );
    let found = check_reports_what_render_refuses(root);
    assert!(found[0]["file"] == "environments/zz.yaml", "{found:#?}");
    let empty: Vec<&Value> = found
        .iter()
        .filter(|d| {
            d["file"] == "environments/zz.yaml"
                && d["message"].as_str().unwrap().contains("is left empty")
        })
        .collect();
    // Each empty value the path uses, at its own line.
    for d in &empty {
        let line = d["line"].as_u64().unwrap() as usize;
        let text = written.lines().nth(line - 1).unwrap();
        assert!(text.trim_end().ends_with(':'), "{text}: {d:#}");
    }
    assert!(empty.len() >= 10, "{found:#?}");
    assert!(!of(&found, "broken-link").is_empty(), "{found:#?}");
    // The others: no agents, though the book creates run profiles.
    assert!(
        found.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .starts_with("environment `zz` declares no agents")),
        "{found:#?}"
    );
}

#[test]
fn env_new_asks_which_alternative_and_refuses_to_guess() {
    let book = our_book();
    let root = book.path();
    // Not on a terminal, with nothing chosen: exit 2, naming the parts.
    let out = shell(root, "runsheet env new qa --extends _fabrikam < /dev/null");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "`Option 1: MIM portal and synchronization rules`, `Option 2: extension DLL`"
        ),
        "{said}"
    );
    assert!(said.contains("--choose"), "{said}");
    assert!(!root.join("environments/qa.yaml").exists());
    // A choice that names no part, or both.
    let out = shell(root, "runsheet env new qa --choose Option");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("names none of the alternatives, or more than one")
    );
    // A base whose path already settles it is not asked again.
    let out = shell(root, "runsheet env new qa --extends prod");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let written = std::fs::read_to_string(root.join("environments/qa.yaml")).unwrap();
    assert!(!written.contains("skip_parts"), "{written}");
}

#[test]
fn values_a_render_cannot_place_are_check_findings_too() {
    // A title's placeholder, a cycle naming a profile no table creates,
    // a written step id two steps share.
    let book = our_book();
    let root = book.path();
    edit(
        root,
        "docs/installing-ADMA.md",
        "({{ agents.ad.name }})",
        "({{ agents.ad.nmae }})",
    );
    edit(
        root,
        "environments/lab.yaml",
        "values:\n",
        "cycles:\n  scheduled:\n    - { agent: ad, profile: Delta Import }\nvalues:\n",
    );
    edit(
        root,
        "docs/preparedomain.md",
        "\n2. Right-click the new OU",
        " <!-- runsheet-step: same -->\n2. Right-click the new OU",
    );
    edit(
        root,
        "docs/preparedomain.md",
        "\n3. Right-click the domain root",
        " <!-- runsheet-step: same -->\n3. Right-click the domain root",
    );
    let found = check_reports_what_render_refuses(root);
    let title = of(&found, "undefined-variable");
    assert!(
        title
            .iter()
            .any(|d| d["file"] == "docs/installing-ADMA.md" && d["line"] == 2),
        "{found:#?}"
    );
    assert_eq!(of(&found, "unknown-cycle-profile").len(), 1, "{found:#?}");
    assert_eq!(of(&found, "step-id-invalid").len(), 1, "{found:#?}");
}
