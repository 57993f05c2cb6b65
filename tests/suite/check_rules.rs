//! Every rule of `runsheet check`, one test each: a guide the rule reports
//! (where, what, and the suggestion it offers) and the same guide corrected,
//! which passes with no finding at all.
//!
//! Guides are written into a temporary folder and checked through the
//! library. `undefined-variable` needs environments and is left to their tests.

use crate::common::{write_bytes, write_files};
use runsheet::check::{self, Diagnostic, Settings, Severity};
use runsheet::docfx::Site;
use runsheet::{LoadOptions, load};
use std::path::Path;

/// Write `files` (path, text) under a fresh folder and check it as the CLI
/// would: a book when `book.toml` is among them, a plain folder otherwise.
fn check_files(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    check_dir(dir.path())
}

/// Checks twice: the loaded guide, and the guide read and checked in one
/// pass as the CLI does, which lets each chapter's text and most of its
/// links go as soon as the chapter rules have run. Both must find the same.
fn check_dir(root: &Path) -> Vec<Diagnostic> {
    let guide = load(root, &LoadOptions::default()).expect("the guide loads");
    let settings = Settings::read(&guide.book.root).unwrap();
    let site = Site::read(&guide.book.root, settings.site_path.as_deref());
    let found = check::check(&guide, &settings, &site);
    let (_, streamed) =
        check::read_and_check(root, &LoadOptions::default(), &settings, &site).unwrap();
    let shown = |ds: &[Diagnostic]| -> Vec<String> {
        ds.iter()
            .map(|d| {
                format!(
                    "{} {:?} {:?}",
                    serde_json::to_string(d).unwrap(),
                    d.help,
                    d.fix
                )
            })
            .collect()
    };
    assert_eq!(
        shown(&found),
        shown(&streamed),
        "the one-pass check differs"
    );
    found
}

/// The findings of one rule, as (file, line, column, end_line, end_column).
fn at(diagnostics: &[Diagnostic], rule: &str) -> Vec<(String, usize, usize, usize, usize)> {
    of(diagnostics, rule)
        .map(|d| (d.file.clone(), d.line, d.column, d.end_line, d.end_column))
        .collect()
}

fn of<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> impl Iterator<Item = &'a Diagnostic> {
    let rule = rule.to_string();
    diagnostics.iter().filter(move |d| d.rule == rule)
}

/// The single finding of `rule`, failing the test if there is not exactly one.
fn one<'a>(diagnostics: &'a [Diagnostic], rule: &str) -> &'a Diagnostic {
    let found: Vec<_> = of(diagnostics, rule).collect();
    assert_eq!(found.len(), 1, "one `{rule}` expected in {diagnostics:#?}");
    found[0]
}

fn assert_clean(diagnostics: &[Diagnostic]) {
    assert!(
        diagnostics.is_empty(),
        "no finding expected: {diagnostics:#?}"
    );
}

fn s(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// A two-chapter mdBook: `a.md` and `b.md` listed in that order, plus any
/// other files.
/// [`check_files`] with `profile = "learn"`, which turns on the rules that
/// are Microsoft Learn's conventions.
fn check_learn(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut files = files.to_vec();
    files.push(("runsheet.toml", "profile = \"learn\"\n"));
    check_files(&files)
}

fn book<'a>(a: &'a str, b: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut files = vec![
        ("book.toml", "[book]\ntitle = \"Test\"\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [B](b.md)\n"),
        ("src/a.md", a),
        ("src/b.md", b),
    ];
    files.extend_from_slice(more);
    files
}

// ---------------------------------------------------------------- links

#[test]
fn broken_link_suggests_the_closest_file() {
    let d = check_files(&[
        (
            "profiles.md",
            "# Profiles\n\n- [Graph agent](nstalling-GraphAPIMA.md)\n",
        ),
        ("installing-GraphAPIMA.md", "# Graph agent\n"),
        ("installing-ADMA.md", "# AD agent\n"),
    ]);
    let f = one(&d, "broken-link");
    assert_eq!(
        (f.file.as_str(), f.line, f.column, f.end_line, f.end_column),
        ("profiles.md", 3, 3, 3, 41)
    );
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.message,
        "link target `nstalling-GraphAPIMA.md` does not exist"
    );
    assert_eq!(f.suggestion, s("installing-GraphAPIMA.md"));
    assert_eq!(
        f.help.as_deref(),
        Some("did you mean `installing-GraphAPIMA.md`?")
    );
    assert_eq!(d.len(), 1, "{d:#?}");

    assert_clean(&check_files(&[
        (
            "profiles.md",
            "# Profiles\n\n- [Graph agent](installing-GraphAPIMA.md)\n",
        ),
        ("installing-GraphAPIMA.md", "# Graph agent\n"),
        ("installing-ADMA.md", "# AD agent\n"),
    ]));
}

#[test]
fn broken_link_without_the_md_extension_suggests_adding_it() {
    let d = check_files(&[
        ("index.md", "# Start\n\nRead [the setup](setup) first.\n"),
        ("setup.md", "# Setup\n"),
        ("setup-old.md", "# Old setup\n"),
    ]);
    let f = one(&d, "broken-link");
    assert_eq!((f.line, f.column, f.end_column), (3, 6, 24));
    assert_eq!(f.suggestion, s("setup.md"));
    assert_eq!(d.len(), 1, "{d:#?}");

    assert_clean(&check_files(&[
        ("index.md", "# Start\n\nRead [the setup](setup.md) first.\n"),
        ("setup.md", "# Setup\n"),
        ("setup-old.md", "# Old setup\n"),
    ]));
}

#[test]
fn broken_link_keeps_the_folder_written_and_reports_images_too() {
    let d = check_files(&[
        (
            "guide/intro.md",
            "# Intro\n\n![The wizard](../media/wizzard.png)\n[Next](../guide/nxt.md)\n",
        ),
        (
            "guide/next.md",
            "# Next\n\n![The wizard](../media/wizard.png)\n",
        ),
        ("media/wizard.png", "png"),
    ]);
    let found: Vec<_> = of(&d, "broken-link")
        .map(|f| (f.line, f.message.as_str(), f.suggestion.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                3,
                "image target `../media/wizzard.png` does not exist",
                Some("../media/wizard.png")
            ),
            (
                4,
                "link target `../guide/nxt.md` does not exist",
                Some("../guide/next.md")
            ),
        ]
    );
}

