//! The control comments: `unknown-rule-id`.

use super::*;

/// The text `fix` of finding `f` replaces in `text`, and what it writes.
fn fixed<'t, 'f>(text: &'t str, f: &'f Diagnostic) -> Option<(&'t str, &'f str)> {
    f.fix
        .as_ref()
        .map(|fix| (&text[fix.start..fix.end], fix.replacement.as_str()))
}

#[test]
fn unknown_rule_id_is_reported_at_the_id_in_every_kind_of_comment() {
    let text = "# Portal\n\n\
<!-- runsheet-disable-next-line brokn-link -->\n\
See [the old portal](old-portal.md).\n\n\
<!-- runsheet-disable list-numbering, mojibak -->\n\
Text.\n\
<!-- runsheet-enable list-numbering mojibak -->\n";
    let d = check_files(&[("portal.md", text)]);
    // The link the first comment meant to silence is still reported.
    assert_eq!(
        all(&d),
        [
            (
                "unknown-rule-id",
                "portal.md",
                3,
                33,
                "unknown rule `brokn-link` in a `runsheet-disable-next-line` comment: it silences nothing"
            ),
            (
                "broken-link",
                "portal.md",
                4,
                5,
                "link target `old-portal.md` does not exist"
            ),
            (
                "unknown-rule-id",
                "portal.md",
                6,
                39,
                "unknown rule `mojibak` in a `runsheet-disable` comment: it silences nothing"
            ),
            (
                "unknown-rule-id",
                "portal.md",
                8,
                37,
                "unknown rule `mojibak` in a `runsheet-enable` comment: it turns nothing back on"
            ),
        ]
    );
    let f = of(&d, "unknown-rule-id").next().unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!((f.end_line, f.end_column), (3, 43));
    assert_eq!(f.help.as_deref(), Some("did you mean `broken-link`?"));
    assert_eq!(f.suggestion, s("broken-link"));
    // The fix rewrites the id, nothing else of the comment.
    assert_eq!(fixed(text, f), Some(("brokn-link", "broken-link")));
    let fixes: Vec<_> = of(&d, "unknown-rule-id").map(|f| fixed(text, f)).collect();
    assert_eq!(
        fixes,
        [
            Some(("brokn-link", "broken-link")),
            Some(("mojibak", "mojibake")),
            Some(("mojibak", "mojibake"))
        ]
    );

    let corrected = text
        .replace("brokn-link", "broken-link")
        .replace("mojibak ", "mojibake ")
        .replace("mojibak -->", "mojibake -->");
    assert_clean(&check_files(&[("portal.md", &corrected)]));
}

#[test]
fn unknown_rule_id_fixes_only_an_id_clearly_meant() {
    let check = |comment: &str| {
        let text = format!("{comment}\nText.\n");
        let d = check_files(&[("a.md", &text)]);
        let f = one(&d, "unknown-rule-id");
        (
            f.column,
            f.help.clone().unwrap_or_default(),
            f.suggestion.clone(),
            fixed(&text, f).map(|(a, b)| (a.to_string(), b.to_string())),
        )
    };
    // The same but for case.
    assert_eq!(
        check("<!-- runsheet-disable-next-line Broken-Link -->"),
        (
            33,
            "did you mean `broken-link`?".to_string(),
            s("broken-link"),
            Some(("Broken-Link".to_string(), "broken-link".to_string()))
        )
    );
    // Another id one more edit away: suggested, not fixed.
    assert_eq!(
        check("<!-- runsheet-disable front-matter -->"),
        (
            23,
            "did you mean `front-matter-date`? (not fixed: another rule's id is almost as close)"
                .to_string(),
            s("front-matter-date"),
            None
        )
    );
    // Two as close: both named, neither suggested.
    assert_eq!(
        check("<!-- runsheet-disable prerequisite -->"),
        (
            23,
            "did you mean `prerequisite-cycle` or `prerequisite-order`?".to_string(),
            None,
            None
        )
    );
    // Nothing close.
    assert_eq!(
        check("<!-- runsheet-disable spelling -->"),
        (
            23,
            "the rules are listed by `runsheet check --list-rules`".to_string(),
            None,
            None
        )
    );
}

#[test]
fn unknown_rule_id_is_on_the_line_when_the_text_cannot_say_which_comment() {
    // The same comment in a code span on the line is text: which of the two
    // the model read is not known from the text, so the finding is on the
    // line and nothing is fixed.
    let text = "`<!-- runsheet-disable mojibak -->` <!-- runsheet-disable mojibak -->\nText.\n";
    let d = check_files(&[("a.md", text)]);
    assert_eq!(
        all(&d),
        [(
            "unknown-rule-id",
            "a.md",
            1,
            1,
            "unknown rule `mojibak` in a `runsheet-disable` comment: it silences nothing"
        )]
    );
    let f = one(&d, "unknown-rule-id");
    assert_eq!(
        (f.suggestion.as_deref(), f.fix.as_ref()),
        (Some("mojibake"), None)
    );

    // Two comments on a line, each found where it is.
    let text = "<!-- runsheet-disable mojibak --> <!-- runsheet-enable mojibak -->\n";
    let d = check_files(&[("a.md", text)]);
    assert_eq!(
        found(&d, "unknown-rule-id"),
        [
            (
                "a.md",
                1,
                23,
                "unknown rule `mojibak` in a `runsheet-disable` comment: it silences nothing"
            ),
            (
                "a.md",
                1,
                56,
                "unknown rule `mojibak` in a `runsheet-enable` comment: it turns nothing back on"
            ),
        ]
    );
}

#[test]
fn a_comment_naming_only_rules_or_none_is_not_reported() {
    assert_clean(&check_files(&[(
        "a.md",
        "<!-- runsheet-disable -->\n# A\n\n[x](gone.md)\n<!-- runsheet-enable -->\n\n<!-- runsheet-disable-next-line broken-link, broken-anchor -->\n[y](gone.md#here)\n\n<!-- a comment that is no directive: brokn-link -->\n",
    )]));
}

#[test]
fn fix_rewrites_the_id_and_the_comment_silences_what_it_meant_to() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# A\n\n<!-- runsheet-disable-next-line brokn-link -->\nSee [x](gone.md).\n";
    write_files(dir.path(), &[("a.md", text)]);
    crate::common::runsheet()
        .args(["check", "--fix"])
        .arg(dir.path())
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        text.replace("brokn-link", "broken-link")
    );
    assert_clean(&check_dir(dir.path()));
}
