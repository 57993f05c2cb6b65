//! Every file a link can point at: the files (exact and case-folded) and
//! folders, built once from the walk, with bounded "did you mean" search
//! per folder. Resolving a link is a few hash look-ups, never a filesystem
//! call. [`Files`] needs only the walk, so the chapter pass resolves links
//! while the book is still being read; chapters' anchors are in their
//! digests.

use crate::text::paths;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, Mutex};

/// The files and folders under the source folder.
pub struct Files {
    /// Path → its place in the sorted list the index was built from.
    files: HashMap<Arc<str>, u32>,
    /// Place → path: the list the index was built from.
    by_id: Vec<Arc<str>>,
    folded: HashMap<String, Vec<Arc<str>>>,
    dirs: HashSet<String>,
    /// File name (lower case) → paths, for suggestions across folders.
    by_name: HashMap<String, Vec<Arc<str>>>,
    /// Folder → files directly in it.
    by_dir: HashMap<String, Vec<Arc<str>>>,
    /// Per folder, its files' names ready for "did you mean": built for a
    /// folder the first time a link into it is broken.
    folders: Mutex<HashMap<String, Arc<Folder>>>,
    /// The extensions of the files, in lower case.
    extensions: HashSet<String>,
}

/// Which files some link reaches: a flag per file, by [`Files::id`].
pub struct Linked<'f> {
    files: &'f Files,
    reached: Vec<bool>,
}

impl<'f> Linked<'f> {
    /// Nothing reached yet.
    pub fn new(files: &'f Files) -> Self {
        Linked {
            files,
            reached: vec![false; files.files.len()],
        }
    }

    pub fn add(&mut self, id: u32) {
        if let Some(flag) = self.reached.get_mut(id as usize) {
            *flag = true;
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files
            .id(path)
            .is_some_and(|id| self.reached.get(id as usize) == Some(&true))
    }
}

/// One folder's names, sorted by length, and an index of every name and
/// every name less one character, by hash: two names one edit apart share
/// an entry, so the usual typo is found without comparing the folder.
struct Folder {
    names: Vec<Name>,
    /// (hash of a name or of it less one character, the name's index),
    /// sorted: one vector, not a list per hash, since a folder of
    /// thousands of names has tens of thousands of entries.
    near: Vec<(u64, u32)>,
}

/// FNV-1a over the bytes of `s` but those in `skip`: the hash of `s` with
/// one character left out, without making that string.
fn hash_without(s: &str, skip: std::ops::Range<usize>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, b) in s.bytes().enumerate() {
        if !skip.contains(&i) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The hashes of `s` and of `s` with each one of its characters left out.
fn one_less(s: &str) -> impl Iterator<Item = u64> + '_ {
    std::iter::once(hash_without(s, 0..0)).chain(
        s.char_indices()
            .map(|(i, c)| hash_without(s, i..i + c.len_utf8())),
    )
}

impl Folder {
    fn new(files: &[Arc<str>]) -> Self {
        let mut names: Vec<Name> = files
            .iter()
            .map(|path| {
                let lower: Box<str> = path
                    .rsplit('/')
                    .next()
                    .unwrap_or(path)
                    .to_lowercase()
                    .into();
                Name {
                    chars: lower.chars().count(),
                    histogram: histogram(&lower),
                    lower,
                    path: path.clone(),
                }
            })
            .collect();
        names.sort_by(|a, b| a.chars.cmp(&b.chars).then_with(|| a.lower.cmp(&b.lower)));
        let mut near: Vec<(u64, u32)> = names
            .iter()
            .enumerate()
            .flat_map(|(i, n)| one_less(&n.lower).map(move |h| (h, i as u32)))
            .collect();
        near.sort_unstable();
        near.dedup();
        near.shrink_to_fit();
        Folder { names, near }
    }

    /// The names that share the entry `hash`, in index order.
    fn sharing(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let from = self.near.partition_point(|(h, _)| *h < hash);
        self.near
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(h, _)| *h == hash)
            .map(|(_, i)| *i)
    }
}

/// A file name prepared for cheap comparison.
struct Name {
    chars: usize,
    histogram: [u8; 32],
    lower: Box<str>,
    path: Arc<str>,
}

/// How many names one broken link is compared with, at most: a tree with
/// thousands of broken links and a folder of thousands of files stays
/// linear, not quadratic.
const MAX_SCANNED: usize = 4096;
/// How many of those get the full edit distance, at most.
const MAX_SCORED: usize = 64;