#[test]
fn broken_link_with_two_equally_close_files_suggests_nothing_to_apply() {
    let d = check_files(&[
        ("index.md", "[x](step-3.md)\n"),
        ("step-1.md", "# One\n"),
        ("step-2.md", "# Two\n"),
    ]);
    let f = one(&d, "broken-link");
    assert_eq!(f.suggestion, None);
    assert!(f.fix.is_none());
    assert_eq!(
        f.help.as_deref(),
        Some("did you mean `step-1.md` or `step-2.md`?")
    );
}

#[test]
fn link_case_mismatch_names_the_file_as_it_is_spelt() {
    let d = check_files(&[
        (
            "sync.md",
            "# Sync\n\nInstall [SQL Server](install-sql-server.md#Features) first.\n",
        ),
        (
            "Install-SQL-server.md",
            "# Install SQL Server\n\n## Features\n",
        ),
    ]);
    let f = one(&d, "link-case-mismatch");
    assert_eq!((f.line, f.column, f.end_line, f.end_column), (3, 9, 3, 53));
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.suggestion, s("Install-SQL-server.md"));
    assert!(
        f.message.contains("exists only as `Install-SQL-server.md`"),
        "{}",
        f.message
    );
    // The fix replaces only the path, not the fragment.
    let fix = f.fix.as_ref().unwrap();
    let text = "# Sync\n\nInstall [SQL Server](install-sql-server.md#Features) first.\n";
    assert_eq!(&text[fix.start..fix.end], "install-sql-server.md");
    // The fragment is checked against the file it lands on: case matters.
    let a = one(&d, "broken-anchor");
    assert_eq!(a.suggestion, s("#features"));
    assert_eq!(d.len(), 2, "{d:#?}");

    assert_clean(&check_files(&[
        (
            "sync.md",
            "# Sync\n\nInstall [SQL Server](Install-SQL-server.md#features) first.\n",
        ),
        (
            "Install-SQL-server.md",
            "# Install SQL Server\n\n## Features\n",
        ),
    ]));
}

#[test]
fn link_case_mismatch_in_a_folder_name_is_found_and_fixed_in_place() {
    let text = "# A\n\n[c](sub/c.md) ![shot](Media/Shot.PNG)\n";
    let d = check_files(&[
        ("a.md", text),
        ("Sub/c.md", "# C\n"),
        ("media/shot.png", "png"),
    ]);
    let found: Vec<_> = of(&d, "link-case-mismatch")
        .map(|f| {
            let fix = f.fix.as_ref().unwrap();
            (
                f.column,
                f.suggestion.as_deref(),
                &text[fix.start..fix.end],
                fix.replacement.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, Some("Sub/c.md"), "sub/c.md", "Sub/c.md"),
            (
                15,
                Some("media/shot.png"),
                "Media/Shot.PNG",
                "media/shot.png"
            ),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
}

#[test]
fn broken_anchor_in_the_same_file_suggests_the_closest_heading() {
    let d = check_files(&[(
        "a.md",
        "# Guide\n\n## Run profiles\n\nSee [the profiles](#run-profile).\n",
    )]);
    let f = one(&d, "broken-anchor");
    assert_eq!((f.line, f.column, f.end_column), (5, 5, 33));
    assert_eq!(
        f.message,
        "anchor `#run-profile` does not exist in this file"
    );
    assert_eq!(f.suggestion, s("#run-profiles"));
    assert_eq!(f.help.as_deref(), Some("did you mean `#run-profiles`?"));
    assert_eq!(d.len(), 1, "{d:#?}");

    assert_clean(&check_files(&[(
        "a.md",
        "# Guide\n\n## Run profiles\n\nSee [the profiles](#run-profiles).\n",
    )]));
}

#[test]
fn broken_anchor_in_another_file_suggests_the_closest_heading_there() {
    let d = check_files(&[
        (
            "a.md",
            "# A\n\nSee [profiles](configuring-MA-runprofiles.md#run-profile).\n",
        ),
        (
            "configuring-MA-runprofiles.md",
            "# Configure\n\n## Run profiles\n\n## Schedules\n",
        ),
    ]);
    let f = one(&d, "broken-anchor");
    assert_eq!(
        f.message,
        "anchor `#run-profile` does not exist in `configuring-MA-runprofiles.md`"
    );
    assert_eq!(f.suggestion, s("#run-profiles"));
    // The fix rewrites only the fragment.
    let fix = f.fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "run-profiles");
    assert_eq!(d.len(), 1, "{d:#?}");

    // A link to a heading that was never there, with nothing close, is
    // reported without a suggestion.
    let d = check_files(&[
        ("a.md", "# A\n\nSee [x](b.md#troubleshooting).\n"),
        ("b.md", "# B\n\n## Run profiles\n"),
    ]);
    let f = one(&d, "broken-anchor");
    assert_eq!(f.suggestion, None);

    assert_clean(&check_files(&[
        (
            "a.md",
            "# A\n\nSee [profiles](configuring-MA-runprofiles.md#run-profiles).\n",
        ),
        (
            "configuring-MA-runprofiles.md",
            "# Configure\n\n## Run profiles\n\n## Schedules\n",
        ),
    ]));
}

#[test]
fn link_outside_root_is_reported_and_dot_dot_inside_the_root_is_not() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("docs/a.md", "# A\n\n[Licence](../LICENSE)\n"),
            ("LICENSE", "MIT\n"),
        ],
    );
    // The folder being checked is docs/, so ../LICENSE leaves it.
    let d = check_dir(&dir.path().join("docs"));
    let f = one(&d, "link-outside-root");
    assert_eq!(
        (f.file.as_str(), f.line, f.column, f.end_column),
        ("a.md", 3, 1, 22)
    );
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.message,
        "link `../LICENSE` leaves the folder being checked"
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    // Checked from the parent, the same link stays inside the root.
    assert_clean(&check_dir(dir.path()));

    assert_clean(&check_files(&[
        ("docs/a.md", "# A\n\n[B](../docs/sub/../b.md)\n"),
        ("docs/b.md", "# B\n"),
    ]));
}

#[test]
fn undefined_reference_is_reported_at_the_reference() {
    let d = check_files(&[(
        "a.md",
        "# A\n\nSee [the portal][portal] and [the service][].\n",
    )]);
    let found: Vec<_> = of(&d, "undefined-reference")
        .map(|f| (f.line, f.column, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, 5, "reference `[portal]` has no definition"),
            (3, 30, "reference `[the service]` has no definition"),
        ]
    );
    assert_eq!(d[0].end_column, 25);
    assert!(of(&d, "undefined-reference").all(|f| f.severity == Severity::Error));

    assert_clean(&check_files(&[
        (
            "a.md",
            "# A\n\nSee [the portal][portal] and [the service][].\n\n[portal]: portal.md\n[the service]: service.md\n",
        ),
        ("portal.md", "# Portal\n"),
        ("service.md", "# Service\n"),
    ]));
}

