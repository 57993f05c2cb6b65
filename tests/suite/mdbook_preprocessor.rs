//! runsheet as mdBook's preprocessor: the protocol (`supports RENDERER`,
//! then `[context, book]` in and the book out), what it does to chapters,
//! and, where mdBook is installed, a real `mdbook build` of our own book.

use crate::common::{copy_dir, runsheet, write_files};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use std::path::{Path, PathBuf};
use std::str::FromStr;

const FRONT: &str = "---\ntitle: Install the server\ndescription: How the server is installed for this guide, step by step, with all of its values.\nauthor: t\nms.date: 11/30/2026\nms.topic: how-to\n---\n";

/// A small book with one environment, `lab`.
fn book(root: &Path, settings: &str) {
    write_files(
        root,
        &[
            (
                "book.toml",
                &format!(
                    "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[preprocessor.runsheet]\n{settings}"
                ),
            ),
            ("src/SUMMARY.md", "# Summary\n\n- [Install](install.md)\n"),
            (
                "src/install.md",
                &format!(
                    "{FRONT}# Install on {{{{ server.name }}}}\n\n> [!WARNING]\n> Reboots {{{{ server.name }}}}.\n\n1. Run `setup.exe /name:{{{{ server.name }}}}`.\n"
                ),
            ),
            (
                "environments/lab.yaml",
                "values:\n  server:\n    name: MIM3\n",
            ),
        ],
    );
}

/// What mdBook sends: the context and the book as it read it.
fn input(root: &Path, renderer: &str) -> Vec<u8> {
    input_with(root, renderer, &[])
}

/// [`input`], with keys of mdBook's configuration set as an `MDBOOK_`
/// variable sets them.
fn input_with(root: &Path, renderer: &str, set: &[(&str, &str)]) -> Vec<u8> {
    let mut config = mdbook_preprocessor::config::Config::from_str(
        &std::fs::read_to_string(root.join("book.toml")).unwrap(),
    )
    .unwrap();
    for (key, value) in set {
        config.set(key, value).unwrap();
    }
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, renderer.to_string());
    let mut book = Book::new();
    let content = std::fs::read_to_string(root.join("src/install.md")).unwrap();
    book.push_item(Chapter::new("Install", content, "install.md", vec![]));
    serde_json::to_vec(&(ctx, book)).unwrap()
}

/// `runsheet mdbook` given what mdBook sends for `renderer`.
fn preprocess(root: &Path, renderer: &str) -> std::process::Output {
    runsheet()
        .args(["mdbook"])
        .write_stdin(input(root, renderer))
        .output()
        .unwrap()
}

fn chapter_text(book: &Book) -> String {
    match &book.items[0] {
        BookItem::Chapter(c) => c.content.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn it_supports_every_renderer() {
    let out = runsheet()
        .args(["mdbook", "supports", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("mdbook-runsheet"))
        .args(["supports", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn chapters_lose_front_matter_and_gain_the_environments_values() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "environment = \"lab\"\n");
    let out = preprocess(dir.path(), "html");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Book = serde_json::from_slice(&out.stdout).unwrap();
    let text = chapter_text(&book);
    // The heading keeps the id its text as written gives, whatever fills it.
    assert!(
        text.starts_with("# Install on MIM3 {#install-on--servername-}\n"),
        "{text}"
    );
    assert!(text.contains("> [!WARNING]\n> Reboots MIM3."), "{text}");
    assert!(text.contains("`setup.exe /name:MIM3`"), "{text}");
    assert!(!text.contains("ms.topic"), "{text}");
}

#[test]
fn without_an_environment_placeholders_show_their_names() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("mdbook-runsheet"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(&input(dir.path(), "markdown"))?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = chapter_text(&serde_json::from_slice(&out.stdout).unwrap());
    assert!(text.contains("‹server.name›</span>"), "{text}");
    assert!(text.contains("`setup.exe /name:‹server.name›`"), "{text}");
    // The markdown renderer draws no alerts: they get a label.
    assert!(text.contains("> **Warning**\n> Reboots"), "{text}");
    assert!(!text.contains("{{"), "{text}");
}

#[test]
fn check_errors_fail_the_build_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    // A SUMMARY entry without its file: an error of the check.
    let broken = |settings: &str| {
        book(dir.path(), settings);
        write_files(
            dir.path(),
            &[(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install](install.md)\n- [Gone](gone.md)\n",
            )],
        );
        preprocess(dir.path(), "html")
    };
    let out = broken("environment = \"lab\"\n");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("gone.md"), "{said}");
    assert!(said.contains("fail-on"), "{said}");

    let out = broken("environment = \"lab\"\nfail-on = \"never\"\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gone.md"));
}

