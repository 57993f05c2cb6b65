//! The site's redirects: files moved, and where the site sends readers.
//!
//! Read as DocFX reads them: a redirect file's `source_path` is relative
//! to the folder the file is in (a file at the root is read from the
//! root), `source_path_from_root` from the root; a `redirect_url` is
//! site-absolute (`/cpp/build/x`), a URL, or relative to the URL of the
//! page it redirects (`../overview/x`), which [`super::Site::read`] works
//! out once it knows where the docsets are published.

use std::collections::BTreeMap;
use std::path::Path;

/// One redirect as written: where the site sends readers of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// `redirect_url` as written.
    pub url: String,
}

/// The redirects of the `.openpublishing.redirection*.json` files at
/// `root` and in `folders` (root-relative: the docsets' folders), and of
/// the files `named` (root-relative), by the path from the root of the
/// file each moves. A source that climbs out of the root is dropped. The
/// first redirect of a file wins.
pub fn read(root: &Path, folders: &[&str], named: &[String]) -> BTreeMap<String, Redirect> {
    let mut found = BTreeMap::new();
    let mut files: Vec<String> = Vec::new();
    for folder in std::iter::once("").chain(folders.iter().copied()) {
        let mut here: Vec<String> = std::fs::read_dir(root.join(folder))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.starts_with(".openpublishing.redirection") && n.ends_with(".json"))
            .map(|n| super::under(folder, &n))
            .filter(|rel| !files.contains(rel))
            .collect();
        here.sort();
        files.extend(here);
    }
    for name in named {
        // Named files are read only inside the root.
        if let Some(rel) = crate::text::paths::resolve("", name.trim_start_matches('/'))
            && !rel.is_empty()
            && !files.contains(&rel)
        {
            files.push(rel);
        }
    }
    // A redirect file that is a link out of the tree is not read.
    for rel in files {
        let path = root.join(&rel);
        let Some(json) = super::jsonc::read(root, &path) else {
            continue;
        };
        let Some(list) = json.get("redirections").and_then(|r| r.as_array()) else {
            continue;
        };
        for r in list {
            let text = |key: &str| r.get(key).and_then(|v| v.as_str());
            let Some(url) = text("redirect_url") else {
                continue;
            };
            let source = match (text("source_path_from_root"), text("source_path")) {
                (Some(from_root), _) => {
                    crate::text::paths::resolve("", from_root.trim_start_matches('/'))
                }
                // Relative to the redirect file's folder; a leading `/`
                // starts at the root.
                (None, Some(source)) => crate::text::paths::resolve(&rel, source),
                (None, None) => None,
            };
            if let Some(source) = source.filter(|s| !s.is_empty()) {
                found.entry(source).or_insert_with(|| Redirect {
                    url: url.to_string(),
                });
            }
        }
    }
    found
}

/// A `redirect_url` that is relative to the page it redirects: not
/// site-absolute, not `~/…`, not a URL.
pub fn is_relative(url: &str) -> bool {
    !url.starts_with('/') && !url.starts_with("~/") && !crate::model::is_external(url)
}

/// `url`, relative, resolved against the URL `page` (site-absolute, as
/// `/cpp/overview/x`) as a browser resolves it: from the page's folder,
/// `..` climbing no higher than the site's root. Query and fragment are
/// kept.
pub fn join_url(page: &str, url: &str) -> String {
    let (path, rest) = match url.find(['?', '#']) {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let mut parts: Vec<&str> = page.trim_start_matches('/').split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}{rest}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_resolve_from_the_pages_folder() {
        assert_eq!(
            join_url(
                "/cpp/overview/whats-new-cpp-docs",
                "../../cpp/overview/what-s-new"
            ),
            "/cpp/overview/what-s-new"
        );
        assert_eq!(join_url("/cpp/a/b", "c#x"), "/cpp/a/c#x");
        assert_eq!(join_url("/cpp/a/b", "../../../../x"), "/x");
        assert_eq!(join_url("/cpp/a/b", "./d/"), "/cpp/a/d/");
        assert!(is_relative("../x") && is_relative("x"));
        assert!(!is_relative("/cpp/x") && !is_relative("https://vcpkg.io/") && !is_relative("~/x"));
    }

    #[cfg(unix)]
    #[test]
    fn a_redirect_file_that_links_out_of_the_tree_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(
            outside.path().join("moves.json"),
            r#"{"redirections": [{"source_path": "a.md", "redirect_url": "/x/b"}]}"#,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("moves.json"),
            dir.path().join(".openpublishing.redirection.json"),
        )
        .unwrap();
        assert!(read(dir.path(), &[], &[]).is_empty());
    }

    #[test]
    fn sources_are_read_from_the_redirect_files_folder_unless_from_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs/sub")).unwrap();
        std::fs::write(
            root.join("docs/.openpublishing.redirection.docs.json"),
            r#"{"redirections": [
                {"source_path": "sub/old.md", "redirect_url": "new"},
                {"source_path_from_root": "/docs/other.md", "redirect_url": "/x/y"},
                {"source_path": "../../outside.md", "redirect_url": "/x/z"}
            ]}"#,
        )
        .unwrap();
        std::fs::write(
            root.join(".openpublishing.redirection.json"),
            r#"{"redirections": [{"source_path": "docs/sub/old.md", "redirect_url": "/later"}]}"#,
        )
        .unwrap();
        let found = read(root, &["docs"], &[]);
        let urls: Vec<(&str, &str)> = found
            .iter()
            .map(|(s, r)| (s.as_str(), r.url.as_str()))
            .collect();
        // The root's file is read first: its redirect of a file wins.
        assert_eq!(
            urls,
            [("docs/other.md", "/x/y"), ("docs/sub/old.md", "/later")]
        );
    }
}