#[test]
fn an_undefined_collapsed_reference_is_underlined_with_its_brackets() {
    let d = check_files(&[("a.md", "See [the service][].\n")]);
    let f = one(&d, "undefined-reference");
    assert_eq!((f.column, f.end_column), (5, 20));
}

#[test]
fn a_reference_definition_to_a_missing_file_is_a_broken_link_at_the_use() {
    let d = check_files(&[
        (
            "a.md",
            "# A\n\nSee [the portal][portal].\n\n[portal]: portl.md\n",
        ),
        ("portal.md", "# P\n"),
    ]);
    let f = one(&d, "broken-link");
    assert_eq!((f.line, f.column), (3, 5));
    assert_eq!(f.suggestion, s("portal.md"));
    // The fix edits the definition, where the path is written.
    let fix = f.fix.as_ref().unwrap();
    let text = "# A\n\nSee [the portal][portal].\n\n[portal]: portl.md\n";
    assert_eq!(&text[fix.start..fix.end], "portl.md");
}

// ---------------------------------------------------------------- SUMMARY

#[test]
fn summary_missing_file_is_reported_on_its_summary_line() {
    let files = [
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Portal](install-mim-portal.md)\n- [Service](install-mim-service-portal.md)\n",
        ),
        ("src/install-mim-portal.md", "# Portal\n"),
        ("src/install-mim-service.md", "# Service\n"),
    ];
    let d = check_files(&files);
    let f = one(&d, "summary-missing-file");
    // The destination is underlined.
    assert_eq!(
        (f.file.as_str(), f.line, f.column, f.end_line, f.end_column),
        ("SUMMARY.md", 4, 13, 4, 42)
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("install-mim-service-portal.md"),
        "{}",
        f.message
    );
    // The unlisted file is an orphan, since the entry meant for it is wrong.
    assert_eq!(at(&d, "orphan-chapter").len(), 1, "{d:#?}");
    assert_eq!(d.len(), 2, "{d:#?}");

    assert_clean(&check_files(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Portal](install-mim-portal.md)\n- [Service](install-mim-service.md)\n",
        ),
        ("src/install-mim-portal.md", "# Portal\n"),
        ("src/install-mim-service.md", "# Service\n"),
    ]));
}

#[test]
fn summary_missing_file_suggests_the_closest_file() {
    let d = check_files(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [Setup](setpu.md)\n"),
        ("src/setup.md", "# Setup\n"),
    ]);
    let f = one(&d, "summary-missing-file");
    assert_eq!(f.line, 3);
    assert_eq!(f.suggestion, s("setup.md"));

    // However the destination is written, it is what is underlined.
    for (entry, columns) in [
        ("- [Setup](./setpu.md)", (11, 21)),
        ("- [Set up](<set pu.md>)", (13, 22)),
        ("- [Setup](setpu.md \"The setup\")", (11, 19)),
    ] {
        let d = check_files(&[
            ("book.toml", "[book]\nsrc = \"src\"\n"),
            ("src/SUMMARY.md", &format!("# Summary\n\n{entry}\n")),
            ("src/setup.md", "# Setup\n"),
        ]);
        let f = one(&d, "summary-missing-file");
        assert_eq!((f.column, f.end_column), columns, "{entry}");
    }
}

/// A suffix chapter followed by a list: mdBook refuses the summary.
const SUFFIX_THEN_LIST: &str =
    "# Summary\n\n- [Chapter](a.md)\n\n[Suffix](b.md)\n\n- [More](c.md)\n";

fn abc_book(summary: &str) -> Vec<Diagnostic> {
    check_files(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        ("src/SUMMARY.md", summary),
        ("src/a.md", "# A\n\n[Gone](gone.md)\n"),
        ("src/b.md", "# B\n"),
        ("src/c.md", "# C\n"),
    ])
}

#[test]
fn summary_invalid_when_mdbook_cannot_read_it_and_the_rest_is_still_checked() {
    let d = abc_book(SUFFIX_THEN_LIST);
    let f = one(&d, "summary-invalid");
    assert_eq!(f.file, "SUMMARY.md");
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .starts_with("SUMMARY.md cannot be read as an mdBook summary"),
        "{}",
        f.message
    );
    // The chapters are read in folder order and checked all the same.
    assert_eq!(at(&d, "broken-link"), [("a.md".to_string(), 3, 1, 3, 16)]);
    assert_eq!(d.len(), 2, "{d:#?}");

    let d = abc_book("# Summary\n\n- [Chapter](a.md)\n- [More](c.md)\n\n[Suffix](b.md)\n");
    assert!(of(&d, "summary-invalid").next().is_none(), "{d:#?}");
    assert_eq!(d.len(), 1, "only the broken link: {d:#?}");
}

#[test]
fn summary_invalid_names_the_line_and_the_reason_mdbook_gives() {
    let d = abc_book(SUFFIX_THEN_LIST);
    let f = one(&d, "summary-invalid");
    assert_eq!(f.line, 7, "{f:#?}");
    assert!(
        f.message
            .contains("Suffix chapters cannot be followed by a list"),
        "{}",
        f.message
    );
}

#[test]
fn an_unparsable_summary_is_not_taken_for_a_chapter() {
    let fm = format!("---\n{}---\n\n# A\n", good_keys());
    let d = check_files(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [A](a.md)\n\n[B](b.md)\n\n- [C](a.md)\n\n# Part two\n\n- [B](b.md)\n",
        ),
        ("src/a.md", &fm),
        ("src/b.md", &fm),
    ]);
    // Not "chapter has no front matter", not its part titles as extra H1s.
    let rules: Vec<_> = d
        .iter()
        .map(|d| (d.rule.as_str(), d.file.as_str()))
        .collect();
    assert_eq!(rules, [("summary-invalid", "SUMMARY.md")]);
}

#[test]
fn summary_invalid_when_the_book_has_no_summary() {
    let d = check_files(&[
        ("book.toml", "[book]\nsrc = \"src\"\n"),
        ("src/a.md", "# A\n"),
    ]);
    let f = one(&d, "summary-invalid");
    assert_eq!((f.file.as_str(), f.line), ("SUMMARY.md", 1));
    assert_eq!(
        f.message,
        "the book has no src/SUMMARY.md; chapters are read in folder order"
    );
    assert_eq!(d.len(), 1, "{d:#?}");
}

