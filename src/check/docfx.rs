//! What a DocFX tree's own files say about where its pages are published,
//! so links written as the site sees them can be checked against files:
//!
//! - each docset: the folder of its `docfx.json`, the `src`/`dest` pairs of
//!   its `build.content` and `build.resource` entries, and the URL path the
//!   site serves it under (`/cpp/`): runsheet's `site-path` setting, else
//!   the first `tocHref` of the breadcrumb file `build.globalMetadata`
//!   names (`breadcrumb_path`), else the docset's `build_output_subfolder`
//!   in `.openpublishing.publish.config.json`;
//! - the xref map: `xrefmap.yml` or `xrefmap.json` at the root or in a
//!   docset's folder, or a local file `build.xref` names;
//! - the redirect files: every `.openpublishing.redirection*.json` at the
//!   root, and those named by `redirection_files` in the publish
//!   configuration (at its top or in a docset) or in a `docfx.json`.
//!
//! Only files inside the checked root are read; a file that cannot be read
//! or parsed adds nothing.
#![allow(
    clippy::indexing_slicing,
    reason = "the JSON here is only read by key, which gives Null for a missing key and never panics"
)]

use std::collections::BTreeMap;
use std::path::Path;

/// The docsets and redirects of a DocFX tree (empty for any other tree).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub docsets: Vec<Docset>,
    /// Files a redirect file moved (root-relative path → where the site
    /// sends readers).
    pub redirects: BTreeMap<String, String>,
    /// The uids of the tree's xref maps, when it has one.
    pub xrefs: Option<std::collections::BTreeSet<String>>,
}

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
    /// (`dest`), both without slashes at their ends.
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

/// Where a link written as the site sees it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitePath {
    /// Not such a link (or the site's URL path is not known): an ordinary
    /// path.
    Not,
    /// Into the tree: the path from the root, without the extension the
    /// site drops (`docs/build/overview`).
    InTree(String),
    /// To another site of the same host (`/windows/…`): not checked
    /// offline.
    Elsewhere,
}

impl Site {
    /// Read the DocFX files of the tree at `root`: `docfx` are its
    /// `docfx.json` files; `site_path` is the `site-path` setting.
    pub fn read(root: &Path, docfx: &[std::path::PathBuf], site_path: Option<&str>) -> Site {
        let publish = read_jsonc(&root.join(".openpublishing.publish.config.json"));
        let mut site = Site::default();
        let mut redirect_files: Vec<String> = Vec::new();
        let mut xref_files: Vec<String> = Vec::new();
        if let Some(p) = &publish {
            redirect_files.extend(strings(&p["redirection_files"]));
            if let Some(sets) = p["docsets_to_publish"].as_array() {
                for set in sets {
                    redirect_files.extend(strings(&set["redirection_files"]));
                }
            }
        }
        for path in docfx {
            let Some(json) = read_jsonc(path) else {
                continue;
            };
            let folder = path
                .parent()
                .and_then(|p| crate::text::paths::below(root, p))
                .unwrap_or_default();
            for list in [
                &json["redirection_files"],
                &json["build"]["redirection_files"],
            ] {
                redirect_files.extend(strings(list).map(|f| under(&folder, &f)));
            }
            let build = &json["build"];
            // Local xref maps `build.xref` names (URLs are not fetched).
            xref_files.extend(
                strings(&build["xref"])
                    .filter(|f| !crate::model::is_external(f))
                    .map(|f| under(&folder, &f)),
            );
            let mut pages = Vec::new();
            for entry in build["content"].as_array().into_iter().flatten() {
                let Some(src) =
                    crate::text::paths::resolve("", entry["src"].as_str().unwrap_or("."))
                else {
                    continue;
                };
                let list = |v: &serde_json::Value| {
                    let written: Vec<String> = match v {
                        serde_json::Value::String(s) => vec![s.clone()],
                        other => strings(other).collect(),
                    };
                    crate::text::glob::Patterns::new(&written).ok()
                };
                if let (Some(files), Some(exclude)) =
                    (list(&entry["files"]), list(&entry["exclude"]))
                {
                    pages.push(Pages {
                        src,
                        files,
                        exclude,
                    });
                }
            }
            let mut mappings = Vec::new();
            for group in ["content", "resource"] {
                for entry in build[group].as_array().into_iter().flatten() {
                    let src = entry["src"].as_str().unwrap_or(".");
                    let dest = entry["dest"].as_str().unwrap_or("");
                    let (Some(src), Some(dest)) = (
                        crate::text::paths::resolve("", src),
                        crate::text::paths::resolve("", dest),
                    ) else {
                        continue;
                    };
                    if !mappings.contains(&(src.clone(), dest.clone())) {
                        mappings.push((src, dest));
                    }
                }
            }
            // A longer `dest` is the more particular mapping.
            mappings.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
            let base = site_path
                .map(str::to_string)
                .or_else(|| breadcrumb_base(root, &folder, &build["globalMetadata"]))
                .or_else(|| publish.as_ref().and_then(|p| output_subfolder(p, &folder)))
                .map(|b| format!("/{}/", b.trim_matches('/')).replace("//", "/"));
            site.docsets.push(Docset {
                folder,
                base,
                mappings,
                pages,
            });
        }
        site.redirects = redirects(root, &redirect_files);
        site.xrefs = xref_map(root, &site.docsets, &xref_files);
        site
    }

