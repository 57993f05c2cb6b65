//! Writing rendered files, all or nothing, and never over what someone
//! else wrote. Or comparing with what is on disk, for `render --check`.
//!
//! `OUT/.runsheet-rendered` records every file a render wrote into `OUT`
//! (`ENV/NAME`, one a line) with the hash of what it wrote. A render
//! replaces or removes only files the record names, and only while they
//! are as it wrote them: a file it did not write (a progress file, an
//! operator's note) is never touched, and a file of its own that was
//! changed since (a ticked `runbook.md`) stops the render before anything
//! is written, naming it. A recorded file whose environment no longer
//! exists is stale: `write` removes it (and its folder, once empty) and
//! `stale` names it (for `render --check`); a stale file changed since it
//! was written is left where it is and no longer recorded.
//!
//! Every file is written beside its target first (`OUT/ENV/.NAME.new-…`,
//! synced), all of them before any is renamed into place, so a failure
//! before the renames leaves the previous output as it was. A lock file
//! (`OUT/.runsheet.lock`) stops a second render into the same folder while
//! one runs ([`super::lock`]); a render killed midway leaves its lock and
//! its staged files, which the next render takes over and removes, saying
//! so. Files get the mode a new file gets under the process's umask.
//!
//! A record written before files were recorded names folders only (one
//! name a line): in such a folder, the files named as this render's
//! outputs are taken as written by runsheet.

use super::RenderedFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What writing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Recorded files removed: their environment is gone, or the render no
    /// longer writes them.
    pub removed: Vec<PathBuf>,
    /// Recorded files that would have been removed but were changed since
    /// they were written: left as they are, and no longer recorded.
    pub left: Vec<PathBuf>,
    /// The lock of a render that stopped before it finished (its process
    /// gone), taken over.
    pub recovered_lock: Option<super::lock::Recovered>,
    /// Files a render that stopped before it finished left staged
    /// (`OUT/ENV/.NAME.new-PID`, its process gone): removed.
    pub leftovers: Vec<PathBuf>,
}

/// The record of the files written into an output folder.
pub const RECORD: &str = ".runsheet-rendered";

/// The largest record read: a record is runsheet's own, but the folder
/// may be anyone's.
const RECORD_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The hash a record keeps of a file's bytes: FNV-1a 64.
pub fn file_hash(bytes: &[u8]) -> u64 {
    super::ids::fnv1a(bytes)
}

/// What the record in an output folder says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// `ENV/NAME`, each with the hash of what was written.
    pub files: BTreeMap<String, u64>,
    /// Folders a record of an earlier runsheet names, which named folders
    /// only.
    pub folders: BTreeSet<String>,
}

impl Record {
    /// The record in `out`; empty when there is none (or it cannot be
    /// read). Lines that are not a file and its hash, or a folder, are
    /// left out.
    pub fn read(out: &Path) -> Record {
        let cap = crate::text::inside::Cap {
            bytes: RECORD_MAX_BYTES,
            what: "an output folder's record",
        };
        let text = crate::text::inside::Root::new(out)
            .read_string(RECORD, cap)
            .unwrap_or_default();
        let mut record = Record::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.rsplit_once(' ') {
                Some((file, hash)) => {
                    let parsed = u64::from_str_radix(hash, 16).ok();
                    if let (Some(hash), Some((env, name))) = (parsed, file.split_once('/'))
                        && is_name(env)
                        && is_name(name)
                    {
                        record.files.insert(file.to_string(), hash);
                    }
                }
                None if is_name(line) => {
                    record.folders.insert(line.to_string());
                }
                None => {}
            }
        }
        record
    }

    /// Whether the record holds the file `ENV/NAME`, and with which hash
    /// (`None`: a folder of an earlier record, whose files have none).
    /// `outputs` are the names a render writes.
    fn holds(&self, env: &str, name: &str, outputs: &BTreeSet<&str>) -> Option<Option<u64>> {
        match self.files.get(&format!("{env}/{name}")) {
            Some(hash) => Some(Some(*hash)),
            None if self.folders.contains(env) && outputs.contains(name) => Some(None),
            None => None,
        }
    }

    /// The environments it names.
    fn environments(&self) -> BTreeSet<&str> {
        let from_files = self.files.keys().filter_map(|f| f.split_once('/'));
        from_files
            .map(|(env, _)| env)
            .chain(self.folders.iter().map(String::as_str))
            .collect()
    }

    /// The recorded files of environment `env` (`outputs` for a folder of
    /// an earlier record), each as `(name, hash)`.
    fn files_of<'a>(
        &'a self,
        env: &str,
        outputs: &BTreeSet<&'a str>,
    ) -> Vec<(&'a str, Option<u64>)> {
        let mut files: Vec<(&str, Option<u64>)> = self
            .files
            .iter()
            .filter_map(|(f, h)| {
                let (e, name) = f.split_once('/')?;
                (e == env).then_some((name, Some(*h)))
            })
            .collect();
        if self.folders.contains(env) {
            for name in outputs {
                if !files.iter().any(|(n, _)| n == name) {
                    files.push((name, None));
                }
            }
        }
        files
    }
}

