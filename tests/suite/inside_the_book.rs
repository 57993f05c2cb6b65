//! Every file runsheet reads or writes of a book is held inside the book
//! (`text::inside`): a pull request that links a template, an environment,
//! `variables.yaml`, a setting's file, progress or the output folder to a
//! file elsewhere, or points `src` out of the book, is refused with the
//! file named; nothing outside is read or written. Files the user names on
//! the command line are theirs to name, but read only while they are
//! regular files within a cap. And the output folder stays off every
//! input.

use crate::common::{copy_dir, runsheet, write_files};
use predicates::prelude::*;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/render-book";

/// A copy of the fixture book at `DIR/book`, and a file outside it,
/// `DIR/outside.txt`, that must never be read.
fn book() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    copy_dir(Path::new(FIXTURE), &book);
    std::fs::write(dir.path().join("outside.txt"), "root:x:0:0:SECRET\n").unwrap();
    (dir, book)
}

/// Make `BOOK/rel` (and the folders it needs) a link to `DIR/outside.txt`.
fn link_outside(dir: &Path, book: &Path, rel: &str) {
    let link = book.join(rel);
    if let Some(parent) = link.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    symlink(dir.join("outside.txt"), link).unwrap();
}

/// `runsheet render BOOK --env lab --out DIR/out`: it exits 2 naming
/// `named` (a path ending) as a link out of the book, and writes nothing.
fn render_refuses(dir: &Path, book: &Path, named: &str) {
    let out = dir.join("out");
    runsheet()
        .arg("render")
        .arg(book)
        .args(["--env", "lab", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{named}: a symbolic link to"
        )))
        .stderr(predicate::str::contains("outside `"))
        .stderr(predicate::str::contains("SECRET").not());
    assert!(!out.exists(), "nothing is written");
}

/// `runsheet ARGS` stops with exit 2 (within [`NOT_FOR_EVER`]), saying
/// `said`; the result, for more about what it said.
fn refuses<A: AsRef<std::ffi::OsStr>>(args: &[A], said: &str) -> assert_cmd::assert::Assert {
    runsheet()
        .timeout(NOT_FOR_EVER)
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(said))
}

/// `runsheet check BOOK` stops with exit 2, saying `said`.
fn check_refuses(book: &Path, said: &str) {
    refuses(&[Path::new("check"), book], said);
}

/// `runsheet status --env lab --book BOOK [PROGRESS]` stops with exit 2,
/// saying `said`.
fn status_refuses(book: &Path, progress: Option<&Path>, said: &str) -> assert_cmd::assert::Assert {
    let mut args = vec![
        Path::new("status"),
        Path::new("--env"),
        Path::new("lab"),
        Path::new("--book"),
        book,
    ];
    args.extend(progress);
    refuses(&args, said)
}

#[test]
fn a_template_linked_to_a_file_outside_is_refused() {
    let (dir, book) = book();
    link_outside(dir.path(), &book, "templates/runbook.md.j2");
    render_refuses(dir.path(), &book, "templates/runbook.md.j2");
}

#[test]
fn a_templates_folder_linked_outside_is_refused() {
    let (dir, book) = book();
    write_files(
        dir.path(),
        &[("elsewhere/runbook.md.j2", "SECRET {{ environment }}\n")],
    );
    symlink(dir.path().join("elsewhere"), book.join("templates")).unwrap();
    render_refuses(dir.path(), &book, "book/templates");
}

#[test]
fn a_template_linked_inside_the_book_is_followed() {
    let (dir, book) = book();
    write_files(
        &book,
        &[("shared/runbook.md.j2", "own {{ environment }}\n")],
    );
    std::fs::create_dir_all(book.join("templates")).unwrap();
    symlink(
        "../shared/runbook.md.j2",
        book.join("templates/runbook.md.j2"),
    )
    .unwrap();
    let out = dir.path().join("out");
    runsheet()
        .arg("render")
        .arg(&book)
        .args(["--env", "lab", "--out"])
        .arg(&out)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("lab/runbook.md")).unwrap();
    assert!(md.starts_with("own "), "{md}");
}

#[test]
fn an_environment_file_linked_outside_is_refused() {
    let (dir, book) = book();
    let lab = book.join("environments/lab.yaml");
    std::fs::rename(&lab, dir.path().join("lab.yaml")).unwrap();
    symlink(dir.path().join("lab.yaml"), &lab).unwrap();
    render_refuses(dir.path(), &book, "environments/lab.yaml");
}

#[test]
fn an_environments_folder_linked_outside_is_refused() {
    let (dir, book) = book();
    std::fs::rename(book.join("environments"), dir.path().join("envs")).unwrap();
    symlink(dir.path().join("envs"), book.join("environments")).unwrap();
    render_refuses(dir.path(), &book, "book/environments");
}

