//! A check of one guide from start to end, as one library call: read the
//! settings and what the tree's files say, read and check the guide, fix
//! what has one safe answer, record or apply a baseline, keep the findings
//! a Git change can have made, and say whether the result fails.
//!
//! `runsheet check` and the mdBook preprocessor both go through
//! [`Session::run`], so a setting (`baseline`, `exclude`, `ignore-links`,
//! `profile`) means the same wherever the check runs. What the findings
//! look like is the caller's business (the `report` layer).

use super::baseline::{Baseline, BaselineError, BaselineNote};
use super::fix::{self, FileEdit, FixError};
use super::settings::{Settings, SettingsError};
use super::{Diagnostic, Digest, RuleId, Severity};
use crate::book::{LoadError, LoadOptions};
use crate::docfx::Site;
use crate::model::Guide;
use std::path::{Path, PathBuf};

/// What to do beyond reading and checking.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub load: LoadOptions,
    pub fix: FixMode,
    pub baseline: BaselineUse,
    /// Keep only findings in files changed since this Git revision, and in
    /// links a change broke.
    pub changed_since: Option<String>,
    /// Attach the source line to every finding (the human and SARIF
    /// reports show it). A baseline attaches them anyway: fingerprints
    /// read them.
    pub source_lines: bool,
    /// Settings applied over the files' (`runsheet.toml`'s keys, written
    /// elsewhere).
    pub settings_over: Option<SettingsOver>,
    /// The chapters as mdBook hands them to runsheet's preprocessor, by
    /// path from the source folder. When `book.toml` orders preprocessors
    /// before runsheet, these are checked in place of the files (what
    /// readers see), each finding reported at its file's place, and what
    /// those preprocessors may rewrite is no longer withheld.
    pub preprocessed: Option<std::sync::Arc<super::preprocessed::Texts>>,
}

/// Settings in TOML, applied over those of the guide's files (errors in
/// them name `shown`, without a line: no file holds them as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsOver {
    pub text: String,
    /// How messages name where they were written.
    pub shown: String,
}

/// Whether to fix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixMode {
    #[default]
    No,
    /// Plan the fixes and keep them as diffs; write nothing, and stop
    /// there (no baseline, no Git scope).
    DryRun,
    /// Write the fixes, then read and check the guide again.
    Write,
}

/// What a baseline does to the findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BaselineUse {
    /// The file the `baseline` setting names, when it names one.
    #[default]
    Settings,
    /// None: every finding is reported.
    Off,
    /// Apply this file (`None`: the setting's file, else
    /// `runsheet-baseline.json` in the guide's root); it must exist.
    Apply(Option<PathBuf>),
    /// Record today's findings in this file (same default) instead of
    /// reporting them.
    Record(Option<PathBuf>),
}

/// Why a check could not run.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(
        "the baseline {} does not exist{}: record today's findings in it with `runsheet check --write-baseline`",
        path.display(),
        if *from_setting { " (the `baseline` setting names it)" } else { "" }
    )]
    NoBaseline { path: PathBuf, from_setting: bool },
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
}

/// What `--fix` did (or, with [`FixMode::DryRun`], would do).
#[derive(Debug, Default)]
pub struct Fixed {
    /// Each file's edit, in path order.
    pub edits: Vec<FileEdit>,
    /// Fixes that went in (or would).
    pub applied: usize,
    /// Files written (or that would be).
    pub files: usize,
    /// Files left as they were, and why.
    pub refused: Vec<FixError>,
    /// Findings no fix answers.
    pub left: usize,
}

/// A baseline written with [`BaselineUse::Record`].
#[derive(Debug)]
pub struct Recorded {
    pub path: PathBuf,
    pub baseline: Baseline,
}

/// What a check's findings mean for whoever ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing that fails.
    Clean,
    /// An error (or a warning, where warnings are denied).
    Failing,
    /// The check could not run for part of the guide (an environment file
    /// that cannot be read).
    Unrunnable,
}

/// One guide, checked.
#[derive(Debug)]
pub struct Session {
    /// The folder its settings and baseline are in.
    pub root: PathBuf,
    /// The path it was asked to check.
    pub path: PathBuf,
    pub settings: Settings,
    pub site: Site,
    /// The whole guide, when it was read for fixing.
    pub guide: Option<Guide>,
    pub digest: Digest,
    pub diagnostics: Vec<Diagnostic>,
    /// What a baseline took out, when one was applied.
    pub baseline: Option<BaselineNote>,
    /// What `--fix` did, when asked.
    pub fixed: Option<Fixed>,
    /// The baseline recorded, when asked.
    pub recorded: Option<Recorded>,
}

