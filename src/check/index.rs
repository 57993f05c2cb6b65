//! Everything a link can point at, built once per guide: the files (exact
//! and case-folded), folders, and each chapter's anchors. Resolving a link
//! is a few hash look-ups, never a filesystem call.

use crate::model::{Chapter, Guide};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub struct Index<'g> {
    files: HashSet<&'g str>,
    folded: HashMap<String, Vec<&'g str>>,
    dirs: HashSet<String>,
    /// File name → paths, for suggestions across folders.
    by_name: HashMap<String, Vec<&'g str>>,
    /// Folder → files directly in it.
    by_dir: HashMap<&'g str, Vec<&'g str>>,
    anchors: HashMap<&'g str, HashSet<&'g str>>,
    chapters: HashMap<&'g str, &'g Chapter>,
}

struct FileMaps<'g> {
    files: HashSet<&'g str>,
    folded: HashMap<String, Vec<&'g str>>,
    dirs: HashSet<String>,
    by_name: HashMap<String, Vec<&'g str>>,
    by_dir: HashMap<&'g str, Vec<&'g str>>,
}

impl<'g> FileMaps<'g> {
    fn new(all: &'g [String]) -> Self {
        let mut folded: HashMap<String, Vec<&str>> =
            HashMap::with_capacity_and_hasher(all.len(), Default::default());
        let mut dirs = HashSet::default();
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::default();
        let mut by_dir: HashMap<&str, Vec<&str>> = HashMap::default();
        for f in all {
            folded.entry(f.to_lowercase()).or_default().push(f);
            let (dir, name) = f.rsplit_once('/').unwrap_or(("", f));
            by_name.entry(name.to_lowercase()).or_default().push(f);
            by_dir.entry(dir).or_default().push(f);
            let mut d = dir;
            while !d.is_empty() && dirs.insert(d.to_string()) {
                d = d.rsplit_once('/').map_or("", |(p, _)| p);
            }
        }
        FileMaps {
            files: all.iter().map(String::as_str).collect(),
            folded,
            dirs,
            by_name,
            by_dir,
        }
    }
}

/// Where a local link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'g> {
    /// An existing file (for an mdBook `.html` link, its `.md` source).
    File(&'g str),
    /// An existing folder.
    Dir(String),
    /// The target exists only with other letter case.
    CaseMismatch(&'g str),
    /// Nothing there; the normalised path that was looked for.
    Missing(String),
    /// The path climbs out of the root.
    Outside,
}

impl<'g> Index<'g> {
    pub fn new(guide: &'g Guide) -> Self {
        // The file maps and the chapters' anchor sets are built side by
        // side; the anchor sets one chapter per task.
        let (files, anchor_sets) = rayon::join(
            || FileMaps::new(&guide.files),
            || {
                guide
                    .chapters
                    .par_iter()
                    .map(|c| {
                        c.anchors
                            .iter()
                            .map(String::as_str)
                            .collect::<HashSet<&str>>()
                    })
                    .collect::<Vec<_>>()
            },
        );
        let mut anchors =
            HashMap::with_capacity_and_hasher(guide.chapters.len(), Default::default());
        let mut chapters =
            HashMap::with_capacity_and_hasher(guide.chapters.len(), Default::default());
        for (c, set) in guide.chapters.iter().zip(anchor_sets) {
            anchors.insert(c.path.as_str(), set);
            chapters.insert(c.path.as_str(), c);
        }
        let FileMaps {
            files,
            folded,
            dirs,
            by_name,
            by_dir,
        } = files;
        Index {
            files,
            folded,
            dirs,
            by_name,
            by_dir,
            anchors,
            chapters,
        }
    }

    pub fn chapter(&self, path: &str) -> Option<&'g Chapter> {
        self.chapters.get(path).copied()
    }

    pub fn anchors(&self, path: &str) -> Option<&HashSet<&'g str>> {
        self.anchors.get(path)
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// Resolve a link's decoded `path` written in the chapter at `from`.
    pub fn resolve(&self, from: &str, path: &str) -> Resolved<'g> {
        let Some(target) = normalise(from, path) else {
            return Resolved::Outside;
        };
        if let Some(found) = self.lookup(&target) {
            return found;
        }
        // mdBook links chapters by their HTML name: `intro.html` is `intro.md`.
        if let Some(stem) = target.strip_suffix(".html")
            && let Some(found) = self.lookup(&format!("{stem}.md"))
        {
            return found;
        }
        Resolved::Missing(target)
    }

    fn lookup(&self, target: &str) -> Option<Resolved<'g>> {
        if target.is_empty() || self.dirs.contains(target) {
            return Some(Resolved::Dir(target.to_string()));
        }
        if let Some(&f) = self.files.get(target) {
            return Some(Resolved::File(f));
        }
        if let Some(candidates) = self.folded.get(&target.to_lowercase()) {
            return Some(Resolved::CaseMismatch(candidates[0]));
        }
        None
    }

    /// Files worth suggesting for a missing `target`: the same name with
    /// `.md` added, else the closest names in the same folder, else the
    /// same file name in another folder. Bounded: only one folder's files
    /// are compared, so thousands of broken links stay cheap.
    pub fn suggest_file(&self, target: &str) -> Vec<&'g str> {
        for ext in [".md", ".markdown"] {
            if let Some(&f) = self.files.get(format!("{target}{ext}").as_str()) {
                return vec![f];
            }
        }
        let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
        let name_lower = name.to_lowercase();
        if let Some(siblings) = self.by_dir.get(dir) {
            let best = closest(
                &name_lower,
                siblings
                    .iter()
                    .map(|s| (s.rsplit('/').next().unwrap_or(s).to_lowercase(), *s)),
                0.75,
            );
            if !best.is_empty() {
                return best;
            }
        }
        self.by_name.get(&name_lower).cloned().unwrap_or_default()
    }
}