#[test]
fn a_bad_setting_is_named() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path(), "environment = \"../etc\"\n");
    let out = preprocess(dir.path(), "html");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("preprocessor.runsheet.environment"), "{said}");
}

#[test]
fn completions_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = runsheet().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("runsheet") && text.contains("write-baseline"),
            "{shell}"
        );
    }
    let out = runsheet().arg("man").output().unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH runsheet 1"),
        "{page}"
    );
    assert!(page.contains(".SH \"RUNSHEET CHECK\""), "{page}");
    assert!(page.contains("write\\-baseline"), "{page}");
}

/// The folder of this build's programs, so mdBook finds `mdbook-runsheet`.
fn programs_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("mdbook-runsheet")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn mdbook_builds_our_book_with_runsheet_as_its_preprocessor() {
    if !crate::common::have(&[&crate::common::MDBOOK]) {
        return;
    }
    let version = std::process::Command::new("mdbook")
        .arg("--version")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&version.stdout).contains("v0.5"),
        "{version:?}"
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    copy_dir(&repo.join("docs"), &root.join("docs"));
    copy_dir(&repo.join("environments"), &root.join("environments"));
    let path = format!(
        "{}:{}",
        programs_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("mdbook")
        .arg("build")
        .current_dir(root)
        .env("PATH", path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("WARN"), "{said}");
    let html = root.join("book");
    let mut pages = 0;
    for entry in std::fs::read_dir(&html).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".html") || matches!(name.as_str(), "404.html" | "toc.html") {
            continue;
        }
        pages += 1;
        let page = std::fs::read_to_string(&path).unwrap();
        let main = page
            .split_once("<main>")
            .and_then(|(_, rest)| rest.split_once("</main>"))
            .map_or(page.as_str(), |(m, _)| m);
        // Only the placeholders written escaped (`\{{ name }}`, shown as
        // written on purpose) may remain; a `{{` that starts no placeholder
        // (a `derive:` template's filter) is text.
        let stem = name.trim_end_matches(".html");
        let source = match stem {
            "index" => root.join("docs/README.md"),
            _ => root.join(format!("docs/{stem}.md")),
        };
        if let Ok(source) = std::fs::read_to_string(&source) {
            let escaped = runsheet::render::fill::escapes(&source, 0).len();
            assert_eq!(
                runsheet::placeholder::scan(main).len(),
                escaped,
                "{name}: a raw placeholder"
            );
        }
        // Front matter would come first, as a rule and a heading of
        // `key: value` lines; the chapter's title comes first instead.
        let first_h1 = main.find("<h1").unwrap_or(main.len());
        assert!(
            !main[..first_h1].contains("ms.date:"),
            "{name}: front matter"
        );
        assert!(
            !main.trim_start().starts_with("<hr"),
            "{name}: front matter"
        );
        let title = page
            .split_once("<title>")
            .and_then(|(_, rest)| rest.split_once("</title>"))
            .map(|(t, _)| t.trim().to_string())
            .unwrap_or_default();
        assert!(!title.is_empty(), "{name}: no title");
    }
    assert!(pages >= 20, "{pages} pages");
    let print = std::fs::read_to_string(html.join("print.html")).unwrap();
    // The lab's values (environments/lab.yaml).
    assert!(
        print.contains("contoso.local"),
        "no lab value in print.html"
    );
    assert!(print.contains("MIM3"), "no lab server name in print.html");
}

/// The small book with a broken link in its chapter, checked with the
/// settings `settings` (a `baseline` among them).
fn book_with_a_broken_link(root: &Path, settings: &str) {
    book(root, settings);
    let text = std::fs::read_to_string(root.join("src/install.md")).unwrap();
    write_files(
        root,
        &[(
            "src/install.md",
            &format!("{text}\nSee [the old notes](old-notes.md).\n"),
        )],
    );
}