impl Session {
    /// Check the guide at `path` as `request` says, step by step.
    pub fn run(path: &Path, request: &Request) -> Result<Session, SessionError> {
        let keep_text = request.fix != FixMode::No;
        let mut session = Session::open_preprocessed(
            path,
            &request.load,
            keep_text,
            request.settings_over.as_ref(),
            request.preprocessed.as_ref(),
        )?;
        if request.fix != FixMode::No {
            session.fix(request.fix == FixMode::DryRun, &request.load)?;
            if request.fix == FixMode::DryRun {
                return Ok(session);
            }
        }
        let baseline_wanted = match &request.baseline {
            BaselineUse::Settings => session.settings.baseline.is_some(),
            BaselineUse::Off => false,
            BaselineUse::Apply(_) | BaselineUse::Record(_) => true,
        };
        if baseline_wanted || request.source_lines {
            session.attach_source_lines();
        }
        match &request.baseline {
            BaselineUse::Record(file) => {
                session.record_baseline(file.as_deref())?;
                return Ok(session);
            }
            BaselineUse::Apply(file) => {
                // A file named on the command line is the user's to name;
                // the default is held inside the guide's root.
                let path = match file {
                    Some(f) => f.clone(),
                    None => session.baseline_file()?,
                };
                session.apply_baseline(&path, false)?;
            }
            BaselineUse::Settings => {
                if let Some(file) = &session.settings.baseline {
                    let path = session.held(file)?;
                    session.apply_baseline(&path, true)?;
                }
            }
            BaselineUse::Off => {}
        }
        if let Some(since) = &request.changed_since {
            session.keep_changed_since(since)?;
        }
        Ok(session)
    }

    /// Read the settings (with `over` applied over them) and the tree's
    /// files, then read and check the guide: keeping every chapter's text
    /// when `keep_text` (to fix it), else each chapter's digest only.
    pub fn open(
        path: &Path,
        load: &LoadOptions,
        keep_text: bool,
        over: Option<&SettingsOver>,
    ) -> Result<Session, SessionError> {
        Session::open_preprocessed(path, load, keep_text, over, None)
    }

    /// [`Session::open`], reading the chapters as mdBook's preprocessors
    /// left them (`preprocessed`, see [`Request::preprocessed`]) when
    /// `book.toml` orders preprocessors before runsheet.
    pub fn open_preprocessed(
        path: &Path,
        load: &LoadOptions,
        keep_text: bool,
        over: Option<&SettingsOver>,
        preprocessed: Option<&std::sync::Arc<super::preprocessed::Texts>>,
    ) -> Result<Session, SessionError> {
        let root = crate::book::guide_root(path);
        let mut settings = Settings::read(&root)?;
        if let Some(over) = over {
            settings.apply_table_text(&over.text, over.shown.clone())?;
        }
        let site = Site::read(&root, settings.site_path.as_deref());
        // What readers see, when preprocessors run before runsheet: their
        // output is the chapters' text, and nothing of theirs is withheld.
        let ran_before: Vec<String> = settings
            .preprocessors
            .iter()
            .filter(|p| p.before_runsheet)
            .map(|p| p.name.clone())
            .collect();
        let texts = preprocessed.filter(|_| !ran_before.is_empty()).cloned();
        let mut load = load.clone();
        if texts.is_some() {
            settings
                .unseen_preprocessors
                .retain(|p| !ran_before.contains(p));
            load.texts = texts.clone();
        }
        let (guide, digest, mut diagnostics) =
            read_and_check(path, &load, keep_text, &settings, &site)?;
        if let Some(texts) = &texts {
            super::preprocessed::map_back(&mut diagnostics, texts, &digest.book.src_dir);
            super::preprocessed::keep_included(&mut diagnostics, texts, &digest.book.src_dir);
        }
        Ok(Session {
            root,
            path: path.to_path_buf(),
            settings,
            site,
            guide,
            digest,
            diagnostics,
            baseline: None,
            fixed: None,
            recorded: None,
        })
    }

    /// Plan every fix with one safe answer; unless `dry_run`, write them
    /// and check the guide again. Needs the guide's text (see
    /// [`Session::open`]).
    pub fn fix(&mut self, dry_run: bool, load: &LoadOptions) -> Result<&Fixed, SessionError> {
        let mut fixed = Fixed {
            left: self.diagnostics.iter().filter(|d| d.fix.is_none()).count(),
            ..Fixed::default()
        };
        if let Some(guide) = &self.guide {
            for edit in fix::plan(guide, &self.diagnostics) {
                if !dry_run && let Err(e) = fix::write(guide, &edit) {
                    // One file refused (a link, read-only) or unwritable:
                    // the others are still fixed.
                    fixed.refused.push(e);
                    continue;
                }
                fixed.applied += edit.applied;
                fixed.files += 1;
                fixed.edits.push(edit);
            }
        }
        if !dry_run && fixed.applied > 0 {
            let (guide, digest, diagnostics) =
                read_and_check(&self.path, load, true, &self.settings, &self.site)?;
            self.guide = guide;
            self.digest = digest;
            self.diagnostics = diagnostics;
        }
        Ok(self.fixed.insert(fixed))
    }

