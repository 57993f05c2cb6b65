//! Precision on real trees: `--fix` rewrites a link only when one file or
//! anchor is clearly meant; DocFX and mdBook conventions are understood;
//! sites published beside a book are not outside it; hidden folders are
//! counted, and read when asked.

use crate::common::{runsheet, write_files};
use serde_json::Value;

fn check_json(root: &std::path::Path, extra: &[&str]) -> Value {
    let out = runsheet()
        .current_dir(root)
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn findings<'a>(json: &'a Value, rule: &str) -> Vec<&'a Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

#[test]
fn a_link_whose_text_names_another_file_is_not_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = "# Guide\n\n\
                 - [The Graph API MA](installing-AADMA.md)\n\
                 - [The AD MA](installing-ADM.md)\n";
    write_files(
        tmp.path(),
        &[
            ("guide.md", guide),
            (
                "installing-ADMA.md",
                "# Create the Active Directory management agent\n",
            ),
            (
                "installing-GraphAPIMA.md",
                "# Create the Graph API management agent\n",
            ),
        ],
    );
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let after = std::fs::read_to_string(tmp.path().join("guide.md")).unwrap();
    // The Graph API agent's link is left as written: its text does not
    // name the Active Directory agent's chapter, the nearest name.
    assert!(
        after.contains("[The Graph API MA](installing-AADMA.md)"),
        "{after}"
    );
    // The AD agent's link is mended: its text names that chapter.
    assert!(after.contains("[The AD MA](installing-ADMA.md)"), "{after}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json = check_json(tmp.path(), &[]);
    let broken = findings(&json, "broken-link");
    assert_eq!(broken.len(), 1, "{json:#}");
    let text = String::from_utf8_lossy(
        &runsheet()
            .current_dir(tmp.path())
            .args(["check", "."])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(text.contains("not fixed"), "{text}");
}

#[test]
fn a_name_with_a_competitor_one_edit_further_is_not_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("guide.md", "# Guide\n\n[x](setup-a.md)\n"),
            ("setup-ab.md", "# Setup\n"),
            ("setup-bc.md", "# Setup\n"),
        ],
    );
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .assert()
        .code(1);
    let after = std::fs::read_to_string(tmp.path().join("guide.md")).unwrap();
    assert_eq!(after, "# Guide\n\n[x](setup-a.md)\n");
    // With no competitor, the same typo is fixed.
    std::fs::remove_file(tmp.path().join("setup-bc.md")).unwrap();
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .assert()
        .success();
    let after = std::fs::read_to_string(tmp.path().join("guide.md")).unwrap();
    assert_eq!(after, "# Guide\n\n[x](setup-ab.md)\n");
}

#[test]
fn an_anchor_with_a_competitor_is_not_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    // `#step-one` is one edit away, `#step-ones` two.
    let text = "# Guide\n\n[x](#step-on)\n\n## Step one\n\n## Step ones\n";
    write_files(tmp.path(), &[("guide.md", text)]);
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("guide.md")).unwrap(),
        text
    );
}

#[test]
fn a_docfx_section_anchor_resolves_and_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "# Variables\n\n\
                See [the exit status][40] and [the edition](#psedition).\n\n\
                ### `$?`\n\nThe exit status.\n\n\
                ### `$$`\n\nThe last token.\n\n\
                ## PSEdition\n\nThe edition.\n\n\
                [40]: #section\n\
                [41]: #section-1\n\n\
                See [the last token][41].\n";
    write_files(
        tmp.path(),
        &[
            (
                "docfx.json",
                "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}\n",
            ),
            ("variables.md", text),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    assert!(findings(&json, "broken-anchor").is_empty(), "{json:#}");
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("variables.md")).unwrap(),
        text
    );
    // Under GitHub's ids the headings have empty ids and `#section` names
    // nothing.
    let json = check_json(tmp.path(), &["--slug", "github"]);
    assert_eq!(findings(&json, "broken-anchor").len(), 2, "{json:#}");
}