/// `runsheet check --write-baseline` in `root`.
fn write_baseline(root: &Path) {
    let out = runsheet()
        .args(["check", "--write-baseline"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn the_preprocessor_honours_the_baseline_its_settings_name() {
    let dir = tempfile::tempdir().unwrap();
    let settings = "environment = \"lab\"\nbaseline = \"runsheet-baseline.json\"\n";
    book_with_a_broken_link(dir.path(), settings);
    write_baseline(dir.path());
    let out = preprocess(dir.path(), "html");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(!said.contains("old-notes.md"), "{said}");

    // A second broken link is new: the build fails on it alone.
    let text = std::fs::read_to_string(dir.path().join("src/install.md")).unwrap();
    write_files(
        dir.path(),
        &[(
            "src/install.md",
            &format!("{text}\nAnd [the new notes](new-notes.md).\n"),
        )],
    );
    let out = preprocess(dir.path(), "html");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("new-notes.md"), "{said}");
    assert!(!said.contains("old-notes.md"), "{said}");
    assert!(said.contains("1 error"), "{said}");
}

#[test]
fn the_preprocessor_honours_exclude_ignore_links_and_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    book_with_a_broken_link(dir.path(), "ignore-links = [\"old-notes.md\"]\n");
    let out = preprocess(dir.path(), "html");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    book_with_a_broken_link(dir.path(), "exclude = [\"install.md\"]\n");
    assert_eq!(preprocess(dir.path(), "html").status.code(), Some(0));
    // `profile = "learn"` turns on Microsoft Learn's rules: a description
    // that is too short is a warning, which `fail-on = "warning"` fails on.
    book(dir.path(), "profile = \"learn\"\nfail-on = \"warning\"\n");
    let text = std::fs::read_to_string(dir.path().join("src/install.md")).unwrap();
    let short = text.replace(
        "How the server is installed for this guide, step by step, with all of its values.",
        "Install.",
    );
    write_files(dir.path(), &[("src/install.md", &short)]);
    let out = preprocess(dir.path(), "html");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("front-matter-description"), "{said}");
    book(dir.path(), "fail-on = \"warning\"\n");
    write_files(dir.path(), &[("src/install.md", &short)]);
    assert_eq!(preprocess(dir.path(), "html").status.code(), Some(0));
}

#[test]
fn mdbook_build_passes_on_a_baselined_finding_and_fails_on_a_new_one() {
    if !crate::common::have(&[&crate::common::MDBOOK]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    book_with_a_broken_link(
        root,
        "environment = \"lab\"\nbaseline = \"runsheet-baseline.json\"\n",
    );
    write_baseline(root);
    let build = || {
        let path = format!(
            "{}:{}",
            programs_dir().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("mdbook")
            .arg("build")
            .current_dir(root)
            .env("PATH", path)
            .output()
            .unwrap()
    };
    let out = build();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("old-notes.md"), "{said}");
    let page = std::fs::read_to_string(root.join("book/install.html")).unwrap();
    assert!(page.contains("MIM3"), "no lab value in install.html");

    let text = std::fs::read_to_string(root.join("src/install.md")).unwrap();
    write_files(
        root,
        &[(
            "src/install.md",
            &format!("{text}\nAnd [the new notes](new-notes.md).\n"),
        )],
    );
    let out = build();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("new-notes.md"), "{said}");
    assert!(!said.contains("old-notes.md"), "{said}");
}

#[test]
fn keys_mdbook_overrides_win_over_book_toml() {
    let dir = tempfile::tempdir().unwrap();
    book_with_a_broken_link(dir.path(), "");
    let run = |set: &[(&str, &str)]| {
        runsheet()
            .args(["mdbook"])
            .write_stdin(input_with(dir.path(), "html", set))
            .output()
            .unwrap()
    };
    assert_eq!(run(&[]).status.code(), Some(2));
    let out = run(&[("preprocessor.runsheet.fail-on", "never")]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&[("preprocessor.runsheet.fail-on", "nevr")]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        said.contains("`fail-on`: `nevr` is not a choice (did you mean `never`?)"),
        "{said}"
    );
}

/// A copy of the book whose own preprocessor (`rules.py`) turns rule names
/// into links and anchors, with runsheet ordered after it.
fn book_with_a_preprocessor() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook-preprocessed");
    copy_dir(&fixture, dir.path());
    dir
}

