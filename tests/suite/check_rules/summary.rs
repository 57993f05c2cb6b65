//! SUMMARY.md: `summary-missing-file`, `summary-invalid`.

use super::*;

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
    // The unlisted file is an orphan, since the entry meant for it is wrong.
    assert_eq!(
        all(&d),
        [
            (
                "summary-missing-file",
                "SUMMARY.md",
                4,
                13,
                "SUMMARY lists `install-mim-service-portal.md`, which does not exist"
            ),
            (
                "orphan-chapter",
                "install-mim-service.md",
                1,
                1,
                "SUMMARY.md leaves this chapter out and no chapter links to it"
            ),
        ]
    );
    let f = one(&d, "summary-missing-file");
    // The destination is underlined.
    assert_eq!((f.end_line, f.end_column), (4, 42));
    assert_eq!(f.severity, Severity::Error);

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
    assert_eq!(
        all(&d),
        [
            (
                "summary-missing-file",
                "SUMMARY.md",
                3,
                11,
                "SUMMARY lists `setpu.md`, which does not exist"
            ),
            (
                "orphan-chapter",
                "setup.md",
                1,
                1,
                "SUMMARY.md leaves this chapter out and no chapter links to it"
            ),
        ]
    );
    assert_eq!(one(&d, "summary-missing-file").suggestion, s("setup.md"));

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
    // The chapters are read in folder order and checked all the same.
    assert_eq!(
        all(&d),
        [
            (
                "summary-invalid",
                "SUMMARY.md",
                7,
                1,
                "SUMMARY.md cannot be read as an mdBook summary: There was an error parsing the suffix chapters: failed to parse SUMMARY.md line 7, column 1: Suffix chapters cannot be followed by a list"
            ),
            (
                "broken-link",
                "a.md",
                3,
                1,
                "link target `gone.md` does not exist"
            ),
        ]
    );
    assert_eq!(one(&d, "summary-invalid").severity, Severity::Error);

    let d = abc_book("# Summary\n\n- [Chapter](a.md)\n- [More](c.md)\n\n[Suffix](b.md)\n");
    assert_eq!(
        all(&d),
        [(
            "broken-link",
            "a.md",
            3,
            1,
            "link target `gone.md` does not exist"
        )]
    );
}

#[test]
fn summary_invalid_names_the_line_and_the_reason_mdbook_gives() {
    let d = abc_book(SUFFIX_THEN_LIST);
    let f = one(&d, "summary-invalid");
    assert_eq!(
        (f.line, f.column, f.message.as_str()),
        (
            7,
            1,
            "SUMMARY.md cannot be read as an mdBook summary: There was an error parsing the suffix chapters: failed to parse SUMMARY.md line 7, column 1: Suffix chapters cannot be followed by a list"
        )
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
        (
            "src/b.md",
            &format!(
                "---\n{}---\n\n# B\n",
                good_keys().replace("Install SQL Server", "B")
            ),
        ),
    ]);
    // Not "chapter has no front matter", not its part titles as extra H1s.
    assert_eq!(
        all(&d),
        [(
            "summary-invalid",
            "SUMMARY.md",
            7,
            1,
            "SUMMARY.md cannot be read as an mdBook summary: There was an error parsing the suffix chapters: failed to parse SUMMARY.md line 7, column 1: Suffix chapters cannot be followed by a list"
        )]
    );
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
