//! What the user set: `[preprocessor.runsheet]` in `book.toml`, then a
//! `runsheet.toml` beside it (whose keys win). Severities per rule
//! (`[rules]`, `profile = "learn"`), the keys front matter must have,
//! files not reported (`exclude`), links not checked (`ignore-links`),
//! sites published beside this one, the site's URL path, the baseline, and
//! the mdBook preprocessor's own keys (`environment`, `fail-on`).
//!
//! The tables are read into typed structs (serde, `deny_unknown_fields`)
//! from the file's text, so every error names its file, line and column,
//! and a misspelt key says which key was meant. What the tree itself says
//! (a DocFX tree's docsets, redirects, inherited metadata, xref map) is
//! not a setting: it is [`crate::docfx::Site`].

use super::Severity;
use super::rules::{RULES, RuleId};
use crate::text::{LineIndex, Located, glob::Patterns, suggest};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Every setting of one guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Per rule, by [`RuleId`]: its severity, `None` when it is off.
    severities: Vec<Option<Severity>>,
    /// `[front-matter] required = [...]`: keys front matter must carry.
    pub required_keys: Vec<String>,
    /// `published-beside = ["../std/"]`: link prefixes, read from the
    /// book's source folder, that lead to sites published beside this one
    /// (the Rust book's `../std/`): such links are not
    /// `link-outside-root`, from a chapter at any depth.
    pub published_beside: Vec<String>,
    /// `baseline = "FILE"`: the baseline a check applies unless told
    /// otherwise, relative to the guide's root folder and inside it.
    pub baseline: Option<PathBuf>,
    /// `site-path = "/cpp/"`: the URL path a DocFX tree's docset is
    /// published under, when its own files do not say.
    pub site_path: Option<String>,
    /// `exclude = ["styleguide/**"]`: files (paths from the source folder)
    /// whose findings are not reported. They are still read, so links into
    /// and out of them still count.
    pub exclude: Patterns,
    /// `ignore-links = ["/api/**", "../std/**"]`: link paths, as written
    /// (without `#fragment`), that are not checked at all.
    pub ignore_links: Patterns,
    /// `environment = "lab"`: the environment whose values the mdBook
    /// preprocessor fills in.
    pub environment: Option<String>,
    /// `fail-on`: when the mdBook preprocessor's check fails the build.
    pub fail_on: FailOn,
    /// The preprocessors `book.toml` declares (`[preprocessor.NAME]`)
    /// that runsheet cannot run itself: all but mdBook's `links` and
    /// `index` and runsheet's own. mdBook runs them before it renders, so
    /// they may rewrite what readers see.
    pub preprocessors: Vec<Preprocessor>,
    /// Of `preprocessors`, those whose output the check does not see:
    /// every one when `runsheet check` runs alone; those mdBook runs after
    /// runsheet when the preprocessor checks the chapters as they reach it.
    /// Findings about what they may rewrite are withheld and counted (see
    /// `check::preprocessed`).
    pub unseen_preprocessors: Vec<String>,
}

/// A preprocessor `book.toml` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessor {
    pub name: String,
    /// Whether its table and the others' order it before runsheet's
    /// (`after = ["NAME"]` in `[preprocessor.runsheet]`, or `before =
    /// ["runsheet"]` in its own, directly or through others): then mdBook
    /// hands runsheet the chapters as it left them.
    pub before_runsheet: bool,
}

/// When the check fails an mdBook build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// On an error (the default).
    #[default]
    Error,
    /// On an error or a warning.
    Warning,
    /// Never: the findings are printed, the book is built.
    Never,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Invalid(Located),
    #[error("cannot read `{}`: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The keys front matter must have unless `[front-matter] required` says.
pub const DEFAULT_REQUIRED_KEYS: [&str; 5] =
    ["title", "description", "author", "ms.date", "ms.topic"];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            severities: RULES
                .iter()
                .map(|r| (!r.meta().opt_in).then_some(r.meta().default))
                .collect(),
            required_keys: DEFAULT_REQUIRED_KEYS.map(str::to_string).to_vec(),
            published_beside: Vec::new(),
            baseline: None,
            site_path: None,
            exclude: Patterns::default(),
            ignore_links: Patterns::default(),
            environment: None,
            fail_on: FailOn::Error,
            preprocessors: Vec::new(),
            unseen_preprocessors: Vec::new(),
        }
    }
}

