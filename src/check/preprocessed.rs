//! What the preprocessors a book declares may rewrite, when the check does
//! not see their output (`runsheet check` alone, or the mdBook
//! preprocessor run before them): runsheet does not claim errors about it.
//!
//! An mdBook preprocessor runs before the book is rendered and may turn
//! anything into links and anchors. The Rust reference's turns rule names
//! (`[expr.negate]`, a link to `glossary.zst`), API paths (`macro@Clone`)
//! and `r[…]` markers into links and anchors; read as written they are
//! hundreds of broken links. So when a book declares a preprocessor whose
//! output the check does not see ([`Settings::unseen_preprocessors`]), a
//! finding about something written as no Markdown author writes a link or
//! an anchor is withheld, and counted: a link whose path is a name rather
//! than a file (no folder, and an extension no file of the book has and no
//! common file has, or an `@`), a fragment no heading can produce (one
//! with a character a heading's id drops, such as `.`), a reference label
//! that is one word (`[text][expr.negate]`). Every link written as a path
//! is still checked. Run as the mdBook preprocessor after them (`after =
//! ["spec"]`), runsheet checks the chapters as they reach it and withholds
//! nothing of theirs.

use super::Settings;
use super::index::{Files, Resolved};
use crate::model::Chapter;

/// File extensions common enough that a link to a missing file with one
/// is a broken link whatever the book's own files are.
const COMMON: &[&str] = &[
    "md", "markdown", "html", "htm", "txt", "pdf", "zip", "json", "yaml", "yml", "toml", "xml",
    "csv", "png", "jpg", "jpeg", "gif", "svg", "webp", "rs", "py", "ps1", "psm1", "cs", "sh", "js",
    "ts", "css", "exe", "msi", "dll",
];

/// Whether the check withholds what preprocessors may rewrite.
pub fn withholding(settings: &Settings) -> bool {
    !settings.unseen_preprocessors.is_empty()
}

/// Whether a link `path` that leads to no file is a name a preprocessor may
/// turn into a link rather than a file's path: no folder, and an `@`
/// (`macro@Clone`) or an extension that is no common file's and no file's
/// of the book (`glossary.zst`, `expr.negate`).
pub fn may_rewrite_path(path: &str, files: &Files) -> bool {
    if path.is_empty() || path.contains(['/', '\\', ' ']) {
        return false;
    }
    if !path
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | ':' | '!'))
    {
        return false;
    }
    if path.contains('@') {
        return true;
    }
    let Some((stem, ext)) = path.rsplit_once('.') else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    !stem.is_empty()
        && !ext.is_empty()
        && !COMMON.contains(&ext.as_str())
        && !files.has_extension(&ext)
}

/// Whether a `#fragment` is one no heading's id can be (a heading's id
/// keeps letters, digits, `-` and `_`): an anchor a preprocessor or raw
/// HTML must make.
pub fn may_rewrite_fragment(fragment: &str) -> bool {
    !fragment
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Whether a reference label is one a preprocessor may define: one word
/// (`expr.negate`, `` `Vec` ``), where a label of a Markdown author's is
/// most often words.
pub fn may_define(label: &str) -> bool {
    !label.trim().contains(char::is_whitespace)
}

/// What of a chapter the check leaves to the preprocessors (nothing when
/// it sees their output).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Withheld {
    /// Links not checked at all: each whose path [`may_rewrite_path`] and
    /// leads nowhere, each bare `#fragment` that [`may_rewrite_fragment`].
    pub links: usize,
    /// Those, each fragment into a chapter that [`may_rewrite_fragment`]
    /// (its path is checked), and each undefined reference that
    /// [`may_define`].
    pub total: usize,
}

