//! The guide's hygiene: `backslash-path`, `misspelt-heading`,
//! `title-mismatch`, `duplicate-chapter`.

use super::*;

#[test]
fn backslash_path_is_reported_and_fixed_to_slashes() {
    let d = check_files(&[
        (
            "agents/directory.md",
            "# The directory agent\n\nFirst [prepare the server](..\\setup\\prepare.md#accounts).\n",
        ),
        ("setup/prepare.md", "# Prepare\n\n## Accounts\n"),
    ]);
    assert_eq!(
        found(&d, "backslash-path"),
        [(
            "agents/directory.md",
            3,
            7,
            "link path `..\\setup\\prepare.md` separates folders with `\\`: it works on Microsoft Learn, not on GitHub or other sites"
        )]
    );
    let f = one(&d, "backslash-path");
    assert_eq!(f.suggestion, s("../setup/prepare.md"));
    let fix = f.fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "../setup/prepare.md");
    // The fix covers the path as written, not its fragment.
    assert_eq!(fix.end - fix.start, "..\\setup\\prepare.md".len());
    assert_eq!(d.len(), 1, "{d:#?}");

    assert_clean(&check_files(&[
        (
            "agents/directory.md",
            "# The directory agent\n\nFirst [prepare the server](../setup/prepare.md#accounts), see `C:\\Program Files\\MIM` and [the site](https://example.com/a\\b).\n",
        ),
        ("setup/prepare.md", "# Prepare\n\n## Accounts\n"),
    ]));
}

#[test]
fn a_backslash_written_as_an_escape_is_reported_without_a_fix() {
    // `\\` is one backslash in the path: writing `/` for each written
    // backslash would make two.
    let d = check_files(&[
        ("a.md", "# A\n\nSee [b](sub\\\\b.md).\n"),
        ("sub/b.md", "# B\n"),
    ]);
    let f = one(&d, "backslash-path");
    assert!(f.fix.is_none(), "{f:#?}");
    assert_eq!(f.suggestion, s("sub/b.md"));
}

#[test]
fn misspelt_heading_is_fixed_in_the_case_written() {
    let d = check_files(&[(
        "a.md",
        "# Run profiles\n\n## Prerequisits\n\n- The agents, created.\n\n## Next setps\n\n- The rules.\n\n## PREREQUISITIES for option 2\n",
    )]);
    assert_eq!(
        found(&d, "misspelt-heading"),
        [
            (
                "a.md",
                3,
                4,
                "heading `Prerequisits` misspells `Prerequisites` as `Prerequisits`"
            ),
            (
                "a.md",
                7,
                9,
                "heading `Next setps` misspells `steps` as `setps`"
            ),
            (
                "a.md",
                11,
                4,
                "heading `PREREQUISITIES for option 2` misspells `PREREQUISITES` as `PREREQUISITIES`"
            ),
        ]
    );
    let fixes: Vec<&str> = of(&d, "misspelt-heading")
        .map(|f| f.fix.as_ref().unwrap().replacement.as_str())
        .collect();
    assert_eq!(fixes, ["Prerequisites", "steps", "PREREQUISITES"]);
    assert_clean(&check_files(&[(
        "a.md",
        "# Run profiles\n\n## Pre-requisites\n\n- The agents.\n\n## Next steps\n\n- The rules.\n\n## Next stop: the portal\n",
    )]));
}

#[test]
fn title_mismatch_finds_titles_that_contradict_and_titles_copied() {
    let fm = |title: &str| format!("---\ntitle: {title}\n---\n\n");
    let d = check_files(&[
        (
            "install-sql.md",
            &format!(
                "{}# Install SQL Server\n",
                fm("Installing SQL Server for MIM")
            ),
        ),
        (
            "install-portal.md",
            &format!("{}# The MIM portal\n", fm("Installing SQL Server for MIM")),
        ),
        (
            "architecture.md",
            &format!("{}# Architecture\n", fm("Installing the MIM agent")),
        ),
        (
            "option2/profiles.md",
            &format!("{}# Run profiles\n\nFor option 2.\n", fm("Run profiles")),
        ),
        (
            "profiles.md",
            &format!("{}# Run profiles\n\nFor option 1.\n", fm("Run profiles")),
        ),
        ("run.md", "# Run profiles\n\nThe runs.\n"),
    ]);
    assert_eq!(
        found(&d, "title-mismatch"),
        [
            (
                "architecture.md",
                2,
                8,
                "front matter title `Installing the MIM agent` and the H1 `Architecture` (line 5) share no word: they name different things"
            ),
            (
                "install-sql.md",
                2,
                1,
                "front matter title `Installing SQL Server for MIM` is also the title of `install-portal.md`"
            ),
            (
                "run.md",
                1,
                1,
                "H1 `Run profiles` is also the H1 of `profiles.md`"
            ),
        ]
    );
    assert!(of(&d, "title-mismatch").all(|f| f.severity == Severity::Warning));
    // The same title in two folders is two pages of their own.
    assert_clean(&check_files(&[
        ("runsheet.toml", "[front-matter]\nrequired = [\"title\"]\n"),
        (
            "a/module.md",
            &format!("{}# Module class\n", fm("Module class")),
        ),
        (
            "b/module.md",
            &format!("{}# Module class\n\nAnother one.\n", fm("Module class")),
        ),
    ]));
}

#[test]
fn duplicate_chapter_names_the_first_copy() {
    let chapter = "# Install SharePoint\n\nRun the prerequisite installer.\n\nThen run setup.\n";
    let d = check_files(&[
        ("install-sharepoint.md", chapter),
        (
            "setup-sharepoint.md",
            &chapter
                .replace('\n', "\r\n")
                .replace("installer.", "installer.   \r\n\r\n"),
        ),
        ("sharepoint-server.md", chapter),
        ("empty.md", "\n"),
        ("blank.md", "  \n"),
    ]);
    assert_eq!(
        found(&d, "duplicate-chapter"),
        [
            (
                "setup-sharepoint.md",
                1,
                1,
                "chapter is the same as `install-sharepoint.md`, but for line endings, trailing spaces and blank lines"
            ),
            (
                "sharepoint-server.md",
                1,
                1,
                "chapter is the same as `install-sharepoint.md`, byte for byte"
            ),
        ]
    );
    // Same H1, but each says something of its own.
    assert_clean(&check_files(&[
        ("a.md", "# Install\n\nOption 1.\n"),
        ("b/a.md", "# Install\n\nOption 2.\n"),
    ]));
}
