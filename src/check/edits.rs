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

/// The edit that makes a link's fragment `anchor`: the fragment's bytes
/// in the source are `written` (see [`super::digest::fragment_written`]).
pub fn fragment(
    written: Option<std::ops::Range<usize>>,
    anchor: &str,
) -> Option<(usize, usize, String)> {
    let written = written?;
    Some((written.start, written.end, anchor.to_string()))
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
        if let Some(actual) = actual_parts.get(a) {
            *p = actual.to_string();
        }
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

/// Words a link's text is made of that name nothing.
const EMPTY_WORDS: &[&str] = &[
    "a", "about", "an", "and", "article", "at", "by", "for", "from", "here", "how", "in", "into",
    "is", "its", "link", "more", "of", "on", "or", "page", "read", "section", "see", "the", "this",
    "to", "topic", "with", "your",
];

/// Whether a link's `text` agrees with a file it might be meant for: the
/// file's `titles` (its title and first heading) and its `path`. Text
/// that names nothing (empty, "here", the path itself) agrees with any
/// file; otherwise at least half of its words must be found in a title
/// or the file's name, a word as a whole word or the start of one (four
/// letters at least), an acronym (`MA`) as the initials of title words
/// in a row ("management agent"). `The Graph API MA` does not agree with
/// "Create the Active Directory management agent" (`installing-ADMA.md`).
pub fn text_agrees(text: &str, titles: &[&str], path: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !EMPTY_WORDS.contains(&w.to_lowercase().as_str()))
        .filter(|w| w.chars().count() >= 3 || (w.len() >= 2 && w.chars().all(|c| c.is_uppercase())))
        .collect();
    // Text that is a file name or path names the file the way the link does.
    let looks_like_path = text.contains('/') || text.to_lowercase().ends_with(".md");
    if words.is_empty() || looks_like_path {
        return true;
    }
    let title_words: Vec<String> = titles
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let name = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let found = |word: &str| {
        let lower = word.to_lowercase();
        if name.contains(&lower) {
            return true;
        }
        let starts = |a: &str, b: &str| a.chars().count() >= 4 && b.starts_with(a);
        if title_words
            .iter()
            .any(|t| *t == lower || starts(&lower, t) || starts(t, &lower))
        {
            return true;
        }
        // An acronym: the initials of title words in a row.
        let n = lower.chars().count();
        word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            && title_words
                .windows(n)
                .any(|w| w.iter().zip(lower.chars()).all(|(t, c)| t.starts_with(c)))
    };
    let agreeing = words.iter().filter(|w| found(w)).count();
    agreeing * 2 >= words.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_text_must_agree_with_the_file_it_would_lead_to() {
        let adma = ["Create the Active Directory management agent"];
        let graph = ["Create the Graph API management agent"];
        assert!(!text_agrees(
            "The Graph API MA",
            &adma,
            "installing-ADMA.md"
        ));
        assert!(text_agrees(
            "The Graph API MA",
            &graph,
            "installing-GraphAPIMA.md"
        ));
        assert!(text_agrees(
            "The Graph MA",
            &graph,
            "installing-GraphAPIMA.md"
        ));
        assert!(text_agrees("the AD MA", &adma, "installing-ADMA.md"));
        // Text that names nothing, or names the file as a path, agrees.
        assert!(text_agrees("here", &adma, "installing-ADMA.md"));
        assert!(text_agrees("", &adma, "installing-ADMA.md"));
        assert!(text_agrees(
            "installing-AADMA.md",
            &adma,
            "installing-ADMA.md"
        ));
        // Words found in the file's name count too.
        assert!(text_agrees("Installing", &[], "installing-ADMA.md"));
        assert!(!text_agrees(
            "Configure SQL Server",
            &adma,
            "installing-ADMA.md"
        ));
    }

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