/// What of `chapter`, whose links lead to `targets`, the check leaves to
/// the preprocessors it does not see.
pub fn withheld(
    settings: &Settings,
    files: &Files,
    chapter: &Chapter,
    targets: &[Option<Resolved<'_>>],
) -> Withheld {
    if !withholding(settings) {
        return Withheld::default();
    }
    let mut links = 0;
    let mut fragments = 0;
    for (link, target) in chapter.links.iter().zip(targets) {
        let odd_fragment = || {
            link.fragment
                .as_deref()
                .is_some_and(|f| !f.is_empty() && may_rewrite_fragment(f))
        };
        match target {
            // A bare `#fragment` has no target.
            None if link.path.is_empty() && !link.is_external() => {
                links += usize::from(odd_fragment());
            }
            None => {
                let left = !link.is_external()
                    && link.kind != crate::model::LinkKind::Autolink
                    && !settings.ignore_links.matches(&link.path)
                    && may_rewrite_path(&link.path, files)
                    && matches!(
                        files.resolve(&chapter.path, &link.path),
                        Resolved::Missing(_)
                    );
                links += usize::from(left);
            }
            Some(Resolved::File(..) | Resolved::CaseMismatch(..)) => {
                fragments += usize::from(odd_fragment());
            }
            Some(_) => {}
        }
    }
    let references = chapter
        .undefined_references
        .iter()
        .filter(|r| may_define(&r.label))
        .count();
    Withheld {
        links,
        total: links + fragments + references,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_from_paths() {
        let files = Files::new(&["a.md".to_string(), "media/x.png".to_string()]);
        for name in [
            "glossary.zst",
            "expr.negate",
            "macro@Clone",
            "items.fn.generics",
        ] {
            assert!(may_rewrite_path(name, &files), "{name}");
        }
        for path in [
            "gone.md",
            "x.png",
            "notes.txt",
            "sub/a.b",
            "setup",
            "a b.c",
            "",
        ] {
            assert!(!may_rewrite_path(path, &files), "{path}");
        }
        assert!(may_rewrite_fragment("r-expr.negate"));
        assert!(!may_rewrite_fragment("run-profiles_2"));
        assert!(may_define("expr.negate") && may_define("`Vec`"));
        assert!(!may_define("the install guide"));
    }
}

/// The chapters as mdBook hands them to the preprocessor, by path from the
/// source folder: what readers see once the preprocessors ordered before
/// runsheet ran. The check reads these in place of the files and reports
/// each finding at the place of the file it comes from ([`LineMap`]).
pub type Texts = std::collections::BTreeMap<String, String>;

/// Where each line of a preprocessed chapter comes from in its file: a
/// line the preprocessors left as it was is the same line; one they wrote
/// or changed is the line it replaced, or the line before what they added.
#[derive(Debug, Clone)]
pub struct LineMap {
    /// Per line of the preprocessed text (0-based): the file's line
    /// (0-based) and whether it is the same line.
    lines: Vec<(usize, bool)>,
}

/// Past this many lines in the two texts together, lines are matched by
/// their number rather than by a diff, whose cost grows with lines ×
/// changes.
const MAX_DIFFED_LINES: usize = 50_000;

impl LineMap {
    /// The map from `preprocessed` back to `file`.
    pub fn new(file: &str, preprocessed: &str) -> LineMap {
        let old: Vec<&str> = file.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        let new: Vec<&str> = preprocessed
            .split('\n')
            .map(|l| l.trim_end_matches('\r'))
            .collect();
        let last_old = old.len().saturating_sub(1);
        if old.len() + new.len() > MAX_DIFFED_LINES {
            let lines = (0..new.len())
                .map(|i| {
                    let at = i.min(last_old);
                    (at, old.get(at) == new.get(i))
                })
                .collect();
            return LineMap { lines };
        }
        let mut lines = vec![(0, false); new.len()];
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            for (k, n) in new_range.enumerate() {
                let mapped = match tag {
                    similar::DiffTag::Equal => (old_range.start + k, true),
                    similar::DiffTag::Replace => (
                        old_range.start + k.min(old_range.len().saturating_sub(1)),
                        false,
                    ),
                    // Added: at the line before, where it was added.
                    _ => (old_range.start.saturating_sub(1).min(last_old), false),
                };
                if let Some(slot) = lines.get_mut(n) {
                    *slot = mapped;
                }
            }
        }
        LineMap { lines }
    }

    /// The file's place of the 1-based `line` and `column` of the
    /// preprocessed text; `file` and `text` are the two texts' lines, for
    /// the column of a changed line.
    fn place(&self, line: usize, column: usize, file: &[&str], text: &[&str]) -> (usize, usize) {
        let Some(&(at, same)) = self.lines.get(line.saturating_sub(1)) else {
            return (file.len().max(1), 1);
        };
        if same {
            return (at + 1, column);
        }
        let (Some(old), Some(new)) = (file.get(at), text.get(line.saturating_sub(1))) else {
            return (at + 1, 1);
        };
        (at + 1, map_column(old, new, column))
    }
}

/// The 1-based column of `old` that column `column` of `new` comes from:
/// inside text the two share, the same character; inside text `new` has
/// in place of `old`'s, where that text starts.
fn map_column(old: &str, new: &str, column: usize) -> usize {
    let old: Vec<char> = old.chars().collect();
    let new: Vec<char> = new.chars().collect();
    // A very long line is not diffed by character.
    if old.len() + new.len() > 20_000 {
        return column.min(old.len() + 1);
    }
    let at = column.saturating_sub(1);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if new_range.contains(&at) {
            return match tag {
                similar::DiffTag::Equal => old_range.start + (at - new_range.start) + 1,
                _ => old_range.start + 1,
            };
        }
    }
    old.len() + 1
}