#[test]
fn links_to_sites_published_beside_a_book_are_not_outside_it() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("book.toml", "[book]\ntitle = \"Book\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [One](ch01.md)\n- [Two](part/ch02.md)\n",
            ),
            (
                "src/ch01.md",
                "# One\n\nSee [Option](../std/option/enum.Option.html), \
                 [unions](../reference/items/unions.html) and [x](../../x.md).\n",
            ),
            // One folder down, the same sites are one more `..` away: the
            // prefixes are read from the source folder, so they match.
            (
                "src/part/ch02.md",
                "# Two\n\nSee [Vec](../../std/vec/struct.Vec.html).\n",
            ),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    assert_eq!(findings(&json, "link-outside-root").len(), 4, "{json:#}");
    std::fs::write(
        tmp.path().join("runsheet.toml"),
        "published-beside = [\"../std/\", \"../reference/\"]\n",
    )
    .unwrap();
    let json = check_json(tmp.path(), &[]);
    let outside = findings(&json, "link-outside-root");
    assert_eq!(outside.len(), 1, "{json:#}");
    assert!(
        outside[0]["message"]
            .as_str()
            .unwrap()
            .contains("../../x.md")
    );
}

#[test]
fn docfx_trees_know_redirects_images_and_case() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            (
                ".openpublishing.redirection.json",
                "{\"redirections\": [{\"source_path\": \"docs/old.md\", \
                 \"redirect_url\": \"/site/new\", \"redirect_document_id\": false}]}\n",
            ),
            (
                "docs/docfx.json",
                "{\"build\": {\"globalMetadata\": {\"ms.topic\": \"article\"}}}\n",
            ),
            (
                "docs/index.md",
                "# Index\n\n\
                 See [the old page](old.md) and [the New page](New.md).\n\n\
                 :::image type=\"content\" source=\"media/shot.png\" alt-text=\"A shot\":::\n",
            ),
            ("docs/new.md", "# New\n"),
            ("docs/media/shot.png", "png"),
            ("docs/media/unused.png", "png"),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    let rules: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] != "docs/new.md")
        .filter(|d| !d["rule"].as_str().unwrap().starts_with("front-matter"))
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("link-to-redirect", "warning"),
            ("link-case-mismatch", "warning"),
            ("unused-asset", "warning"),
        ],
        "{json:#}"
    );
    let redirect = findings(&json, "link-to-redirect");
    assert!(
        redirect[0]["message"]
            .as_str()
            .unwrap()
            .contains("/site/new"),
        "{json:#}"
    );
    let unused = findings(&json, "unused-asset");
    assert_eq!(unused[0]["file"], "docs/media/unused.png", "{json:#}");
}

#[test]
fn hidden_folders_are_counted_and_read_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("guide.md", "# Guide\n"),
            (".github/notes.md", "# Notes\n\n[x](gone.md)\n"),
            ("sub/.drafts/draft.md", "# Draft\n"),
        ],
    );
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("2 hidden folders not read (.github, sub/.drafts): --hidden reads them"),
        "{stdout}"
    );
    let json = check_json(tmp.path(), &[]);
    assert_eq!(json["summary"]["hidden_folders"], 2, "{json:#}");
    let json = check_json(tmp.path(), &["--hidden"]);
    assert_eq!(json["summary"]["files"], 3, "{json:#}");
    assert!(json["summary"].get("hidden_folders").is_none(), "{json:#}");
    assert_eq!(findings(&json, "broken-link").len(), 1, "{json:#}");
}