#[test]
fn variables_yaml_linked_outside_is_refused() {
    let (dir, book) = book();
    write_files(dir.path(), &[("vars.yaml", "variables: {}\n")]);
    symlink(dir.path().join("vars.yaml"), book.join("variables.yaml")).unwrap();
    render_refuses(dir.path(), &book, "book/variables.yaml");
}

/// The book's `src` set to `src`: check and render both refuse it, naming
/// book.toml, and read no chapter outside.
fn src_refused(src: &str, why: &str) {
    let (dir, book) = book();
    copy_dir(&book.join("src"), &dir.path().join("outside-src"));
    let src = src.replace("DIR", &dir.path().display().to_string());
    std::fs::write(
        book.join("book.toml"),
        format!("[book]\ntitle = \"x\"\nsrc = \"{src}\"\n"),
    )
    .unwrap();
    for args in [&["check"][..], &["render", "--env", "lab", "--out"]] {
        let mut command = runsheet();
        command.args(args);
        if args[0] == "render" {
            command.arg(dir.path().join("out"));
        }
        command
            .arg(&book)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("book.toml: `[book] src`"))
            .stderr(predicate::str::contains(why));
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_source_folder_that_climbs_out_of_the_book_is_refused() {
    src_refused("../outside-src", "climbs out of");
}

#[test]
fn an_absolute_source_folder_is_refused() {
    src_refused("DIR/outside-src", "an absolute path");
}

#[test]
fn a_source_folder_linked_outside_is_refused() {
    let (dir, book) = book();
    std::fs::rename(book.join("src"), dir.path().join("outside-src")).unwrap();
    symlink(dir.path().join("outside-src"), book.join("src")).unwrap();
    check_refuses(&book, "a symbolic link to");
}

#[test]
fn env_new_does_not_write_through_a_link_out_of_the_book() {
    let (dir, book) = book();
    // To nothing yet, and to a file that is there.
    let made = dir.path().join("made.yaml");
    symlink(&made, book.join("environments/stage.yaml")).unwrap();
    link_outside(dir.path(), &book, "environments/qa.yaml");
    for name in ["stage", "qa"] {
        runsheet()
            .args(["env", "new", name, "--path"])
            .arg(&book)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "environments/{name}.yaml: a symbolic link to"
            )));
    }
    assert!(!made.exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("outside.txt")).unwrap(),
        "root:x:0:0:SECRET\n"
    );
}

#[test]
fn env_new_writes_a_file_of_its_own() {
    let (_dir, book) = book();
    runsheet()
        .args(["env", "new", "stage", "--path"])
        .arg(&book)
        .assert()
        .success();
    let meta = std::fs::symlink_metadata(book.join("environments/stage.yaml")).unwrap();
    assert!(meta.is_file());
}

#[test]
fn runsheet_toml_linked_outside_is_refused() {
    let (dir, book) = book();
    write_files(dir.path(), &[("settings.toml", "")]);
    symlink(dir.path().join("settings.toml"), book.join("runsheet.toml")).unwrap();
    check_refuses(&book, "runsheet.toml: a symbolic link to");
}

#[test]
fn a_baseline_the_settings_name_linked_outside_is_refused() {
    let (dir, book) = book();
    write_files(
        dir.path(),
        &[("baseline.json", "{\"version\": 1, \"findings\": []}\n")],
    );
    write_files(&book, &[("runsheet.toml", "baseline = \"known.json\"\n")]);
    symlink(dir.path().join("baseline.json"), book.join("known.json")).unwrap();
    check_refuses(&book, "known.json: a symbolic link to");
}

#[test]
fn a_default_progress_linked_outside_is_refused() {
    let (dir, book) = book();
    link_outside(dir.path(), &book, "progress/lab.json");
    status_refuses(&book, None, "progress/lab.json: a symbolic link to")
        .stderr(predicate::str::contains("SECRET").not());
}

#[test]
fn a_docfx_xref_map_linked_outside_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("docs/docfx.json", "{\"build\": {}}\n"),
            ("docs/index.md", "# Index\n\nSee <xref:Contoso.Widget>.\n"),
            (
                "xrefmap.yml",
                "### YamlMime:XRefMap\nreferences:\n- uid: Contoso.Widgets.SECRET\n  name: Widgets\n",
            ),
        ],
    );
    symlink(
        dir.path().join("xrefmap.yml"),
        dir.path().join("docs/xrefmap.yml"),
    )
    .unwrap();
    let out = runsheet()
        .args(["check", "--format", "json"])
        .arg(dir.path().join("docs"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("SECRET"), "{stdout}");
    assert!(!stdout.contains("broken-xref"), "{stdout}");
}