// ---- The tables as written -------------------------------------------

/// `book.toml`: only `[preprocessor.runsheet]` is runsheet's.
#[derive(Deserialize)]
struct BookToml {
    #[serde(default)]
    preprocessor: Preprocessors,
}

#[derive(Default, Deserialize)]
struct Preprocessors {
    runsheet: Option<SettingsTable>,
}

/// runsheet's table: `[preprocessor.runsheet]` in book.toml or the whole
/// of `runsheet.toml`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SettingsTable {
    profile: Option<RuleProfile>,
    rules: Option<BTreeMap<Spanned<String>, Level>>,
    published_beside: Option<Vec<Spanned<String>>>,
    site_path: Option<Spanned<String>>,
    exclude: Option<Spanned<Vec<String>>>,
    ignore_links: Option<Spanned<Vec<String>>>,
    front_matter: Option<FrontMatterTable>,
    baseline: Option<Spanned<String>>,
    environment: Option<Spanned<String>>,
    fail_on: Option<FailOn>,
    // What mdBook itself reads from a preprocessor's table: accepted
    // here, read by mdBook.
    #[allow(dead_code, reason = "mdBook's key")]
    command: Option<IgnoredAny>,
    #[allow(dead_code, reason = "mdBook's key")]
    optional: Option<IgnoredAny>,
    #[allow(dead_code, reason = "mdBook's key")]
    before: Option<IgnoredAny>,
    #[allow(dead_code, reason = "mdBook's key")]
    after: Option<IgnoredAny>,
    #[allow(dead_code, reason = "mdBook's key")]
    renderers: Option<IgnoredAny>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatterTable {
    required: Option<Vec<String>>,
}

/// `profile`: `learn` turns on Microsoft Learn's own conventions (the
/// opt-in rules).
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RuleProfile {
    Learn,
    Default,
}

/// A rule's setting: `off` (or `allow`, `none`), `warn` (`warning`),
/// `error` (`deny`).
#[derive(Clone, Copy)]
enum Level {
    Off,
    Warn,
    Error,
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Level;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string: \"off\", \"warn\" or \"error\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Level, E> {
                match v {
                    "off" | "allow" | "none" => Ok(Level::Off),
                    "warn" | "warning" => Ok(Level::Warn),
                    "error" | "deny" => Ok(Level::Error),
                    other => Err(E::custom(format!(
                        "is set to `{other}`{}; use off, warn or error",
                        suggest::did_you_mean(other, &["off", "warn", "error"])
                    ))),
                }
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// What each setting holds, said where its value has the wrong shape.
const SHAPES: [(&str, &str); 12] = [
    (
        "profile",
        "\"learn\" (Microsoft Learn's conventions on top of the defaults) or \"default\"",
    ),
    ("rules", "a table of rule = \"off\" | \"warn\" | \"error\""),
    (
        "published-beside",
        "a list of link prefixes, such as [\"../std/\"]",
    ),
    (
        "site-path",
        "the URL path the site is published under, such as \"/cpp/\"",
    ),
    (
        "exclude",
        "a list of path patterns, such as [\"styleguide/**\"]",
    ),
    (
        "ignore-links",
        "a list of path patterns, such as [\"/api/**\"]",
    ),
    ("front-matter", "a table with `required = [\"title\", …]`"),
    (
        "required",
        "a list of key names, such as [\"title\", \"description\"]",
    ),
    (
        "baseline",
        "a file path inside the guide's folder, such as \"runsheet-baseline.json\"",
    ),
    (
        "environment",
        "the name of a file in environments/ without `.yaml`, such as \"lab\"",
    ),
    ("fail-on", "\"error\", \"warning\" or \"never\""),
    ("command", "the command mdBook runs"),
];

// ---- Reading ----------------------------------------------------------

/// One settings file's text, and how its errors name it.
struct SettingsFile<'t> {
    /// The file as the user reaches it (`book.toml`, `/x/runsheet.toml`).
    shown: String,
    text: &'t str,
    lines: LineIndex,
    /// Where runsheet's table is: `[preprocessor.runsheet]` or the file.
    table: &'static str,
    /// Whether places in `text` are places in a file the user has (not in
    /// a table written out from mdBook's configuration).
    positions: bool,
}

