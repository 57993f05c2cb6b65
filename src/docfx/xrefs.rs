//! The tree's xref maps: the uids `xref:` links may name.

use super::{Docset, under};
use std::collections::BTreeSet;
use std::path::Path;

/// The uids of the xref maps of the tree: `xrefmap.yml` or `xrefmap.json`
/// at the root or in a docset's folder, and the local files `build.xref`
/// names. `None` when there is none.
pub fn read(root: &Path, docsets: &[Docset], named: &[String]) -> Option<BTreeSet<String>> {
    let mut files: Vec<String> = Vec::new();
    for folder in std::iter::once("").chain(docsets.iter().map(|d| d.folder.as_str())) {
        for name in ["xrefmap.yml", "xrefmap.json"] {
            files.push(under(folder, name));
        }
    }
    files.extend(named.iter().cloned());
    let mut uids = BTreeSet::new();
    let mut found = false;
    for rel in files {
        let Some(rel) = crate::text::paths::resolve("", &rel) else {
            continue;
        };
        let Some(text) = super::read_text(root, &root.join(&rel)) else {
            continue;
        };
        found = true;
        if rel.ends_with(".json") {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
                let references = json.get("references").and_then(|r| r.as_array());
                for r in references.into_iter().flatten() {
                    if let Some(uid) = r.get("uid").and_then(|u| u.as_str()) {
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
