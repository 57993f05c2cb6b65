//! The guide model, field by field, on a fixture book shaped like the
//! chapters real guides are written in: a misspelt Prerequisites heading, a
//! run-profile table inside a blockquote whose delimiter row lacks its
//! trailing pipe, a numbered list that goes on after the table, CRLF line
//! endings and a curly apostrophe.

use runsheet::model::{BookKind, LinkKind};
use runsheet::{LoadOptions, load};
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn guide() -> runsheet::Guide {
    load(&fixture("seed-shape"), &LoadOptions::default()).expect("the fixture loads")
}

#[test]
fn the_book_is_read_from_book_toml_and_summary() {
    let g = guide();
    assert_eq!(g.book.title.as_deref(), Some("Seed-shaped book"));
    assert_eq!(g.book.src, "src");
    assert_eq!(g.book.kind, BookKind::Mdbook);
    let order: Vec<_> = g.chapters.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        order,
        [
            "prepare-server.md",
            "install-SQL-server.md",
            "install-sync.md",
            "installing-PortalMA.md",
            "installing-DirMA.md",
            "installing-CloudMA.md",
            "profiles.md",
            "rule-one.md",
        ]
    );
    assert!(g.problems.is_empty(), "{:?}", g.problems);
}

#[test]
fn front_matter_is_kept_as_written_with_its_lines() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let fm = c.front_matter.as_ref().unwrap();
    assert_eq!((fm.line, fm.end_line), (1, 8));
    assert!(
        fm.raw
            .starts_with("title: Setting up the agents' run profiles \r\n")
    );
    assert_eq!(fm.values["title"], "Setting up the agents' run profiles");
    assert_eq!(fm.values["description"], serde_json::Value::Null);
    assert_eq!(fm.values["ms.date"], "02/29/2024");
    let keys: Vec<_> = fm.keys.iter().map(|k| (k.key.as_str(), k.line)).collect();
    assert_eq!(
        keys,
        [
            ("title", 2),
            ("description", 3),
            ("author", 4),
            ("ms.date", 5),
            ("ms.topic", 6),
            ("ms.service", 7)
        ]
    );
    // The title comes from the front matter, trimmed.
    assert_eq!(
        c.title.as_deref(),
        Some("Setting up the agents' run profiles")
    );
}

#[test]
fn headings_have_levels_lines_and_mdbook_anchors() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let h: Vec<_> = c
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str(), h.anchor.as_str(), h.line))
        .collect();
    assert_eq!(
        h,
        [
            (1, "Agents - Run profiles", "agents---run-profiles", 11),
            (2, "Prerequisits", "prerequisits", 13),
            (2, "Making the profiles", "making-the-profiles", 23),
            (2, "Next: the first rule", "next-the-first-rule", 41),
        ]
    );
}

#[test]
fn prerequisites_come_from_the_misspelt_heading() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let p: Vec<_> = c
        .prerequisites
        .iter()
        .map(|p| (p.text.as_str(), p.target.as_str(), p.line))
        .collect();
    assert_eq!(
        p,
        [
            ("Server preparation", "prepare-server.md", 16),
            ("SQL Server", "install-SQL-server.md", 17),
            ("Sync service", "install-sync.md", 18),
            ("Portal agent", "installing-PortalMA.md", 19),
            ("Directory agent", "installing-DirMA.md", 20),
            ("Cloud agent", "nstalling-CloudMA.md", 21),
        ]
    );
}

#[test]
fn steps_continue_after_the_bullets_and_the_table() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let s: Vec<_> = c
        .steps
        .iter()
        .map(|s| (s.number, s.text.as_str(), s.line))
        .collect();
    assert_eq!(
        s,
        [
            (
                1,
                "Right-click the agent and pick Configure Run Profiles",
                25
            ),
            (2, "Press New Profile and add each profile below:", 26),
            (3, "When every profile exists, press OK", 39),
        ]
    );
    assert_eq!(
        c.steps[0].markdown,
        "Right-click the agent and pick **Configure Run Profiles**"
    );
    assert_eq!(c.steps[2].section.as_deref(), Some("Making the profiles"));
}