/// A name the record may hold: one folder right inside `out`, or one file
/// right inside such a folder.
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ' '])
        && !name.starts_with('#')
}

/// Whether the file at `path` is as the record says it was written: its
/// hash is `hash`, or the record has none for it.
fn as_written(path: &Path, hash: Option<u64>) -> bool {
    match (hash, std::fs::read(path)) {
        (_, Err(_)) => true,
        (None, Ok(_)) => true,
        (Some(h), Ok(bytes)) => file_hash(&bytes) == h,
    }
}

/// The recorded files in `out` of environments that are no longer among
/// `environments` (every environment of the book), and the folders an
/// earlier record names for them. `outputs` are the names a render
/// writes.
pub fn stale(out: &Path, environments: &[String], outputs: &[&str]) -> Vec<PathBuf> {
    let record = Record::read(out);
    let outputs: BTreeSet<&str> = outputs.iter().copied().collect();
    let mut stale = Vec::new();
    for env in record.environments() {
        if environments.iter().any(|e| e == env) {
            continue;
        }
        for (name, _) in record.files_of(env, &outputs) {
            let path = out.join(env).join(name);
            if path.is_file() {
                stale.push(path);
            }
        }
    }
    stale.sort();
    stale
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "`{}` is, holds or lies inside {what} (`{}`), which runsheet reads: choose an output folder of its own, such as `out/`",
        out.display(),
        crate::text::paths::shown(input)
    )]
    OverInput {
        out: PathBuf,
        what: &'static str,
        input: PathBuf,
    },
    #[error(
        "`{}` is or holds the book's root (`{}`): choose an output folder of its own, such as `out/`",
        out.display(),
        crate::text::paths::shown(root)
    )]
    HoldsBook { out: PathBuf, root: PathBuf },
    /// A file of the output folder that leads out of it (or a default
    /// output folder that leads out of the book), or the record that
    /// could not be written.
    #[error("{0}")]
    File(crate::text::inside::FileError),
    #[error(
        "another render is writing into `{}` (its lock file {}{}); wait for it to finish",
        out.display(),
        lock.display(),
        pid.map_or(" exists".to_string(), |pid| format!(" names process {pid}, which is running"))
    )]
    Locked {
        out: PathBuf,
        lock: PathBuf,
        pid: Option<u32>,
    },
    /// Files the render would replace that it did not write, or that were
    /// changed since it wrote them.
    #[error("{}", not_ours(changed, unrecorded))]
    NotOurs {
        changed: Vec<PathBuf>,
        unrecorded: Vec<PathBuf>,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn not_ours(changed: &[PathBuf], unrecorded: &[PathBuf]) -> String {
    let list = |files: &[PathBuf]| {
        files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    for file in changed {
        // A ticked runbook.md or filled runbook.csv is progress: where
        // progress lives.
        let env = file
            .parent()
            .and_then(Path::file_name)
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let home = match file.extension().and_then(|e| e.to_str()) {
            Some(ext @ ("md" | "csv" | "json")) => format!(
                "move it out of the output folder: if it holds progress, to the book's progress/{env}.{ext}, where `status`, `diff` and `render --keep-progress` read it"
            ),
            _ => "move it out of the output folder".to_string(),
        };
        parts.push(format!(
            "{} changed since runsheet wrote it: {home}, or remove it",
            file.display()
        ));
    }
    if !unrecorded.is_empty() {
        parts.push(format!(
            "{} is not a file runsheet wrote (the output folder's record, {RECORD}, does not name it): move it away or remove it",
            list(unrecorded)
        ));
    }
    format!(
        "runsheet writes over no file it did not write: {}",
        parts.join("; ")
    )
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folders of the book at `book_root` that runsheet reads, each with
/// what it is: an output folder may be none of them, hold none and lie in
/// none.
fn inputs(book_root: &Path, src_dir: &Path) -> [(PathBuf, &'static str); 5] {
    [
        (src_dir.to_path_buf(), "the book's sources"),
        (book_root.join(crate::env::DIR), "the book's environments"),
        (
            book_root.join(super::templates::DIR),
            "the book's templates",
        ),
        // `progress::DIR`, a layer above: where progress is read from.
        (book_root.join("progress"), "the book's progress"),
        (
            book_root.join(crate::env::variables::FILE),
            "the book's variables",
        ),
    ]
}

/// The output folder a render writes into: `out` folded by its text (`.`
/// and `..` worked out, so `BOOK/nothing/../src` is `BOOK/src`), or `out/`
/// in the book's root, held inside it, when none is given. Refused when it
/// is the file-system root, holds the book's root, or is, holds or lies
/// inside a folder or file runsheet reads (the sources, `environments/`,
/// `templates/`, `progress/`, `variables.yaml`).
pub fn check_out_dir(
    out: Option<&Path>,
    book_root: &Path,
    src_dir: &Path,
) -> Result<PathBuf, OutputError> {
    let out = match out {
        Some(given) => {
            let folded = crate::text::paths::normalise_path(given);
            if folded.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                folded
            }
        }
        None => {
            let default = super::select::default_out(book_root);
            let rel = default.strip_prefix(book_root).unwrap_or(&default);
            crate::text::inside::Root::new(book_root)
                .resolve(rel)
                .map_err(OutputError::File)?;
            default
        }
    };
    let over = |what: &'static str, input: &Path| OutputError::OverInput {
        out: out.clone(),
        what,
        input: input.to_path_buf(),
    };
    // The file-system root holds the book's root too.
    if crate::text::inside::holds_or_is(&out, book_root) {
        return Err(OutputError::HoldsBook {
            out,
            root: book_root.to_path_buf(),
        });
    }
    for (input, what) in inputs(book_root, src_dir) {
        if crate::text::inside::overlap(&out, &input) {
            return Err(over(what, &input));
        }
    }
    Ok(out)
}

/// What a render will do in its output folder, worked out before anything
/// is written.
struct Plan<'a> {
    out: &'a Path,
    record: Record,
    /// Every environment of the book: the recorded files of any other are
    /// stale.
    environments: &'a [String],
    /// The names this render writes.
    outputs: BTreeSet<&'a str>,
    /// The environments this render writes.
    rendered: BTreeSet<&'a str>,
}

impl<'a> Plan<'a> {
    fn new(out: &'a Path, files: &'a [RenderedFile], environments: &'a [String]) -> Self {
        Plan {
            out,
            record: Record::read(out),
            environments,
            outputs: files.iter().map(|f| f.name.as_str()).collect(),
            rendered: files.iter().map(|f| f.environment.as_str()).collect(),
        }
    }

    /// Refuse to write over a file the record does not name, or one
    /// changed since it was written, unless it already holds what would
    /// be written.
    fn refuse_what_is_not_ours(&self, files: &[RenderedFile]) -> Result<(), OutputError> {
        let (mut changed, mut unrecorded) = (Vec::new(), Vec::new());
        for f in files {
            let Ok(bytes) = std::fs::read(&f.path) else {
                if f.path.exists() {
                    unrecorded.push(f.path.clone());
                }
                continue;
            };
            if bytes == f.contents.as_bytes() {
                continue;
            }
            match self.record.holds(&f.environment, &f.name, &self.outputs) {
                None => unrecorded.push(f.path.clone()),
                Some(Some(hash)) if file_hash(&bytes) != hash => changed.push(f.path.clone()),
                Some(_) => {}
            }
        }
        if changed.is_empty() && unrecorded.is_empty() {
            Ok(())
        } else {
            Err(OutputError::NotOurs {
                changed,
                unrecorded,
            })
        }
    }

    /// The recorded files this render no longer writes: those of
    /// environments that are gone, and those of rendered environments
    /// that no template writes any more. Each with its hash.
    fn obsolete(&self, files: &[RenderedFile]) -> Vec<(PathBuf, Option<u64>)> {
        let mut obsolete = Vec::new();
        for env in self.record.environments() {
            let gone = !self.environments.iter().any(|e| e == env);
            if !gone && !self.rendered.contains(env) {
                continue;
            }
            for (name, hash) in self.record.files_of(env, &self.outputs) {
                let written = files.iter().any(|f| f.environment == env && f.name == name);
                if !written {
                    obsolete.push((self.out.join(env).join(name), hash));
                }
            }
        }
        obsolete.sort();
        obsolete
    }

    /// Remove what a render that stopped before it finished left staged:
    /// `.NAME.new-PID` beside an output it writes or recorded (and the
    /// record's own), whose process is gone. The lock is held, so no
    /// render is writing them; a live process's are left alone all the
    /// same. Only regular files go.
    fn remove_leftovers(&self) -> Vec<PathBuf> {
        let mut names: BTreeSet<&str> = self.outputs.clone();
        let mut folders: BTreeSet<&str> = self.rendered.clone();
        for file in self.record.files.keys() {
            if let Some((env, name)) = file.split_once('/') {
                folders.insert(env);
                names.insert(name);
            }
        }
        let mut removed = Vec::new();
        let mut sweep = |folder: &Path, names: &BTreeSet<&str>| {
            let Ok(entries) = std::fs::read_dir(folder) else {
                return;
            };
            for entry in entries.flatten() {
                let file_name = entry.file_name();
                let Some((name, pid)) = file_name.to_str().and_then(super::lock::staged_name)
                else {
                    continue;
                };
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if !is_file
                    || !names.contains(name)
                    || pid == std::process::id()
                    || super::lock::process_exists(pid)
                {
                    continue;
                }
                let path = entry.path();
                if std::fs::remove_file(&path).is_ok() {
                    removed.push(path);
                }
            }
        };
        for env in &folders {
            // An environment's name is a file's: one folder down, no more.
            if !env.is_empty() && !env.contains(['/', '\\']) && *env != ".." && *env != "." {
                sweep(&self.out.join(env), &names);
            }
        }
        sweep(self.out, &BTreeSet::from([RECORD.trim_start_matches('.')]));
        removed.sort();
        removed
    }

    /// The folders of environments that are gone, to remove once empty.
    fn gone_folders(&self) -> Vec<PathBuf> {
        (self.record.environments().into_iter())
            .filter(|env| !self.environments.iter().any(|e| e == env))
            .map(|env| self.out.join(env))
            .collect()
    }
}

/// Write the files (each `OUT/ENV/NAME`) into `out`, all or nothing, over
/// no file that is not runsheet's; then remove the recorded files of
/// environments that are not among `environments` (every environment of
/// the book) and those no template writes any more, and record what is
/// written.
pub fn write(
    out: &Path,
    files: &[RenderedFile],
    environments: &[String],
) -> Result<WriteReport, OutputError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let lock = super::lock::Lock::take(out).map_err(|e| match e {
        super::lock::NotTaken::Held(pid) => OutputError::Locked {
            out: out.to_path_buf(),
            lock: out.join(super::lock::FILE),
            pid,
        },
        super::lock::NotTaken::Io(e) => io(&out.join(super::lock::FILE))(e),
    })?;
    // Every file written or removed is held inside the output folder: an
    // environment's folder (or a file) that links out of it is refused.
    let held = crate::text::inside::Root::new(out);
    for f in files {
        let rel = f.path.strip_prefix(out).unwrap_or(&f.path);
        held.resolve(rel).map_err(OutputError::File)?;
    }
    for (path, _) in Plan::new(out, files, environments).obsolete(files) {
        let rel = path.strip_prefix(out).unwrap_or(&path);
        held.resolve(rel).map_err(OutputError::File)?;
    }
    let plan = Plan::new(out, files, environments);
    let mut report = WriteReport {
        recovered_lock: lock.recovered.clone(),
        leftovers: plan.remove_leftovers(),
        ..WriteReport::default()
    };
    plan.refuse_what_is_not_ours(files)?;
    let mut staged: Vec<(PathBuf, &RenderedFile)> = Vec::new();
    if let Err(e) = stage_all(files, &mut staged, &mut report) {
        for (stage, _) in &staged {
            let _ = std::fs::remove_file(stage);
        }
        return Err(e);
    }
    for (i, (stage, f)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(stage, &f.path) {
            for (rest, _) in staged.iter().skip(i) {
                let _ = std::fs::remove_file(rest);
            }
            return Err(io(&f.path)(e));
        }
    }
    for (path, hash) in plan.obsolete(files) {
        if !path.is_file() {
            continue;
        }
        if as_written(&path, hash) {
            std::fs::remove_file(&path).map_err(io(&path))?;
            report.removed.push(path);
        } else {
            report.left.push(path);
        }
    }
    for folder in plan.gone_folders() {
        // Only an empty folder goes: what else is in it is someone's.
        let _ = std::fs::remove_dir(&folder);
    }
    record(&plan, files)?;
    Ok(report)
}

