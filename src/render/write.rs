//! Writing rendered files: each atomically (a temporary file in the same
//! folder, then a rename), a file that already holds the same bytes left
//! alone; or comparing them with what is on disk for `render --check`.

use super::RenderedFile;
use std::path::{Path, PathBuf};

/// What writing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
}

/// Write the files, each atomically (a temporary file in the same folder,
/// then a rename); a file that already holds the same bytes is left
/// alone.
pub fn write(files: &[RenderedFile]) -> std::io::Result<WriteReport> {
    use std::io::Write;
    let mut report = WriteReport::default();
    for f in files {
        if std::fs::read(&f.path).is_ok_and(|old| old == f.contents.as_bytes()) {
            report.unchanged.push(f.path.clone());
            continue;
        }
        let dir = f.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", f.name))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| with_path(e, dir))?;
        tmp.write_all(f.contents.as_bytes())
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| with_path(e, &f.path))?;
        tmp.persist(&f.path)
            .map_err(|e| with_path(e.error, &f.path))?;
        report.written.push(f.path.clone());
    }
    Ok(report)
}

fn with_path(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// A rendered file that is not on disk as rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: PathBuf,
    /// A unified diff from the file on disk to the rendered one; `None`
    /// when the file is missing.
    pub diff: Option<String>,
}

/// Compare rendered files with what is on disk.
pub fn compare(files: &[RenderedFile]) -> Vec<Difference> {
    files
        .iter()
        .filter_map(|f| match std::fs::read(&f.path) {
            Err(_) => Some(Difference {
                path: f.path.clone(),
                diff: None,
            }),
            Ok(old) if old == f.contents.as_bytes() => None,
            Ok(old) => {
                let old = String::from_utf8_lossy(&old);
                let shown = f.path.to_string_lossy();
                let diff = similar::TextDiff::from_lines(old.as_ref(), f.contents.as_str())
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{shown} (on disk)"),
                        &format!("{shown} (rendered)"),
                    )
                    .to_string();
                Some(Difference {
                    path: f.path.clone(),
                    diff: Some(diff),
                })
            }
        })
        .collect()
}
