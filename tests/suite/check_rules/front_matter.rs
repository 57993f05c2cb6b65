//! Front matter: `front-matter-missing-key`, `front-matter-empty-value`,
//! `front-matter-date`, `front-matter-topic`, `front-matter-invalid`,
//! `front-matter-description`.

use super::*;

#[test]
fn front_matter_missing_key_names_each_key_and_chapters_without_any() {
    let d = check_files(&[
        ("a.md", &with_front_matter("title: Install SQL Server\n")),
        ("b.md", "# No front matter\n"),
    ]);
    assert_eq!(
        found(&d, "front-matter-missing-key"),
        [
            ("a.md", 1, 1, "front matter has no `author`"),
            ("a.md", 1, 1, "front matter has no `description`"),
            ("a.md", 1, 1, "front matter has no `ms.date`"),
            ("a.md", 1, 1, "front matter has no `ms.topic`"),
            (
                "b.md",
                1,
                1,
                "chapter has no front matter; the book's chapters carry title, description, author, ms.date, ms.topic"
            ),
        ]
    );
    assert!(of(&d, "front-matter-missing-key").all(|f| f.severity == Severity::Warning));

    let good = with_front_matter(&good_keys());
    let other = good.replace("Install SQL Server", "Configure SQL Server");
    assert_clean(&check_files(&[("a.md", &good), ("b.md", &other)]));
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
        ("a.md", &with_front_matter("title: SQL Server\n")),
    ]);
    assert_eq!(
        all(&d),
        [(
            "front-matter-missing-key",
            "a.md",
            1,
            1,
            "front matter has no `owner`"
        )]
    );
}

#[test]
fn front_matter_empty_value_is_reported_on_the_key_line() {
    let keys = good_keys().replace(&format!("description: {GOOD_DESCRIPTION}"), "description: ");
    let text = with_front_matter(&format!("{keys}ms.service: \"\"\nms.custom: []\n"));
    let d = check_files(&[("a.md", &text)]);
    // An empty value is shown at its key; a written but empty one at itself.
    assert_eq!(
        found(&d, "front-matter-empty-value"),
        [
            ("a.md", 3, 1, "front matter key `description` has no value"),
            ("a.md", 7, 13, "front matter key `ms.service` has no value"),
            ("a.md", 8, 12, "front matter key `ms.custom` has no value"),
        ]
    );
    let ends: Vec<usize> = d.iter().map(|f| f.end_column).collect();
    assert_eq!(ends, [13, 15, 14]);
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
    let f = one(&d, "front-matter-topic");
    assert_eq!(
        (
            f.line,
            f.column,
            f.message.as_str(),
            f.suggestion.as_deref()
        ),
        (
            6,
            11,
            "`ms.topic: banana` is not a Microsoft Learn topic type",
            None
        )
    );

    let keys = good_keys().replace("how-to", "conceptual");
    assert_clean(&check_learn(&[("a.md", &with_front_matter(&keys))]));
}

#[test]
fn front_matter_invalid_is_reported_at_the_yaml_error() {
    let d = check_files(&[
        ("a.md", "---\ntitle: [Install\nauthor: x\n---\n\n# A\n"),
        ("b.md", &with_front_matter(&good_keys())),
    ]);
    // Its keys cannot be read, so they are not reported missing as well.
    assert_eq!(
        all(&d),
        [(
            "front-matter-invalid",
            "a.md",
            3,
            1,
            "front matter is not valid YAML: did not find expected ',' or ']'"
        )]
    );
    assert_eq!(one(&d, "front-matter-invalid").severity, Severity::Error);

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
    // Neither is also reported as five missing keys.
    assert_eq!(
        all(&d),
        [
            (
                "front-matter-invalid",
                "list.md",
                2,
                1,
                "front matter is a list, not `key: value` lines; write each key on its own line, such as `title: …`"
            ),
            (
                "front-matter-invalid",
                "open.md",
                1,
                1,
                "front matter opened on line 1 is never closed: add a `---` line after its last key"
            ),
        ]
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
    assert_eq!(
        found(&d, "front-matter-description"),
        [(
            "a.md",
            3,
            14,
            "`description` is 304 characters long; 75 to 300 are expected"
        )]
    );

    // 75 characters exactly, counted in characters not bytes.
    let edge = format!("{}é", "x".repeat(74));
    let keys = good_keys().replace(GOOD_DESCRIPTION, &edge);
    assert_clean(&check_learn(&[("a.md", &with_front_matter(&keys))]));
}