/// `mdbook build` in `root`, with this build's runsheet on the PATH.
fn mdbook_build(root: &Path) -> std::process::Output {
    let path = format!(
        "{}:{}",
        programs_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("mdbook")
        .arg("build")
        .current_dir(root)
        .env("PATH", path)
        .output()
        .unwrap()
}

#[test]
fn check_alone_leaves_what_the_books_own_preprocessor_may_rewrite_and_says_so() {
    let dir = book_with_a_preprocessor();
    let root = dir.path();
    let out = runsheet()
        .current_dir(root)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // A reference to a rule's name, a link to a name, an anchor the
    // preprocessor makes: none is claimed broken, each is counted.
    assert_eq!(json["diagnostics"], serde_json::json!([]), "{json:#}");
    assert_eq!(json["summary"]["left_to_preprocessors"], 3, "{json:#}");
    assert_eq!(
        json["summary"]["preprocessors"],
        serde_json::json!(["rules"])
    );
    let out = runsheet()
        .current_dir(root)
        .args(["check", "."])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("3 links left unchecked: the book's preprocessor `rules` may turn them into links and anchors"),
        "{said}"
    );
    // A link written as a path is still checked.
    let text = std::fs::read_to_string(root.join("src/agents/cycle.md")).unwrap();
    write_files(
        root,
        &[(
            "src/agents/cycle.md",
            &text.replace("requires.", "requires (see [the old notes](old-notes.md))."),
        )],
    );
    let out = runsheet()
        .current_dir(root)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [("broken-link", 5)], "{json:#}");
}

#[test]
fn the_preprocessor_checks_the_chapters_as_an_earlier_preprocessor_left_them() {
    // What mdBook hands runsheet after the book's own preprocessor: the
    // rule names made links, a definition added at the end, an anchor
    // where the marker was. A link broken in what readers see is reported
    // at its place in the chapter's file.
    let dir = book_with_a_preprocessor();
    let root = dir.path();
    let file = std::fs::read_to_string(root.join("src/agents/cycle.md")).unwrap();
    let file = file.replace(
        "[the export rule][cycle.export] requires.",
        "[the export rule][cycle.export] requires ([the notes](old-notes.md)).",
    );
    write_files(root, &[("src/agents/cycle.md", &file)]);
    let given =
        file.replace(
            "[cycle.order]:",
            "[cycle.order](../standard.md#r-cycle.order):",
        )
        .replace(
            "[change.window].",
            "[change.window](../standard.md#r-change.window).",
        )
        .replace(
            "glossary.connector-space",
            "../glossary.md#r-glossary.connector-space",
        ) + "\n[cycle.export]: ../standard.md#r-cycle.export\n";
    let standard = std::fs::read_to_string(root.join("src/standard.md"))
        .unwrap()
        .replace("r[cycle.order]", "<a id=\"r-cycle.order\"></a>")
        .replace("r[cycle.export]", "<a id=\"r-cycle.export\"></a>")
        .replace("r[change.window]", "<a id=\"r-change.window\"></a>");
    let glossary = std::fs::read_to_string(root.join("src/glossary.md"))
        .unwrap()
        .replace(
            "r[glossary.connector-space]",
            "<a id=\"r-glossary.connector-space\"></a>",
        )
        .replace(
            "r[glossary.metaverse]",
            "<a id=\"r-glossary.metaverse\"></a>",
        );
    let config = mdbook_preprocessor::config::Config::from_str(
        &std::fs::read_to_string(root.join("book.toml")).unwrap(),
    )
    .unwrap();
    let ctx = PreprocessorContext::new(root.to_path_buf(), config, "html".to_string());
    let mut book = Book::new();
    book.push_item(Chapter::new(
        "The operations standard",
        standard,
        "standard.md",
        vec![],
    ));
    book.push_item(Chapter::new(
        "The run cycle",
        given,
        "agents/cycle.md",
        vec![],
    ));
    book.push_item(Chapter::new("Glossary", glossary, "glossary.md", vec![]));
    let out = runsheet()
        .args(["mdbook"])
        .write_stdin(serde_json::to_vec(&(ctx, book)).unwrap())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    // One error, at the file's own line and column.
    let column = file.lines().nth(4).unwrap().find("[the notes]").unwrap() + 1;
    assert!(
        said.contains(&format!("--> src/agents/cycle.md:5:{column}")),
        "{said}"
    );
    assert!(said.contains("1 error, 0 warnings"), "{said}");
    assert!(!said.contains("left unchecked"), "{said}");
}

