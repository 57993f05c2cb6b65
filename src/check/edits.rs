//! The byte edits a link fix makes: a new path or a new fragment written
//! into the destination as the author wrote it, and the path to write for
//! a file that was meant.

use crate::model::Link;
use crate::text::paths;

/// The edit that makes the link point at `new_path`, keeping its fragment
/// and the way it was written.
pub fn destination(link: &Link, new_path: &str) -> Option<(usize, usize, String)> {
    let span = link.dest_span.clone()?;
    let path_end = link.dest_path_end?;
    // A destination written with a space is inside `<…>`, where spaces may
    // stay; anywhere else a space would end the destination and unmake the
    // link, so it is written `%20`.
    let encoded = if link.destination.contains(' ') {
        new_path.to_string()
    } else {
        new_path.replace(' ', "%20")
    };
    Some((span.start, path_end, encoded))
}

/// The edit that makes the link's fragment `anchor`.
pub fn fragment(link: &Link, anchor: &str) -> Option<(usize, usize, String)> {
    let span = link.dest_span.clone()?;
    let start = link.dest_fragment_start?;
    Some((start, span.end, anchor.to_string()))
}

/// Keep the written path's folders and `..`s; swap in the right-cased
/// trailing components from `actual`.
pub fn recase(written: &str, actual: &str) -> String {
    let mut parts: Vec<String> = written.split('/').map(str::to_string).collect();
    let actual_parts: Vec<&str> = actual.split('/').collect();
    let mut a = actual_parts.len();
    for p in parts.iter_mut().rev() {
        if p.is_empty() || p == "." || p == ".." || a == 0 {
            break;
        }
        a -= 1;
        *p = actual_parts[a].to_string();
    }
    parts.join("/")
}

/// The path to write for a suggested file: same folder as written when the
/// file is a sibling, else a path relative to the chapter.
pub fn rewrite_path(written: &str, from: &str, suggested: &str) -> String {
    let (written_dir, _) = written.rsplit_once('/').unwrap_or(("", written));
    let (_, name) = suggested.rsplit_once('/').unwrap_or(("", suggested));
    let sibling = paths::resolve(
        from,
        format!("{written_dir}/{name}").trim_start_matches('/'),
    );
    if sibling.as_deref() == Some(suggested) {
        if written_dir.is_empty() {
            name.to_string()
        } else {
            format!("{written_dir}/{name}")
        }
    } else {
        paths::relative(from, suggested)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recase_keeps_the_written_folders() {
        assert_eq!(
            recase("../media/Shot.PNG", "docs/media/shot.png"),
            "../media/shot.png"
        );
        assert_eq!(
            recase("install-SQL-server.md", "Install-SQL-server.md"),
            "Install-SQL-server.md"
        );
    }

    #[test]
    fn suggestions_keep_the_written_folder() {
        assert_eq!(
            rewrite_path("sub/nstalling.md", "a.md", "sub/installing.md"),
            "sub/installing.md"
        );
        assert_eq!(
            rewrite_path("nstalling.md", "a/b.md", "a/installing.md"),
            "installing.md"
        );
        assert_eq!(rewrite_path("x.md", "a/b.md", "c/x.md"), "../c/x.md");
    }
}
