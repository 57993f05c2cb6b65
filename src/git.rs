//! What Git says about the folder a guide is in: which files a change
//! touched since a revision.
//!
//! runsheet asks the `git` program rather than linking a Git library: the
//! questions are few, the answers are Git's own (renames, `.gitignore`),
//! and every machine that has a repository to ask about has `git`. It runs
//! with a clean environment (no `GIT_DIR` or `GIT_WORK_TREE` of the caller
//! steering it; the system configuration ignored) and only local commands;
//! none reaches the network. The user's own configuration is kept, since
//! CI checkouts record `safe.directory` there; the output asked for (`-z`,
//! no external diff) does not depend on it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// The files a change touched, relative to the folder asked about and
/// `/`-separated; files outside that folder are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files added, modified, renamed to or not yet tracked.
    pub changed: BTreeSet<String>,
    /// Files removed or renamed away.
    pub gone: BTreeSet<String>,
}

impl Changes {
    /// Whether a change touched `path` (kept, added, removed or renamed).
    pub fn touches(&self, path: &str) -> bool {
        self.changed.contains(path) || self.gone.contains(path)
    }
}

/// Why the changes could not be known.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run `git` ({0}); --changed-since needs Git installed")]
    NoGit(std::io::Error),
    #[error("{0} is not in a Git repository; --changed-since needs one")]
    NotARepository(String),
    #[error(
        "`{0}` is not a revision of this repository (try a branch, tag or commit, such as `origin/main`)"
    )]
    UnknownRevision(String),
    #[error("`git {command}` failed: {message}")]
    Failed { command: String, message: String },
}

/// The files under `dir` that differ between revision `since` and the
/// working tree (committed, staged or not), and files not yet tracked.
pub fn changes_since(dir: &Path, since: &str) -> Result<Changes, GitError> {
    let shown = dir.display().to_string();
    match git(dir, &["rev-parse", "--is-inside-work-tree"]) {
        Ok(out) if out.trim() == "true" => {}
        Ok(_) => return Err(GitError::NotARepository(shown)),
        Err(GitError::Failed { message, .. }) if message.contains("not a git repository") => {
            return Err(GitError::NotARepository(shown));
        }
        Err(e) => return Err(e),
    }
    // A revision that starts with `-` would be read as an option.
    if since.is_empty() || since.starts_with('-') {
        return Err(GitError::UnknownRevision(since.to_string()));
    }
    let commit = format!("{since}^{{commit}}");
    if git(dir, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
        return Err(GitError::UnknownRevision(since.to_string()));
    }
    let diff = git(
        dir,
        &[
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--relative",
            "--no-ext-diff",
            "--no-textconv",
            since,
            "--",
        ],
    )?;
    let mut changes = read_name_status(&diff);
    let untracked = git(dir, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    changes.changed.extend(
        untracked
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    );
    Ok(changes)
}

/// `git diff --name-status -z` output: a status, then one path (two for a
/// rename or copy), each ended by a NUL.
fn read_name_status(out: &str) -> Changes {
    let mut changes = Changes::default();
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        match status.as_bytes().first() {
            Some(b'R') => {
                if let (Some(from), Some(to)) = (fields.next(), fields.next()) {
                    changes.gone.insert(from.to_string());
                    changes.changed.insert(to.to_string());
                }
            }
            Some(b'C') => {
                let _from = fields.next();
                if let Some(to) = fields.next() {
                    changes.changed.insert(to.to_string());
                }
            }
            Some(b'D') => {
                if let Some(path) = fields.next() {
                    changes.gone.insert(path.to_string());
                }
            }
            Some(_) => {
                if let Some(path) = fields.next() {
                    changes.changed.insert(path.to_string());
                }
            }
            None => {}
        }
    }
    changes
}

/// What `git -C dir ARGS` prints when it succeeds.
///
/// The repository is untrusted input: its configuration may name commands
/// git would run while it reads the work tree (`core.fsmonitor`, a
/// `filter.NAME.clean` that `.gitattributes` or `.git/info/attributes`
/// applies, an external diff or a text conversion). Each is turned off for
/// the command: the filters the configuration defines are emptied by name
/// (read with `git config`, which runs nothing), and the rest by option.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut neutral: Vec<String> = vec![
        "core.fsmonitor=false".into(),
        "core.hooksPath=/dev/null".into(),
        "core.attributesFile=/dev/null".into(),
        "diff.external=".into(),
    ];
    for name in filter_drivers(dir) {
        for part in ["clean", "smudge", "process"] {
            neutral.push(format!("filter.{name}.{part}="));
        }
        neutral.push(format!("filter.{name}.required=false"));
    }
    let mut full: Vec<&str> = Vec::with_capacity(neutral.len() * 2 + args.len() + 2);
    for setting in &neutral {
        full.push("-c");
        full.push(setting);
    }
    full.extend_from_slice(args);
    run(dir, &full, &args.join(" "))
}

/// The names of the filter drivers the repository's configuration
/// defines (`filter.NAME.clean` and the like), read without running any.
fn filter_drivers(dir: &Path) -> std::collections::BTreeSet<String> {
    let listed = run(
        dir,
        &[
            "-c",
            "core.fsmonitor=false",
            "config",
            "--null",
            "--name-only",
            "--get-regexp",
            r"^filter\.",
        ],
        "config --get-regexp ^filter.",
    )
    .unwrap_or_default();
    listed
        .split('\0')
        .filter_map(|key| {
            let rest = key.strip_prefix("filter.")?;
            let (name, _) = rest.rsplit_once('.')?;
            Some(name.to_string())
        })
        .collect()
}

/// `git -C dir ARGS`, with a clean environment; `shown` is the command as
/// messages name it.
fn run(dir: &Path, args: &[&str], shown: &str) -> Result<String, GitError> {
    let mut command = Command::new("git");
    command.env_clear();
    for keep in [
        "PATH",
        "SystemRoot",
        "HOME",
        "XDG_CONFIG_HOME",
        "USERPROFILE",
    ] {
        if let Some(value) = std::env::var_os(keep) {
            command.env(keep, value);
        }
    }
    let out = command
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(GitError::NoGit)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            command: shown.to_string(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_count_as_gone_and_changed() {
        let c = read_name_status("M\0a.md\0R087\0old.md\0new.md\0D\0x.md\0A\0y.md\0");
        assert!(c.changed.contains("a.md") && c.changed.contains("new.md"));
        assert!(c.changed.contains("y.md"));
        assert!(c.gone.contains("old.md") && c.gone.contains("x.md"));
        assert!(!c.changed.contains("old.md"));
    }

    #[test]
    fn a_revision_that_looks_like_an_option_is_refused() {
        let dir = std::env::current_dir().unwrap();
        match changes_since(&dir, "--output=/tmp/x") {
            Err(
                GitError::UnknownRevision(_) | GitError::NotARepository(_) | GitError::NoGit(_),
            ) => {}
            other => panic!("{other:?}"),
        }
    }
}