    /// Whether the file at `path` (from the root) is a page a docset
    /// publishes: inside a docset's folder and, when its `docfx.json` lists
    /// `build.content`, named by an entry's `files` and not by its
    /// `exclude` (`**/includes/**`: included text, not pages). Every file
    /// is one in a tree without docsets.
    pub fn publishes(&self, path: &str) -> bool {
        if self.docsets.is_empty() {
            return true;
        }
        self.docsets.iter().any(|d| {
            let Some(rel) = below(&d.folder, path) else {
                return false;
            };
            d.pages.is_empty()
                || d.pages.iter().any(|p| {
                    below(&p.src, rel).is_some_and(|r| {
                        (p.files.is_empty() || p.files.matches(r)) && !p.exclude.matches(r)
                    })
                })
        })
    }

    /// Where `path`, written in the file `from`, leads when it is written
    /// as the site sees it: `~/x` from the docset's folder, `/cpp/x` from
    /// the URL path a docset is served under, through its mappings.
    pub fn locate(&self, from: &str, path: &str) -> SitePath {
        if self.docsets.is_empty() {
            return SitePath::Not;
        }
        if let Some(rest) = path.strip_prefix("~/") {
            let docset = self
                .docsets
                .iter()
                .filter(|d| d.folder.is_empty() || from.starts_with(&format!("{}/", d.folder)))
                .max_by_key(|d| d.folder.len());
            let folder = docset.map_or("", |d| d.folder.as_str());
            return match crate::text::paths::resolve("", rest) {
                Some(p) => SitePath::InTree(under(folder, &p)),
                None => SitePath::Not,
            };
        }
        if !path.starts_with('/') || path.starts_with("//") {
            return SitePath::Not;
        }
        let mut known = false;
        for d in &self.docsets {
            let Some(base) = &d.base else {
                continue;
            };
            known = true;
            let rest = if path.len() + 1 == base.len() && base.starts_with(path) {
                Some("")
            } else {
                path.get(..base.len())
                    .filter(|p| p.eq_ignore_ascii_case(base))
                    .map(|_| &path[base.len()..])
            };
            let Some(rest) = rest else {
                continue;
            };
            let Some(rest) = crate::text::paths::resolve("", rest) else {
                return SitePath::Elsewhere;
            };
            let mapped = d.mappings.iter().find_map(|(src, dest)| {
                let below = if dest.is_empty() {
                    Some(rest.as_str())
                } else if rest == *dest {
                    Some("")
                } else {
                    rest.strip_prefix(dest.as_str())
                        .and_then(|r| r.strip_prefix('/'))
                };
                below.map(|b| under(src, b))
            });
            let within = mapped.unwrap_or(rest);
            return SitePath::InTree(under(&d.folder, &within));
        }
        if known {
            SitePath::Elsewhere
        } else {
            SitePath::Not
        }
    }
}