impl<'t> SettingsFile<'t> {
    fn new(shown: String, text: &'t str, table: &'static str) -> Self {
        SettingsFile {
            shown,
            lines: LineIndex::new(text),
            text,
            table,
            positions: true,
        }
    }

    /// An error at byte `at` of the file.
    fn at(&self, at: usize, message: String) -> SettingsError {
        if !self.positions {
            return SettingsError::Invalid(Located::file(&self.shown, message));
        }
        let p = self.lines.position(self.text, at);
        SettingsError::Invalid(Located::new(&self.shown, p.line, p.column, message))
    }

    /// An error at the value `span` holds.
    fn invalid<T>(&self, value: &Spanned<T>, message: String) -> SettingsError {
        self.at(value.span().start, message)
    }

    /// A setting's name as the message shows it.
    fn key(&self, key: &str) -> String {
        if self.table.is_empty() {
            format!("`{key}`")
        } else {
            format!("`{}.{key}`", self.table)
        }
    }

    /// Whether the file is TOML at all: a syntax error, at its place.
    fn parse(&self) -> Result<(), SettingsError> {
        match self.text.parse::<toml::Table>() {
            Ok(_) => Ok(()),
            Err(e) => Err(self.at(
                e.span().map_or(0, |s| s.start),
                format!("not valid TOML: {}", e.message().trim_end()),
            )),
        }
    }

    /// serde's error, at its place, in the terms of the settings.
    fn serde_error(&self, e: &toml::de::Error) -> SettingsError {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().trim_end();
        let (setting, key) = self.keys_at(at);
        let shape = |setting: &str| SHAPES.iter().find(|(k, _)| *k == setting).map(|(_, s)| *s);
        let message = if let Some(rest) = message.strip_prefix("unknown field `") {
            let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
            let known = backticked(expected);
            format!(
                "unknown setting `{name}`{}; the settings are {}",
                suggest::did_you_mean(name, &known),
                list(&known)
            )
        } else if message.starts_with("is set to `") {
            // A rule's level (see `Level`).
            format!("rule `{}` {message}", key.unwrap_or_default())
        } else if let Some(rest) = message.strip_prefix("unknown variant `") {
            let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
            let known = backticked(expected);
            let setting = setting.unwrap_or_default();
            format!(
                "{}: `{value}` is not a choice{}; use {}",
                self.key(&setting),
                suggest::did_you_mean(value, &known),
                shape(&setting).map_or_else(|| list(&known), str::to_string)
            )
        } else if let Some(setting) = setting {
            let shape = shape(&setting)
                .map(|s| format!("; it must be {s}"))
                .unwrap_or_default();
            match key.filter(|k| setting == "rules" && k != "rules") {
                Some(rule) => format!("rule `{rule}`: {message}"),
                None => format!("{}: {message}{shape}", self.key(&setting)),
            }
        } else {
            format!("not valid TOML: {message}")
        };
        self.at(at, message)
    }

    /// The setting whose value holds byte `at` (the nearest setting written
    /// before it, or the table it is in, `[rules]`), and the key written
    /// nearest before it.
    fn keys_at(&self, at: usize) -> (Option<String>, Option<String>) {
        let Some(before) = self.text.get(..at) else {
            return (None, None);
        };
        let known = |key: &str| SHAPES.iter().any(|(k, _)| *k == key);
        let mut nearest: Option<String> = None;
        for line in before.lines().rev() {
            let line = line.trim_start();
            if let Some(header) = line.strip_prefix('[') {
                let name = header
                    .trim_start_matches('[')
                    .split(']')
                    .next()
                    .unwrap_or("");
                let last = name
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"');
                return (known(last).then(|| last.to_string()), nearest);
            }
            let Some((key, _)) = line.split_once('=') else {
                continue;
            };
            let key = key.trim().trim_matches('"');
            let key = key.rsplit('.').next().unwrap_or(key).to_string();
            if nearest.is_none() {
                nearest = Some(key.clone());
            }
            if known(&key) {
                return (Some(key), nearest);
            }
        }
        (None, nearest)
    }
}

