//! Rule settings: `[preprocessor.runsheet.rules]` in book.toml, or
//! `[rules]` in a `runsheet.toml` beside it (which wins), mapping a rule id
//! to `off`, `warn` or `error`. `[front-matter] required = [...]` in either
//! place sets the keys front matter must have.
//!
//! The tables are read into typed settings that refuse keys they do not
//! know (a misspelt `[preprocessor.runsheet]` key is an error, not
//! silence), then each value is checked with a message naming the file.
#![allow(
    clippy::indexing_slicing,
    reason = "`severities` has one entry per RuleId, indexed by its discriminant; a serde_json Value read by key gives Null, never a panic"
)]

use super::Severity;
use super::rules::{RULES, RuleId};
use crate::book::LoadError;
use crate::text::suggest;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Per rule, by [`RuleId`]: its severity, `None` when it is off.
    severities: Vec<Option<Severity>>,
    /// Keys front matter must carry.
    pub required_keys: Vec<String>,
    /// Keys a publishing system supplies to every file (DocFX's
    /// `globalMetadata` and `fileMetadata` in `docfx.json`), so a chapter
    /// need not write them.
    pub inherited_keys: std::collections::BTreeSet<String>,
    /// Files a DocFX redirect file moved (root-relative path → where the
    /// site sends readers), from `.openpublishing.redirection*.json` at the
    /// guide's root and the redirect files the publishing configuration
    /// names.
    pub redirects: std::collections::BTreeMap<String, String>,
    /// A DocFX tree's docsets: where its pages are published.
    pub site: super::docfx::Site,
    /// `published-beside = ["../std/"]`: link prefixes, as written, that
    /// lead to sites published beside this one (the Rust book's
    /// `../std/`): such links are not `link-outside-root`.
    pub published_beside: Vec<String>,
    /// `baseline = "FILE"`: the baseline a check applies unless told
    /// otherwise, as a path inside the guide's root folder.
    pub baseline: Option<std::path::PathBuf>,
    /// `site-path = "/cpp/"`: the URL path a DocFX tree's docset is
    /// published under, when its own files do not say.
    pub site_path: Option<String>,
    /// `exclude = ["styleguide/**"]`: files (paths from the source folder)
    /// whose findings are not reported. They are still read, so links into
    /// and out of them still count.
    pub exclude: crate::text::glob::Patterns,
    /// `ignore-links = ["/api/**", "../std/**"]`: link paths, as written
    /// (without `#fragment`), that are not checked at all.
    pub ignore_links: crate::text::glob::Patterns,
    /// Whether the guide is a DocFX one (a `docfx.json` at its root or in
    /// a folder directly below).
    pub docfx: bool,
}

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error(transparent)]
    Load(#[from] LoadError),
}

pub const DEFAULT_REQUIRED_KEYS: [&str; 5] =
    ["title", "description", "author", "ms.date", "ms.topic"];

/// runsheet's table: `[preprocessor.runsheet]` in book.toml or the whole
/// of `runsheet.toml`. Values are checked one by one after the shape.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// `learn`: also Microsoft Learn's own conventions (the opt-in rules).
    profile: Option<toml::Value>,
    rules: Option<toml::Value>,
    #[serde(rename = "published-beside")]
    published_beside: Option<toml::Value>,
    #[serde(rename = "site-path")]
    site_path: Option<toml::Value>,
    exclude: Option<toml::Value>,
    #[serde(rename = "ignore-links")]
    ignore_links: Option<toml::Value>,
    #[serde(rename = "front-matter")]
    front_matter: Option<FrontMatterSettings>,
    baseline: Option<toml::Value>,
    // Read by the mdBook preprocessor (`runsheet mdbook`), which checks them.
    #[allow(dead_code)]
    environment: Option<toml::Value>,
    #[allow(dead_code)]
    #[serde(rename = "fail-on")]
    fail_on: Option<toml::Value>,
    // What mdBook itself reads from a preprocessor's table.
    #[allow(dead_code)]
    command: Option<toml::Value>,
    #[allow(dead_code)]
    optional: Option<toml::Value>,
    #[allow(dead_code)]
    before: Option<toml::Value>,
    #[allow(dead_code)]
    after: Option<toml::Value>,
    #[allow(dead_code)]
    renderers: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatterSettings {
    required: Option<toml::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            severities: RULES
                .iter()
                .map(|r| (!r.meta().opt_in).then_some(r.meta().default))
                .collect(),
            required_keys: DEFAULT_REQUIRED_KEYS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            inherited_keys: Default::default(),
            redirects: Default::default(),
            site: Default::default(),
            published_beside: Vec::new(),
            baseline: None,
            site_path: None,
            exclude: Default::default(),
            ignore_links: Default::default(),
            docfx: false,
        }
    }
}