// ---------------------------------------------------------------- profiles

#[test]
fn profile_type_unknown_suggests_the_closest_step_type() {
    let table = |ty: &str| {
        format!(
            "# Agent\n\n## Run profiles\n\n| Name | Type |\n|---|---|\n| Nightly | {ty} |\n| Export | Export |\n"
        )
    };
    let text = table("Full Import");
    let d = check_files(&[("agent.md", &text)]);
    let f = one(&d, "profile-type-unknown");
    assert_eq!((f.line, f.column, f.end_line, f.end_column), (7, 13, 7, 24));
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.message,
        "run profile `Nightly` has type `Full Import`, which is not a MIM run-profile step type"
    );
    assert_eq!(f.suggestion, s("Full Import (Stage Only)"));
    assert_eq!(d.len(), 1, "{d:#?}");

    let text = table("Full Synchronisation");
    let d = check_files(&[("agent.md", &text)]);
    assert_eq!(
        one(&d, "profile-type-unknown").suggestion,
        s("Full Synchronization")
    );

    let text = table("Full Import (Stage Only)");
    assert_clean(&check_files(&[("agent.md", &text)]));
}

// ---------------------------------------------------------------- prerequisites

#[test]
fn prerequisite_cycle_spells_out_the_loop() {
    let d = check_files(&book(
        "# A\n\n## Prerequisites\n\n- [B](b.md)\n",
        "# B\n\n## Prerequisites\n\n- [A](a.md)\n",
        &[],
    ));
    let f = one(&d, "prerequisite-cycle");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.message, "prerequisites form a cycle: a.md → b.md → a.md");
    assert_eq!((f.file.as_str(), f.line, f.column), ("b.md", 5, 3));

    let d = check_files(&book(
        "# A\n",
        "# B\n\n## Prerequisites\n\n- [A](a.md)\n",
        &[],
    ));
    assert_clean(&d);
}

#[test]
fn a_chapter_listing_itself_as_a_prerequisite_is_a_cycle() {
    let d = check_files(&book(
        "# A\n\n## Prerequisites\n\n- [Me](a.md)\n",
        "# B\n",
        &[],
    ));
    let f = one(&d, "prerequisite-cycle");
    assert_eq!(f.message, "prerequisites form a cycle: a.md → a.md");
}

#[test]
fn prerequisite_order_warns_about_a_chapter_read_later() {
    let d = check_files(&book(
        "# A\n\n## Prerequisites\n\n- [B](b.md)\n",
        "# B\n",
        &[],
    ));
    let f = one(&d, "prerequisite-order");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        (f.file.as_str(), f.line, f.column, f.end_column),
        ("a.md", 5, 3, 12)
    );
    assert_eq!(
        f.message,
        "prerequisite `b.md` comes after this chapter in reading order"
    );
    assert_eq!(d.len(), 1, "{d:#?}");

    assert_clean(&check_files(&book(
        "# A\n",
        "# B\n\n## Prerequisites\n\n- [A](a.md)\n",
        &[],
    )));
}

#[test]
fn link_to_redirect_names_where_a_redirect_file_sends_the_link() {
    let d = check_files(&[
        (
            ".openpublishing.redirection.json",
            "{\"redirections\": [{\"source_path_from_root\": \"/docs/old.md\", \"redirect_url\": \"/site/new-page\"}]}\n",
        ),
        ("docs/a.md", "# A\n\nSee [the old page](old.md#part).\n"),
    ]);
    let f = one(&d, "link-to-redirect");
    assert_eq!((f.file.as_str(), f.line), ("docs/a.md", 3));
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("`/site/new-page`"), "{}", f.message);
    // Another site: never fixed.
    assert!(f.fix.is_none(), "{f:#?}");
    // Not also a broken link.
    assert_eq!(d.len(), 1, "{d:#?}");
}

#[test]
fn broken_xref_is_a_uid_the_xref_map_does_not_define() {
    let files = |page: &'static str| {
        vec![
            ("docs/docfx.json", "{\"build\": {}}\n"),
            (
                "docs/xrefmap.yml",
                "### YamlMime:XRefMap\nreferences:\n- uid: Contoso.Widgets\n  name: Widgets\n  href: api/widgets.html\n",
            ),
            ("docs/a.md", page),
        ]
    };
    let d = check_files(&files(
        "# A\n\nSee <xref:Contoso.Widget> and [it](xref:Contoso.Widgets?displayProperty=fullName).\n",
    ));
    let f = one(&d, "broken-xref");
    assert_eq!((f.file.as_str(), f.line), ("docs/a.md", 3));
    assert!(f.message.contains("`Contoso.Widget`"), "{}", f.message);
    assert_eq!(f.help.as_deref(), Some("did you mean `Contoso.Widgets`?"));
    assert_eq!(of(&d, "broken-xref").count(), 1);
    let d = check_files(&files("# A\n\nSee <xref:Contoso.Widgets>.\n"));
    assert_eq!(of(&d, "broken-xref").count(), 0, "{d:#?}");
    // Without a map nothing is reported: the uids may be another site's.
    let d = check_files(&[
        ("docs/docfx.json", "{\"build\": {}}\n"),
        ("docs/a.md", "# A\n\nSee <xref:System.String>.\n"),
    ]);
    assert_eq!(of(&d, "broken-xref").count(), 0, "{d:#?}");
}

#[test]
fn link_to_redirect_is_fixed_to_a_target_inside_the_tree() {
    // A redirect file named by the publish configuration, a docset served
    // under /cpp/ (its breadcrumb says so), and a redirect of a redirect.
    let d = check_files(&[
        (
            ".openpublishing.publish.config.json",
            "{\"docsets_to_publish\": [{\"build_source_folder\": \"docs\", \"redirection_files\": [\"docs/moves.json\"]}]}\n",
        ),
        (
            "docs/moves.json",
            "{\"redirections\": [\n\
             {\"source_path\": \"docs/old.md\", \"redirect_url\": \"/cpp/middle\"},\n\
             {\"source_path\": \"docs/middle.md\", \"redirect_url\": \"/cpp/guide/new-page\"},\n\
             {\"source_path\": \"docs/gone.md\", \"redirect_url\": \"/cpp/guide/not-there\"}]}\n",
        ),
        (
            "docs/docfx.json",
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"], \"src\": \".\"}], \"globalMetadata\": {\"breadcrumb_path\": \"~/bread/toc.yml\"}}}\n",
        ),
        ("docs/bread/toc.yml", "- name: C++\n  tocHref: /cpp/\n"),
        (
            "docs/sub/a.md",
            "# A\n\nSee [the old page](../old.md#part) and [gone](/cpp/gone).\n",
        ),
        ("docs/guide/new-page.md", "# New page\n\n## Part\n"),
    ]);
    let found: Vec<_> = d
        .iter()
        .filter(|f| f.rule.as_str() == "link-to-redirect")
        .collect();
    assert_eq!(found.len(), 2, "{d:#?}");
    let fix = found[0].fix.as_ref().expect("fixed");
    assert_eq!(fix.replacement, "../guide/new-page.md", "{d:#?}");
    // Its target is not in the tree: named, never written.
    assert!(found[1].fix.is_none(), "{d:#?}");
    assert!(found[1].message.contains("/cpp/guide/not-there"), "{d:#?}");
}