#[test]
fn a_docfx_case_mistake_is_reported_once_and_fixed_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("docs/docfx.json", "{\"build\": {}}\n"),
            (
                "docs/a.md",
                "# A\n\n[!code-cpp[One](codesnippet/cpp/one.cpp)]\n\n\
                 [!code-cpp[Two](codesnippet/cpp/two.cpp)]\n\n[B](B.md)\n",
            ),
            (
                "docs/b.md",
                "# B\n\n[!code-cpp[One](codesnippet/cpp/one.cpp)]\n\n[B](B.md)\n",
            ),
            ("docs/codesnippet/CPP/one.cpp", "int one;\n"),
            ("docs/codesnippet/CPP/two.cpp", "int two;\n"),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    let case = findings(&json, "link-case-mismatch");
    // One finding per wrongly cased segment: the folder, and the file B.md.
    assert_eq!(case.len(), 2, "{json:#}");
    assert_eq!(case[0]["file"], "docs/a.md");
    let message = case[0]["message"].as_str().unwrap();
    assert!(
        message.ends_with("2 more links write `docs/codesnippet/cpp` this way"),
        "{message}"
    );
    assert_eq!(case[0]["repeats"].as_array().unwrap().len(), 2, "{json:#}");
    assert_eq!(case[0]["repeats"][1]["file"], "docs/b.md", "{json:#}");
    assert!(
        case[1]["message"]
            .as_str()
            .unwrap()
            .ends_with("1 more link writes `docs/B.md` this way")
    );
    assert_eq!(json["summary"]["repeats"], 3, "{json:#}");
    let stats = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--statistics", "."])
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&stats.stdout);
    assert!(
        stats.contains("link-case-mismatch  2 files (and 3 more places reported with them)"),
        "{stats}"
    );
    assert!(
        stats.contains("3 more places repeat a finding reported once"),
        "{stats}"
    );
    // --fix mends every place, not only the one reported.
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let a = std::fs::read_to_string(tmp.path().join("docs/a.md")).unwrap();
    let b = std::fs::read_to_string(tmp.path().join("docs/b.md")).unwrap();
    assert!(!a.contains("cpp/") && !a.contains("B.md"), "{a}");
    assert!(!b.contains("cpp/") && !b.contains("B.md"), "{b}");
    let json = check_json(tmp.path(), &[]);
    assert!(findings(&json, "link-case-mismatch").is_empty(), "{json:#}");
}

#[test]
fn docfx_tables_and_links_are_read_as_the_site_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let table = "# Operators\n\n| Operator | Meaning |\n|---|---|\n| `|` | Bitwise OR |\n\n\
                 | Property | Description | Choices |\n|--|--|--|\n| Output | The name |\n| Input | The source |\n\
                 | Kind | Which | A | B |\n:::moniker-end\n\n\
                 [Build](/cpp/build), [Windows](/windows/apps), [Span](xref:System.Span`1), <xref:System.String>.\n";
    write_files(
        tmp.path(),
        &[
            (
                "docs/docfx.json",
                "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}\n",
            ),
            ("runsheet.toml", "site-path = \"/cpp/\"\n"),
            ("docs/operators.md", table),
            ("docs/build/index.md", "# Build\n"),
        ],
    );
    // Markdig keeps a code span's pipe in its cell, GitHub splits there;
    // a table's short rows are one finding; `:::moniker-end` is no row.
    let json = check_json(tmp.path(), &[]);
    let tables = findings(&json, "table-column-count");
    assert_eq!(tables.len(), 2, "{json:#}");
    assert!(
        tables[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("Markdown pads it with 1 empty cell; 1 more row of this table is short too"),
        "{json:#}"
    );
    assert!(
        tables[1]["message"]
            .as_str()
            .unwrap()
            .contains("drops the 1 extra cell"),
        "{json:#}"
    );
    let plain = tempfile::tempdir().unwrap();
    write_files(plain.path(), &[("operators.md", table)]);
    let json_plain = check_json(plain.path(), &[]);
    assert_eq!(
        findings(&json_plain, "table-column-count").len(),
        5,
        "{json_plain:#}"
    );
    assert_eq!(json["summary"]["other_site"], 1, "{json:#}");
    assert_eq!(json["summary"]["site_links"], 1, "{json:#}");
    assert_eq!(json["summary"]["xrefs"], 2, "{json:#}");
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "1 link to other sites of the same host and 2 xref links not checked offline; \
             1 link written as the site sees it checked against the tree"
        ),
        "{stdout}"
    );
}

#[test]
fn excluded_files_are_read_but_not_reported_and_ignored_links_not_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            (
                "runsheet.toml",
                "exclude = [\"styleguide/**\"]\nignore-links = [\"../../LICENSE\", \"/api/**\"]\n",
            ),
            (
                "guide.md",
                "# Guide\n\n[API](/api/x.md) and [Style](styleguide/template.md).\n",
            ),
            ("sub/page.md", "# Page\n\n[Licence](../../LICENSE)\n"),
            ("styleguide/template.md", "# Template\n\n[x](gone.md)\n"),
        ],
    );
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{json:#}");
    assert!(
        json["diagnostics"].as_array().unwrap().is_empty(),
        "{json:#}"
    );
    // The template is still read: the link into it counts, it is no orphan.
    assert_eq!(json["summary"]["files"], 3, "{json:#}");
    // Without the settings, each is reported.
    std::fs::remove_file(tmp.path().join("runsheet.toml")).unwrap();
    let json = check_json(tmp.path(), &[]);
    assert_eq!(findings(&json, "broken-link").len(), 1, "{json:#}");
    let outside = findings(&json, "link-outside-root");
    assert_eq!(outside.len(), 1, "{json:#}");
}

