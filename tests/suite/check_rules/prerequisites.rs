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

#[test]
fn a_link_offered_as_an_alternative_is_no_prerequisite() {
    // B needs A first; A's Before you begin offers B's guide as the other
    // way: not a loop.
    let d = check_files(&book(
        "# Same forest\n\n## Before you begin\n\n- A domain controller.\n- If the guests live in another forest, you will need to instead follow [the separate forest guide](b.md).\n",
        "# Separate forest\n\n## Prerequisites\n\n- [Same forest](a.md)\n",
        &[],
    ));
    assert_clean(&d);
    // Written as a step, the same link is one.
    let d = check_files(&book(
        "# Same forest\n\n## Before you begin\n\n- Follow [the separate forest guide](b.md).\n",
        "# Separate forest\n\n## Prerequisites\n\n- [Same forest](a.md)\n",
        &[],
    ));
    assert_eq!(of(&d, "prerequisite-cycle").count(), 1, "{d:#?}");
}