#[test]
fn site_absolute_links_lead_through_a_docsets_url_path() {
    let d = check_files(&[
        (
            "docs/docfx.json",
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"], \"src\": \"articles\", \"dest\": \"guide\"}, {\"files\": [\"*.md\", \"*.yml\"], \"src\": \".\"}]}}\n",
        ),
        ("runsheet.toml", "site-path = \"/cpp/\"\n"),
        (
            "docs/index.md",
            "# Home\n\n[Build](/cpp/guide/build#steps), [Home](/cpp/), \
             [Windows](/windows/apps/), [Logo](~/media/logo.png), [Gone](/cpp/guide/gone).\n",
        ),
        ("docs/articles/build.md", "# Build\n\n## Steps\n"),
        ("docs/media/logo.png", "png"),
    ]);
    let broken: Vec<_> = d
        .iter()
        .filter(|f| f.rule.as_str() != "front-matter-missing-key")
        .collect();
    assert_eq!(broken.len(), 1, "{d:#?}");
    assert_eq!(broken[0].rule.as_str(), "broken-link");
    assert!(broken[0].message.contains("`/cpp/guide/gone`"), "{d:#?}");
    assert!(
        broken[0]
            .message
            .contains("`docs/articles/gone.md` does not exist"),
        "{d:#?}"
    );
}

// ---------------------------------------------------------------- structure

#[test]
fn orphan_chapter_is_a_file_summary_leaves_out_and_nothing_links_to() {
    let d = check_files(&book(
        "# A\n",
        "# B\n",
        &[("src/architecture.md", "# Arch\n")],
    ));
    let f = one(&d, "orphan-chapter");
    assert_eq!((f.file.as_str(), f.line), ("architecture.md", 1));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(d.len(), 1, "{d:#?}");

    // Its links to itself do not make it linked.
    let d = check_files(&book(
        "# A\n",
        "# B\n",
        &[(
            "src/architecture.md",
            "# Arch\n\nSee [the part](architecture.md#part).\n\n## Part\n",
        )],
    ));
    assert_eq!(at(&d, "orphan-chapter").len(), 1, "{d:#?}");

    // Linked from a chapter: not an orphan.
    assert_clean(&check_files(&book(
        "# A\n\nSee [the architecture](architecture.md).\n",
        "# B\n",
        &[("src/architecture.md", "# Arch\n")],
    )));
    // A chapter pulled into another with `{{#include}}` is used; an
    // include of a missing file is a broken link; listings beside the book
    // are found where they are.
    let d = check_files(&book(
        "# A\n\n{{#include part.md}}\n\n```rust\n{{#rustdoc_include ../listings/main.rs:all}}\n```\n\n{{#include gone.md}}\n",
        "# B\n",
        &[
            ("src/part.md", "Shared text.\n"),
            ("listings/main.rs", "fn main() {}\n"),
        ],
    ));
    let f = one(&d, "broken-link");
    assert_eq!((f.file.as_str(), f.line), ("a.md", 9));
    assert!(f.message.contains("`gone.md`"), "{}", f.message);
    assert_eq!(d.len(), 1, "{d:#?}");

    // The page mdBook shows for a missing page is not an orphan.
    assert_clean(&check_files(&book(
        "# A\n",
        "# B\n",
        &[("src/404.md", "# Not found\n")],
    )));
}

#[test]
fn unused_asset_is_an_image_nothing_shows() {
    let d = check_files(&[
        ("a.md", "# A\n\n![Wizard](media/wizard.png)\n"),
        ("media/wizard.png", "png"),
        ("media/old-screenshot.PNG", "png"),
        ("media/notes.txt", "not an image"),
    ]);
    let f = one(&d, "unused-asset");
    assert_eq!(f.file, "media/old-screenshot.PNG");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(d.len(), 1, "{d:#?}");

    // Shown by an image, linked by a link, or by raw HTML: all used.
    assert_clean(&check_files(&[
        (
            "a.md",
            "# A\n\n![Wizard](media/wizard.png)\n[Full size](media/old-screenshot.PNG)\n<img src=\"media/logo.svg\" alt=\"\">\n",
        ),
        ("media/wizard.png", "png"),
        ("media/old-screenshot.PNG", "png"),
        ("media/logo.svg", "<svg/>"),
    ]));
}

#[test]
fn multiple_h1_reports_each_extra_title_and_front_matter_title_is_not_one() {
    let d = check_files(&[(
        "a.md",
        "# Domain preparation\n\nText.\n\n# Delegation\n\nMore.\n",
    )]);
    let f = one(&d, "multiple-h1");
    assert_eq!((f.line, f.column, f.end_line, f.end_column), (5, 1, 5, 13));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.message, "second level-1 heading `Delegation`");

    assert_clean(&check_files(&[(
        "a.md",
        "# Domain preparation\n\nText.\n\n## Delegation\n\nMore.\n",
    )]));
}

#[test]
fn table_column_count_reports_rows_wider_or_narrower_than_the_header() {
    let d = check_files(&[(
        "a.md",
        "# Map\n\n| Source | Target |\n|---|---|\n| mail | email | Allow null |\n| upn |\n| sn | lastName |\n",
    )]);
    let found: Vec<_> = of(&d, "table-column-count")
        .map(|f| (f.line, f.column, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                5,
                1,
                "row has 3 cells, the header 2: Markdown drops the 1 extra cell"
            ),
            (
                6,
                1,
                "row has 1 cell, the header 2: Markdown pads it with 1 empty cell"
            ),
        ]
    );
    assert!(of(&d, "table-column-count").all(|f| f.severity == Severity::Warning));

    assert_clean(&check_files(&[(
        "a.md",
        "# Map\n\n| Source | Target | Options |\n|---|---|---|\n| mail | email | Allow null |\n| `a\\|b` | c \\| d | |\n",
    )]));
}

