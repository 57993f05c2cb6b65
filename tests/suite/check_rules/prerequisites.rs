//! Prerequisites: `prerequisite-cycle`, `prerequisite-order`.

use super::*;

#[test]
fn prerequisite_cycle_spells_out_the_loop() {
    let d = check_files(&book(
        "# A\n\n## Prerequisites\n\n- [B](b.md)\n",
        "# B\n\n## Prerequisites\n\n- [A](a.md)\n",
        &[],
    ));
    assert_eq!(
        all(&d),
        [
            (
                "prerequisite-order",
                "a.md",
                5,
                3,
                "prerequisite `b.md` comes after this chapter in reading order"
            ),
            (
                "prerequisite-cycle",
                "b.md",
                5,
                3,
                "prerequisites form a cycle: a.md → b.md → a.md"
            ),
        ]
    );
    assert_eq!(one(&d, "prerequisite-cycle").severity, Severity::Error);

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
    assert_eq!(
        all(&d),
        [(
            "prerequisite-cycle",
            "a.md",
            5,
            3,
            "prerequisites form a cycle: a.md → a.md"
        )]
    );
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
