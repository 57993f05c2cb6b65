//! Input from people a team does not know: each case is one that used to
//! crash runsheet, send it outside the book, or say something unclear.
//! (More cases, each beside the feature it concerns: `check_traps.rs` for
//! comments and symbolic links, `render_cli.rs` for output folders and
//! escaping, `check_rules/text.rs` for file encodings.)

use crate::common::{runsheet, runsheet_without_privileges, write_files};
use std::path::Path;

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn findings(json: &serde_json::Value) -> Vec<(String, String, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_summary_that_lists_a_file_twice_is_reported_at_the_second_entry() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("book.toml", "[book]\ntitle = \"x\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [A](a.md)\n- [B](b.md)\n- [A again](a.md)\n",
            ),
            ("src/a.md", "# A\n"),
            ("src/b.md", "# B\n"),
        ],
    );
    let out = runsheet()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let found = findings(&json_of(&out));
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, message, line) = &found[0];
    assert_eq!((rule.as_str(), *line), ("summary-invalid", 5));
    assert!(
        message.contains("`a.md` is listed twice") && message.contains("first at line 3"),
        "{message}"
    );
}

/// runsheet as a user who cannot open `folder` (as root, everything can
/// be read: the check then runs as `nobody`). `None` when that cannot be
/// done here (see `common::have`).
fn check_without_permission(book: &Path, folder: &Path) -> Option<std::process::Output> {
    use std::os::unix::fs::PermissionsExt;
    let mut command = runsheet_without_privileges(book)?;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = command
        .args(["check", "--format", "json"])
        .arg(book)
        .output()
        .unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    Some(out)
}

#[test]
fn an_unreadable_folder_is_named_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("book.toml", "[book]\ntitle = \"x\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [A](a.md)\n- [B](locked/b.md)\n",
            ),
            ("src/a.md", "# A\n"),
            ("src/locked/b.md", "# B\n"),
        ],
    );
    let Some(out) = check_without_permission(dir.path(), &dir.path().join("src/locked")) else {
        return;
    };
    assert_eq!(out.status.code(), Some(1));
    // Named for what it is: not a file that does not exist.
    let found = findings(&json_of(&out));
    let found: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|(r, m, l)| (r.as_str(), m.as_str(), *l))
        .collect();
    assert_eq!(
        found,
        [
            (
                "summary-missing-file",
                "SUMMARY lists `locked/b.md`, in the folder `locked`, which cannot be read",
                4
            ),
            (
                "unreadable-file",
                "cannot read the folder `locked` (Permission denied (os error 13)): none of its files were checked; give the user running runsheet permission to read it",
                1
            ),
        ]
    );
}

#[test]
fn a_chain_of_prerequisites_thousands_long_does_not_exhaust_the_stack() {
    // Each chapter needs the next; the last needs the first: one loop,
    // 20,000 chapters round. A recursive search overflowed the stack here.
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    for i in 0..n {
        let next = (i + 1) % n;
        std::fs::write(
            dir.path().join(format!("c{i}.md")),
            format!("# C{i}\n\n## Prerequisites\n\n- [C{next}](c{next}.md)\n"),
        )
        .unwrap();
    }
    let guide = runsheet::load(dir.path(), &Default::default()).unwrap();
    let found = runsheet::check::check(&guide, &Default::default(), &Default::default());
    let cycles: Vec<_> = found
        .iter()
        .filter(|d| d.rule == runsheet::check::RuleId::PrerequisiteCycle)
        .collect();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].message.matches(" → ").count(), n);
}

#[test]
fn a_variable_that_is_also_a_parent_is_refused_at_its_line() {
    // `ad` is a value and the parent of `ad.domain`: no schema or runbook
    // can hold both, so the file is refused with the place to fix.
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("book.toml", "[book]\ntitle = \"x\"\n"),
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n"),
            (
                "variables.yaml",
                "ad:\n  type: string\n  description: The AD.\nad.domain:\n  type: hostname\n  description: Its domain.\n",
            ),
        ],
    );
    let out = runsheet()
        .current_dir(dir.path())
        .args(["schema", "environment"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("variables.yaml:1:1") && stderr.contains("`ad.domain` puts keys under it"),
        "{stderr}"
    );
}