#[test]
fn mdbook_builds_a_book_whose_own_preprocessor_runs_before_runsheet() {
    if !crate::common::have(&[&crate::common::MDBOOK, &crate::common::PYTHON3]) {
        return;
    }
    let dir = book_with_a_preprocessor();
    let root = dir.path();
    let out = mdbook_build(root);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("error["), "{said}");
    let page = std::fs::read_to_string(root.join("book/agents/cycle.html")).unwrap();
    assert!(page.contains("../standard.html#r-cycle.order"), "{page}");
    // A link broken in what readers see fails the build, reported where
    // the file writes it, after a line the preprocessor rewrote.
    let text = std::fs::read_to_string(root.join("src/agents/cycle.md")).unwrap();
    let text = text.replace(
        "follows [change.window].",
        "follows [change.window] and [a misspelt rule](../standard.md#r-cycle.ordr).",
    );
    write_files(root, &[("src/agents/cycle.md", &text)]);
    let out = mdbook_build(root);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    let line = text
        .lines()
        .position(|l| l.contains("[a misspelt rule]"))
        .unwrap()
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("[a misspelt rule]")
        .unwrap()
        + 1;
    assert!(
        said.contains(&format!("--> src/agents/cycle.md:{line}:{column}")),
        "{said}"
    );
    assert!(said.contains("did you mean `#r-cycle.order`?"), "{said}");
}

/// A copy of our book in a temporary folder, for mdBook to build.
fn our_book() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for file in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(file), dir.path().join(file)).unwrap();
    }
    copy_dir(&repo.join("docs"), &dir.path().join("docs"));
    copy_dir(&repo.join("environments"), &dir.path().join("environments"));
    dir
}

#[test]
fn a_heading_with_a_placeholder_has_one_anchor_in_check_runbooks_and_mdbooks_pages() {
    if !crate::common::have(&[&crate::common::MDBOOK]) {
        return;
    }
    let dir = our_book();
    let root = dir.path();
    // A link from another chapter to a heading with a placeholder, by the
    // anchor its text as written gives.
    let target = "run-sync-rules.md#load-the-synchronization-rules--agentsmimname-";
    let schedule = root.join("docs/schedule-sync-runs.md");
    let text = std::fs::read_to_string(&schedule).unwrap();
    std::fs::write(
        &schedule,
        format!("{text}\nThe rules are loaded as in [the first run]({target}).\n"),
    )
    .unwrap();
    let check = runsheet().arg("check").current_dir(root).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");

    let path = format!(
        "{}:{}",
        programs_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let build = std::process::Command::new("mdbook")
        .arg("build")
        .current_dir(root)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(build.status.success(), "{build:?}");

    // Every heading with a placeholder has, on the page mdBook wrote, the
    // id `runsheet extract` reports.
    let extract = runsheet()
        .arg("extract")
        .current_dir(root)
        .output()
        .unwrap();
    let guide: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    let mut seen = 0;
    for chapter in guide["chapters"].as_array().unwrap() {
        let page = chapter["path"].as_str().unwrap().replace(".md", ".html");
        let page = if page == "README.html" {
            "index.html".into()
        } else {
            page
        };
        let html = std::fs::read_to_string(root.join("book").join(&page)).unwrap();
        for h in chapter["headings"].as_array().unwrap() {
            if !h["text"].as_str().unwrap().contains("{{") {
                continue;
            }
            let id = format!("id=\"{}\"", h["anchor"].as_str().unwrap());
            assert!(html.contains(&id), "{page}: no {id}");
            seen += 1;
        }
    }
    assert!(seen >= 9, "{seen} headings with placeholders");

    // The runbook has the heading under the same anchor, and the link leads
    // there.
    let render = runsheet()
        .args(["render", "--env", "lab", "--out", "scratch-out"])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(0), "{render:?}");
    let runbook = std::fs::read_to_string(root.join("scratch-out/lab/runbook.md")).unwrap();
    let id = "run-sync-rules--load-the-synchronization-rules--agentsmimname-";
    assert!(runbook.contains(&format!("<a id=\"{id}\"></a>")), "no {id}");
    assert!(runbook.contains(&format!("](#{id})")), "no link to {id}");
}
