//! One `docfx.json`: the docset it makes, and the files it names that the
//! site reads beside it (redirect files, xref maps).

use super::{strings, under};
use serde_json::Value;
use std::path::Path;

/// One `docfx.json` and what it publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docset {
    /// Its folder, relative to the root (`docs`; empty for the root).
    pub folder: String,
    /// The URL path it is served under, `/` at both ends (`/cpp/`), when
    /// known.
    pub base: Option<String>,
    /// `build.content` and `build.resource` entries: a folder below
    /// `folder` (`src`) and the URL path below `base` it is published at
    /// (`dest`), both without slashes at their ends. The longer `dest`
    /// (the more particular mapping) first.
    pub mappings: Vec<(String, String)>,
    /// Its pages: per `build.content` entry, the folder below `folder`
    /// (`src`) and the `files` and `exclude` patterns, from that folder.
    pub pages: Vec<Pages>,
}

/// One `build.content` entry: which files of a folder are pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pages {
    pub src: String,
    pub files: crate::text::glob::Patterns,
    pub exclude: crate::text::glob::Patterns,
}

/// What one `docfx.json` says.
pub(super) struct Declared {
    pub docset: Docset,
    /// Redirect files it names, from the root.
    pub redirect_files: Vec<String>,
    /// Local xref maps `build.xref` names, from the root (URLs are not
    /// fetched).
    pub xref_files: Vec<String>,
    /// The keys of `build.globalMetadata` and `build.fileMetadata`.
    pub inherited_keys: Vec<String>,
}

/// The value at `path` of keys below `value`.
fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

impl Declared {
    /// The `docfx.json` `json` in `folder` (from the root at `root`);
    /// `publish` is the tree's `.openpublishing.publish.config.json`.
    pub fn of(
        root: &Path,
        folder: String,
        json: &Value,
        publish: Option<&Value>,
        site_path: Option<&str>,
    ) -> Declared {
        let mut redirect_files = Vec::new();
        for list in [
            json.get("redirection_files"),
            at(json, &["build", "redirection_files"]),
        ] {
            redirect_files.extend(strings(list).map(|f| under(&folder, &f)));
        }
        let build = json.get("build");
        let build_key = |key: &str| build.and_then(|b| b.get(key));
        let xref_files = strings(build_key("xref"))
            .filter(|f| !crate::model::is_external(f))
            .map(|f| under(&folder, &f))
            .collect();
        let mut inherited_keys = Vec::new();
        for key in ["globalMetadata", "fileMetadata"] {
            if let Some(map) = build_key(key).and_then(Value::as_object) {
                inherited_keys.extend(map.keys().cloned());
            }
        }
        let entries = |group: &str| {
            build_key(group)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        };
        let mut pages = Vec::new();
        for entry in entries("content") {
            let src = entry.get("src").and_then(Value::as_str).unwrap_or(".");
            let Some(src) = crate::text::paths::resolve("", src) else {
                continue;
            };
            let list = |key: &str| {
                let written: Vec<String> = match entry.get(key) {
                    Some(Value::String(s)) => vec![s.clone()],
                    other => strings(other).collect(),
                };
                crate::text::glob::Patterns::new(&written).ok()
            };
            if let (Some(files), Some(exclude)) = (list("files"), list("exclude")) {
                pages.push(Pages {
                    src,
                    files,
                    exclude,
                });
            }
        }
        let mut mappings = Vec::new();
        for entry in entries("content").chain(entries("resource")) {
            let text = |key: &str, default: &'static str| {
                entry.get(key).and_then(Value::as_str).unwrap_or(default)
            };
            let (Some(src), Some(dest)) = (
                crate::text::paths::resolve("", text("src", ".")),
                crate::text::paths::resolve("", text("dest", "")),
            ) else {
                continue;
            };
            if !mappings.contains(&(src.clone(), dest.clone())) {
                mappings.push((src, dest));
            }
        }
        // A longer `dest` is the more particular mapping.
        mappings.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
        let base = site_path
            .map(str::to_string)
            .or_else(|| breadcrumb_base(root, &folder, build_key("globalMetadata")))
            .or_else(|| publish.and_then(|p| output_subfolder(p, &folder)))
            .map(|b| format!("/{}/", b.trim_matches('/')).replace("//", "/"));
        Declared {
            docset: Docset {
                folder,
                base,
                mappings,
                pages,
            },
            redirect_files,
            xref_files,
            inherited_keys,
        }
    }
}

/// The URL path of the first `tocHref` in the breadcrumb file that
/// `globalMetadata.breadcrumb_path` names (`~/_breadcrumb/toc.yml`, from
/// the docset's `folder`): the site's own root entry (`/cpp/`).
fn breadcrumb_base(root: &Path, folder: &str, meta: Option<&Value>) -> Option<String> {
    let path = meta?.get("breadcrumb_path")?.as_str()?;
    let rel = path
        .strip_prefix("~/")
        .unwrap_or(path.trim_start_matches('/'));
    let rel = crate::text::paths::resolve("", rel)?;
    let file = root.join(under(folder, &rel));
    let text = super::read_text(root, &file)?;
    text.lines().find_map(|line| {
        let value = line
            .trim()
            .trim_start_matches("- ")
            .strip_prefix("tocHref:")?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        value
            .starts_with('/')
            .then(|| value.to_string())
            .filter(|v| v.len() > 1)
    })
}

/// The `build_output_subfolder` of the published docset whose
/// `build_source_folder` is `folder`.
fn output_subfolder(publish: &Value, folder: &str) -> Option<String> {
    publish
        .get("docsets_to_publish")?
        .as_array()?
        .iter()
        .find(|set| {
            let source = set
                .get("build_source_folder")
                .and_then(Value::as_str)
                .unwrap_or(".");
            crate::text::paths::resolve("", source).is_some_and(|f| f == folder)
        })
        .and_then(|set| set.get("build_output_subfolder"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim_matches('/').is_empty())
        .map(str::to_string)
}