/// The candidates scoring within a hair of the best score (≥ `floor`),
/// best first. One result means a unique answer.
pub fn closest<T: Copy>(
    wanted: &str,
    candidates: impl Iterator<Item = (String, T)>,
    floor: f64,
) -> Vec<T> {
    let mut scored: Vec<(f64, String, T)> = candidates
        .filter(|(c, _)| {
            let (a, b) = (c.chars().count() as f64, wanted.chars().count() as f64);
            // Cheap length filter before the edit distance.
            (a - b).abs() <= (a.max(b) * (1.0 - floor)).ceil() + 1.0
        })
        .map(|(c, t)| (strsim::normalized_levenshtein(wanted, &c), c, t))
        .filter(|(s, _, _)| *s >= floor)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let Some(best) = scored.first().map(|s| s.0) else {
        return Vec::new();
    };
    scored
        .into_iter()
        .take_while(|s| best - s.0 < 1e-9)
        .map(|s| s.2)
        .collect()
}

/// Join a link path to the folder of `from` and fold `.` and `..`.
/// `None` when the path climbs above the root. A leading `/` starts at the
/// root.
pub fn normalise(from: &str, path: &str) -> Option<String> {
    let mut out = String::with_capacity(from.len() + path.len());
    if !path.starts_with('/')
        && let Some((dir, _)) = from.rsplit_once('/')
    {
        out.push_str(dir);
    }
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                match out.rfind('/') {
                    Some(i) => out.truncate(i),
                    None => out.clear(),
                }
            }
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    Some(out)
}

/// A relative path from the folder of `from` to `to` (both root-relative).
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = {
        let mut v: Vec<&str> = from.split('/').collect();
        v.pop();
        v
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_dots_and_refuses_to_leave_the_root() {
        assert_eq!(normalise("a/b.md", "c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalise("a/b.md", "../c.md").as_deref(), Some("c.md"));
        assert_eq!(
            normalise("a/b.md", "./x/../y.md").as_deref(),
            Some("a/y.md")
        );
        assert_eq!(normalise("b.md", "../c.md"), None);
        assert_eq!(normalise("a/b.md", "/top.md").as_deref(), Some("top.md"));
    }

    #[test]
    fn relative_paths_climb_as_needed() {
        assert_eq!(relative("a/b.md", "a/c.md"), "c.md");
        assert_eq!(relative("a/b.md", "d/c.md"), "../d/c.md");
        assert_eq!(relative("b.md", "d/c.md"), "d/c.md");
    }

    #[test]
    fn closest_returns_ties_so_callers_know_it_is_not_unique() {
        let c = closest(
            "ab.md",
            [("ac.md".to_string(), 1), ("ad.md".to_string(), 2)].into_iter(),
            0.5,
        );
        assert_eq!(c, [1, 2]);
        let c = closest(
            "nstalling-x.md",
            [
                ("installing-x.md".to_string(), 1),
                ("other.md".to_string(), 2),
            ]
            .into_iter(),
            0.7,
        );
        assert_eq!(c, [1]);
    }
}