#[test]
fn a_long_line_is_shown_cut_around_each_finding_with_its_own_column() {
    // 2,000 broken links on one 34 KB line: each finding shows a stretch
    // of the line, not all of it (which made output and time grow with
    // findings × line length), and still names the link's real column.
    let dir = tempfile::tempdir().unwrap();
    let line = "é[x](missing.md) ".repeat(2_000);
    write_files(dir.path(), &[("a.md", &format!("# A\n\n{line}\n"))]);
    let out = runsheet()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("error[broken-link]").count(), 2_000);
    assert!(text.len() < 2_000 * 600, "{} bytes of output", text.len());
    // The 1,001st link starts at character 1,000 × 17 + 2.
    let column = 1_000 * 17 + 2;
    let at = text
        .find(&format!("a.md:3:{column}\n"))
        .unwrap_or_else(|| panic!("no finding at column {column}"));
    let drawn = text[at..].lines().nth(2).unwrap();
    // Cut by runsheet on both sides, short enough for a terminal.
    assert!(
        drawn.starts_with("3 | …") && drawn.ends_with('…'),
        "{drawn}"
    );
    assert!(drawn.chars().count() < 300, "{drawn}");
    let marks = text[at..].lines().nth(3).unwrap();
    let under = marks.chars().position(|c| c == '^').unwrap();
    let marked: String = drawn.chars().skip(under).take(15).collect();
    assert_eq!(marked, "[x](missing.md)");
}

#[test]
fn a_template_that_doubles_a_value_stops_with_a_message_not_at_gigabytes() {
    // Forty doublings of sixteen bytes would be 16 TiB; minijinja's fuel
    // allows them, the memory budget of a template's rendering does not.
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("book.toml", "[book]\ntitle = \"x\"\n"),
            ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n"),
            ("src/a.md", "# A\n\n1. Do it.\n"),
            ("environments/lab.yaml", "description: Lab.\n"),
            (
                "templates/runbook.md.j2",
                "{% set ns = namespace(s=\"xxxxxxxxxxxxxxxx\") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}\n",
            ),
        ],
    );
    let out = runsheet()
        .current_dir(dir.path())
        .args(["render", "--env", "lab"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("template `templates/runbook.md.j2` needed more than 256 MiB of memory"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn a_prerequisites_item_of_many_links_and_an_faq_of_unclosed_images_are_read_in_one_pass() {
    // 20,000 links in one list item under Prerequisites: each is looked at
    // with a bounded stretch of its sentence, not the whole item again.
    let links: String = (0..20_000).map(|i| format!("[c{i}](c.md) ")).collect();
    let chapter = format!("# A\n\n## Prerequisites\n\n- Then instead {links}\n");
    // An FAQ answer of 100,000 `<img` with no `>`.
    let answer = "<img src=x ".repeat(100_000);
    let faq = format!(
        "### YamlMime:FAQ\ntitle: F\nsections:\n- questions:\n  - answer: 'A ![x](m.png) {answer}'\n"
    );
    let guide = runsheet::markdown::parse_chapter(
        "a.md",
        std::sync::Arc::new(chapter),
        0,
        runsheet::slug::Flavour::Github,
    )
    .0;
    // The first link follows "instead"; the far ones are read as steps.
    assert!(!guide.prerequisites.iter().any(|p| p.link == 0));
    assert!(guide.prerequisites.len() > 19_000);
    let page = runsheet::markdown::parse_yaml_page("faq.yml", std::sync::Arc::new(faq), 0);
    assert_eq!(page.links.len(), 1);
}
