//! The site's redirects: files moved, and where the site sends readers.

use std::collections::BTreeMap;
use std::path::Path;

/// The redirects of the `.openpublishing.redirection*.json` files at
/// `root` and of the files `named` (root-relative): each `source_path`
/// (or `source_path_from_root`), relative to the root, to its
/// `redirect_url`. The first redirect of a file wins.
pub fn read(root: &Path, named: &[String]) -> BTreeMap<String, String> {
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
        let Some(json) = super::jsonc::read(&root.join(&rel)) else {
            continue;
        };
        let Some(list) = json.get("redirections").and_then(|r| r.as_array()) else {
            continue;
        };
        for r in list {
            let text = |key: &str| r.get(key).and_then(|v| v.as_str());
            let source = text("source_path").or_else(|| text("source_path_from_root"));
            if let (Some(source), Some(url)) = (source, text("redirect_url"))
                && let Some(source) =
                    crate::text::paths::resolve("", source.trim_start_matches('/'))
            {
                found.entry(source).or_insert_with(|| url.to_string());
            }
        }
    }
    found
}
