//! A chapter's structure: `profile-type-unknown`, `orphan-chapter`,
//! `unused-asset`, `multiple-h1`, `table-column-count`, `list-numbering`,
//! `step-id-invalid`.

use super::*;

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
        all(&d),
        [(
            "profile-type-unknown",
            "agent.md",
            7,
            13,
            "run profile `Nightly` has type `Full Synchronisation`, which is not a MIM run-profile step type"
        )]
    );
    assert_eq!(
        one(&d, "profile-type-unknown").suggestion,
        s("Full Synchronization")
    );

    let text = table("Full Import (Stage Only)");
    assert_clean(&check_files(&[("agent.md", &text)]));
}

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
    assert_eq!(
        all(&d),
        [(
            "orphan-chapter",
            "architecture.md",
            1,
            1,
            "SUMMARY.md leaves this chapter out and no chapter links to it"
        )]
    );

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
    assert_eq!(
        all(&d),
        [(
            "broken-link",
            "a.md",
            9,
            1,
            "included file `gone.md` does not exist"
        )]
    );
    assert_eq!(one(&d, "broken-link").column, 1);

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
    assert_eq!(
        all(&d),
        [(
            "unused-asset",
            "media/old-screenshot.PNG",
            1,
            1,
            "no chapter shows or links to this image"
        )]
    );
    assert_eq!(one(&d, "unused-asset").severity, Severity::Warning);

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
    assert_eq!(d.len(), 1, "{d:#?}");

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
    assert_eq!(
        found(&d, "table-column-count"),
        [
            (
                "a.md",
                5,
                1,
                "row has 3 cells, the header 2: Markdown drops the 1 extra cell"
            ),
            (
                "a.md",
                6,
                1,
                "row has 1 cell, the header 2: Markdown pads it with 1 empty cell"
            ),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
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
    assert_eq!(
        all(&d),
        [(
            "table-column-count",
            "a.md",
            5,
            1,
            "row has 3 cells, the header 2: Markdown drops the 1 extra cell"
        )]
    );
}

#[test]
fn list_numbering_reports_skips_repeats_and_a_wrong_restart() {
    let d = check_files(&[(
        "a.md",
        "# Steps\n\n1. Open the wizard\n2. Pick the type\n4. Finish\n\n## Again\n\n1. One\n1. One again\n2. Two\n",
    )]);
    assert_eq!(
        found(&d, "list-numbering"),
        [
            ("a.md", 5, 1, "list item numbered 4 skips: 3 expected"),
            (
                "a.md",
                10,
                1,
                "list item numbered 1 repeats or goes back: 2 expected"
            ),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    let rest: Vec<_> = d
        .iter()
        .map(|f| (f.end_column, f.suggestion.as_deref()))
        .collect();
    assert_eq!(rest, [(2, Some("3")), (2, Some("2"))]);

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
    assert_eq!(
        all(&d),
        [(
            "list-numbering",
            "a.md",
            10,
            1,
            "list item numbered 4 skips: 3 expected"
        )]
    );
    assert_eq!(one(&d, "list-numbering").suggestion, s("3"));
}

#[test]
fn a_list_numbered_through_a_heading_continues_and_one_that_skips_does_not() {
    // Steps grouped under headings and numbered through them: the list
    // under the second heading carries on from the first.
    assert_clean(&check_files(&[(
        "a.md",
        "# Install\n\n## Prepare\n\n1. Copy the media\n2. Mount it\n\n## Run setup\n\n3. Start setup\n4. Finish\n",
    )]));
    // One that neither starts at 1 nor carries on is still reported.
    let d = check_files(&[(
        "a.md",
        "# Install\n\n## Prepare\n\n1. Copy the media\n2. Mount it\n\n## Run setup\n\n4. Start setup\n5. Finish\n",
    )]);
    assert_eq!(
        found(&d, "list-numbering"),
        [("a.md", 10, 1, "list item numbered 4 skips: 1 expected")]
    );
}

#[test]
fn step_ids_written_twice_or_wrongly_are_errors_at_their_steps() {
    let found_here = check_files(&[(
        "a.md",
        "# A\n\n1. Open. <!-- runsheet-step: open -->\n2. Close. <!-- runsheet-step: Close! -->\n3. Again. <!-- runsheet-step: open -->\n4. No id.\n",
    )]);
    assert_eq!(
        found(&found_here, "step-id-invalid"),
        [
            (
                "a.md",
                4,
                1,
                "step id `Close!` (<!-- runsheet-step:): an id holds lower-case letters, digits and single `-` between them only"
            ),
            (
                "a.md",
                5,
                1,
                "step id `open` is also the id of the step at line 3: each step of a chapter has an id of its own"
            ),
        ]
    );
    let fine = check_files(&[(
        "a.md",
        "# A\n\n1. Open. <!-- runsheet-step: open -->\n2. Close. <!-- runsheet-step: close -->\n",
    )]);
    assert_eq!(found(&fine, "step-id-invalid"), []);
}