    /// Give every finding the text of its line (findings of the guide
    /// pass of a streamed check have none).
    pub fn attach_source_lines(&mut self) {
        super::attach_source_lines(&self.digest, &mut self.diagnostics);
    }

    /// The baseline file when none is named: the `baseline` setting's,
    /// else `runsheet-baseline.json` in the guide's root.
    /// Held inside the guide's root: a link out of it is refused.
    pub fn baseline_file(&self) -> Result<PathBuf, SessionError> {
        let file = self
            .settings
            .baseline
            .as_deref()
            .unwrap_or(Path::new(super::baseline::DEFAULT_FILE));
        self.held(file)
    }

    /// `file` below the guide's root, held inside it.
    fn held(&self, file: &Path) -> Result<PathBuf, SessionError> {
        crate::text::inside::Root::new(&self.root)
            .resolve(file)
            .map_err(|e| SessionError::Baseline(BaselineError::Refused(e)))
    }

    /// Record today's findings as the baseline `file` (default:
    /// [`Session::baseline_file`]).
    pub fn record_baseline(&mut self, file: Option<&Path>) -> Result<&Recorded, SessionError> {
        let path = match file {
            Some(f) => f.to_path_buf(),
            None => self.baseline_file()?,
        };
        let baseline = Baseline::of(&self.diagnostics);
        baseline.write(&path)?;
        Ok(self.recorded.insert(Recorded { path, baseline }))
    }

    /// Drop the findings the baseline at `path` records; `from_setting`
    /// says a setting named it (for the message when it is missing).
    pub fn apply_baseline(&mut self, path: &Path, from_setting: bool) -> Result<(), SessionError> {
        if !path.exists() {
            return Err(SessionError::NoBaseline {
                path: path.to_path_buf(),
                from_setting,
            });
        }
        let baseline = Baseline::read(path)?;
        let applied = baseline.apply(std::mem::take(&mut self.diagnostics));
        self.diagnostics = applied.new;
        self.baseline = Some(BaselineNote {
            file: path.display().to_string(),
            known: applied.known,
            stale: applied.stale,
        });
        Ok(())
    }

    /// Keep the findings in files changed since Git revision `since`, and
    /// in links a change broke.
    pub fn keep_changed_since(&mut self, since: &str) -> Result<(), SessionError> {
        let changes = crate::git::changes_since(&self.digest.book.src_dir, since)?;
        self.diagnostics =
            super::changed::only_changed(std::mem::take(&mut self.diagnostics), &changes);
        Ok(())
    }

    /// Whether the findings fail: an environment file that cannot be read
    /// means the check could not run; an error (or a warning, with
    /// `deny_warnings`) fails it.
    pub fn verdict(&self, deny_warnings: bool) -> Verdict {
        if self
            .diagnostics
            .iter()
            .any(|d| d.rule == RuleId::EnvironmentInvalid && d.severity == Severity::Error)
        {
            return Verdict::Unrunnable;
        }
        let failing = self.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
        });
        if failing {
            Verdict::Failing
        } else {
            Verdict::Clean
        }
    }

    /// How many findings are errors and how many warnings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        (errors, warnings)
    }
}

/// The guide (when `keep_text`), its digest and its findings.
type Found = (Option<Guide>, Digest, Vec<Diagnostic>);

/// Read and check the guide at `path`: the whole guide kept when
/// `keep_text`, else each chapter's digest only.
fn read_and_check(
    path: &Path,
    load: &LoadOptions,
    keep_text: bool,
    settings: &Settings,
    site: &Site,
) -> Result<Found, SessionError> {
    if keep_text {
        let guide = crate::book::load(path, load)?;
        let (digest, diagnostics) = super::check_loaded(&guide, settings, site);
        Ok((Some(guide), digest, diagnostics))
    } else {
        let (digest, diagnostics) = super::read_and_check(path, load, settings, site)?;
        Ok((None, digest, diagnostics))
    }
}

/// Check a guide already loaded, with the settings and site facts of its
/// root folder: what a caller holding a [`Guide`] (a test, an editor)
/// needs. No baseline is applied.
pub fn check_guide(guide: &Guide) -> Result<Vec<Diagnostic>, SessionError> {
    let settings = Settings::read(&guide.book.root)?;
    let site = Site::read(&guide.book.root, settings.site_path.as_deref());
    Ok(super::check(guide, &settings, &site))
}
