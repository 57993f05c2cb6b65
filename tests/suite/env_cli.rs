//! Environments from the command line: `runsheet env new`, the README's
//! "Adding an environment" example run verbatim, secrets kept out of every
//! rendered file, and the book's own environment schema.

use crate::common::{copy_dir, runsheet};
use std::path::Path;

/// `runsheet ARGS` run in the book at `dir`.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    runsheet().args(args).current_dir(dir).output().unwrap()
}

/// The command exited 0; otherwise what it said.
fn succeeded(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A copy of this repository's book (book.toml, docs, environments,
/// variables.yaml, templates) in a temporary folder.
fn our_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["docs", "environments", "templates"] {
        if repo.join(d).is_dir() {
            copy_dir(&repo.join(d), &dir.path().join(d));
        }
    }
    dir
}

/// The lines of the README from "### Adding an environment" to the next
/// section.
fn readme_section() -> String {
    let readme = include_str!("../../README.md");
    let start = readme.find("### Adding an environment").unwrap();
    let rest = &readme[start + 3..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The body of the first fenced block of `lang` in `text`.
fn block(text: &str, lang: &str) -> String {
    let open = format!("```{lang}\n");
    let start = text.find(&open).unwrap() + open.len();
    let end = start + text[start..].find("```\n").unwrap();
    text[start..end].to_string()
}

#[test]
fn the_readme_example_runs_verbatim() {
    let book = our_book();
    let section = readme_section();
    let console = block(&section, "console");
    let mut lines = console.lines();
    let command = lines.next().unwrap().strip_prefix("$ ").unwrap();
    let expected: Vec<&str> = lines.collect();
    let out = crate::common::shell(book.path(), command);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
    let written = std::fs::read_to_string(book.path().join("environments/staging.yaml")).unwrap();
    for key in [
        "skip_parts: [\"Option 2: extension DLL\"]",
        "domain:",
        "netbios:",
        "tenant_id:",
        "# The DNS name of the Active Directory domain",
    ] {
        assert!(written.contains(key), "{key} in {written}");
    }
    // The partition is derived from the domain: not asked for.
    assert!(!written.contains("partition:"), "{written}");
    // Written as it is, before it is filled in: a check names each empty
    // value at its line of the new file, first.
    let out = run_in(book.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = json["diagnostics"].as_array().unwrap();
    assert_eq!(found[0]["file"], "environments/staging.yaml", "{json:#}");
    let line_of = |text: &str| written.lines().position(|l| l.trim() == text).unwrap() + 1;
    assert_eq!(found[0]["line"], line_of("domain:"), "{json:#}");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`values.ad.domain` is left empty in environment `staging`"),
        "{json:#}"
    );
    let at_staging = found
        .iter()
        .filter(|d| d["file"] == "environments/staging.yaml")
        .count();
    assert_eq!(at_staging, 9, "{json:#}");

    // Filled in as the README shows it, it checks and renders.
    std::fs::write(
        book.path().join("environments/staging.yaml"),
        block(&section, "yaml"),
    )
    .unwrap();
    let out = run_in(book.path(), &["check"]);
    succeeded(&out);
    let out = run_in(book.path(), &["render", "--env", "staging", "--out", "out"]);
    succeeded(&out);
    let runbook = std::fs::read_to_string(book.path().join("out/staging/runbook.md")).unwrap();
    assert!(runbook.contains("OU=B2B Guests,DC=staging,DC=fabrikam,DC=com"));
    assert!(runbook.contains("FABMIMS01\\\\MIMSTAGE") || runbook.contains("FABMIMS01\\MIMSTAGE"));
}

#[test]
fn env_new_refuses_an_existing_environment_and_a_missing_base() {
    let book = our_book();
    let out = run_in(
        book.path(),
        &["env", "new", "prod", "--extends", "_fabrikam"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = run_in(book.path(), &["env", "new", "qa", "--extends", "_fabrikm"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no `_fabrikm`"));
}

#[test]
fn a_secret_is_never_written_set_or_printed() {
    let book = our_book();
    let out = run_in(book.path(), &["render", "--out", "out"]);
    succeeded(&out);
    let runbook = std::fs::read_to_string(book.path().join("out/prod/runbook.md")).unwrap();
    assert!(runbook.contains("`‹enter aad.client_secret›`"));

    let out = run_in(
        book.path(),
        &[
            "render",
            "--env",
            "prod",
            "--set",
            "aad.client_secret=hunter2",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --set aad.client_secret=hunter2: `aad.client_secret` is a secret: runsheet never writes it into a runbook, so it cannot be set; the runbook asks for it as `‹enter aad.client_secret›`\n"
    );

    // Written into a file, it is refused, and nothing is rendered.
    let prod = book.path().join("environments/prod.yaml");
    let text = std::fs::read_to_string(&prod).unwrap();
    std::fs::write(
        &prod,
        text.replace("  aad:\n", "  aad:\n    client_secret: hunter2\n"),
    )
    .unwrap();
    let out = run_in(book.path(), &["render", "--env", "prod", "--out", "out2"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`aad.client_secret` is a secret and is set in a file"),
        "{stderr}"
    );
    assert!(!book.path().join("out2").exists());
    let out = run_in(
        book.path(),
        &["render", "--env", "prod", "--explain", "aad.client_secret"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("hunter2"), "{stdout}");
    assert!(
        stdout.contains("is a secret: runsheet never prints it"),
        "{stdout}"
    );
}

#[test]
fn the_environment_schema_holds_the_books_declarations() {
    let book = our_book();
    let out = run_in(book.path(), &["schema", "environment"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ad = &schema["properties"]["values"]["properties"]["ad"];
    assert_eq!(ad["additionalProperties"], false);
    assert_eq!(ad["properties"]["domain"]["format"], "hostname");
    assert!(
        ad["properties"]["guest_ou_dn"]["description"]
            .as_str()
            .unwrap()
            .contains("Derived")
    );
    assert_eq!(
        schema["properties"]["values"]["properties"]["aad"]["properties"]["client_secret"]["not"],
        serde_json::json!({})
    );
    let out = runsheet().args(["schema", "variables"]).output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["$defs"]["Variable"]["properties"]["derive"].is_object());
}