/// The uids of the xref maps of the tree: `xrefmap.yml` or `xrefmap.json`
/// at the root or in a docset's folder, and the local files `build.xref`
/// names. `None` when there is none.
fn xref_map(
    root: &Path,
    docsets: &[Docset],
    named: &[String],
) -> Option<std::collections::BTreeSet<String>> {
    let mut files: Vec<String> = Vec::new();
    for folder in std::iter::once("").chain(docsets.iter().map(|d| d.folder.as_str())) {
        for name in ["xrefmap.yml", "xrefmap.json"] {
            files.push(under(folder, name));
        }
    }
    files.extend(named.iter().cloned());
    let mut uids = std::collections::BTreeSet::new();
    let mut found = false;
    for rel in files {
        let Some(rel) = crate::text::paths::resolve("", &rel) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        found = true;
        if rel.ends_with(".json") {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
                for r in json["references"].as_array().into_iter().flatten() {
                    if let Some(uid) = r["uid"].as_str() {
                        uids.insert(uid.to_string());
                    }
                }
            }
            continue;
        }
        for line in text.lines() {
            let line = line.trim_start().trim_start_matches("- ");
            if let Some(uid) = line.strip_prefix("uid:") {
                let uid = uid.trim().trim_matches(|c| c == '"' || c == '\'');
                if !uid.is_empty() {
                    uids.insert(uid.to_string());
                }
            }
        }
    }
    found.then_some(uids)
}

/// `path` (from the root) from inside `folder`, when it is inside it.
fn below<'p>(folder: &str, path: &'p str) -> Option<&'p str> {
    let folder = folder.trim_matches('/');
    if folder.is_empty() || folder == "." {
        return Some(path);
    }
    path.strip_prefix(folder)?.strip_prefix('/')
}

/// `path` inside `folder` (either may be empty or `.`).
fn under(folder: &str, path: &str) -> String {
    let folder = folder.trim_matches('/');
    let path = path.trim_start_matches('/');
    match (folder, path) {
        ("" | ".", p) => p.to_string(),
        (f, "" | ".") => f.to_string(),
        (f, p) => format!("{f}/{p}"),
    }
}

/// The strings of a JSON list (nothing for anything else).
fn strings(value: &serde_json::Value) -> impl Iterator<Item = String> + '_ {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
}

/// A JSON file as DocFX and the publishing tools read it: comments and
/// trailing commas allowed (`docfx.json` often has both). `None` when it
/// cannot be read or parsed.
pub fn read_jsonc(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    jsonc_parser::parse_to_serde_value(text, &jsonc_parser::ParseOptions::default()).ok()
}

