//! Files held inside a folder: every file runsheet reads or writes of a
//! book (its templates, environments, `variables.yaml`, settings, source
//! folder, baseline, progress, DocFX files, output folder) is reached
//! through a [`Root`], so that a pull request cannot make runsheet read
//! `/etc/passwd` through `templates/runbook.md.j2 -> /etc/passwd`, check
//! chapters of `src = "../../elsewhere"`, or write through
//! `environments/stage.yaml -> ~/.bashrc`.
//!
//! A [`Root`] is the book's root, or a folder the user named on the command
//! line. [`Root::resolve`] takes a path written relative to it (by a book's
//! settings, or by runsheet's own layout) and refuses an absolute path, a
//! `..` that climbs out of it, and a symbolic link (anywhere along the
//! path) whose target is outside it; links that stay inside are followed.
//! [`read`] reads at most a cap plus one byte of a regular file (a FIFO, a
//! device or a folder is refused before it is opened), whatever size the
//! file reports, and [`Root::write`] writes a file beside its place and
//! renames it into place, so a link at that place is replaced, never
//! written through.
//!
//! A file the user names on the command line (`--baseline FILE`, `status
//! FILE`) is theirs to name: it is read with [`read`] alone, capped, and
//! not held to any root.

use super::paths;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The most bytes of a book's own configuration read: an environment
/// file, `variables.yaml`, a template, `runsheet.toml`, `book.toml`,
/// `SUMMARY.md`, a DocFX file.
pub const CONFIG_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How much of a file may be read, and what the file is, for the message
/// when it is larger (`a baseline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub bytes: u64,
    pub what: &'static str,
}

impl Cap {
    /// A book's own configuration file, at most [`CONFIG_MAX_BYTES`].
    pub const CONFIG: Cap = Cap {
        bytes: CONFIG_MAX_BYTES,
        what: "a configuration file",
    };
}

/// A file that was not read or written, and why.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {why}")]
pub struct FileError {
    /// The file (or the link on its way) as the user reaches it.
    pub file: String,
    pub why: Why,
}

/// Why a file was not read or written.
#[derive(Debug, thiserror::Error)]
pub enum Why {
    #[error(
        "an absolute path, and runsheet reads and writes only inside `{root}`: write a path relative to it"
    )]
    Absolute { root: String },
    #[error(
        "climbs out of `{root}` with `..`, and runsheet reads and writes only inside it: write a path inside it"
    )]
    Climbs { root: String },
    #[error(
        "a symbolic link to `{target}`, outside `{root}`: runsheet does not follow it; put the file itself there, or link to one inside `{root}`"
    )]
    LinkOut { target: String, root: String },
    #[error("{kind}, not a regular file: runsheet reads only regular files here; give a file")]
    NotAFile { kind: &'static str },
    #[error("larger than {}, the most {what} may have", size(*cap))]
    TooLarge { cap: u64, what: &'static str },
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("cannot read the file: {0}")]
    Read(std::io::Error),
    #[error("cannot write the file: {0}")]
    Write(std::io::Error),
}