/// Write each file beside its target (`OUT/ENV/.NAME.new-…`), synced;
/// `staged` gets each (staging file, file) as it is made, so that a
/// failure can remove them.
fn stage_all<'f>(
    files: &'f [RenderedFile],
    staged: &mut Vec<(PathBuf, &'f RenderedFile)>,
    report: &mut WriteReport,
) -> Result<(), OutputError> {
    for f in files {
        let folder = f.path.parent().unwrap_or(Path::new("."));
        // A folder created as any other, under the umask.
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let stage = folder.join(format!(".{}.new-{}", f.name, std::process::id()));
        // Created new: a link left at the staging name is not written
        // through.
        let _ = std::fs::remove_file(&stage);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&stage)
            .map_err(io(&stage))?;
        staged.push((stage.clone(), f));
        std::io::Write::write_all(&mut file, f.contents.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io(&stage))?;
        if std::fs::read(&f.path).is_ok_and(|old| old == f.contents.as_bytes()) {
            report.unchanged.push(f.path.clone());
        } else {
            report.written.push(f.path.clone());
        }
    }
    Ok(())
}

/// Record the files now in `out` that runsheet wrote: those written now,
/// and those recorded before of environments this render did not write
/// that still exist (folders of an earlier record kept as folders).
fn record(plan: &Plan<'_>, files: &[RenderedFile]) -> Result<(), OutputError> {
    let keeps =
        |env: &str| plan.environments.iter().any(|e| e == env) && !plan.rendered.contains(env);
    let mut lines: BTreeSet<String> = plan
        .record
        .files
        .iter()
        .filter(|(f, _)| f.split_once('/').is_some_and(|(env, _)| keeps(env)))
        .map(|(f, h)| format!("{f} {h:016x}"))
        .collect();
    lines.extend(plan.record.folders.iter().filter(|f| keeps(f)).cloned());
    for f in files {
        lines.insert(format!(
            "{}/{} {:016x}",
            f.environment,
            f.name,
            file_hash(f.contents.as_bytes())
        ));
    }
    let mut record = String::from(
        "# The files `runsheet render` wrote here, each with the hash of what it wrote.\n# A render replaces or removes only these, and only while they are unchanged.\n",
    );
    for line in &lines {
        record.push_str(line);
        record.push('\n');
    }
    let out = plan.out;
    crate::text::inside::write_beside(&out.join(RECORD), record.as_bytes())
        .map_err(OutputError::File)
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
pub fn compare(out: &Path, files: &[RenderedFile]) -> Vec<Difference> {
    // Read held inside the output folder: a file that links out of it
    // reads as missing.
    let held = crate::text::inside::Root::new(out);
    let cap = crate::text::inside::Cap {
        bytes: 1 << 30,
        what: "a rendered file",
    };
    files
        .iter()
        .filter_map(
            |f| match held.read(f.path.strip_prefix(out).unwrap_or(&f.path), cap) {
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
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_files_with_hashes_and_the_folders_of_an_earlier_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let text =
            "# comment\nlab/runbook.md 00000000000000ff\nold\n../x 1\nlab/a zz\nlab/.hidden 2\n";
        std::fs::write(dir.path().join(RECORD), text).unwrap_or_else(|e| panic!("{e}"));
        let record = Record::read(dir.path());
        assert_eq!(
            record.files,
            BTreeMap::from([("lab/runbook.md".to_string(), 255)])
        );
        assert_eq!(record.folders, BTreeSet::from(["old".to_string()]));
        let outputs = BTreeSet::from(["runbook.md", "runbook.csv"]);
        assert_eq!(record.holds("lab", "runbook.md", &outputs), Some(Some(255)));
        assert_eq!(record.holds("old", "runbook.csv", &outputs), Some(None));
        assert_eq!(record.holds("old", "notes.txt", &outputs), None);
        assert_eq!(record.holds("lab", "runbook.csv", &outputs), None);
    }
}