/// Letter counts, folded into 32 buckets. Each insertion or deletion
/// changes the counts' total difference by one and a substitution by two,
/// so half that difference is a lower bound of the edit distance: most
/// names are ruled out without computing it.
fn histogram(s: &str) -> [u8; 32] {
    let mut h = [0u8; 32];
    for c in s.chars() {
        let b = match c {
            'a'..='z' => c as usize - 'a' as usize,
            '0'..='9' => 26 + (c as usize - '0' as usize) % 4,
            '-' | '_' | ' ' => 30,
            _ => 31,
        };
        if let Some(n) = h.get_mut(b) {
            *n = n.saturating_add(1);
        }
    }
    h
}

fn histogram_distance(a: &[u8; 32], b: &[u8; 32]) -> usize {
    a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum()
}

/// Where a local link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// An existing file (for an mdBook `.html` link, its `.md` source),
    /// with its [`Files::id`].
    File(&'a str, u32),
    /// An existing folder.
    Dir(String),
    /// The target exists only with other letter case: the file as it is
    /// spelt, and its id.
    CaseMismatch(&'a str, u32),
    /// Nothing there; the normalised path that was looked for.
    Missing(String),
    /// The path climbs out of the root.
    Outside,
    /// A site-absolute link to another site of the same host (a DocFX
    /// tree's `/windows/…` beside its own `/cpp/…`): not checked offline.
    Elsewhere,
}

impl Files {
    /// Index `all` (root-relative, `/`-separated paths).
    pub fn new(all: &[String]) -> Self {
        let mut files = HashMap::with_capacity_and_hasher(all.len(), Default::default());
        let mut folded: HashMap<String, Vec<Arc<str>>> =
            HashMap::with_capacity_and_hasher(all.len(), Default::default());
        let mut dirs = HashSet::default();
        let mut by_name: HashMap<String, Vec<Arc<str>>> = HashMap::default();
        let mut by_dir: HashMap<String, Vec<Arc<str>>> = HashMap::default();
        let mut extensions: HashSet<String> = HashSet::default();
        let mut by_id = Vec::with_capacity(all.len());
        for (id, f) in all.iter().enumerate() {
            if let Some((_, ext)) = f.rsplit('/').next().and_then(|n| n.rsplit_once('.'))
                && !extensions.contains(ext)
            {
                extensions.insert(ext.to_ascii_lowercase());
            }
            let path: Arc<str> = Arc::from(f.as_str());
            folded
                .entry(f.to_lowercase())
                .or_default()
                .push(path.clone());
            let (dir, name) = f.rsplit_once('/').unwrap_or(("", f));
            by_name
                .entry(name.to_lowercase())
                .or_default()
                .push(path.clone());
            match by_dir.get_mut(dir) {
                Some(list) => list.push(path.clone()),
                None => {
                    by_dir.insert(dir.to_string(), vec![path.clone()]);
                }
            }
            let mut d = dir;
            while !d.is_empty() && !dirs.contains(d) {
                dirs.insert(d.to_string());
                d = d.rsplit_once('/').map_or("", |(p, _)| p);
            }
            by_id.push(path.clone());
            files.insert(path, id as u32);
        }
        Files {
            files,
            by_id,
            folded,
            dirs,
            by_name,
            by_dir,
            folders: Default::default(),
            extensions,
        }
    }

    /// Whether some file has the extension `ext` (lower case, no dot).
    pub fn has_extension(&self, ext: &str) -> bool {
        self.extensions.contains(ext)
    }

    /// A file's place in the list the index was built from.
    pub fn id(&self, path: &str) -> Option<u32> {
        self.files.get(path).copied()
    }

    /// The file at place `id` (see [`Files::id`]).
    pub fn path(&self, id: u32) -> Option<&str> {
        self.by_id.get(id as usize).map(|p| &**p)
    }

    /// Resolve a link's decoded `path` written in the chapter at `from`.
    pub fn resolve(&self, from: &str, path: &str) -> Resolved<'_> {
        // Folded into a buffer each thread keeps: a link that resolves
        // costs no allocation.
        thread_local! {
            static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        SCRATCH.with_borrow_mut(|target| {
            if !paths::resolve_into(from, path, target) {
                return Resolved::Outside;
            }
            if let Some(found) = self.lookup(target) {
                return found;
            }
            // mdBook links chapters by their HTML name: `intro.html` is `intro.md`.
            if let Some(stem) = target.strip_suffix(".html") {
                if let Some(found) = self.lookup(&format!("{stem}.md")) {
                    return found;
                }
                // and a folder's `README.md` is published as its `index.html`.
                if let Some(dir) = stem.strip_suffix("index")
                    && (dir.is_empty() || dir.ends_with('/'))
                    && let Some(found) = self.lookup(&format!("{dir}README.md"))
                {
                    return found;
                }
            }
            Resolved::Missing(target.clone())
        })
    }

    /// Resolve `path` (from the root, as [`crate::check::docfx::Site::locate`]
    /// gives it) the way a DocFX site serves it: the file itself, else with
    /// `.md` or `.yml`, else the folder's `index.md` or `index.yml`. URLs
    /// are read whatever their case, so a file found but for case is found.
    /// Missing, the path looked for is the `.md` one when the link names
    /// no extension.
    pub fn resolve_site(&self, path: &str) -> Resolved<'_> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let has_extension = name.contains('.');
        let mut candidates = Vec::with_capacity(5);
        if has_extension {
            candidates.push(path.to_string());
        } else {
            if !path.is_empty() {
                candidates.push(format!("{path}.md"));
                candidates.push(format!("{path}.yml"));
            }
            let dir = if path.is_empty() {
                String::new()
            } else {
                format!("{path}/")
            };
            candidates.push(format!("{dir}index.md"));
            candidates.push(format!("{dir}index.yml"));
            candidates.push(path.to_string());
        }
        for c in &candidates {
            match self.lookup(c) {
                Some(Resolved::CaseMismatch(f, id)) => return Resolved::File(f, id),
                Some(found) => return found,
                None => {}
            }
        }
        Resolved::Missing(candidates.swap_remove(0))
    }

    fn lookup(&self, target: &str) -> Option<Resolved<'_>> {
        if let Some((f, &id)) = self.files.get_key_value(target) {
            return Some(Resolved::File(f, id));
        }
        if target.is_empty() || self.dirs.contains(target) {
            return Some(Resolved::Dir(target.to_string()));
        }
        if let Some(first) = self
            .folded
            .get(&target.to_lowercase())
            .and_then(|c| c.first())
        {
            let id = self.id(first).unwrap_or(u32::MAX);
            return Some(Resolved::CaseMismatch(first, id));
        }
        None
    }

    /// Files worth suggesting for a missing `target`: the same name with
    /// `.md` added, else the closest names in the same folder, else the
    /// same file name in another folder. Bounded: only one folder's files
    /// are compared, so thousands of broken links stay cheap.
    pub fn suggest_file(&self, target: &str) -> Vec<&str> {
        for ext in [".md", ".markdown"] {
            if let Some((f, _)) = self.files.get_key_value(format!("{target}{ext}").as_str()) {
                return vec![f];
            }
        }
        let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
        let name_lower = name.to_lowercase();
        let best = self.closest_in_folder(dir, &name_lower);
        if !best.is_empty() {
            return best;
        }
        self.by_name
            .get(&name_lower)
            .map(|paths| paths.iter().map(|p| &**p).collect())
            .unwrap_or_default()
    }

    /// Whether `candidate`, a file [`Files::suggest_file`] named alone for
    /// the missing `target`, is clearly the one meant: the name with `.md`
    /// added, the only file of that name elsewhere, or a name in the same
    /// folder with no other name within one more edit of `target`'s. A
    /// folder too large to scan within bounds is not clear.
    pub fn is_clear(&self, target: &str, candidate: &str) -> bool {
        let (dir, name) = target.rsplit_once('/').unwrap_or(("", target));
        let (cand_dir, cand_name) = candidate.rsplit_once('/').unwrap_or(("", candidate));
        if cand_dir != dir || cand_name.strip_suffix(".md") == Some(name) {
            // The `.md` form, or the one file of that name in another folder.
            return true;
        }
        let Some((key, files)) = self.by_dir.get_key_value(dir) else {
            return false;
        };
        let folder = {
            let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            folders
                .entry(key.clone())
                .or_insert_with(|| Arc::new(Folder::new(files)))
                .clone()
        };
        let wanted = name.to_lowercase();
        let cand_lower = cand_name.to_lowercase();
        let d = strsim::levenshtein(&wanted, &cand_lower);
        let reach = d + 1;
        let want_chars = wanted.chars().count();
        let want_hist = histogram(&wanted);
        let from = folder
            .names
            .partition_point(|n| n.chars + reach < want_chars);
        for (scanned, n) in folder
            .names
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|n| n.chars <= want_chars + reach)
            .enumerate()
        {
            if scanned > MAX_SCANNED {
                return false;
            }
            if *n.lower == *cand_lower || histogram_distance(&n.histogram, &want_hist) > 2 * reach {
                continue;
            }
            if strsim::levenshtein(&wanted, &n.lower) <= reach {
                return false;
            }
        }
        true
    }

    /// The names in `dir` closest to `wanted` (lower case) with a
    /// normalised edit similarity of at least 0.75; ties all returned.
    /// Names one edit away are found through the folder's index; only when
    /// there are none is the folder scanned, and that scan is bounded: when
    /// it stops short, it suggests nothing rather than something that may
    /// not be the closest.
    fn closest_in_folder(&self, dir: &str, wanted: &str) -> Vec<&str> {
        let Some((key, files)) = self.by_dir.get_key_value(dir) else {
            return Vec::new();
        };
        let folder = {
            let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            folders
                .entry(key.clone())
                .or_insert_with(|| Arc::new(Folder::new(files)))
                .clone()
        };
        // The names returned are borrowed from the index's own set.
        let own = |path: &Arc<str>| -> &str {
            self.files.get_key_value(&**path).map_or("", |(p, _)| &**p)
        };
        let pick = |scored: Vec<(f64, &Name)>| -> Vec<&str> {
            let mut scored: Vec<_> = scored.into_iter().filter(|s| s.0 >= 0.75).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.lower.cmp(&b.1.lower)));
            let Some(best) = scored.first().map(|s| s.0) else {
                return Vec::new();
            };
            scored
                .into_iter()
                .take_while(|s| best - s.0 < 1e-9)
                .map(|s| own(&s.1.path))
                .collect()
        };
        // One edit away: share an entry of the index.
        let mut seen = HashSet::default();
        let mut near: Vec<(f64, &Name)> = Vec::new();
        for hash in one_less(wanted) {
            for i in folder.sharing(hash) {
                if seen.insert(i)
                    && let Some(n) = folder.names.get(i as usize)
                    && strsim::levenshtein(wanted, &n.lower) <= 1
                {
                    near.push((strsim::normalized_levenshtein(wanted, &n.lower), n));
                }
            }
        }
        let found = pick(near);
        if !found.is_empty() {
            return found;
        }
        // Farther: a bounded scan of names of about the same length.
        let list = &folder.names;
        let want_chars = wanted.chars().count();
        let want_hist = histogram(wanted);
        // Similarity ≥ 0.75 allows a quarter of the longer name in edits,
        // so lengths within that of each other.
        let reach = want_chars.div_ceil(3) + 1;
        let from = list.partition_point(|n| n.chars + reach < want_chars);
        let mut scored: Vec<(f64, &Name)> = Vec::new();
        let (mut scanned, mut compared) = (0, 0);
        for n in list
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|n| n.chars <= want_chars + reach)
        {
            scanned += 1;
            if scanned > MAX_SCANNED {
                return Vec::new();
            }
            let allowed = n.chars.max(want_chars) / 4;
            if histogram_distance(&n.histogram, &want_hist) > 2 * allowed {
                continue;
            }
            compared += 1;
            if compared > MAX_SCORED {
                return Vec::new();
            }
            scored.push((strsim::normalized_levenshtein(wanted, &n.lower), n));
        }
        pick(scored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_html_link_is_the_folders_readme() {
        let all: Vec<String> = ["README.md", "format/theme/README.md", "guide/intro.md"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let index = Files::new(&all);
        assert!(matches!(
            index.resolve("guide/intro.md", "../format/theme/index.html"),
            Resolved::File("format/theme/README.md", _)
        ));
        assert!(matches!(
            index.resolve("guide/intro.md", "../index.html"),
            Resolved::File("README.md", _)
        ));
        assert!(matches!(
            index.resolve("guide/intro.md", "../format/reindex.html"),
            Resolved::Missing(_)
        ));
    }

    #[test]
    fn a_one_letter_typo_is_found_among_thousands_of_like_names() {
        let files: Vec<String> = (0..5000)
            .map(|i| format!("docs/topic-{i:05}-configure-the-agent.md"))
            .collect();
        let index = Files::new(&files);
        assert_eq!(
            index.suggest_file("docs/opic-01234-configure-the-agent.md"),
            ["docs/topic-01234-configure-the-agent.md"]
        );
        assert_eq!(
            index.suggest_file("docs/topic-01234-configure-the-agnt.md"),
            ["docs/topic-01234-configure-the-agent.md"]
        );
    }

    #[test]
    fn a_search_that_would_have_to_compare_too_many_names_suggests_nothing() {
        // Every name is two edits from the target and as like it as the
        // next: the bounded scan stops short and says nothing rather than
        // name one that may not be the closest.
        let files: Vec<String> = (0..5000)
            .map(|i| format!("docs/topic-{i:05}-configure-the-agent.md"))
            .collect();
        let index = Files::new(&files);
        assert!(
            index
                .suggest_file("docs/topic-xx-configure-the-agent.md")
                .is_empty()
        );
    }
}