/// `runsheet render BOOK --env lab --out OUT`: refused, naming `what`, and
/// nothing written into the book.
fn out_refused(book: &Path, out: &Path, what: &str) {
    runsheet()
        .arg("render")
        .arg(book)
        .args(["--env", "lab", "--out"])
        .arg(out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(what));
    for folder in ["src", "environments", "templates", "progress"] {
        assert!(!book.join(folder).join("lab").exists(), "{}", out.display());
    }
}

#[test]
fn an_output_folder_that_reaches_the_sources_through_dot_dot_is_refused() {
    let (_dir, book) = book();
    out_refused(
        &book,
        &book.join("nonexist/../src"),
        "lies inside the book's sources",
    );
}

#[test]
fn an_output_folder_may_not_be_an_input_folder() {
    let (_dir, book) = book();
    std::fs::create_dir_all(book.join("templates")).unwrap();
    std::fs::create_dir_all(book.join("progress")).unwrap();
    for (folder, what) in [
        ("environments", "the book's environments"),
        ("templates", "the book's templates"),
        ("progress", "the book's progress"),
        ("environments/deeper", "the book's environments"),
    ] {
        out_refused(&book, &book.join(folder), what);
    }
    out_refused(&book, &book, "is or holds the book's root");
}

#[test]
fn an_output_folder_beside_the_inputs_is_accepted() {
    let (_dir, book) = book();
    runsheet()
        .arg("render")
        .arg(&book)
        .args(["--env", "lab", "--out"])
        .arg(book.join("src/../out"))
        .assert()
        .success();
    assert!(book.join("out/lab/runbook.md").is_file());
}

#[test]
fn an_environment_folder_of_the_output_linked_outside_is_refused() {
    let (dir, book) = book();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    symlink(dir.path().join("elsewhere"), out.join("lab")).unwrap();
    runsheet()
        .arg("render")
        .arg(&book)
        .args(["--env", "lab", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("out/lab: a symbolic link to"));
    let written = std::fs::read_dir(dir.path().join("elsewhere"))
        .unwrap()
        .count();
    assert_eq!(written, 0);
}

#[test]
fn a_default_output_folder_linked_outside_the_book_is_refused() {
    let (dir, book) = book();
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    symlink(dir.path().join("elsewhere"), book.join("out")).unwrap();
    runsheet()
        .arg("render")
        .arg(&book)
        .args(["--env", "lab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("book/out: a symbolic link to"));
    let written = std::fs::read_dir(dir.path().join("elsewhere"))
        .unwrap()
        .count();
    assert_eq!(written, 0);
}

/// Not a measure of time: a program that would wait for ever on a FIFO
/// is stopped, so the test fails rather than hangs.
const NOT_FOR_EVER: std::time::Duration = std::time::Duration::from_secs(120);

/// A FIFO at `path`, made with mkfifo(1).
fn fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

#[test]
fn a_baseline_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let (dir, book) = book();
    let pipe = dir.path().join("baseline.json");
    fifo(&pipe);
    for (file, kind) in [
        (pipe.as_path(), "a FIFO"),
        (Path::new("/dev/zero"), "a device"),
    ] {
        let said = format!("{}: {kind}", file.display());
        refuses(
            &[Path::new("check"), &book, Path::new("--baseline"), file],
            &said,
        )
        .stderr(predicate::str::contains("not a regular file"));
    }
}

#[test]
fn a_baseline_larger_than_64_mib_is_refused() {
    let (dir, book) = book();
    let big = dir.path().join("baseline.json");
    // Valid JSON all the way, one byte past the cap.
    let cap = 64 * 1024 * 1024;
    let head = "{\"version\": 1, \"findings\": []}";
    let mut text = String::with_capacity(cap + 1);
    text.push_str(head);
    text.push_str(&" ".repeat(cap + 1 - head.len()));
    std::fs::write(&big, text).unwrap();
    refuses(
        &[Path::new("check"), &book, Path::new("--baseline"), &big],
        "larger than 64 MiB, the most a baseline may have",
    );
}

#[test]
fn progress_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let (dir, book) = book();
    let pipe = dir.path().join("progress.json");
    fifo(&pipe);
    for (file, kind) in [
        (pipe.as_path(), "a FIFO"),
        (Path::new("/dev/zero"), "a device"),
    ] {
        status_refuses(&book, Some(file), &format!("{}: {kind}", file.display()));
    }
    // And the default progress, when it is one.
    std::fs::create_dir_all(book.join("progress")).unwrap();
    fifo(&book.join("progress/lab.json"));
    status_refuses(&book, None, "progress/lab.json: a FIFO");
}