impl Config {
    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        self.severities.get(rule as usize).copied().flatten()
    }

    /// Set rule `rule` (its id as users write it) to `value`.
    pub fn set(&mut self, rule: &str, value: &str, origin: &str) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let Some(id) = RuleId::from_id(rule) else {
            let known: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
            return Err(invalid(format!(
                "unknown rule `{rule}`{}; the rules are listed by `runsheet check --list-rules`",
                suggest::did_you_mean(rule, &known)
            )));
        };
        let severity = match value {
            "off" | "allow" | "none" => None,
            "warn" | "warning" => Some(Severity::Warning),
            "error" | "deny" => Some(Severity::Error),
            other => {
                return Err(invalid(format!(
                    "rule `{rule}` is set to `{other}`; use off, warn or error"
                )));
            }
        };
        self.severities[id as usize] = severity;
        Ok(())
    }

    /// The settings for the guide at `path` (a book's root, a folder or a
    /// file), read before the guide itself.
    pub fn for_path(path: &Path) -> Result<Config, ConfigError> {
        let root = crate::book::guide_root(path);
        let table = crate::book::config::read(&root.join("book.toml"))?;
        Config::load(table.as_ref(), &root)
    }

    /// Read the settings of a guide: book.toml's table first, then
    /// `runsheet.toml` in the same folder.
    pub fn load(book_config: Option<&toml::Table>, root: &Path) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        let docfx = crate::book::docfx_files(root);
        config.docfx = !docfx.is_empty();
        if config.docfx {
            // Microsoft Learn serves paths whatever their case: a case-only
            // mismatch breaks the link on GitHub, not on the site.
            config.severities[RuleId::LinkCaseMismatch as usize] = Some(Severity::Warning);
        }
        if let Some(table) = book_config
            .and_then(|t| t.get("preprocessor"))
            .and_then(|p| p.get("runsheet"))
            .and_then(|r| r.as_table())
        {
            config.apply(
                table,
                &format!("{}", root.join("book.toml").display()),
                "preprocessor.runsheet.",
            )?;
        }
        config.inherited_keys = docfx_metadata_keys(&docfx);
        let own = root.join("runsheet.toml");
        if let Some(table) = crate::book::config::read(&own)? {
            config.apply(&table, &format!("{}", own.display()), "")?;
        }
        // Redirect files are read in any tree; docsets only come with a docfx.json.
        let mut site = super::docfx::Site::read(root, &docfx, config.site_path.as_deref());
        config.redirects = std::mem::take(&mut site.redirects);
        config.site = site;
        config.baseline = config.baseline.map(|p| root.join(p));
        Ok(config)
    }

    fn apply(
        &mut self,
        table: &toml::Table,
        origin: &str,
        prefix: &str,
    ) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let settings = Settings::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
            invalid(format!(
                "`[{}]`: {}",
                prefix.trim_end_matches('.'),
                e.message()
            ))
        })?;
        if let Some(profile) = settings.profile {
            match profile.as_str() {
                Some("learn") => {
                    for r in RULES.iter().map(|r| r.meta()).filter(|r| r.opt_in) {
                        self.severities[r.rule as usize] = Some(r.default);
                    }
                }
                Some("default") => {}
                _ => {
                    return Err(invalid(format!(
                        "`{prefix}profile` must be \"learn\" (Microsoft Learn's conventions on top of the defaults) or \"default\""
                    )));
                }
            }
        }
        if let Some(rules) = settings.rules {
            let Some(rules) = rules.as_table() else {
                return Err(invalid(format!(
                    "`{prefix}rules` must be a table of rule = \"off\" | \"warn\" | \"error\""
                )));
            };
            for (rule, value) in rules {
                let Some(value) = value.as_str() else {
                    return Err(invalid(format!(
                        "`{prefix}rules.{rule}` must be a string: \"off\", \"warn\" or \"error\""
                    )));
                };
                self.set(rule, value, origin)?;
            }
        }
        if let Some(beside) = settings.published_beside {
            let list: Option<Vec<String>> = beside.as_array().and_then(|list| {
                list.iter()
                    .map(|v| v.as_str().filter(|p| !p.is_empty()).map(str::to_string))
                    .collect()
            });
            let Some(list) = list else {
                return Err(invalid(format!(
                    "`{prefix}published-beside` must be a list of link prefixes, such as [\"../std/\"]"
                )));
            };
            self.published_beside = list;
        }
        let patterns = |value: toml::Value, key: &str, example: &str| {
            let list: Option<Vec<String>> = value.as_array().and_then(|list| {
                list.iter()
                    .map(|v| v.as_str().filter(|p| !p.is_empty()).map(str::to_string))
                    .collect()
            });
            let Some(list) = list else {
                return Err(invalid(format!(
                    "`{prefix}{key}` must be a list of path patterns, such as [\"{example}\"]"
                )));
            };
            crate::text::glob::Patterns::new(&list)
                .map_err(|e| invalid(format!("`{prefix}{key}`: {e}")))
        };
        if let Some(exclude) = settings.exclude {
            self.exclude = patterns(exclude, "exclude", "styleguide/**")?;
        }
        if let Some(ignore) = settings.ignore_links {
            self.ignore_links = patterns(ignore, "ignore-links", "/api/**")?;
        }
        if let Some(site_path) = settings.site_path {
            let Some(path) = site_path
                .as_str()
                .filter(|p| p.starts_with('/') && !p.starts_with("//"))
            else {
                return Err(invalid(format!(
                    "`{prefix}site-path` must be the URL path the site is published under, such as \"/cpp/\""
                )));
            };
            self.site_path = Some(path.to_string());
        }
        if let Some(baseline) = settings.baseline {
            // Read and written by the check: it stays inside the guide.
            let path = baseline
                .as_str()
                .filter(|p| !p.is_empty() && !std::path::Path::new(p).is_absolute())
                .and_then(|p| crate::text::paths::resolve("", p))
                .filter(|p| !p.is_empty());
            let Some(path) = path else {
                return Err(invalid(format!(
                    "`{prefix}baseline` must be a file path inside the guide's folder, such as \"runsheet-baseline.json\""
                )));
            };
            self.baseline = Some(path.into());
        }
        if let Some(required) = settings.front_matter.and_then(|f| f.required) {
            let Some(list) = required.as_array() else {
                return Err(invalid(format!(
                    "`{prefix}front-matter.required` must be a list of key names"
                )));
            };
            self.required_keys = list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
        }
        Ok(())
    }
}