#[test]
fn docfx_yaml_pages_are_link_sources_and_use_images() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("docs/docfx.json", "{\"build\": {}}\n"),
            (
                "docs/toc.yml",
                "- name: Guide\n  href: guide.md\n- name: Gone\n  href: gone.md\n- name: Case\n  href: Guide.md\n",
            ),
            (
                "docs/index.yml",
                "### YamlMime:Landing\ntitle: Home\nlandingContent:\n- title: Start\n  imageSrc: media/logo.svg\n  links:\n  - url: guide.md#intro\n",
            ),
            ("docs/data.yml", "href: not-a-page.md\n"),
            ("docs/faq.yml", "### YamlMime:FAQ\ntitle: FAQ\n"),
            (
                "docs/guide.md",
                "# Guide\n\n## Intro\n\nSee [the FAQ](faq.yml#why-this) and [home](~/index.yml).\n",
            ),
            ("docs/media/logo.svg", "<svg/>"),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    let broken = findings(&json, "broken-link");
    assert_eq!(broken.len(), 1, "{json:#}");
    assert_eq!(broken[0]["file"], "docs/toc.yml");
    assert_eq!(broken[0]["line"], 4);
    assert!(findings(&json, "unused-asset").is_empty(), "{json:#}");
    assert!(findings(&json, "broken-anchor").is_empty(), "{json:#}");
    assert!(
        findings(&json, "front-matter-missing-key").is_empty(),
        "{json:#}"
    );
    assert_eq!(findings(&json, "link-case-mismatch").len(), 1, "{json:#}");
    // --fix edits a YAML page's value in place.
    runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    let toc = std::fs::read_to_string(tmp.path().join("docs/toc.yml")).unwrap();
    assert!(toc.ends_with("- name: Case\n  href: guide.md\n"), "{toc}");
}

#[test]
fn docfx_moniker_blocks_are_versions_of_one_list_item() {
    let tmp = tempfile::tempdir().unwrap();
    let page = "# Build\n\n1. Build the app.\n\n::: moniker range=\"<msvc-170\"\n\n2. Open the `Debug` folder.\n\n::: moniker-end\n::: moniker range=\">=msvc-170\"\n\n2. Open the `x64\\Debug` folder.\n\n::: moniker-end\n\n3. Run it.\n";
    write_files(
        tmp.path(),
        &[
            ("docs/docfx.json", "{\"build\": {}}\n"),
            ("docs/build.md", page),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    assert!(findings(&json, "list-numbering").is_empty(), "{json:#}");
    // Elsewhere a repeated 2 is a finding.
    let plain = tempfile::tempdir().unwrap();
    write_files(plain.path(), &[("build.md", page)]);
    let json = check_json(plain.path(), &[]);
    assert_eq!(findings(&json, "list-numbering").len(), 1, "{json:#}");
}

/// A copy of the fixture `name` in a temporary folder.
fn copy_of(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    crate::common::copy_dir(&from, tmp.path());
    tmp
}

#[test]
fn redirect_files_anywhere_are_read_as_docfx_reads_them() {
    // Redirect files in the docset's folder and in a folder the publish
    // configuration names, sources relative to their own folder or from
    // the root, relative redirect URLs, sources in other letter case.
    let tmp = copy_of("docfx-redirects");
    let json = check_json(tmp.path(), &[]);
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "link-to-redirect",
                "link target `setup/prepare-host.md` has moved: a redirect file sends it to `/mim-guide/setup/prepare-server`"
            ),
            (
                "link-to-redirect",
                "link target `agents/directory-agent.md` has moved: a redirect file sends it to `/mim-guide/agents/create-directory-agent`"
            ),
            (
                "link-to-redirect",
                "link target `agents/Cloud-Agent.md` has moved: a redirect file sends it to `/mim-guide/agents/create-cloud-agent`"
            ),
            (
                "link-to-redirect",
                "link target `sync/first-run.md` has moved: a redirect file sends it to `/mim-guide/sync/run-cycle`"
            ),
        ],
        "{json:#}"
    );
    // `--fix` writes each redirect's target, never the closest name
    // (`agents/directory-agents.md` is one letter from the link).
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(tmp.path().join("docs/index.md")).unwrap();
    for written in [
        "(setup/prepare-server.md)",
        "(agents/create-directory-agent.md)",
        "(agents/create-cloud-agent.md#connectivity)",
        "(sync/run-cycle.md)",
    ] {
        assert!(index.contains(written), "{written} in {index}");
    }
    let json = check_json(tmp.path(), &[]);
    assert_eq!(json["diagnostics"], serde_json::json!([]), "{json:#}");
}

