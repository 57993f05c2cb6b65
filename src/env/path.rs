//! Which chapters of the book an environment follows, and the `path:`
//! entries that name nothing in the book.

use super::Environment;
use crate::model::Chapter;
use crate::text::suggest;
use crate::yaml::{Kind, Node, Origin};

impl Environment {
    /// Whether this environment's runbook holds `chapter`: it is listed in
    /// SUMMARY.md, and neither its part nor the file is skipped.
    pub fn follows(&self, chapter: &Chapter) -> bool {
        self.follows_path(&chapter.path, chapter.listed, chapter.part.as_deref())
    }

    /// [`Environment::follows`] for the chapter at `path` (relative to the
    /// source folder), listed or not, in SUMMARY part `part`.
    pub fn follows_path(&self, path: &str, listed: bool, part: Option<&str>) -> bool {
        listed
            && !part.is_some_and(|p| self.path.skip_parts.iter().any(|s| s == p))
            && !self.path.skip_chapters.iter().any(|s| s == path)
    }

    /// `skip_parts` and `skip_chapters` entries that name nothing in the
    /// book, whose SUMMARY parts are `parts` and chapters `chapters` (a
    /// typo would otherwise silently keep chapters in), each where it is
    /// written. A part is named exactly as SUMMARY.md writes it.
    pub fn check_path(&self, parts: &[&str], chapters: &[&str]) -> Vec<(Origin, String)> {
        let mut problems = Vec::new();
        let entries = |key: &str| -> Vec<Node> {
            match self.tree.at(&["path", key]).map(|n| &n.kind) {
                Some(Kind::Seq(items)) => items.clone(),
                _ => Vec::new(),
            }
        };
        for node in entries("skip_parts") {
            let name = node.as_str().unwrap_or_default();
            if !parts.contains(&name) {
                let quoted: Vec<String> = parts.iter().map(|p| format!("`{p}`")).collect();
                problems.push((
                    node.origin.clone(),
                    if parts.is_empty() {
                        format!("`{name}` is not a part of the book: the book has no parts (`# Part` headings in SUMMARY.md)")
                    } else {
                        format!(
                            "`{name}` is not a part of the book{}; the parts are {}",
                            did_you_mean(name, parts),
                            quoted.join(", ")
                        )
                    },
                ));
            }
        }
        for node in entries("skip_chapters") {
            let name = node.as_str().unwrap_or_default();
            if !chapters.contains(&name) {
                problems.push((
                    node.origin.clone(),
                    format!(
                        "`{name}` is not a chapter of the book{}",
                        did_you_mean(name, chapters)
                    ),
                ));
            }
        }
        problems
    }
}

/// " (did you mean `X`?)" for the name among `names` that `name` most
/// likely means: one that differs only in case first, else the closest.
pub fn did_you_mean(name: &str, names: &[&str]) -> String {
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case(name))
        .copied()
        .or_else(|| suggest::best(name, names, 0.6))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}