/// GFM splits a row at every unescaped pipe, inside code spans too:
/// `` `a|b` `` is two cells, so this row has three and loses one.
#[test]
fn table_column_count_counts_a_pipe_in_a_code_span_as_gfm_does() {
    let d = check_files(&[(
        "a.md",
        "# Map\n\n| Source | Target |\n|---|---|\n| `a|b` | c |\n",
    )]);
    let f = one(&d, "table-column-count");
    assert_eq!(f.line, 5);
}

#[test]
fn list_numbering_reports_skips_repeats_and_a_wrong_restart() {
    let d = check_files(&[(
        "a.md",
        "# Steps\n\n1. Open the wizard\n2. Pick the type\n4. Finish\n\n## Again\n\n1. One\n1. One again\n2. Two\n",
    )]);
    let found: Vec<_> = of(&d, "list-numbering")
        .map(|f| {
            (
                f.line,
                f.column,
                f.end_column,
                f.message.as_str(),
                f.suggestion.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (5, 1, 2, "list item numbered 4 skips: 3 expected", Some("3")),
            (
                10,
                1,
                2,
                "list item numbered 1 repeats or goes back: 2 expected",
                Some("2")
            ),
        ]
    );

    // Resuming after a table goes on from the list before it; all-`1.`
    // lists are a style, not a mistake.
    assert_clean(&check_files(&[(
        "a.md",
        "# Steps\n\n1. Open the wizard\n2. Pick the type\n\n| A | B |\n|---|---|\n| x | y |\n\n3. Finish\n\n## Style\n\n1. a\n1. b\n1. c\n",
    )]));
}

#[test]
fn a_list_resuming_with_the_wrong_number_after_a_table_is_reported() {
    let d = check_files(&[(
        "a.md",
        "# Steps\n\n1. Open\n2. Pick\n\n| A | B |\n|---|---|\n| x | y |\n\n4. Finish\n",
    )]);
    let f = one(&d, "list-numbering");
    assert_eq!((f.line, f.suggestion.as_deref()), (10, Some("3")));
}

// ---------------------------------------------------------------- front matter

const GOOD_DESCRIPTION: &str = "Install SQL Server 2019 with the features MIM needs, as the account that MIM setup uses later.";

fn with_front_matter(keys: &str) -> String {
    format!("---\n{keys}---\n\n# Chapter\n")
}

fn good_keys() -> String {
    format!(
        "title: Install SQL Server\ndescription: {GOOD_DESCRIPTION}\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n"
    )
}

#[test]
fn front_matter_missing_key_names_each_key_and_chapters_without_any() {
    let d = check_files(&[
        ("a.md", &with_front_matter("title: Install SQL Server\n")),
        ("b.md", "# No front matter\n"),
    ]);
    let found: Vec<_> = of(&d, "front-matter-missing-key")
        .map(|f| (f.file.as_str(), f.line, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("a.md", 1, "front matter has no `author`"),
            ("a.md", 1, "front matter has no `description`"),
            ("a.md", 1, "front matter has no `ms.date`"),
            ("a.md", 1, "front matter has no `ms.topic`"),
            (
                "b.md",
                1,
                "chapter has no front matter; the book's chapters carry title, description, author, ms.date, ms.topic"
            ),
        ]
    );
    assert!(of(&d, "front-matter-missing-key").all(|f| f.severity == Severity::Warning));

    let good = with_front_matter(&good_keys());
    assert_clean(&check_files(&[("a.md", &good), ("b.md", &good)]));
    // A guide that uses no front matter at all is left alone.
    assert_clean(&check_files(&[("a.md", "# A\n"), ("b.md", "# B\n")]));
}

#[test]
fn front_matter_required_keys_come_from_the_configuration() {
    let d = check_files(&[
        (
            "runsheet.toml",
            "[front-matter]\nrequired = [\"title\", \"owner\"]\n",
        ),
        ("a.md", &with_front_matter("title: T\n")),
    ]);
    let found: Vec<_> = of(&d, "front-matter-missing-key")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(found, ["front matter has no `owner`"]);
}

#[test]
fn front_matter_empty_value_is_reported_on_the_key_line() {
    let keys = good_keys().replace(&format!("description: {GOOD_DESCRIPTION}"), "description: ");
    let text = with_front_matter(&format!("{keys}ms.service: \"\"\nms.custom: []\n"));
    let d = check_files(&[("a.md", &text)]);
    let found: Vec<_> = of(&d, "front-matter-empty-value")
        .map(|f| (f.line, f.column, f.end_column, f.message.as_str()))
        .collect();
    // An empty value is shown at its key; a written but empty one at itself.
    assert_eq!(
        found,
        [
            (3, 1, 13, "front matter key `description` has no value"),
            (7, 13, 15, "front matter key `ms.service` has no value"),
            (8, 12, 14, "front matter key `ms.custom` has no value"),
        ]
    );
    assert!(of(&d, "front-matter-empty-value").all(|f| f.severity == Severity::Warning));
    assert_eq!(d.len(), 3, "{d:#?}");

    assert_clean(&check_files(&[("a.md", &with_front_matter(&good_keys()))]));
}

#[test]
fn front_matter_date_must_be_a_real_mm_dd_yyyy_date() {
    for bad in ["2020-04-15", "02/30/2024", "4/31/2020", "15/04/2020"] {
        let keys = good_keys().replace("04/15/2024", bad);
        let d = check_files(&[("a.md", &with_front_matter(&keys))]);
        let f = one(&d, "front-matter-date");
        // The value is underlined.
        let end = 10 + bad.chars().count();
        assert_eq!((f.line, f.column, f.end_column), (5, 10, end), "{bad}");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.message,
            format!("`ms.date: {bad}` is not a real date written MM/DD/YYYY")
        );
        assert_eq!(d.len(), 1, "{bad}: {d:#?}");
    }
    // A month or day of one digit is read the same by Microsoft Learn.
    for good in ["02/29/2024", "4/2/2020"] {
        let keys = good_keys().replace("04/15/2024", good);
        assert_clean(&check_files(&[("a.md", &with_front_matter(&keys))]));
    }
}

