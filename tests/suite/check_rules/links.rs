//! links: `broken-link`, `link-case-mismatch`, `broken-anchor`,
//! `link-outside-root`, `undefined-reference`.

use super::*;

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
    assert_eq!(
        all(&d),
        [
            (
                "broken-link",
                "guide/intro.md",
                3,
                1,
                "image target `../media/wizzard.png` does not exist"
            ),
            (
                "broken-link",
                "guide/intro.md",
                4,
                1,
                "link target `../guide/nxt.md` does not exist"
            ),
        ]
    );
    let suggested: Vec<_> = d.iter().map(|f| f.suggestion.as_deref()).collect();
    assert_eq!(
        suggested,
        [Some("../media/wizard.png"), Some("../guide/next.md")]
    );
}

#[test]
fn broken_link_with_two_equally_close_files_suggests_nothing_to_apply() {
    let d = check_files(&[
        ("index.md", "[x](step-3.md)\n"),
        ("step-1.md", "# One\n"),
        ("step-2.md", "# Two\n"),
    ]);
    assert_eq!(
        all(&d),
        [(
            "broken-link",
            "index.md",
            1,
            1,
            "link target `step-3.md` does not exist"
        )]
    );
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
    assert_eq!(
        all(&d),
        [
            (
                "broken-anchor",
                "sync.md",
                3,
                9,
                "anchor `#Features` does not exist in `Install-SQL-server.md`"
            ),
            (
                "link-case-mismatch",
                "sync.md",
                3,
                9,
                "link target `install-sql-server.md` exists only as `Install-SQL-server.md`: the link breaks on case-sensitive systems"
            ),
        ]
    );
    let f = one(&d, "link-case-mismatch");
    assert_eq!((f.end_line, f.end_column), (3, 53));
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.suggestion, s("Install-SQL-server.md"));
    // The fix replaces only the path, not the fragment.
    let fix = f.fix.as_ref().unwrap();
    let text = "# Sync\n\nInstall [SQL Server](install-sql-server.md#Features) first.\n";
    assert_eq!(&text[fix.start..fix.end], "install-sql-server.md");
    // The fragment is checked against the file it lands on: case matters.
    let a = one(&d, "broken-anchor");
    assert_eq!(a.suggestion, s("#features"));

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
    assert_eq!(
        all(&d),
        [
            (
                "link-case-mismatch",
                "a.md",
                3,
                1,
                "link target `sub/c.md` exists only as `Sub/c.md`: the link breaks on case-sensitive systems"
            ),
            (
                "link-case-mismatch",
                "a.md",
                3,
                15,
                "image target `Media/Shot.PNG` exists only as `media/shot.png`: the link breaks on case-sensitive systems"
            ),
        ]
    );
    let found: Vec<_> = of(&d, "link-case-mismatch")
        .map(|f| {
            let fix = f.fix.as_ref().unwrap();
            (
                f.suggestion.as_deref(),
                &text[fix.start..fix.end],
                fix.replacement.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (Some("Sub/c.md"), "sub/c.md", "Sub/c.md"),
            (Some("media/shot.png"), "Media/Shot.PNG", "media/shot.png"),
        ]
    );
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
    assert_eq!(
        all(&d),
        [(
            "broken-anchor",
            "a.md",
            3,
            5,
            "anchor `#run-profile` does not exist in `configuring-MA-runprofiles.md`"
        )]
    );
    let f = one(&d, "broken-anchor");
    assert_eq!(f.suggestion, s("#run-profiles"));
    // The fix rewrites only the fragment.
    let fix = f.fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "run-profiles");

    // A link to a heading that was never there, with nothing close, is
    // reported without a suggestion.
    let d = check_files(&[
        ("a.md", "# A\n\nSee [x](b.md#troubleshooting).\n"),
        ("b.md", "# B\n\n## Run profiles\n"),
    ]);
    assert_eq!(
        all(&d),
        [(
            "broken-anchor",
            "a.md",
            3,
            5,
            "anchor `#troubleshooting` does not exist in `b.md`"
        )]
    );
    assert_eq!(one(&d, "broken-anchor").suggestion, None);

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
    assert_eq!(
        found(&d, "undefined-reference"),
        [
            ("a.md", 3, 5, "reference `[portal]` has no definition"),
            ("a.md", 3, 30, "reference `[the service]` has no definition"),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
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
    assert_eq!(
        all(&d),
        [(
            "undefined-reference",
            "a.md",
            1,
            5,
            "reference `[the service]` has no definition"
        )]
    );
    assert_eq!(one(&d, "undefined-reference").end_column, 20);
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
    assert_eq!(
        all(&d),
        [(
            "broken-link",
            "a.md",
            3,
            5,
            "link target `portl.md` does not exist"
        )]
    );
    let f = one(&d, "broken-link");
    assert_eq!(f.suggestion, s("portal.md"));
    // The fix edits the definition, where the path is written.
    let fix = f.fix.as_ref().unwrap();
    let text = "# A\n\nSee [the portal][portal].\n\n[portal]: portl.md\n";
    assert_eq!(&text[fix.start..fix.end], "portl.md");
}