impl FileError {
    fn new(file: &Path, why: Why) -> FileError {
        FileError {
            file: paths::shown(file),
            why,
        }
    }

    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(&self.why, Why::Read(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

impl From<FileError> for super::Located {
    fn from(e: FileError) -> Self {
        super::Located::file(e.file, e.why.to_string())
    }
}

/// A size in words: `64 MiB`, `4096 bytes`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// A folder whose files are read and written, and nothing outside it.
#[derive(Debug, Clone)]
pub struct Root {
    /// As given (what messages show, and what paths are joined to).
    given: PathBuf,
    /// With its links resolved: what a link's target must lie in.
    real: PathBuf,
}

impl Root {
    /// The folder `dir` (which need not exist yet).
    pub fn new(dir: &Path) -> Root {
        Root {
            given: dir.to_path_buf(),
            real: real(dir),
        }
    }

    /// The folder as given.
    pub fn path(&self) -> &Path {
        &self.given
    }

    fn shown(&self) -> String {
        paths::shown(&self.given)
    }

    /// Whether `path` (below the folder as given) leads, through its links,
    /// to a place inside the folder; a path that does not exist leads
    /// nowhere.
    pub fn holds(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|t| t.starts_with(&self.real))
    }

    /// `rel` below the folder: refused when it is absolute, climbs out with
    /// `..`, or passes through a symbolic link whose target is outside the
    /// folder (a link to nothing included, when its target would be
    /// outside). The path need not exist. The empty path is the folder.
    pub fn resolve(&self, rel: impl AsRef<Path>) -> Result<PathBuf, FileError> {
        let rel = rel.as_ref();
        if rel.has_root() || rel.components().any(|c| matches!(c, Component::Prefix(_))) {
            return Err(FileError::new(rel, Why::Absolute { root: self.shown() }));
        }
        let folded = paths::normalise_path(rel);
        if folded.components().next() == Some(Component::ParentDir) {
            return Err(FileError::new(
                &self.given.join(rel),
                Why::Climbs { root: self.shown() },
            ));
        }
        let mut here = self.given.clone();
        // Once a part is not there, nothing further along can be a link.
        let mut there = true;
        for part in folded.components() {
            let Component::Normal(name) = part else {
                continue;
            };
            here.push(name);
            if !there {
                continue;
            }
            match std::fs::symlink_metadata(&here) {
                Ok(meta) if meta.file_type().is_symlink() => self.link_inside(&here)?,
                Ok(_) => {}
                Err(_) => there = false,
            }
        }
        Ok(here)
    }

    /// Refuse the link at `link` when its target is outside the folder.
    fn link_inside(&self, link: &Path) -> Result<(), FileError> {
        let target = std::fs::read_link(link).unwrap_or_default();
        let inside = match std::fs::canonicalize(link) {
            Ok(t) => t.starts_with(&self.real),
            // A link to nothing: where it would lead, by its text.
            Err(_) => {
                let from = link.parent().map(real).unwrap_or_default();
                paths::normalise_path(&from.join(&target)).starts_with(&self.real)
            }
        };
        if inside {
            Ok(())
        } else {
            Err(FileError::new(
                link,
                Why::LinkOut {
                    target: paths::shown(&target),
                    root: self.shown(),
                },
            ))
        }
    }

    /// The bytes of the file `rel` below the folder, at most `cap`.
    pub fn read(&self, rel: impl AsRef<Path>, cap: Cap) -> Result<Vec<u8>, FileError> {
        read(&self.resolve(rel)?, cap)
    }

    /// The text of the file `rel` below the folder, at most `cap` bytes.
    pub fn read_string(&self, rel: impl AsRef<Path>, cap: Cap) -> Result<String, FileError> {
        read_string(&self.resolve(rel)?, cap)
    }

    /// [`Root::read_string`], `None` when there is no such file (a link to
    /// nothing inside the folder included).
    pub fn read_if_there(
        &self,
        rel: impl AsRef<Path>,
        cap: Cap,
    ) -> Result<Option<String>, FileError> {
        let path = self.resolve(rel)?;
        if !path.exists() {
            return Ok(None);
        }
        read_string(&path, cap).map(Some)
    }

    /// The names in the folder `rel` below the folder, sorted. Each is
    /// still to be resolved (and so held inside) when it is read.
    pub fn entries(&self, rel: impl AsRef<Path>) -> Result<Vec<String>, FileError> {
        let dir = self.resolve(rel)?;
        let listing = std::fs::read_dir(&dir).map_err(|e| FileError::new(&dir, Why::Read(e)))?;
        let mut names: Vec<String> = listing
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    /// Write `bytes` as the file `rel` below the folder, creating the
    /// folders on its way: written beside it first, synced, then renamed
    /// into place, so a symbolic link at its place is replaced, never
    /// written through. Returns the file's path.
    pub fn write(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<PathBuf, FileError> {
        let path = self.resolve(rel)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(|e| FileError::new(folder, Why::Write(e)))?;
        write_beside(&path, bytes)?;
        Ok(path)
    }
}

/// Write `bytes` to `path` through a file beside it (`.NAME.new-PID`,
/// created new, so a link at that name is never followed), synced and
/// renamed into place. Written by hand rather than with `tempfile`, whose
/// files are made readable by their owner only: a file runsheet writes
/// gets the mode any new file gets under the process's umask.
pub fn write_beside(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let folder = path.parent().unwrap_or(Path::new("."));
    let stage = folder.join(format!(
        ".{}.new-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&stage)
    };
    let mut file = match create() {
        // Left by a run that was stopped: ours (by its process id) to
        // replace; removing a link removes the link.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&stage);
            create()
        }
        other => other,
    }
    .map_err(|e| FileError::new(&stage, Why::Write(e)))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&stage, path)) {
        let _ = std::fs::remove_file(&stage);
        return Err(FileError::new(path, Why::Write(e)));
    }
    Ok(())
}

/// Read at most `cap` bytes of the regular file at `path`: a FIFO, a
/// device or a folder is refused before it is opened, and a file is read
/// until one byte past the cap, whatever size it reports.
pub fn read(path: &Path, cap: Cap) -> Result<Vec<u8>, FileError> {
    let fail = |why| FileError::new(path, why);
    let meta = std::fs::metadata(path).map_err(|e| fail(Why::Read(e)))?;
    if let Some(kind) = not_regular(&meta) {
        return Err(fail(Why::NotAFile { kind }));
    }
    let file = std::fs::File::open(path).map_err(|e| fail(Why::Read(e)))?;
    // What was opened is what was looked at (not a FIFO put in its place).
    let opened = file.metadata().map_err(|e| fail(Why::Read(e)))?;
    if let Some(kind) = not_regular(&opened) {
        return Err(fail(Why::NotAFile { kind }));
    }
    // Sized once from what the file reports, within the cap: a vector that
    // doubles as it reads would, for a moment, hold a large file twice.
    let reported = opened.len().min(cap.bytes.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(reported).unwrap_or(0).saturating_add(1));
    file.take(cap.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fail(Why::Read(e)))?;
    if bytes.len() as u64 > cap.bytes {
        return Err(fail(Why::TooLarge {
            cap: cap.bytes,
            what: cap.what,
        }));
    }
    Ok(bytes)
}

/// The text of the file at `path` held inside its own folder (a link out
/// of that folder refused), at most `cap` bytes; `None` when there is no
/// such file. For a book's files found by their place (`book.toml`,
/// `runsheet.toml`).
pub fn read_in_its_folder(path: &Path, cap: Cap) -> Result<Option<String>, FileError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Root::new(folder).read_if_there(path.file_name().unwrap_or_default(), cap)
}

/// [`read`], as UTF-8 text.
pub fn read_string(path: &Path, cap: Cap) -> Result<String, FileError> {
    String::from_utf8(read(path, cap)?).map_err(|_| FileError::new(path, Why::NotUtf8))
}

/// What a file is when it is not a regular file.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some(if t.is_dir() { "a folder" } else { "not a file" })
}

