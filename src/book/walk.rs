//! The files of a guide: every file under its source folder (hidden
//! entries, unless asked for, and `node_modules` skipped, the hidden
//! folders named; links followed while they stay in the folder), and the
//! reading order of a folder of chapters.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The files of a guide's source folder.
#[derive(Debug, Default)]
pub struct Walked {
    /// Every file, relative, `/`-separated, sorted.
    pub files: Vec<String>,
    /// The hidden folders (`.github`) that were not read, sorted.
    pub hidden: Vec<String>,
    /// Symbolic links that lead out of the folder (sorted): not followed,
    /// never read.
    pub outside: Vec<String>,
    /// Folders that could not be opened, with why (sorted): their files are
    /// not in [`Walked::files`].
    pub unreadable: Vec<(String, String)>,
}

/// Every file under `dir`; hidden entries (unless `hidden`) and
/// `node_modules` are skipped, and the hidden folders skipped are named.
/// Links are followed while they stay inside `dir`; a link that leads out
/// of it is listed in [`Walked::outside`] instead, and a folder reached a
/// second time through a link (a loop) is not walked again.
pub fn walk(dir: &Path, hidden: bool) -> Walked {
    let keep = |name: &str| keep(name, hidden);
    // A hidden folder left out, by its path relative to `dir`.
    let skipped = |path: &Path, is_dir: bool, name: &str| -> Option<String> {
        (is_dir && name.starts_with('.') && name != "." && name != "..")
            .then(|| relative_name(dir, path))
            .flatten()
    };
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    // Whether a link leads to a place inside the folder: the rule every
    // file runsheet reads is held to.
    let held = crate::text::inside::Root::new(dir);
    let inside = |path: &Path| held.holds(path);
    let mut outside: Vec<String> = Vec::new();
    let mut hidden_found: Vec<String> = Vec::new();
    let mut unreadable: Vec<(String, String)> = Vec::new();
    // Folders are opened breadth-first until there are enough of them to
    // share between threads, then each is walked on its own: on a large
    // tree the walk is otherwise the longest stretch run on one thread.
    let mut files: Vec<String> = Vec::new();
    let mut frontier: Vec<PathBuf> = vec![dir.to_path_buf()];
    let mut seen: std::collections::HashSet<PathBuf> = [root.clone()].into_iter().collect();
    for _ in 0..3 {
        if frontier.len() >= 4 * rayon::current_num_threads() {
            break;
        }
        let mut next = Vec::new();
        for folder in &frontier {
            let entries = match std::fs::read_dir(folder) {
                Ok(entries) => entries,
                Err(e) => {
                    if let Some(rel) = relative_name(dir, folder).filter(|r| !r.is_empty()) {
                        unreadable.push((rel, e.to_string()));
                    }
                    continue;
                }
            };
            for e in entries.filter_map(Result::ok) {
                let name = e.file_name();
                let name = name.to_string_lossy();
                let path = e.path();
                if !keep(&name) {
                    let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
                    hidden_found.extend(skipped(&path, is_dir, &name));
                    continue;
                }
                let is_link = e.file_type().is_ok_and(|t| t.is_symlink());
                if is_link && !inside(&path) {
                    if path.exists() {
                        outside.extend(relative_name(dir, &path));
                    }
                    continue;
                }
                match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => {
                        // A folder met again through a link is a loop.
                        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                        if seen.insert(real) {
                            next.push(path);
                        }
                    }
                    Ok(m) if m.is_file() => files.extend(relative_name(dir, &path)),
                    _ => {}
                }
            }
        }
        frontier = next;
    }
    frontier.sort();
    type Below = (Vec<String>, Vec<String>, Vec<String>, Vec<(String, String)>);
    let below: Vec<Below> = frontier
        .par_iter()
        .map(|top| {
            let mut found = Vec::new();
            let mut left = Vec::new();
            let mut left_out = Vec::new();
            let mut closed = Vec::new();
            let mut walker = walkdir::WalkDir::new(top).follow_links(true).into_iter();
            while let Some(entry) = walker.next() {
                // A loop is skipped (its folder was walked already); a
                // folder that cannot be opened is named.
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        // A link to nothing is not a folder runsheet
                        // failed to open: it was never a file of the guide.
                        let dangling = err
                            .io_error()
                            .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
                        if err.loop_ancestor().is_none()
                            && !dangling
                            && let Some(rel) = err.path().and_then(|p| relative_name(dir, p))
                        {
                            let why = err
                                .io_error()
                                .map_or_else(|| err.to_string(), ToString::to_string);
                            closed.push((rel, why));
                        }
                        continue;
                    }
                };
                let name = e.file_name().to_string_lossy();
                if e.depth() > 0 && !keep(&name) {
                    left_out.extend(skipped(e.path(), e.file_type().is_dir(), &name));
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                if e.path_is_symlink() && !inside(e.path()) {
                    left.extend(relative_name(dir, e.path()));
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                if e.file_type().is_file() {
                    found.extend(relative_name(dir, e.path()));
                }
            }
            (found, left, left_out, closed)
        })
        .collect();
    for (found, left, left_out, closed) in below {
        files.extend(found);
        outside.extend(left);
        hidden_found.extend(left_out);
        unreadable.extend(closed);
    }
    unreadable.sort();
    unreadable.dedup();
    files.par_sort_unstable();
    outside.sort_unstable();
    hidden_found.sort();
    Walked {
        files,
        hidden: hidden_found,
        outside,
        unreadable,
    }
}

/// Hidden entries (unless asked for) and `node_modules` are not part of a
/// guide.
fn keep(name: &str, hidden: bool) -> bool {
    (hidden || !name.starts_with('.')) && name != "node_modules"
}

/// `path` below `dir`, `/`-separated.
fn relative_name(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let text = rel.to_string_lossy();
    Some(if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    })
}

pub fn is_markdown(path: &str) -> bool {
    let ends_with = |ext: &str| {
        path.len()
            .checked_sub(ext.len())
            .and_then(|start| path.as_bytes().get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case(ext.as_bytes()))
    };
    ends_with(".md") || ends_with(".markdown")
}

/// Reading order: folder by folder, README.md or index.md first in its
/// folder, then by name. Compares without allocating: a large tree sorts
/// ten thousand paths before any is read.
pub fn reading_order(a: &str, b: &str) -> std::cmp::Ordering {
    // Most pairs differ in their first folders: compare the common start
    // once, then only the parts from the folder where they part.
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let from =
        memchr::memrchr(b'/', a.as_bytes().get(..common).unwrap_or_default()).map_or(0, |i| i + 1);
    let (a, b) = (&a[from..], &b[from..]);
    let (mut x, mut y) = (a.split('/').peekable(), b.split('/').peekable());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(p), Some(q)) => {
                let p_first = x.peek().is_none() && is_folder_index(p);
                let q_first = y.peek().is_none() && is_folder_index(q);
                let order = q_first.cmp(&p_first).then_with(|| p.cmp(q));
                if order.is_ne() {
                    return order;
                }
            }
        }
    }
}

fn is_folder_index(name: &str) -> bool {
    name.eq_ignore_ascii_case("readme.md") || name.eq_ignore_ascii_case("index.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_and_index_come_first_in_their_folder() {
        let mut v = vec!["b.md", "a.md", "README.md", "sub/z.md", "sub/index.md"];
        v.sort_by(|a, b| reading_order(a, b));
        assert_eq!(v, ["README.md", "a.md", "b.md", "sub/index.md", "sub/z.md"]);
    }
}
