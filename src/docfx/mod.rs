//! What a DocFX tree's own files say, read once per check: which folders
//! are docsets and where the site publishes them, which files are pages,
//! which files the site redirects, the metadata every page inherits, and
//! the xref map. A tree is a DocFX one when a `docfx.json` is at its root
//! or in a folder directly below ([`files`]).
//!
//! - [`docset`]: one `docfx.json`: its folder, the `src`/`dest` pairs of
//!   its `build.content` and `build.resource` entries, which files are
//!   pages, and the URL path the site serves it under (`/cpp/`):
//!   runsheet's `site-path` setting, else the first `tocHref` of the
//!   breadcrumb file `build.globalMetadata` names (`breadcrumb_path`),
//!   else the docset's `build_output_subfolder` in
//!   `.openpublishing.publish.config.json`;
//! - [`locate`]: where a link written as the site sees it (`/cpp/x`,
//!   `~/x`) leads, and whether a file is a page;
//! - [`redirects`]: every `.openpublishing.redirection*.json` at the root
//!   and in a docset's folder, and those named by `redirection_files` in the publish configuration
//!   (at its top or in a docset) or in a `docfx.json`;
//! - [`xrefs`]: `xrefmap.yml` or `xrefmap.json` at the root or in a
//!   docset's folder, or a local file `build.xref` names;
//! - [`jsonc`]: JSON with comments and trailing commas, as DocFX reads it.
//!
//! Only files inside the checked root are read; a file that cannot be read
//! or parsed adds nothing. Nothing here is a user's setting: those are
//! `check::settings`.

pub mod docset;
pub mod jsonc;
pub mod locate;
pub mod redirects;
pub mod xrefs;

pub use docset::{Docset, Pages};
pub use locate::SitePath;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a DocFX tree's files say (empty for any other tree, but for the
/// redirect files, which are read in any tree).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    /// Whether the tree is a DocFX one (it has a `docfx.json`, see
    /// [`files`]).
    pub docfx: bool,
    pub docsets: Vec<Docset>,
    /// Files a redirect file moved (root-relative path → where the site
    /// sends readers: a `redirect_url` relative to the page is resolved
    /// to a site-absolute one when the page's URL is known).
    pub redirects: BTreeMap<String, String>,
    /// The moved files by their paths in lower case, in a DocFX tree,
    /// whose site serves URLs whatever their case (see
    /// [`Site::redirect`]).
    folded_redirects: BTreeMap<String, String>,
    /// The uids of the tree's xref maps, when it has one.
    pub xrefs: Option<BTreeSet<String>>,
    /// Front matter keys the `docfx.json` files give every page
    /// (`build.globalMetadata` and `build.fileMetadata`), so a page need
    /// not write them. `fileMetadata` applies by glob; runsheet counts its
    /// keys as given everywhere, which can only silence a finding, never
    /// add one.
    pub inherited_keys: BTreeSet<String>,
}

impl Site {
    /// Read the DocFX files of the tree at `root`; `site_path` is the
    /// `site-path` setting (the URL path its docset is published under,
    /// when its own files do not say).
    pub fn read(root: &Path, site_path: Option<&str>) -> Site {
        let docfx = files(root);
        let publish = jsonc::read(root, &root.join(".openpublishing.publish.config.json"));
        let mut site = Site {
            docfx: !docfx.is_empty(),
            ..Site::default()
        };
        let mut redirect_files: Vec<String> = Vec::new();
        let mut xref_files: Vec<String> = Vec::new();
        if let Some(p) = &publish {
            redirect_files.extend(strings(p.get("redirection_files")));
            for set in p
                .get("docsets_to_publish")
                .and_then(|s| s.as_array())
                .into_iter()
                .flatten()
            {
                redirect_files.extend(strings(set.get("redirection_files")));
            }
        }
        for path in &docfx {
            let Some(json) = jsonc::read(root, path) else {
                continue;
            };
            let folder = path
                .parent()
                .and_then(|p| crate::text::paths::below(root, p))
                .unwrap_or_default();
            let read = docset::Declared::of(root, folder, &json, publish.as_ref(), site_path);
            redirect_files.extend(read.redirect_files);
            xref_files.extend(read.xref_files);
            site.inherited_keys.extend(read.inherited_keys);
            site.docsets.push(read.docset);
        }
        let folders: Vec<&str> = site
            .docsets
            .iter()
            .map(|d| d.folder.as_str())
            .filter(|f| !f.is_empty())
            .collect();
        for (source, r) in redirects::read(root, &folders, &redirect_files) {
            let url = match site.url_of(&source) {
                Some(page) if redirects::is_relative(&r.url) => redirects::join_url(&page, &r.url),
                _ => r.url,
            };
            site.redirects.insert(source, url);
        }
        if site.docfx {
            for source in site.redirects.keys() {
                site.folded_redirects
                    .entry(source.to_lowercase())
                    .or_insert_with(|| source.clone());
            }
        }
        site.xrefs = xrefs::read(root, &site.docsets, &xref_files);
        site
    }
}