#[test]
fn mojibake_shown_as_an_example_in_code_is_neither_reported_nor_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    let chapter = "# Encodings\n\n\
                   When the export was saved as Windows-1252, the wizard shows `Ã„2` instead of `Ä`.\n\n\
                   ```text\nMAâ€™s and cafÃ©\n```\n\n\
                   The log reads <code>Ã©</code>, and the tab reads <pre>Ã—</pre>.\n\n\
                   \x20   an indented MAâ€™s\n\n\
                   But this sentence has the MAâ€™s the editor broke.\n";
    write_files(tmp.path(), &[("encodings.md", chapter)]);
    let json = check_json(tmp.path(), &[]);
    let moji = findings(&json, "mojibake");
    assert_eq!(moji.len(), 1, "{json:#}");
    assert_eq!(moji[0]["line"], 13, "{json:#}");
    let out = runsheet()
        .current_dir(tmp.path())
        .args(["check", "--fix", "--dry-run", "."])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(
        changed,
        ["+But this sentence has the MA’s the editor broke."],
        "{diff}"
    );
}

#[test]
fn a_docfx_toc_md_is_a_table_of_contents_whose_links_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            (
                "docs/docfx.json",
                "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"]}]}}\n",
            ),
            (
                "docs/toc.md",
                "# [Overview](index.md)\n\n# Agents\n\n## [Create the directory agent](agents/directory.md)\n\n## [Create the cloud agent](agents/clod.md)\n\n# [Run the cycle](run.md)\n",
            ),
            (
                "docs/index.md",
                "---\ntitle: Overview\ndescription: What the guide sets up.\nauthor: runsheet-docs\nms.date: 03/02/2026\nms.topic: overview\n---\n\n# Overview\n",
            ),
            (
                "docs/agents/directory.md",
                "---\ntitle: Create the directory agent\ndescription: The directory agent.\nauthor: runsheet-docs\nms.date: 03/02/2026\nms.topic: how-to\n---\n\n# Create the directory agent\n",
            ),
            (
                "docs/agents/cloud.md",
                "---\ntitle: Create the cloud agent\ndescription: The cloud agent.\nauthor: runsheet-docs\nms.date: 03/02/2026\nms.topic: how-to\n---\n\n# Create the cloud agent\n",
            ),
            (
                "docs/run.md",
                "---\ntitle: Run the cycle\ndescription: The cycle.\nauthor: runsheet-docs\nms.date: 03/02/2026\nms.topic: how-to\n---\n\n# Run the cycle\n",
            ),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    // Its several H1s and its missing front matter are no page's
    // mistakes; its broken link is.
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("broken-link", "docs/toc.md")], "{json:#}");
}

#[test]
fn images_a_yaml_faq_shows_in_its_answers_are_used() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[
            ("docs/docfx.json", "{\"build\": {}}\n"),
            (
                "docs/faq.yml",
                "### YamlMime:FAQ\ntitle: Questions about the agents\nsections:\n- name: Agents\n  questions:\n  - question: What does the wizard show first?\n    answer: |\n      The connectivity page:\n\n      ![The connectivity page](media/connectivity.png)\n  - question: And when it fails?\n    answer: 'The log shows ![an error](media/eror.png).'\n",
            ),
            ("docs/media/connectivity.png", "png"),
            ("docs/media/error.png", "png"),
        ],
    );
    let json = check_json(tmp.path(), &[]);
    // The image the answer shows is used; the one a typo misses is not,
    // and the typo is a broken image, reported where it is written.
    let found: Vec<(&str, &str, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("broken-link", "docs/faq.yml", 12),
            ("unused-asset", "docs/media/error.png", 1),
        ],
        "{json:#}"
    );
}
