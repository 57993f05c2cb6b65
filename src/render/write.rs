//! Writing rendered files, all or nothing: every environment's folder is
//! written beside the output first (`OUT/.ENV.new-…`), then each is
//! swapped in with a rename, so a failure at any point before the swap
//! leaves the previous output as it was, and no folder ever holds a mix of
//! two renders. A lock file (`OUT/.runsheet.lock`) stops a second render
//! into the same folder while one runs. Files get the mode a new file gets
//! under the process's umask. Or comparing with what is on disk, for
//! `render --check`.
//!
//! An environment's folder is runsheet's: what else it held is replaced.
//! `OUT/.runsheet-rendered` records the environment folders renders have
//! written there, one name a line; a folder it records whose environment
//! no longer exists is stale: `write` removes it and `stale` names it (for
//! `render --check`). A folder the record does not name is never touched.

use super::RenderedFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What writing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Stale environment folders removed.
    pub removed: Vec<PathBuf>,
}

/// The record of the environment folders written into an output folder.
pub const RECORD: &str = ".runsheet-rendered";

/// The environment folders the record in `out` names.
pub fn recorded(out: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(out.join(RECORD)) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| is_folder_name(l))
        .map(str::to_string)
        .collect()
}

/// A name the record may hold: one folder right inside `out`.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.starts_with('#')
}

/// The folders in `out` a render wrote for environments that are no
/// longer among `environments` (every environment of the book).
pub fn stale(out: &Path, environments: &[String]) -> Vec<PathBuf> {
    let mut names = recorded(out);
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| !environments.contains(n))
        .map(|n| out.join(n))
        .filter(|p| p.is_dir())
        .collect()
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "`{}` is where the book's sources are (or holds them): choose an output folder of its own, such as `out/`",
        out.display()
    )]
    OverSources { out: PathBuf },
    #[error(
        "another render is writing into `{}` (its lock file {} exists); wait for it, or remove the file if no render is running",
        out.display(),
        lock.display()
    )]
    Locked { out: PathBuf, lock: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuse an output folder that is the file-system root, or is, holds or
/// lies inside the book's sources (`src_dir`), or holds its root.
pub fn check_out_dir(out: &Path, book_root: &Path, src_dir: &Path) -> Result<(), OutputError> {
    let full = |p: &Path| -> PathBuf {
        let absolute = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // The folder may not exist yet: resolve the part that does.
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved =
            std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
        for name in rest.iter().rev() {
            resolved.push(name);
        }
        resolved
    };
    let (out_full, src, root) = (full(out), full(src_dir), full(book_root));
    let over = out_full.parent().is_none()
        || src.starts_with(&out_full)
        || out_full.starts_with(&src)
        || root.starts_with(&out_full);
    if over {
        return Err(OutputError::OverSources {
            out: out.to_path_buf(),
        });
    }
    Ok(())
}

/// Removes the lock file when the render ends, however it ends.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Lock {
    /// Take `out`'s lock, or say that another render holds it.
    fn take(out: &Path) -> Result<Lock, OutputError> {
        let path = out.join(".runsheet.lock");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(Lock(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(OutputError::Locked {
                out: out.to_path_buf(),
                lock: path,
            }),
            Err(e) => Err(io(&path)(e)),
        }
    }
}

/// Write the files (each `OUT/ENV/NAME`) into `out`, all or nothing; then
/// remove the folders of recorded environments that are not among
/// `environments` (every environment of the book), and record the rest.
pub fn write(
    out: &Path,
    files: &[RenderedFile],
    environments: &[String],
) -> Result<WriteReport, OutputError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let _lock = Lock::take(out)?;
    let mut by_env: BTreeMap<&str, Vec<&RenderedFile>> = BTreeMap::new();
    for f in files {
        by_env.entry(&f.environment).or_default().push(f);
    }
    let mut report = WriteReport::default();
    // Stage every environment before any is swapped in.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let Err(e) = stage_all(out, &by_env, &mut staged, &mut report) {
        for (stage, _) in &staged {
            let _ = std::fs::remove_dir_all(stage);
        }
        return Err(e);
    }
    for (stage, target) in &staged {
        swap_in(out, stage, target)?;
    }
    for folder in stale(out, environments) {
        std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
        report.removed.push(folder);
    }
    record(out, environments, by_env.keys())?;
    Ok(report)
}

/// Write each environment's files into a folder of its own beside its
/// target (`OUT/.ENV.new-…`), each file synced; `staged` gets each
/// (staging folder, target) as it is made, so that a failure can remove
/// them.
fn stage_all(
    out: &Path,
    by_env: &BTreeMap<&str, Vec<&RenderedFile>>,
    staged: &mut Vec<(PathBuf, PathBuf)>,
    report: &mut WriteReport,
) -> Result<(), OutputError> {
    for (env, env_files) in by_env {
        let target = out.join(env);
        let stage = out.join(format!(".{env}.new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&stage);
        // A folder created as any other, under the umask.
        std::fs::create_dir(&stage).map_err(io(&stage))?;
        staged.push((stage.clone(), target.clone()));
        for f in env_files {
            let path = stage.join(&f.name);
            std::fs::write(&path, f.contents.as_bytes()).map_err(io(&path))?;
            std::fs::File::open(&path)
                .and_then(|file| file.sync_all())
                .map_err(io(&path))?;
            if std::fs::read(&f.path).is_ok_and(|old| old == f.contents.as_bytes()) {
                report.unchanged.push(f.path.clone());
            } else {
                report.written.push(f.path.clone());
            }
        }
    }
    Ok(())
}

/// Swap an environment's staged folder in: the old one aside, the new one
/// in its place, the old one removed (put back if the new one cannot go
/// in).
fn swap_in(out: &Path, stage: &Path, target: &Path) -> Result<(), OutputError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = out.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = target.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(&aside);
        std::fs::rename(target, &aside).map_err(io(target))?;
    }
    if let Err(e) = std::fs::rename(stage, target) {
        if had_old {
            let _ = std::fs::rename(&aside, target);
        }
        return Err(io(target)(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&aside);
    }
    Ok(())
}

/// Record the environment folders now in `out`: those recorded before
/// whose environment still exists, and those `written`.
fn record<'a>(
    out: &Path,
    environments: &[String],
    written: impl Iterator<Item = &'a &'a str>,
) -> Result<(), OutputError> {
    let mut names: Vec<String> = recorded(out)
        .into_iter()
        .filter(|n| environments.contains(n))
        .chain(written.map(|e| e.to_string()))
        .collect();
    names.sort();
    names.dedup();
    let mut record = String::from(
        "# The environment folders `runsheet render` wrote here; a folder whose\n# environment is gone is removed by the next render.\n",
    );
    for n in &names {
        record.push_str(n);
        record.push('\n');
    }
    let record_path = out.join(RECORD);
    let temporary = out.join(format!("{RECORD}.new-{}", std::process::id()));
    std::fs::write(&temporary, record).map_err(io(&temporary))?;
    std::fs::rename(&temporary, &record_path).map_err(io(&record_path))?;
    Ok(())
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