/// The backticked words of a serde message (`expected `a`, `b``).
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// `a`, `b` or `c`.
fn list(names: &[&str]) -> String {
    match names {
        [] => "listed by `runsheet check --help`".into(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => format!(
            "{} or `{last}`",
            rest.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Settings {
    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        self.severities.get(rule as usize).copied().flatten()
    }

    /// Set a rule's severity (`None`: off).
    pub fn set_severity(&mut self, rule: RuleId, severity: Option<Severity>) {
        if let Some(s) = self.severities.get_mut(rule as usize) {
            *s = severity;
        }
    }

    /// The settings of the guide at `path` (a book's root or source
    /// folder, a folder, or a file), read before the guide itself.
    pub fn for_path(path: &Path) -> Result<Settings, SettingsError> {
        Settings::read(&crate::book::guide_root(path))
    }

    /// The settings of the guide whose root folder is `root`: the
    /// defaults (with `link-case-mismatch` a warning in a DocFX tree, whose
    /// site serves paths whatever their case), then book.toml's table,
    /// then `runsheet.toml`'s.
    pub fn read(root: &Path) -> Result<Settings, SettingsError> {
        let mut settings = Settings::default();
        if !crate::docfx::files(root).is_empty() {
            settings.set_severity(RuleId::LinkCaseMismatch, Some(Severity::Warning));
        }
        let book_toml = root.join("book.toml");
        if let Some(text) = read_text(&book_toml)? {
            let source = SettingsFile::new(shown(&book_toml), &text, "preprocessor.runsheet");
            source.parse()?;
            let book: BookToml = toml::from_str(&text).map_err(|e| source.serde_error(&e))?;
            if let Some(table) = book.preprocessor.runsheet {
                settings.apply(table, &source)?;
            }
            settings.preprocessors = declared_preprocessors(&text);
            settings.unseen_preprocessors = settings
                .preprocessors
                .iter()
                .map(|p| p.name.clone())
                .collect();
        }
        let own = root.join("runsheet.toml");
        if let Some(text) = read_text(&own)? {
            settings.apply_text(&text, shown(&own))?;
        }
        Ok(settings)
    }

    /// Apply the settings written in `text` (a `runsheet.toml`, or a table
    /// that stands for one), shown in messages as `shown`.
    pub fn apply_text(&mut self, text: &str, shown: String) -> Result<(), SettingsError> {
        self.apply_written(SettingsFile::new(shown, text, ""))
    }

    /// [`Settings::apply_text`] for a table no file holds as written (mdBook's
    /// configuration with its `MDBOOK_` variables): errors name `shown`
    /// without a line.
    pub fn apply_table_text(&mut self, text: &str, shown: String) -> Result<(), SettingsError> {
        let mut source = SettingsFile::new(shown, text, "");
        source.positions = false;
        self.apply_written(source)
    }

    fn apply_written(&mut self, source: SettingsFile<'_>) -> Result<(), SettingsError> {
        let text = source.text;
        source.parse()?;
        let table: SettingsTable = toml::from_str(text).map_err(|e| source.serde_error(&e))?;
        self.apply(table, &source)
    }

    fn apply(
        &mut self,
        table: SettingsTable,
        source: &SettingsFile<'_>,
    ) -> Result<(), SettingsError> {
        if let Some(RuleProfile::Learn) = table.profile {
            for r in RULES.iter().map(|r| r.meta()).filter(|r| r.opt_in) {
                self.set_severity(r.rule, Some(r.default));
            }
        }
        for (rule, level) in table.rules.into_iter().flatten() {
            let Some(id) = RuleId::from_id(rule.get_ref()) else {
                let known: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
                return Err(source.invalid(
                    &rule,
                    format!(
                        "unknown rule `{}`{}; the rules are listed by `runsheet check --list-rules`",
                        rule.get_ref(),
                        suggest::did_you_mean(rule.get_ref(), &known)
                    ),
                ));
            };
            self.set_severity(
                id,
                match level {
                    Level::Off => None,
                    Level::Warn => Some(Severity::Warning),
                    Level::Error => Some(Severity::Error),
                },
            );
        }
        if let Some(beside) = table.published_beside {
            if let Some(empty) = beside.iter().find(|p| p.get_ref().is_empty()) {
                return Err(source.invalid(
                    empty,
                    format!(
                        "{}: an empty prefix would match every link; write prefixes such as \"../std/\"",
                        source.key("published-beside")
                    ),
                ));
            }
            self.published_beside = beside.into_iter().map(Spanned::into_inner).collect();
        }
        let patterns = |value: Spanned<Vec<String>>, key: &str| {
            Patterns::new(value.get_ref())
                .map_err(|e| source.invalid(&value, format!("{}: {e}", source.key(key))))
        };
        if let Some(exclude) = table.exclude {
            self.exclude = patterns(exclude, "exclude")?;
        }
        if let Some(ignore) = table.ignore_links {
            self.ignore_links = patterns(ignore, "ignore-links")?;
        }
        if let Some(site_path) = table.site_path {
            let path = site_path.get_ref();
            if !path.starts_with('/') || path.starts_with("//") {
                return Err(source.invalid(
                    &site_path,
                    format!(
                        "{} must be the URL path the site is published under, such as \"/cpp/\"",
                        source.key("site-path")
                    ),
                ));
            }
            self.site_path = Some(path.clone());
        }
        if let Some(baseline) = table.baseline {
            // Read and written by the check: it stays inside the guide.
            let written = baseline.get_ref();
            let path = Some(written.as_str())
                .filter(|p| !p.is_empty() && !Path::new(p).is_absolute())
                .and_then(|p| crate::text::paths::resolve("", p))
                .filter(|p| !p.is_empty());
            let Some(path) = path else {
                return Err(source.invalid(
                    &baseline,
                    format!(
                        "{} must be a file path inside the guide's folder, such as \"runsheet-baseline.json\"",
                        source.key("baseline")
                    ),
                ));
            };
            self.baseline = Some(path.into());
        }
        if let Some(required) = table.front_matter.and_then(|f| f.required) {
            self.required_keys = required;
        }
        if let Some(environment) = table.environment {
            if !is_plain_name(environment.get_ref()) {
                return Err(source.invalid(
                    &environment,
                    format!(
                        "{} must be the name of a file in environments/ without `.yaml`, such as \"lab\"",
                        source.key("environment")
                    ),
                ));
            }
            self.environment = Some(environment.into_inner());
        }
        if let Some(fail_on) = table.fail_on {
            self.fail_on = fail_on;
        }
        Ok(())
    }
}

/// An environment's name: a plain file name, never a path.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.starts_with('.')
}

/// A settings file's text, `None` when there is no such file.
/// The preprocessors the `book.toml` `text` declares, but mdBook's own
/// (`links`, `index`) and runsheet's, by name, each with whether mdBook
/// runs it before runsheet. A table of the wrong shape is mdBook's to
/// refuse; it declares a preprocessor with no order.
fn declared_preprocessors(text: &str) -> Vec<Preprocessor> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(tables) = table.get("preprocessor").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    let names = |t: &toml::Value, key: &str| -> Vec<String> {
        t.get(key)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    const OWN: [&str; 3] = ["runsheet", "links", "index"];
    // Who runs before whom: (earlier, later).
    let mut order: Vec<(String, String)> = Vec::new();
    for (name, t) in tables {
        for later in names(t, "before") {
            order.push((name.clone(), later));
        }
        for earlier in names(t, "after") {
            order.push((earlier, name.clone()));
        }
    }
    // Everything that runs before runsheet, directly or through others
    // (a pass per preprocessor at most).
    let mut before: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for _ in 0..=tables.len() {
        let grown = order.iter().filter(|(earlier, later)| {
            (later == "runsheet" || before.contains(later.as_str()))
                && !before.contains(earlier.as_str())
        });
        let found: Vec<&str> = grown.map(|(earlier, _)| earlier.as_str()).collect();
        if found.is_empty() {
            break;
        }
        before.extend(found);
    }
    tables
        .keys()
        .filter(|name| !OWN.contains(&name.as_str()))
        .map(|name| Preprocessor {
            name: name.clone(),
            before_runsheet: before.contains(name.as_str()),
        })
        .collect()
}

/// The text of a settings file in the guide's root (`book.toml`,
/// `runsheet.toml`), held inside that folder: a link out of it is refused.
fn read_text(path: &Path) -> Result<Option<String>, SettingsError> {
    use crate::text::inside::{Cap, Why, read_in_its_folder};
    match read_in_its_folder(path, Cap::CONFIG) {
        Ok(text) => Ok(text),
        Err(e) if matches!(e.why, Why::NotUtf8) => Err(SettingsError::Invalid(Located::file(
            shown(path),
            "not UTF-8 text: save it as UTF-8",
        ))),
        Err(e) => Err(SettingsError::Invalid(e.into())),
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preprocessors_the_book_declares_and_whether_they_run_before_runsheet() {
        let text = "[preprocessor.spec]\ncommand = \"spec\"\n\n[preprocessor.admonish]\nbefore = [\"spec\"]\n\n[preprocessor.katex]\n\n[preprocessor.links]\n\n[preprocessor.runsheet]\nafter = [\"spec\"]\n";
        let found: Vec<(String, bool)> = declared_preprocessors(text)
            .into_iter()
            .map(|p| (p.name, p.before_runsheet))
            .collect();
        assert_eq!(
            found,
            [
                ("admonish".to_string(), true),
                ("katex".to_string(), false),
                ("spec".to_string(), true),
            ]
        );
        let text = "[preprocessor.mermaid]\nbefore = [\"runsheet\"]\n[preprocessor.toc]\nafter = [\"runsheet\"]\n";
        let found: Vec<(String, bool)> = declared_preprocessors(text)
            .into_iter()
            .map(|p| (p.name, p.before_runsheet))
            .collect();
        assert_eq!(
            found,
            [("mermaid".to_string(), true), ("toc".to_string(), false)]
        );
        assert!(declared_preprocessors("[book]\ntitle = \"x\"\n").is_empty());
    }

    fn from(text: &str) -> Result<Settings, String> {
        let mut s = Settings::default();
        s.apply_text(text, "runsheet.toml".into())
            .map(|()| s)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn every_rule_starts_at_its_default() {
        let s = Settings::default();
        assert_eq!(s.severity(RuleId::BrokenLink), Some(Severity::Error));
        assert_eq!(s.severity(RuleId::OrphanChapter), Some(Severity::Warning));
    }

    #[test]
    fn rules_change_severity_and_unknown_rules_are_refused_at_their_line() {
        let s = from("[rules]\norphan-chapter = \"error\"\nmojibake = \"off\"\n").unwrap();
        assert_eq!(s.severity(RuleId::OrphanChapter), Some(Severity::Error));
        assert_eq!(s.severity(RuleId::MojibakeText), None);
        let err = from("[rules]\nbroken-links = \"off\"\n").unwrap_err();
        assert!(
            err.starts_with(
                "runsheet.toml:2:1: unknown rule `broken-links` (did you mean `broken-link`?)"
            ),
            "{err}"
        );
        let err = from("[rules]\nmojibake = \"eror\"\n").unwrap_err();
        assert_eq!(
            err,
            "runsheet.toml:2:12: rule `mojibake` is set to `eror` (did you mean `error`?); use off, warn or error"
        );
    }

    #[test]
    fn opinions_of_one_publishing_system_are_opt_in() {
        let s = Settings::default();
        assert_eq!(s.severity(RuleId::FrontMatterDescription), None);
        let s = from("profile = \"learn\"\n").unwrap();
        assert_eq!(
            s.severity(RuleId::FrontMatterDescription),
            Some(Severity::Warning)
        );
        // A rule setting wins over the profile.
        let s = from("profile = \"learn\"\n[rules]\nfront-matter-topic = \"off\"\n").unwrap();
        assert_eq!(s.severity(RuleId::FrontMatterTopic), None);
        let err = from("profile = \"strict\"\n").unwrap_err();
        assert!(err.starts_with("runsheet.toml:1:11: `profile`"), "{err}");
    }

    #[test]
    fn a_misspelt_setting_names_its_line_and_the_setting_meant() {
        let err = from("\n[front-matter]\nrequried = [\"title\"]\n").unwrap_err();
        assert!(
            err.starts_with(
                "runsheet.toml:3:1: unknown setting `requried` (did you mean `required`?)"
            ),
            "{err}"
        );
        let err = from("ignore_links = [\"a\"]\n").unwrap_err();
        assert!(
            err.starts_with(
                "runsheet.toml:1:1: unknown setting `ignore_links` (did you mean `ignore-links`?)"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_shape_says_what_the_setting_holds() {
        let err = from("# settings\nexclude = \"styleguide\"\n").unwrap_err();
        assert!(err.starts_with("runsheet.toml:2:11: `exclude`: "), "{err}");
        assert!(err.contains("a list of path patterns"), "{err}");
        let err = from("ignore-links = [\"a[\"]\n").unwrap_err();
        assert!(err.contains("`a[` is not a pattern"), "{err}");
        let err = from("site-path = \"cpp\"\n").unwrap_err();
        assert!(
            err.starts_with("runsheet.toml:1:13: `site-path` must be"),
            "{err}"
        );
        let err = from("baseline = \"../outside.json\"\n").unwrap_err();
        assert!(err.starts_with("runsheet.toml:1:12: `baseline`"), "{err}");
        let err = from("environment = \"../prod\"\n").unwrap_err();
        assert!(
            err.starts_with("runsheet.toml:1:15: `environment`"),
            "{err}"
        );
        let err = from("fail-on = \"errors\"\n").unwrap_err();
        assert!(err.contains("(did you mean `error`?)"), "{err}");
    }

    #[test]
    fn lists_and_preprocessor_keys_are_read() {
        let s = from(
            "published-beside = [\"../std/\", \"../reference/\"]\nexclude = [\"styleguide/**\"]\nignore-links = [\"../std/**\"]\nenvironment = \"lab\"\nfail-on = \"warning\"\n[front-matter]\nrequired = [\"title\"]\n",
        )
        .unwrap();
        assert_eq!(s.published_beside, ["../std/", "../reference/"]);
        assert!(s.exclude.matches("styleguide/template.md"));
        assert!(s.ignore_links.matches("../std/vec/struct.Vec.html"));
        assert_eq!(s.environment.as_deref(), Some("lab"));
        assert_eq!(s.fail_on, FailOn::Warning);
        assert_eq!(s.required_keys, ["title"]);
        assert!(from("published-beside = \"../std/\"\n").is_err());
        assert!(from("published-beside = [\"\"]\n").is_err());
    }

    #[test]
    fn book_toml_is_read_under_its_preprocessor_table_and_runsheet_toml_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("book.toml"),
            "[book]\ntitle = \"x\"\n\n[preprocessor.other]\nanything = 1\n\n[preprocessor.runsheet]\ncommand = \"runsheet mdbook\"\nenvironment = \"lab\"\n\n[preprocessor.runsheet.rules]\norphan-chapter = \"off\"\n",
        )
        .unwrap();
        let s = Settings::read(dir.path()).unwrap();
        assert_eq!(s.severity(RuleId::OrphanChapter), None);
        assert_eq!(s.environment.as_deref(), Some("lab"));
        std::fs::write(dir.path().join("runsheet.toml"), "environment = \"prod\"\n").unwrap();
        let s = Settings::read(dir.path()).unwrap();
        assert_eq!(s.environment.as_deref(), Some("prod"));
        std::fs::write(
            dir.path().join("book.toml"),
            "[preprocessor.runsheet]\nfail_on = \"never\"\n",
        )
        .unwrap();
        let err = Settings::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("book.toml:2:1: unknown setting `fail_on` (did you mean `fail-on`?)"),
            "{err}"
        );
        std::fs::write(dir.path().join("book.toml"), "[book\n").unwrap();
        let err = Settings::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("book.toml:1:"), "{err}");
    }
}