#[test]
fn the_blockquoted_profile_table_with_a_short_delimiter_row_is_read() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let p: Vec<_> = c
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.step_type.as_str(), p.line))
        .collect();
    assert_eq!(
        p,
        [
            ("Full Import (Stage Only)", "Full Import (Stage Only)", 33),
            ("Full Synchronization", "Full Synchronization", 34),
            ("Delta Import (Stage Only)", "Delta Import (Stage Only)", 35),
            ("Delta Synchronization", "Delta Synchronization", 36),
            ("Export", "Export", 37),
        ]
    );
    let t = &c.tables[0];
    assert!(t.in_blockquote && t.run_profiles);
    assert_eq!(t.line, 31);
    assert!(t.rows.iter().all(|r| r.written_cells == 2));
}

#[test]
fn next_links_come_from_the_next_heading() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    let n: Vec<_> = c
        .next
        .iter()
        .map(|n| (n.text.as_str(), n.target.as_str(), n.line))
        .collect();
    assert_eq!(n, [("Rule one: bring in cloud users", "rule-one.md", 43)]);
}

#[test]
fn links_carry_kind_and_line_column_spans_in_characters() {
    let g = guide();
    let c = g.chapter("profiles.md").unwrap();
    assert_eq!(c.links.len(), 7);
    let l = &c.links[5];
    assert_eq!(l.kind, LinkKind::Inline);
    assert_eq!(
        (
            l.span.line,
            l.span.column,
            l.span.end_line,
            l.span.end_column
        ),
        (21, 3, 21, 38)
    );
    assert_eq!(l.destination, "nstalling-CloudMA.md");
    assert_eq!(l.fragment, None);
}

#[test]
fn a_chapter_listing_prerequisites_under_the_h1_without_a_heading() {
    let text = "# Install the service\n\nYou should have completed these first:\n\n- [Domain](domain.md)\n- [Server](server.md)\n\n## Steps\n\n1. Run setup.\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("svc.md"), text).unwrap();
    let g = load(&dir.path().join("svc.md"), &LoadOptions::default()).unwrap();
    let targets: Vec<_> = g.chapters[0]
        .prerequisites
        .iter()
        .map(|p| p.target.as_str())
        .collect();
    assert_eq!(targets, ["domain.md", "server.md"]);
}

#[test]
fn a_table_of_contents_under_the_h1_is_not_a_prerequisites_list() {
    let text =
        "# Guide\n\nThe chapters of this guide:\n\n- [Domain](domain.md)\n- [Server](server.md)\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), text).unwrap();
    let g = load(dir.path(), &LoadOptions::default()).unwrap();
    assert!(g.chapters[0].prerequisites.is_empty());
}

#[test]
fn a_plain_folder_reads_readme_first_and_uses_github_anchors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.md"), "# B: the (second) one\n").unwrap();
    std::fs::write(dir.path().join("README.md"), "# Start\n").unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    let g = load(dir.path(), &LoadOptions::default()).unwrap();
    let order: Vec<_> = g.chapters.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(order, ["README.md", "a.md", "b.md"]);
    assert_eq!(g.book.kind, BookKind::Folder);
    assert_eq!(
        g.chapter("b.md").unwrap().headings[0].anchor,
        "b-the-second-one"
    );
}

#[test]
fn bad_input_is_reported_and_the_rest_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/SUMMARY.md"),
        "# Summary\n\n- [Good](good.md)\n- [Latin-1](latin1.md)\n- [Bad YAML](yaml.md)\n- [Gone](gone.md)\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/good.md"), "# Good\n").unwrap();
    std::fs::write(dir.path().join("src/latin1.md"), b"# Caf\xe9\n").unwrap();
    std::fs::write(
        dir.path().join("src/yaml.md"),
        "---\ntitle: [oops\n---\n# Y\n",
    )
    .unwrap();
    let g = load(dir.path(), &LoadOptions::default()).unwrap();
    let kinds: Vec<_> = g
        .problems
        .iter()
        .map(|p| (p.kind.as_str(), p.file.as_str(), p.line))
        .collect();
    assert!(
        kinds.contains(&("invalid-utf8", "latin1.md", 1)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("summary-missing-file", "SUMMARY.md", 6)),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|k| k.0 == "front-matter-yaml" && k.1 == "yaml.md"),
        "{kinds:?}"
    );
    let read: Vec<_> = g.chapters.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(read, ["good.md", "latin1.md", "yaml.md"]);
}

#[test]
fn a_books_source_folder_is_read_as_the_book() {
    let g = load(&fixture("seed-shape").join("src"), &LoadOptions::default()).unwrap();
    assert_eq!(g.book.kind, BookKind::Mdbook);
    assert_eq!(g.book.title.as_deref(), Some("Seed-shaped book"));
    assert!(g.chapters.iter().all(|c| c.path != "SUMMARY.md"));
}