/// `dir` made absolute, `.` and `..` folded, and the links of the part
/// that exists resolved.
fn real(dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let absolute = paths::normalise_path(&absolute);
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

/// Whether the folders `a` and `b` overlap: one is, or holds, the other,
/// worked out on absolute paths with their existing links resolved (`.`
/// and `..` folded by their text first, so `out/nothing/../src` is `src`).
pub fn overlap(a: &Path, b: &Path) -> bool {
    let (a, b) = (real(a), real(b));
    a.starts_with(&b) || b.starts_with(&a)
}

/// Whether the folder `outer` is, or holds, `inner` (both resolved as
/// [`overlap`] does).
pub fn holds_or_is(outer: &Path, inner: &Path) -> bool {
    real(inner).starts_with(real(outer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn book() -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("book/templates")).unwrap();
        std::fs::write(dir.path().join("outside.txt"), "secret").unwrap();
        std::fs::write(dir.path().join("book/a.txt"), "a").unwrap();
        let root = Root::new(&dir.path().join("book"));
        (dir, root)
    }

    #[test]
    fn a_path_inside_is_read() {
        let (_dir, root) = book();
        assert_eq!(root.read_string("a.txt", Cap::CONFIG).unwrap(), "a");
        assert_eq!(
            root.read_string("templates/../a.txt", Cap::CONFIG).unwrap(),
            "a"
        );
    }

    #[test]
    fn absolute_paths_and_climbs_are_refused() {
        let (dir, root) = book();
        let outside = dir.path().join("outside.txt");
        let err = root.read(&outside, Cap::CONFIG).unwrap_err();
        assert!(matches!(err.why, Why::Absolute { .. }), "{err}");
        let err = root.read("../outside.txt", Cap::CONFIG).unwrap_err();
        assert!(matches!(err.why, Why::Climbs { .. }), "{err}");
        let err = root
            .read("templates/../../outside.txt", Cap::CONFIG)
            .unwrap_err();
        assert!(err.to_string().contains("climbs out of"), "{err}");
    }

    #[test]
    fn links_are_followed_only_inside() {
        let (dir, root) = book();
        let b = dir.path().join("book");
        symlink(b.join("a.txt"), b.join("in.txt")).unwrap();
        symlink(dir.path().join("outside.txt"), b.join("out.txt")).unwrap();
        symlink(dir.path(), b.join("up")).unwrap();
        symlink("../nowhere.txt", b.join("dangling.txt")).unwrap();
        assert_eq!(root.read_string("in.txt", Cap::CONFIG).unwrap(), "a");
        let err = root.read("out.txt", Cap::CONFIG).unwrap_err();
        assert!(matches!(err.why, Why::LinkOut { .. }), "{err}");
        assert!(err.file.ends_with("book/out.txt"), "{err}");
        // A link to a folder outside, on the way.
        let err = root.read("up/outside.txt", Cap::CONFIG).unwrap_err();
        assert!(err.file.ends_with("book/up"), "{err}");
        let err = root.resolve("dangling.txt").unwrap_err();
        assert!(matches!(err.why, Why::LinkOut { .. }), "{err}");
    }

    #[test]
    fn a_write_replaces_a_link_rather_than_writing_through_it() {
        let (dir, root) = book();
        let b = dir.path().join("book");
        symlink(b.join("a.txt"), b.join("in.txt")).unwrap();
        root.write("in.txt", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(b.join("a.txt")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(b.join("in.txt")).unwrap(), "new");
        assert!(
            !std::fs::symlink_metadata(b.join("in.txt"))
                .unwrap()
                .is_symlink()
        );
        root.write("new/deep.txt", b"x").unwrap();
        assert_eq!(
            std::fs::read_to_string(b.join("new/deep.txt")).unwrap(),
            "x"
        );
    }

    #[test]
    fn reads_stop_one_byte_past_the_cap_and_take_regular_files_only() {
        let (dir, root) = book();
        let cap = Cap {
            bytes: 4,
            what: "a test file",
        };
        std::fs::write(dir.path().join("book/five.txt"), "12345").unwrap();
        let err = root.read("five.txt", cap).unwrap_err();
        assert_eq!(
            err.why.to_string(),
            "larger than 4 bytes, the most a test file may have"
        );
        assert!(root.read("a.txt", cap).is_ok());
        let err = read(Path::new("/dev/zero"), Cap::CONFIG).unwrap_err();
        assert!(
            matches!(err.why, Why::NotAFile { kind: "a device" }),
            "{err}"
        );
        let err = root.read("templates", Cap::CONFIG).unwrap_err();
        assert!(
            matches!(err.why, Why::NotAFile { kind: "a folder" }),
            "{err}"
        );
    }

    #[test]
    fn folders_overlap_by_their_text_and_their_links() {
        let (dir, _root) = book();
        let b = dir.path().join("book");
        assert!(overlap(
            &b.join("nothing/../templates"),
            &b.join("templates")
        ));
        assert!(overlap(&b, &b.join("templates/x")));
        assert!(!overlap(&b.join("out"), &b.join("templates")));
        assert!(holds_or_is(&b, &b.join("templates")));
        assert!(!holds_or_is(&b.join("templates"), &b));
    }
}