/// The URL path of the first `tocHref` in the breadcrumb file that
/// `globalMetadata.breadcrumb_path` names (`~/_breadcrumb/toc.yml`, from
/// the docset's `folder`): the site's own root entry (`/cpp/`).
fn breadcrumb_base(root: &Path, folder: &str, meta: &serde_json::Value) -> Option<String> {
    let path = meta["breadcrumb_path"].as_str()?;
    let rel = path
        .strip_prefix("~/")
        .unwrap_or(path.trim_start_matches('/'));
    let rel = crate::text::paths::resolve("", rel)?;
    let file = root.join(under(folder, &rel));
    let text = std::fs::read_to_string(file).ok()?;
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
fn output_subfolder(publish: &serde_json::Value, folder: &str) -> Option<String> {
    publish["docsets_to_publish"]
        .as_array()?
        .iter()
        .find(|set| {
            crate::text::paths::resolve("", set["build_source_folder"].as_str().unwrap_or("."))
                .is_some_and(|f| f == folder)
        })
        .and_then(|set| set["build_output_subfolder"].as_str())
        .filter(|s| !s.trim_matches('/').is_empty())
        .map(str::to_string)
}

/// The redirects of the `.openpublishing.redirection*.json` files at
/// `root` and of the files `named` (root-relative): each `source_path`
/// (or `source_path_from_root`), relative to the root, to its
/// `redirect_url`. The first redirect of a file wins.
fn redirects(root: &Path, named: &[String]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut files: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with(".openpublishing.redirection") && n.ends_with(".json"))
        .collect();
    files.sort();
    for name in named {
        // Named files are read only inside the root.
        if let Some(rel) = crate::text::paths::resolve("", name.trim_start_matches('/'))
            && !rel.is_empty()
            && !files.contains(&rel)
        {
            files.push(rel);
        }
    }
    for rel in files {
        let Some(json) = read_jsonc(&root.join(&rel)) else {
            continue;
        };
        let Some(list) = json["redirections"].as_array() else {
            continue;
        };
        for r in list {
            let source = r["source_path"]
                .as_str()
                .or_else(|| r["source_path_from_root"].as_str());
            if let (Some(source), Some(url)) = (source, r["redirect_url"].as_str())
                && let Some(source) =
                    crate::text::paths::resolve("", source.trim_start_matches('/'))
            {
                found.entry(source).or_insert_with(|| url.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(base: &str, mappings: &[(&str, &str)]) -> Site {
        Site {
            docsets: vec![Docset {
                folder: "docs".into(),
                base: Some(base.into()),
                mappings: mappings
                    .iter()
                    .map(|(s, d)| (s.to_string(), d.to_string()))
                    .collect(),
                pages: Vec::new(),
            }],
            redirects: BTreeMap::new(),
            xrefs: None,
        }
    }

    #[test]
    fn site_paths_lead_through_the_base_and_the_mappings() {
        let s = site("/cpp/", &[("articles", "build"), (".", "")]);
        assert_eq!(
            s.locate("docs/a.md", "/cpp/build/x"),
            SitePath::InTree("docs/articles/x".into())
        );
        assert_eq!(
            s.locate("docs/a.md", "/CPP/ide/y"),
            SitePath::InTree("docs/ide/y".into())
        );
        assert_eq!(
            s.locate("docs/a.md", "/cpp"),
            SitePath::InTree("docs".into())
        );
        assert_eq!(s.locate("docs/a.md", "/windows/x"), SitePath::Elsewhere);
        assert_eq!(
            s.locate("docs/sub/a.md", "~/media/p.png"),
            SitePath::InTree("docs/media/p.png".into())
        );
        assert_eq!(s.locate("docs/a.md", "b.md"), SitePath::Not);
        assert_eq!(s.locate("docs/a.md", "//host/x"), SitePath::Not);
        let unknown = Site {
            docsets: vec![Docset::default()],
            redirects: BTreeMap::new(),
            xrefs: None,
        };
        assert_eq!(unknown.locate("a.md", "/windows/x"), SitePath::Not);
    }

    #[test]
    fn the_base_comes_from_the_breadcrumb_and_redirect_files_from_the_publish_config() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/_breadcrumb")).unwrap();
        std::fs::write(
            root.join("docs/docfx.json"),
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"], \"src\": \".\"}],\n \"globalMetadata\": {\"breadcrumb_path\": \"~/_breadcrumb/toc.yml\"}}}",
        )
        .unwrap();
        std::fs::write(
            root.join("docs/_breadcrumb/toc.yml"),
            "- name: C++\n  tocHref: /cpp/\n  topicHref: /cpp/index\n",
        )
        .unwrap();
        std::fs::write(
            root.join(".openpublishing.publish.config.json"),
            "{\"docsets_to_publish\": [{\"build_source_folder\": \"docs\", \"build_output_subfolder\": \"vcppdocs\", \"redirection_files\": [\"more/moved.json\", \"../outside.json\"]}]}",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("more")).unwrap();
        std::fs::write(
            root.join("more/moved.json"),
            "{\"redirections\": [{\"source_path\": \"docs/old.md\", \"redirect_url\": \"/cpp/new\"}]}",
        )
        .unwrap();
        let s = Site::read(root, &[root.join("docs/docfx.json")], None);
        assert_eq!(s.docsets[0].base.as_deref(), Some("/cpp/"));
        assert_eq!(s.docsets[0].folder, "docs");
        assert!(s.publishes("docs/a/b.md"));
        assert!(!s.publishes("docs/a/b.png"));
        assert!(!s.publishes("README.md"));
        assert_eq!(
            s.redirects.get("docs/old.md").map(String::as_str),
            Some("/cpp/new")
        );
        let s = Site::read(root, &[root.join("docs/docfx.json")], Some("cpp-docs"));
        assert_eq!(s.docsets[0].base.as_deref(), Some("/cpp-docs/"));
    }
}