#[test]
fn front_matter_topic_suggests_the_closest_learn_topic() {
    let keys = good_keys().replace("how-to", "howto");
    let d = check_learn(&[("a.md", &with_front_matter(&keys))]);
    let f = one(&d, "front-matter-topic");
    assert_eq!((f.line, f.column, f.end_column), (6, 11, 16));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "`ms.topic: howto` is not a Microsoft Learn topic type"
    );
    assert_eq!(f.suggestion, s("how-to"));
    assert_eq!(d.len(), 1, "{d:#?}");

    // Nothing close: no suggestion, the help lists the common types.
    let keys = good_keys().replace("how-to", "banana");
    let d = check_learn(&[("a.md", &with_front_matter(&keys))]);
    assert_eq!(one(&d, "front-matter-topic").suggestion, None);

    let keys = good_keys().replace("how-to", "conceptual");
    assert_clean(&check_learn(&[("a.md", &with_front_matter(&keys))]));
}

#[test]
fn front_matter_invalid_is_reported_at_the_yaml_error() {
    let d = check_files(&[
        ("a.md", "---\ntitle: [Install\nauthor: x\n---\n\n# A\n"),
        ("b.md", &with_front_matter(&good_keys())),
    ]);
    let f = one(&d, "front-matter-invalid");
    assert_eq!(f.file, "a.md");
    assert_eq!(f.severity, Severity::Error);
    assert!((2..=4).contains(&f.line), "{f:#?}");
    assert!(
        f.message.starts_with("front matter is not valid YAML"),
        "{}",
        f.message
    );
    // Its keys cannot be read, so they are not reported missing as well.
    assert_eq!(d.len(), 1, "{d:#?}");

    let keys = good_keys().replace("title: Install SQL Server", "title: \"[Install]\"");
    assert_clean(&check_files(&[("a.md", &with_front_matter(&keys))]));
}

#[test]
fn front_matter_invalid_names_a_list_and_an_unclosed_block_once() {
    let d = check_files(&[
        ("list.md", "---\n- a\n- b\n---\n# A\n"),
        ("open.md", "---\ntitle: Install\n\n# Install\n\nText.\n"),
        ("rule.md", "---\n\n# A chapter that starts with a rule\n"),
    ]);
    let found: Vec<(&str, &str)> = of(&d, "front-matter-invalid")
        .map(|f| (f.file.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{d:#?}");
    assert_eq!(found[0].0, "list.md");
    assert!(
        found[0]
            .1
            .starts_with("front matter is a list, not `key: value` lines")
    );
    assert_eq!(found[1].0, "open.md");
    assert!(found[1].1.contains("never closed"), "{}", found[1].1);
    // Neither is also reported as five missing keys.
    let missing: Vec<&str> = of(&d, "front-matter-missing-key")
        .map(|f| f.file.as_str())
        .collect();
    assert!(
        !missing.contains(&"list.md") && !missing.contains(&"open.md"),
        "{missing:?}"
    );
}

#[test]
fn front_matter_description_must_be_75_to_300_characters() {
    let short = good_keys().replace(GOOD_DESCRIPTION, "Run profiles.");
    // An opinion of Microsoft Learn's, off unless asked for.
    assert_clean(&check_files(&[("a.md", &with_front_matter(&short))]));
    let d = check_learn(&[("a.md", &with_front_matter(&short))]);
    let f = one(&d, "front-matter-description");
    assert_eq!((f.line, f.column, f.end_column), (3, 14, 27));
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.message,
        "`description` is 13 characters long; 75 to 300 are expected"
    );
    assert_eq!(d.len(), 1, "{d:#?}");

    let long = good_keys().replace(GOOD_DESCRIPTION, &"word ".repeat(61));
    let d = check_learn(&[("a.md", &with_front_matter(&long))]);
    assert!(one(&d, "front-matter-description").message.contains("304"));

    // 75 characters exactly, counted in characters not bytes.
    let edge = format!("{}é", "x".repeat(74));
    let keys = good_keys().replace(GOOD_DESCRIPTION, &edge);
    assert_clean(&check_learn(&[("a.md", &with_front_matter(&keys))]));
}

// ---------------------------------------------------------------- text

#[test]
fn mojibake_suggests_the_repaired_text() {
    let d = check_files(&[(
        "a.md",
        "# A\n\nFor each of the MAâ€™s, open the cafÃ© menu.\n",
    )]);
    let found: Vec<_> = of(&d, "mojibake")
        .map(|f| {
            (
                f.line,
                f.column,
                f.end_column,
                f.suggestion.as_deref(),
                f.severity,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, 19, 22, Some("’"), Severity::Warning),
            (3, 37, 39, Some("é"), Severity::Warning),
        ]
    );
    assert_eq!(
        one(&check_files(&[("a.md", "MAâ€™s\n")]), "mojibake").message,
        "`â€™` is UTF-8 read as Windows-1252; it should read `’`"
    );

    // Real accented text and typographic quotes are left alone.
    assert_clean(&check_files(&[(
        "a.md",
        "# A\n\nFor each of the MA’s, open the café menu. Ångström, Ä x, “quoted”.\n",
    )]));
}

#[test]
fn invalid_utf8_is_reported_where_the_first_bad_byte_is() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(dir.path(), "a.md", b"# Caf\xe9\n\nfine\n");
    write_bytes(dir.path(), "b.md", b"# B\n\nok\nab\xFFcd\n");
    let d = check_dir(dir.path());
    let found: Vec<_> = of(&d, "invalid-utf8")
        .map(|f| (f.file.as_str(), f.line, f.column, f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("a.md", 1, 6, Severity::Error),
            ("b.md", 4, 3, Severity::Error)
        ]
    );
    assert!(d[0].message.contains("(byte 0xE9)"), "{d:#?}");

    let dir = tempfile::tempdir().unwrap();
    write_bytes(dir.path(), "a.md", "# Café\n".as_bytes());
    assert_clean(&check_dir(dir.path()));
}

/// A chapter the process cannot read. Permissions do not stop a privileged
/// user, so there the chapter is a link to a file that no one can read from
/// its start (`/proc/self/mem`, Linux).
#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a.md", "# A\n\n[gone](gone.md)\n"),
            ("locked.md", "# Locked\n"),
        ],
    );
    let locked = dir.path().join("locked.md");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut name = "locked.md".to_string();
    if std::fs::read(&locked).is_ok() {
        // Permissions do not apply to this user (root): a file whose name
        // is not UTF-8 cannot be opened by the name runsheet reads.
        use std::os::unix::ffi::OsStrExt;
        std::fs::remove_file(&locked).unwrap();
        let raw = std::ffi::OsStr::from_bytes(b"locked\xff.md");
        std::fs::write(dir.path().join(raw), "# Locked\n").unwrap();
        name = "locked\u{fffd}.md".to_string();
    }
    let d = check_dir(dir.path());
    let f = one(&d, "unreadable-file");
    assert_eq!((f.file.as_str(), f.line), (name.as_str(), 1));
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.starts_with("cannot read the file"),
        "{}",
        f.message
    );
    // The readable chapter is still checked.
    assert_eq!(at(&d, "broken-link").len(), 1, "{d:#?}");

    // Once readable (or renamed), it is checked like the others.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.as_encoded_bytes().starts_with(b"locked"))
        {
            std::fs::remove_file(path).unwrap();
        }
    }
    std::fs::write(&locked, "# Locked\n").unwrap();
    let d = check_dir(dir.path());
    assert!(of(&d, "unreadable-file").next().is_none(), "{d:#?}");
}