/// Report every finding in a chapter of `texts` at the place of its file
/// under `src_dir`: line and column mapped back ([`LineMap`]), the source
/// line left to be read from the file again, and no fix (its bytes were
/// the preprocessed text's). A file that cannot be read keeps its places.
pub fn map_back(diagnostics: &mut [super::Diagnostic], texts: &Texts, src_dir: &std::path::Path) {
    let mut maps: std::collections::BTreeMap<&str, Option<(String, LineMap)>> =
        std::collections::BTreeMap::new();
    for d in diagnostics.iter() {
        for file in std::iter::once(&d.file).chain(d.repeats.iter().map(|r| &r.file)) {
            if let Some((path, text)) = texts.get_key_value(file.as_str())
                && !maps.contains_key(path.as_str())
            {
                let on_disk = std::fs::read(src_dir.join(path))
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                let on_disk =
                    on_disk.map(|t| t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t));
                maps.insert(
                    path.as_str(),
                    on_disk.map(|t| {
                        let map = LineMap::new(&t, text);
                        (t, map)
                    }),
                );
            }
        }
    }
    let lines: std::collections::BTreeMap<&str, (Vec<&str>, Vec<&str>)> = maps
        .iter()
        .filter_map(|(path, m)| {
            let (disk, _) = m.as_ref()?;
            let text = texts.get(*path)?;
            Some((*path, (split_lines(disk), split_lines(text))))
        })
        .collect();
    for d in diagnostics.iter_mut() {
        if let (Some(Some((_, map))), Some((disk, text))) =
            (maps.get(d.file.as_str()), lines.get(d.file.as_str()))
        {
            let (line, column) = map.place(d.line, d.column, disk, text);
            let (end_line, end_column) = map.place(d.end_line, d.end_column, disk, text);
            d.line = line;
            d.column = column;
            (d.end_line, d.end_column) = if (end_line, end_column) >= (line, column) {
                (end_line, end_column)
            } else {
                (line, column)
            };
            d.source_line = None;
            d.fix = None;
        }
        for r in &mut d.repeats {
            if let (Some(Some((_, map))), Some((disk, text))) =
                (maps.get(r.file.as_str()), lines.get(r.file.as_str()))
            {
                (r.line, r.column) = map.place(r.line, r.column, disk, text);
                r.fix = None;
            }
        }
    }
}

/// Drop the `unused-asset` and `orphan-chapter` findings of files a
/// chapter of `texts` pulls in with `{{#include}}` as its file is written:
/// mdBook's own preprocessor put their text in the chapter, so the
/// directive that uses them is gone from what the check read. The files
/// are read again only when there is such a finding.
pub fn keep_included(
    diagnostics: &mut Vec<super::Diagnostic>,
    texts: &Texts,
    src_dir: &std::path::Path,
) {
    use super::RuleId;
    let concerned =
        |d: &super::Diagnostic| matches!(d.rule, RuleId::UnusedAsset | RuleId::OrphanChapter);
    if !diagnostics.iter().any(concerned) {
        return;
    }
    let mut included: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for path in texts.keys() {
        let Ok(bytes) = std::fs::read(src_dir.join(path)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (_, target) in super::links::includes(&text) {
            if let Some(file) = crate::text::paths::resolve(path, target) {
                included.insert(file);
            }
        }
    }
    diagnostics.retain(|d| !(concerned(d) && included.contains(&d.file)));
}

/// A text's lines, without their line endings.
fn split_lines(text: &str) -> Vec<&str> {
    text.split('\n').map(|l| l.trim_end_matches('\r')).collect()
}

#[cfg(test)]
mod map_tests {
    use super::*;

    #[test]
    fn lines_and_columns_of_a_preprocessed_text_map_back_to_the_file() {
        let file = "# A\n\nSee [expr.negate] and [gone](gone.md).\n\n{{#include part.md}}\n\nEnd [x](y.md).\n";
        let text = "# A\n\nSee [expr.negate](e.md#r-expr.negate) and [gone](gone.md).\n\nIncluded one.\nIncluded two.\n\nEnd [x](y.md).\n";
        let map = LineMap::new(file, text);
        let f: Vec<&str> = file.split('\n').collect();
        let t: Vec<&str> = text.split('\n').collect();
        // An unchanged line: the same place.
        assert_eq!(map.place(8, 5, &f, &t), (7, 5));
        // A changed line: the text both share keeps its column.
        let gone_in_text = t[2].find("[gone]").unwrap() + 1;
        let gone_in_file = f[2].find("[gone]").unwrap() + 1;
        assert_eq!(map.place(3, gone_in_text, &f, &t), (3, gone_in_file));
        // Text that replaced a line: that line.
        assert_eq!(map.place(6, 3, &f, &t).0, 5);
    }
}