impl Site {
    /// The redirect of the file at `path` (from the root), when a redirect
    /// file moved it: the source as the redirect file names it, and where
    /// the site sends readers. In a DocFX tree a source that differs from
    /// `path` only in letter case is the same page, as the site serves
    /// URLs whatever their case.
    pub fn redirect(&self, path: &str) -> Option<(&str, &str)> {
        if let Some((source, url)) = self.redirects.get_key_value(path) {
            return Some((source, url));
        }
        if self.folded_redirects.is_empty() {
            return None;
        }
        let source = self.folded_redirects.get(&path.to_lowercase())?;
        self.redirects
            .get_key_value(source.as_str())
            .map(|(s, u)| (s.as_str(), u.as_str()))
    }
}

/// The `docfx.json` files of a guide whose root is `root`: at the root and
/// in the folders directly below it (a DocFX repository keeps its
/// content, and its `docfx.json`, in a folder such as `docs/`). Their
/// presence makes the guide a DocFX one.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let own = root.join("docfx.json");
    if own.is_file() {
        found.push(own);
    }
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut below: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path().join("docfx.json"))
            .filter(|p| p.is_file())
            .collect();
        below.sort();
        found.extend(below);
    }
    found
}

/// The text of the file at `path` (below `root`), held inside the tree: a
/// file that links out of it, is not a regular file or is larger than a
/// configuration file may be is not read, as a file that cannot be read
/// is not.
pub(crate) fn read_text(root: &Path, path: &Path) -> Option<String> {
    let rel = crate::text::paths::below(root, path)?;
    crate::text::inside::Root::new(root)
        .read_string(rel, crate::text::inside::Cap::CONFIG)
        .ok()
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
fn strings(value: Option<&serde_json::Value>) -> impl Iterator<Item = String> + '_ {
    value
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "{\"redirections\": [{\"source_path\": \"../docs/old.md\", \"redirect_url\": \"/cpp/new\"}]}",
        )
        .unwrap();
        let s = Site::read(root, None);
        assert!(s.docfx);
        assert_eq!(s.docsets[0].base.as_deref(), Some("/cpp/"));
        assert_eq!(s.docsets[0].folder, "docs");
        assert!(s.publishes("docs/a/b.md"));
        assert!(!s.publishes("docs/a/b.png"));
        assert!(!s.publishes("README.md"));
        assert_eq!(
            s.redirects.get("docs/old.md").map(String::as_str),
            Some("/cpp/new")
        );
        assert_eq!(
            s.inherited_keys.iter().collect::<Vec<_>>(),
            ["breadcrumb_path"]
        );
        let s = Site::read(root, Some("cpp-docs"));
        assert_eq!(s.docsets[0].base.as_deref(), Some("/cpp-docs/"));
    }

    #[test]
    fn metadata_is_read_from_docfx_json_with_comments_and_trailing_commas() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("docfx.json"),
            "{\n  // DocFX reads this\n  \"build\": {\n    \"globalMetadata\": {\"ms.topic\": \"article\", },\n    /* per file */\n    \"fileMetadata\": {\"ms.author\": {\"**/*.md\": \"me\"}},\n  },\n}\n",
        )
        .unwrap();
        let s = Site::read(dir.path(), None);
        assert_eq!(
            s.inherited_keys.into_iter().collect::<Vec<_>>(),
            ["ms.author", "ms.topic"]
        );
    }

    #[test]
    fn a_tree_without_docfx_json_is_no_docfx_tree() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
        let s = Site::read(dir.path(), None);
        assert!(!s.docfx && s.docsets.is_empty() && s.xrefs.is_none());
    }
}
