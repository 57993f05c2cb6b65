//! The rule table's examples that are Markdown.

use super::*;

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
        let d = super::summary::abc_book(&format!("# Summary\n\n{example}\n"));
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
