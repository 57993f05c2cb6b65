//! Text and files as read: `mojibake`, `invalid-utf8`, `unreadable-file`,
//! `symlink-outside-root`, `lone-carriage-return`.

use super::*;

#[test]
fn mojibake_suggests_the_repaired_text() {
    let d = check_files(&[(
        "a.md",
        "# A\n\nFor each of the MAâ€™s, open the cafÃ© menu.\n",
    )]);
    assert_eq!(
        found(&d, "mojibake"),
        [
            (
                "a.md",
                3,
                19,
                "`â€™` is UTF-8 read as Windows-1252; it should read `’`"
            ),
            (
                "a.md",
                3,
                37,
                "`Ã©` is UTF-8 read as Windows-1252; it should read `é`"
            ),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    let rest: Vec<_> = d
        .iter()
        .map(|f| (f.end_column, f.suggestion.as_deref(), f.severity))
        .collect();
    assert_eq!(
        rest,
        [
            (22, Some("’"), Severity::Warning),
            (39, Some("é"), Severity::Warning),
        ]
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
    assert_eq!(
        found(&d, "invalid-utf8"),
        [
            (
                "a.md",
                1,
                6,
                "the file is not valid UTF-8 (byte 0xE9); save it as UTF-8 — it was read with the bad bytes replaced"
            ),
            (
                "b.md",
                4,
                3,
                "the file is not valid UTF-8 (byte 0xFF); save it as UTF-8 — it was read with the bad bytes replaced"
            ),
        ]
    );
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(d.iter().all(|f| f.severity == Severity::Error));

    let dir = tempfile::tempdir().unwrap();
    write_bytes(dir.path(), "a.md", "# Café\n".as_bytes());
    assert_clean(&check_dir(dir.path()));
}

/// A chapter the process cannot read. Permissions do not stop a privileged
/// user, so there the chapter is a file whose name is not UTF-8, which
/// runsheet cannot open by the name it reads.
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
    let mut message = "cannot read the file: Permission denied (os error 13)";
    if std::fs::read(&locked).is_ok() {
        // Permissions do not apply to this user (root): a file whose name
        // is not UTF-8 cannot be opened by the name runsheet reads.
        use std::os::unix::ffi::OsStrExt;
        std::fs::remove_file(&locked).unwrap();
        let raw = std::ffi::OsStr::from_bytes(b"locked\xff.md");
        std::fs::write(dir.path().join(raw), "# Locked\n").unwrap();
        name = "locked\u{fffd}.md".to_string();
        message =
            "cannot read the file: its name is not valid UTF-8 (shown with \u{fffd}); rename it";
    }
    let d = check_dir(dir.path());
    // The readable chapter is still checked.
    assert_eq!(
        all(&d),
        [
            (
                "broken-link",
                "a.md",
                3,
                1,
                "link target `gone.md` does not exist"
            ),
            ("unreadable-file", name.as_str(), 1, 1, message),
        ]
    );
    assert_eq!(one(&d, "unreadable-file").severity, Severity::Error);

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
    // Nothing of the file it points to is checked; a link inside is read.
    assert_eq!(
        all(&d),
        [(
            "symlink-outside-root",
            "x.md",
            1,
            1,
            "`x.md` is a symbolic link out of the checked folder: runsheet does not read it"
        )]
    );
    assert_eq!(one(&d, "symlink-outside-root").severity, Severity::Error);
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
    // Its lines were read: the broken link on line 3 is found.
    assert_eq!(
        all(&d),
        [
            (
                "lone-carriage-return",
                "old.md",
                1,
                1,
                "lines end in a lone carriage return (CR), which Markdown readers take as one long line; runsheet read them as line breaks: save the file with LF or CRLF line endings"
            ),
            (
                "broken-link",
                "old.md",
                3,
                5,
                "link target `gone.md` does not exist"
            ),
        ]
    );
    assert_eq!(one(&d, "lone-carriage-return").severity, Severity::Warning);
    let guide = load(&dir.path().join("old.md"), &LoadOptions::default()).unwrap();
    assert_eq!(guide.chapters[0].steps.len(), 2);
}