#[cfg(unix)]
#[test]
fn symlink_outside_root_is_reported_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), "# X\n\n[gone](gone.md)\n").unwrap();
    write_files(dir.path(), &[("a.md", "# A\n"), ("inner.md", "# Inner\n")]);
    std::os::unix::fs::symlink(outside.path().join("x.md"), dir.path().join("x.md")).unwrap();
    std::os::unix::fs::symlink("inner.md", dir.path().join("alias.md")).unwrap();
    let d = check_dir(dir.path());
    let f = one(&d, "symlink-outside-root");
    assert_eq!(
        (f.file.as_str(), f.line, f.severity),
        ("x.md", 1, Severity::Error)
    );
    assert!(f.message.contains("does not read it"), "{}", f.message);
    // Nothing of the file it points to is checked; a link inside is read.
    assert!(of(&d, "broken-link").next().is_none(), "{d:#?}");
}

#[test]
fn lone_carriage_return_is_said_and_the_chapter_still_read() {
    let dir = tempfile::tempdir().unwrap();
    write_bytes(
        dir.path(),
        "old.md",
        b"# Old\r\rSee [gone](gone.md).\r\r## Steps\r\r1. First\r2. Second\r",
    );
    let d = check_dir(dir.path());
    let f = one(&d, "lone-carriage-return");
    assert_eq!(
        (f.file.as_str(), f.line, f.severity),
        ("old.md", 1, Severity::Warning)
    );
    // Its lines were read: the broken link on line 3 is found.
    let broken = one(&d, "broken-link");
    assert_eq!((broken.line, broken.column), (3, 5));
    let guide = load(&dir.path().join("old.md"), &LoadOptions::default()).unwrap();
    assert_eq!(guide.chapters[0].steps.len(), 2);
}

// ---------------------------------------------------------------- the table

/// A rule, the files its example needs beside it, and how the example
/// becomes a chapter.
type Example = (
    &'static str,
    &'static [(&'static str, &'static str)],
    fn(&str) -> Vec<(String, String)>,
);

/// The failing and passing examples in the rule table are shown on the
/// reference page and in SARIF help; those that are Markdown must be true.
#[test]
fn the_rule_tables_examples_fail_and_pass_as_documented() {
    let meta = |id: &str| runsheet::check::rules::meta(id).unwrap();
    // (rule, other files the example needs, how the example becomes a file)
    let cases: [Example; 9] = [
        (
            "broken-link",
            &[("installing-GraphAPIMA.md", "# G\n")],
            chapter,
        ),
        (
            "link-case-mismatch",
            &[("Install-SQL-server.md", "# S\n")],
            chapter,
        ),
        (
            "broken-anchor",
            &[("configuring-MA-runprofiles.md", "# C\n\n## Run profiles\n")],
            chapter,
        ),
        (
            "undefined-reference",
            &[("install-mim-portal.md", "# P\n")],
            chapter,
        ),
        ("profile-type-unknown", &[], |md| {
            chapter(&format!("# Agent\n\n## Run profiles\n\n{md}\n"))
        }),
        ("table-column-count", &[], chapter),
        ("list-numbering", &[], chapter),
        ("mojibake", &[], chapter),
        ("multiple-h1", &[], |md| {
            chapter(&md.replace("...", "Text."))
        }),
    ];
    for (id, context, as_files) in cases {
        for (example, expect) in [(meta(id).fails, true), (meta(id).passes, false)] {
            let mut files: Vec<(String, String)> = as_files(example);
            files.extend(context.iter().map(|(p, t)| (p.to_string(), t.to_string())));
            let borrowed: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_str()))
                .collect();
            let d = check_files(&borrowed);
            assert_eq!(
                of(&d, id).next().is_some(),
                expect,
                "{id} on {example:?}: {d:#?}"
            );
        }
    }
    for (example, expect) in [
        (meta("summary-invalid").fails, true),
        (meta("summary-invalid").passes, false),
    ] {
        let d = abc_book(&format!("# Summary\n\n{example}\n"));
        assert_eq!(of(&d, "summary-invalid").next().is_some(), expect, "{d:#?}");
    }
    for (example, expect) in [
        (meta("summary-missing-file").fails, true),
        (meta("summary-missing-file").passes, false),
    ] {
        let d = check_files(&[
            ("book.toml", "[book]\nsrc = \"src\"\n"),
            ("src/SUMMARY.md", &format!("# Summary\n\n{example}\n")),
            ("src/install-mim-portal.md", "# P\n"),
        ]);
        assert_eq!(
            of(&d, "summary-missing-file").next().is_some(),
            expect,
            "{d:#?}"
        );
    }
}

fn chapter(markdown: &str) -> Vec<(String, String)> {
    vec![("chapter.md".to_string(), format!("{markdown}\n"))]
}

/// Every rule in the table is exercised by a test in this file, except
/// the rules about variables and environments, which need environments and
/// are tested with them in `check_variables.rs`.
#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("check_rules.rs");
    let variables = include_str!("check_variables.rs");
    let untested: Vec<&str> = runsheet::check::rules::RULES
        .iter()
        .map(|r| r.meta().id)
        .filter(|id| {
            !variables.contains(&format!("findings_of(dir.path(), \"{id}\")"))
                && *id != "undefined-variable"
        })
        .filter(|id| {
            !source.contains(&format!("one(&d, \"{id}\")"))
                && !source.contains(&format!("of(&d, \"{id}\")"))
        })
        .collect();
    assert!(untested.is_empty(), "rules without a test: {untested:?}");
}
