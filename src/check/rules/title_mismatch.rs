//! `title-mismatch`: a chapter's titles say what it is. Its front matter
//! `title` and its H1 name the same thing, and no other chapter of its
//! folder has the same title or H1 (a chapter copied from another whose
//! title was never changed).

use crate::check::rules::{Example::Files, File::Text, Reads};
use crate::check::{ChapterContext, Check, Diagnostic, GuideContext, RuleId};
use std::collections::BTreeMap;

declare_rule! {
    /// A chapter whose front matter `title` and H1 share no word (the title
    /// of another chapter left in a copy), or whose title or H1 is the same
    /// as another chapter's in its folder, so readers of the folder's table
    /// of contents, search results and browser tabs cannot tell the two
    /// apart. The later chapter in reading order is reported, naming the
    /// other. Chapters that are the same byte for byte are
    /// `duplicate-chapter`'s.
    TitleMismatch {
        id: "title-mismatch",
        default: Warning,
        fails: Files(&[
            Text("runsheet.toml", "[front-matter]\nrequired = [\"title\"]\n"),
            Text("install-sql.md", "---\ntitle: Install SQL Server for MIM\n---\n\n# Install SQL Server\n"),
            Text("install-portal.md", "---\ntitle: Install SQL Server for MIM\n---\n\n# Install the MIM portal\n"),
        ]),
        passes: Files(&[
            Text("runsheet.toml", "[front-matter]\nrequired = [\"title\"]\n"),
            Text("install-sql.md", "---\ntitle: Install SQL Server for MIM\n---\n\n# Install SQL Server\n"),
            Text("install-portal.md", "---\ntitle: Install the MIM portal\n---\n\n# Install the MIM portal\n"),
        ]),
    }
}

impl Check for TitleMismatch {
    fn guide_reads(&self) -> Reads {
        Reads::TITLES.and(Reads::TEXT)
    }

    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        if cx.is_toc() || !cx.page || chapter.path.ends_with(".yml") {
            return;
        }
        let Some(title) = chapter
            .front_matter
            .as_ref()
            .and_then(|fm| fm.values.get("title")?.as_str())
            .map(str::trim)
        else {
            return;
        };
        let Some(h1) = chapter.headings.iter().find(|h| h.level == 1 && !h.tab) else {
            return;
        };
        if title.contains("{{") || h1.text.contains("{{") || agree(title, &h1.text) {
            return;
        }
        out.push(
            crate::check::front_matter::at_key(
                RuleId::TitleMismatch,
                chapter,
                "title",
                format!(
                    "front matter title `{title}` and the H1 `{}` (line {}) share no word: they name different things",
                    h1.text, h1.line
                ),
            )
            .help("make the title and the H1 name the same thing; one of them may be another chapter's, left in a copy"),
        );
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        // Per folder and title (or H1), the first chapter in reading order.
        let mut titles: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        let mut h1s: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (i, c) in cx.chapters.iter().enumerate() {
            if cx.is_toc(&c.path) || c.path.ends_with(".yml") || !cx.site.publishes(&c.path) {
                continue;
            }
            let folder = crate::text::paths::folder(&c.path);
            let title_first = c.front_title.as_ref().and_then(|(t, _)| {
                let first = *titles.entry((folder, t.as_str())).or_insert(i);
                (first != i).then_some(first)
            });
            let h1_first = c.h1.as_ref().and_then(|(t, _)| {
                let first = *h1s.entry((folder, t.as_str())).or_insert(i);
                (first != i).then_some(first)
            });
            for (first, what, at) in repeated(c, title_first, h1_first) {
                let Some(earlier) = cx.chapters.get(first) else {
                    continue;
                };
                // The same chapter twice: duplicate-chapter says so.
                if earlier.fingerprint.seen.is_some() && earlier.fingerprint.seen == c.fingerprint.seen {
                    continue;
                }
                let name = crate::text::paths::relative(&c.path, &earlier.path);
                out.push(
                    Diagnostic::at_line(
                        RuleId::TitleMismatch,
                        &c.path,
                        at,
                        format!("{what} of `{name}`"),
                    )
                    .about(&earlier.path)
                    .help("give each chapter a title of its own; one of the two may have been copied from the other and never renamed"),
                );
            }
        }
    }
}

/// What of chapter `c` repeats an earlier chapter's: `title_first` is the
/// earlier chapter with its title, `h1_first` with its H1. One finding per
/// earlier chapter: (its index, what is repeated, the line to report).
fn repeated(
    c: &crate::check::ChapterDigest,
    title_first: Option<usize>,
    h1_first: Option<usize>,
) -> Vec<(usize, String, usize)> {
    let title = c.front_title.as_ref();
    let h1 = c.h1.as_ref();
    match (title_first, h1_first, title, h1) {
        (Some(a), Some(b), Some((t, line)), Some((h, _))) if a == b => vec![(
            a,
            if t == h {
                format!("title and H1 `{t}` are also those")
            } else {
                format!("title `{t}` and H1 `{h}` are also those")
            },
            *line,
        )],
        _ => {
            let mut out = Vec::new();
            if let (Some(a), Some((t, line))) = (title_first, title) {
                out.push((a, format!("front matter title `{t}` is also the title"), *line));
            }
            if let (Some(b), Some((h, line))) = (h1_first, h1) {
                out.push((b, format!("H1 `{h}` is also the H1"), *line));
            }
            out
        }
    }
}

/// Words that name nothing by themselves.
const EMPTY: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "how", "in", "into", "is", "of", "on", "or",
    "the", "to", "use", "using", "with", "your",
];

/// Whether a title and an H1 name the same thing: either has no word that
/// names something, or they share one (as a whole, or four letters or
/// more of its start: "linker" and "Linking", `feclearexcept1` and
/// `feclearexcept`).
fn agree(title: &str, h1: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .filter(|w| !EMPTY.contains(&w.as_str()))
            .collect()
    };
    let (a, b) = (words(title), words(h1));
    if a.is_empty() || b.is_empty() {
        return true;
    }
    a.iter().any(|x| {
        b.iter().any(|y| {
            let common = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
            x == y || common >= 4
        })
    })
}

#[cfg(test)]
mod tests {
    use super::agree;

    #[test]
    fn a_title_and_an_h1_agree_when_they_share_a_word() {
        assert!(agree("Preparing Azure AD ", "Setup MIM for AAD Guest Accounts - Preparing Azure AD"));
        assert!(agree("MSVC linker reference", "Linking"));
        assert!(agree("feclearexcept1", "`feclearexcept`"));
        assert!(agree("? (MASM)", "?"));
        assert!(agree("FOR (MASM)", "FOR"));
        assert!(!agree("Installing SQL Server for MIM", "SharePoint 2016 portal"));
        assert!(!agree("Install the portal", "Architecture"));
    }
}