/// Metadata keys that `docfx.json` files at the root or one folder below
/// give every file. `fileMetadata` applies by glob; runsheet counts its
/// keys as given everywhere, which can only silence a finding, never add one.
fn docfx_metadata_keys(docfx: &[std::path::PathBuf]) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for path in docfx {
        let Some(json) = super::docfx::read_jsonc(path) else {
            continue;
        };
        let build = &json["build"];
        if let Some(global) = build["globalMetadata"].as_object() {
            keys.extend(global.keys().cloned());
        }
        if let Some(per_file) = build["fileMetadata"].as_object() {
            keys.extend(per_file.keys().cloned());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_starts_at_its_default() {
        let c = Config::default();
        assert_eq!(c.severity(RuleId::BrokenLink), Some(Severity::Error));
        assert_eq!(c.severity(RuleId::OrphanChapter), Some(Severity::Warning));
    }

    #[test]
    fn settings_change_severity_and_unknown_rules_are_refused() {
        let mut c = Config::default();
        c.set("orphan-chapter", "error", "t").unwrap();
        c.set("mojibake", "off", "t").unwrap();
        assert_eq!(c.severity(RuleId::OrphanChapter), Some(Severity::Error));
        assert_eq!(c.severity(RuleId::MojibakeText), None);
        let err = c.set("broken-links", "off", "t").unwrap_err().to_string();
        assert!(err.contains("did you mean `broken-link`"), "{err}");
        assert!(c.set("mojibake", "loud", "t").is_err());
    }

    #[test]
    fn opinions_of_one_publishing_system_are_opt_in() {
        let c = Config::default();
        assert_eq!(c.severity(RuleId::FrontMatterDescription), None);
        assert_eq!(c.severity(RuleId::FrontMatterTopic), None);
        let mut c = Config::default();
        let table: toml::Table = "profile = \"learn\"\n".parse().unwrap();
        c.apply(&table, "runsheet.toml", "").unwrap();
        assert_eq!(
            c.severity(RuleId::FrontMatterDescription),
            Some(Severity::Warning)
        );
        assert_eq!(
            c.severity(RuleId::FrontMatterTopic),
            Some(Severity::Warning)
        );
        // A rule setting wins over the profile.
        let table: toml::Table = "profile = \"learn\"\n[rules]\nfront-matter-topic = \"off\"\n"
            .parse()
            .unwrap();
        let mut c = Config::default();
        c.apply(&table, "runsheet.toml", "").unwrap();
        assert_eq!(c.severity(RuleId::FrontMatterTopic), None);
        let table: toml::Table = "profile = \"strict\"\n".parse().unwrap();
        assert!(
            Config::default()
                .apply(&table, "runsheet.toml", "")
                .is_err()
        );
    }

    #[test]
    fn sites_published_beside_are_link_prefixes() {
        let table: toml::Table = "published-beside = [\"../std/\", \"../reference/\"]\n"
            .parse()
            .unwrap();
        let mut c = Config::default();
        c.apply(&table, "book.toml", "preprocessor.runsheet.")
            .unwrap();
        assert_eq!(c.published_beside, ["../std/", "../reference/"]);
        let table: toml::Table = "published-beside = \"../std/\"\n".parse().unwrap();
        assert!(
            Config::default()
                .apply(&table, "runsheet.toml", "")
                .is_err()
        );
    }

    #[test]
    fn docfx_json_is_read_with_comments_and_trailing_commas() {
        let dir = tempfile::tempdir().unwrap();
        let docfx = dir.path().join("docfx.json");
        std::fs::write(
            &docfx,
            "{\n  // DocFX reads this\n  \"build\": {\n    \"globalMetadata\": {\"ms.topic\": \"article\", },\n    /* per file */\n    \"fileMetadata\": {\"ms.author\": {\"**/*.md\": \"me\"}},\n  },\n}\n",
        )
        .unwrap();
        let keys = docfx_metadata_keys(&[docfx]);
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            ["ms.author", "ms.topic"]
        );
    }

    #[test]
    fn excluded_files_and_ignored_links_are_patterns() {
        let table: toml::Table = "exclude = [\"styleguide/**\"]\nignore-links = [\"../std/**\"]\n"
            .parse()
            .unwrap();
        let mut c = Config::default();
        c.apply(&table, "runsheet.toml", "").unwrap();
        assert!(c.exclude.matches("styleguide/template.md"));
        assert!(c.ignore_links.matches("../std/vec/struct.Vec.html"));
        let table: toml::Table = "exclude = \"styleguide\"\n".parse().unwrap();
        assert!(
            Config::default()
                .apply(&table, "runsheet.toml", "")
                .is_err()
        );
        let table: toml::Table = "ignore-links = [\"a[\"]\n".parse().unwrap();
        let err = Config::default()
            .apply(&table, "runsheet.toml", "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`a[` is not a pattern"), "{err}");
    }

    #[test]
    fn a_misspelt_setting_is_an_error() {
        let table: toml::Table = "[front-matter]\nrequried = [\"title\"]\n".parse().unwrap();
        let err = Config::default()
            .apply(&table, "runsheet.toml", "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("requried"), "{err}");
        let table: toml::Table = "rule = { broken-link = \"off\" }\n".parse().unwrap();
        assert!(
            Config::default()
                .apply(&table, "book.toml", "preprocessor.runsheet.")
                .is_err()
        );
    }
}
