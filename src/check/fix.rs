//! `--fix`: apply the fixes that have one safe answer, editing only the
//! bytes they name, and write each file atomically.

use super::Diagnostic;
use crate::model::Guide;
use anyhow::{Context as _, Result};
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
        if let Some(f) = &d.fix {
            by_file.entry(d.file.as_str()).or_default().push(f);
        }
    }
    let mut edits = Vec::new();
    for (file, mut fixes) in by_file {
        let Some(chapter) = guide.chapter(file) else {
            continue;
        };
        // A file that is not valid UTF-8 was read with its bad bytes
        // replaced: writing the text back would replace them on disk too.
        if guide
            .problems
            .iter()
            .any(|p| p.file == file && p.kind == "invalid-utf8")
        {
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

/// Write the edit over the file: a temporary file in the same folder,
/// renamed into place. The BOM the file had is kept, and a symbolic link
/// stays a link to the edited file.
pub fn write(guide: &Guide, edit: &FileEdit) -> Result<()> {
    let path = guide.book.src_dir.join(&edit.file);
    // Write through a symbolic link, as editors do, rather than replace the
    // link with a file.
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    let bom = guide.chapter(&edit.file).map_or(0, |c| c.bom);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in `{}`", dir.display()))?;
    if bom > 0 {
        tmp.write_all(&[0xEF, 0xBB, 0xBF])?;
    }
    tmp.write_all(edit.after.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(&path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(&path)
        .with_context(|| format!("cannot replace `{}`", path.display()))?;
    Ok(())
}
