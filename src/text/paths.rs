//! `/`-separated paths inside a book, as links write them: joined to the
//! folder they are written in, with `.` and `name/..` folded out. One set of
//! rules for every layer: a check resolves a link with them, and a render
//! rewrites the same link to work from the runbook's folder.
//!
//! A backslash separates folders as a slash does (`sub\x.md`), as Windows
//! authors write them and browsers read them.

use std::path::{Component, Path, PathBuf};

/// What a `..` does when there is no folder left to climb out of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AboveTop {
    /// The path leaves the root: fail.
    Refuse,
    /// Keep it (`../../docs/x.md`).
    Keep,
}

/// Fold `path`, joined to the folder `base` (already folded, no trailing
/// slash), into `out` (cleared first). A path starting with `/` starts at
/// the top instead of at `base`.
fn fold(base: &str, path: &str, out: &mut String, above: AboveTop) -> bool {
    out.clear();
    let absolute = path.starts_with('/');
    if !absolute {
        out.push_str(base);
    }
    let bytes = path.as_bytes();
    let mut start = 0;
    while start <= bytes.len() {
        let end = memchr::memchr2(b'/', b'\\', bytes.get(start..).unwrap_or_default())
            .map_or(bytes.len(), |i| start + i);
        let seg = &path[start..end];
        start = end + 1;
        match seg {
            "" | "." => {}
            ".." => {
                let last = match memchr::memrchr(b'/', out.as_bytes()) {
                    Some(i) => i + 1,
                    None => 0,
                };
                if !out.is_empty() && &out[last..] != ".." {
                    out.truncate(last.saturating_sub(1));
                } else if above == AboveTop::Keep {
                    if !out.is_empty() {
                        out.push('/');
                    }
                    out.push_str("..");
                } else {
                    return false;
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
    if absolute && above == AboveTop::Keep {
        out.insert(0, '/');
    }
    true
}

/// The folder part of a root-relative file path (`a/b.md` → `a`).
pub fn folder(file: &str) -> &str {
    memchr::memrchr(b'/', file.as_bytes()).map_or("", |i| &file[..i])
}

/// Resolve `path`, written in the file `from`, to a path from the root:
/// joined to `from`'s folder, `.` and `..` folded. `None` when it climbs
/// above the root. A leading `/` starts at the root.
pub fn resolve(from: &str, path: &str) -> Option<String> {
    let mut out = String::with_capacity(from.len() + path.len());
    resolve_into(from, path, &mut out).then_some(out)
}

/// [`resolve`] into `out` (cleared first), without allocating once `out`
/// is large enough; false when the path climbs above the root.
pub fn resolve_into(from: &str, path: &str, out: &mut String) -> bool {
    fold(folder(from), path, out, AboveTop::Refuse)
}

/// Fold `.` and `name/..` out of a path, keeping the `..`s that climb
/// above its start and a leading `/` (`../../docs/./a/../b.md` →
/// `../../docs/b.md`); `.` for nothing.
pub fn normalise(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    fold("", path, &mut out, AboveTop::Keep);
    if out.is_empty() { ".".into() } else { out }
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
    out.extend(to_parts.iter().skip(common));
    out.join("/")
}

/// A filesystem path as shown to people: `/`-separated, without a leading
/// `./`.
pub fn shown(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` below `root`, `/`-separated; `None` when it is not below it.
pub fn below(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The path from the folder `from` to `to` on disk, `/`-separated, ending
/// in `/` (`../../`), worked out on absolute paths so it does not depend on
/// the current folder. On another drive, `to` itself.
pub fn between_folders(from: &Path, to: &Path) -> String {
    let from = resolved(from);
    let to = resolved(to);
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    if from.first() != to.first() {
        let mut s = to
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .replace('\\', "/");
        if !s.ends_with('/') {
            s.push('/');
        }
        return s;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = String::new();
    for _ in common..from.len() {
        out.push_str("../");
    }
    for c in to.iter().skip(common) {
        out.push_str(&c.as_os_str().to_string_lossy());
        out.push('/');
    }
    out
}

/// [`normalise`] for a file system path: `.` and `..` folded out by its
/// text (no file system asked), the `..`s that climb above its start kept.
pub fn normalise_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// An absolute path with `.` and `..` worked out and symbolic links in the
/// part that exists resolved.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

/// A report path: `file` (relative to `root`) joined to `root` as the user
/// reaches it, `..` at the start of `file` climbing out of `root`
/// (`docs` + `../environments/prod.yaml` is `environments/prod.yaml`).
pub fn join(root: &str, file: &str) -> String {
    if root.is_empty() || root == "." {
        return file.to_string();
    }
    if !file.starts_with("../") {
        let root = root.trim_end_matches('/');
        if !root.is_empty() {
            let mut out = String::with_capacity(root.len() + 1 + file.len());
            out.push_str(root);
            out.push('/');
            out.push_str(file);
            return out;
        }
    }
    let mut parts: Vec<&str> = root.trim_end_matches('/').split('/').collect();
    let mut rest = file;
    while let Some(r) = rest.strip_prefix("../") {
        match parts.last() {
            Some(&last) if last != ".." && !last.is_empty() => {
                parts.pop();
                rest = r;
            }
            _ => break,
        }
    }
    if parts.is_empty() || parts == [""] && !root.starts_with('/') {
        rest.to_string()
    } else {
        format!("{}/{}", parts.join("/"), rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_inside_the_root_or_not_at_all() {
        assert_eq!(resolve("a/b.md", "c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("a/b.md", "../c.md").as_deref(), Some("c.md"));
        assert_eq!(resolve("a/b.md", "./x/../y.md").as_deref(), Some("a/y.md"));
        assert_eq!(
            resolve("a/b.md", "sub\\y.md").as_deref(),
            Some("a/sub/y.md")
        );
        assert_eq!(resolve("b.md", "../c.md"), None);
        assert_eq!(resolve("a/b.md", "/top.md").as_deref(), Some("top.md"));
    }

    #[test]
    fn normalise_keeps_leading_parent_steps_and_a_leading_slash() {
        assert_eq!(normalise("../../docs/./a/../b.md"), "../../docs/b.md");
        assert_eq!(normalise("a/b/../../.."), "..");
        assert_eq!(normalise("/abs/x/../y.md"), "/abs/y.md");
        assert_eq!(normalise(""), ".");
    }

    #[test]
    fn relative_paths_climb_as_needed() {
        assert_eq!(relative("a/b.md", "a/c.md"), "c.md");
        assert_eq!(relative("a/b.md", "d/c.md"), "../d/c.md");
        assert_eq!(relative("b.md", "d/c.md"), "d/c.md");
    }

    #[test]
    fn folders_on_disk_go_up_then_down() {
        let base = tempfile::tempdir().unwrap();
        let root = base.path().join("book");
        std::fs::create_dir_all(root.join("docs")).unwrap();
        assert_eq!(between_folders(&root.join("out/lab"), &root), "../../");
        assert_eq!(
            between_folders(&root.join("out/../x/lab"), &root.join("docs")),
            "../../docs/"
        );
        assert_eq!(
            between_folders(&base.path().join("elsewhere/lab"), &root),
            "../../book/"
        );
    }

    #[test]
    fn report_paths_climb_out_of_the_root() {
        assert_eq!(join("docs", "a.md"), "docs/a.md");
        assert_eq!(
            join("docs", "../environments/prod.yaml"),
            "environments/prod.yaml"
        );
        assert_eq!(join(".", "a.md"), "a.md");
    }
}
