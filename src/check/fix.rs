//! `--fix`: apply the fixes that have one safe answer, editing only the
//! bytes they name, and write each file atomically.

use super::Diagnostic;
use crate::model::Guide;
use std::collections::BTreeMap;
use std::io::Write;

/// One file's planned edit.
#[derive(Debug)]
pub struct FileEdit {
    /// Relative to the source folder.
    pub file: String,
    pub before: String,
    pub after: String,
    /// How many fixes went in.
    pub applied: usize,
}

/// Work out the new text of every file that has fixes. Overlapping fixes
/// keep the first and leave the rest; files that are not valid UTF-8 are
/// left alone.
pub fn plan(guide: &Guide, diagnostics: &[Diagnostic]) -> Vec<FileEdit> {
    let mut by_file: BTreeMap<&str, Vec<&super::Fix>> = BTreeMap::new();
    for d in diagnostics {
        for (file, f) in d.fixes() {
            by_file.entry(file).or_default().push(f);
        }
    }
    let mut edits = Vec::new();
    for (file, mut fixes) in by_file {
        let Some(chapter) = guide.chapter(file) else {
            continue;
        };
        // A file that is not valid UTF-8 was read with its bad bytes
        // replaced, one with lone CRs with them as LFs: writing the text
        // back would change those bytes on disk too.
        if guide.problems.iter().any(|p| {
            p.file == file
                && matches!(
                    p.kind,
                    crate::model::ProblemKind::InvalidUtf8
                        | crate::model::ProblemKind::LoneCarriageReturn
                )
        }) {
            continue;
        }
        fixes.sort();
        fixes.dedup();
        let before = chapter.source.to_string();
        let mut after = String::with_capacity(before.len());
        let mut pos = 0;
        let mut applied = 0;
        for f in fixes {
            if f.start < pos || f.end > before.len() {
                continue;
            }
            after.push_str(&before[pos..f.start]);
            after.push_str(&f.replacement);
            pos = f.end;
            applied += 1;
        }
        after.push_str(&before[pos..]);
        if after != before {
            edits.push(FileEdit {
                file: file.to_string(),
                before,
                after,
                applied,
            });
        }
    }
    edits
}

/// A unified diff of one edit, with paths as the reader should see them.
pub fn diff(edit: &FileEdit, shown_path: &str) -> String {
    similar::TextDiff::from_lines(&edit.before, &edit.after)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{shown_path}"), &format!("b/{shown_path}"))
        .to_string()
}

/// A fix that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("{what} `{}`: {source}", path.display())]
    Io {
        /// What could not be done (`cannot write in`, `cannot replace`).
        what: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is left alone: a link, a file outside the checked folder,
    /// or a read-only file.
    #[error("left `{}` as it is: {why}", path.display())]
    Refused {
        path: std::path::PathBuf,
        why: &'static str,
    },
}

/// Write the edit over the file: a temporary file in the same folder,
/// renamed into place, with the BOM the file had. A symbolic link (or a
/// file reached through one that leaves the checked folder) and a
/// read-only file are never written: the fix is refused for that file.
pub fn write(guide: &Guide, edit: &FileEdit) -> Result<(), FixError> {
    let path = guide.book.src_dir.join(&edit.file);
    let refused = |why| FixError::Refused {
        path: path.clone(),
        why,
    };
    let meta = std::fs::symlink_metadata(&path).map_err(|source| FixError::Io {
        what: "cannot read",
        path: path.clone(),
        source,
    })?;
    if meta.file_type().is_symlink() {
        return Err(refused(
            "it is a symbolic link, and --fix does not write through links",
        ));
    }
    if meta.permissions().readonly() {
        return Err(refused("it is read-only"));
    }
    let inside = match (
        std::fs::canonicalize(&path),
        std::fs::canonicalize(&guide.book.src_dir),
    ) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    };
    if !inside {
        return Err(refused(
            "a folder on its way is a link out of the checked folder",
        ));
    }
    let bom = guide.chapter(&edit.file).map_or(0, |c| c.bom);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let failed = |what: &'static str, path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| FixError::Io { what, path, source }
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(failed("cannot write in", dir))?;
    if bom > 0 {
        tmp.write_all(&[0xEF, 0xBB, 0xBF])
            .map_err(failed("cannot write in", dir))?;
    }
    tmp.write_all(edit.after.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(failed("cannot write in", dir))?;
    let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    tmp.persist(&path)
        .map_err(|e| failed("cannot replace", &path)(e.error))?;
    Ok(())
}
