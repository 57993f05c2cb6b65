//! Front matter rules: `front-matter-missing-key`, `front-matter-empty-value`,
//! `front-matter-date`, `front-matter-topic`, `front-matter-description`.
//!
//! A book where no chapter has front matter is left alone: these rules are
//! for guides that use it (Microsoft Learn style).

use crate::check::{ChapterContext, Context, Diagnostic};
use crate::model::Chapter;
use crate::text::lines::Span;
use serde_json::Value;

/// Microsoft Learn's `ms.topic` values.
pub const LEARN_TOPICS: &[&str] = &[
    "architecture",
    "article",
    "best-practice",
    "concept-article",
    "conceptual",
    "contributor-guide",
    "end-user-help",
    "error-reference",
    "faq",
    "get-started",
    "glossary",
    "how-to",
    "hub-page",
    "include",
    "install-set-up-deploy",
    "landing-page",
    "language-reference",
    "limits-and-quotas",
    "overview",
    "quickstart",
    "reference",
    "release-notes",
    "sample",
    "training",
    "troubleshooting",
    "troubleshooting-general",
    "troubleshooting-known-issue",
    "troubleshooting-problem-resolution",
    "tutorial",
    "upgrade-and-migration-article",
    "video",
    "whats-new",
];

/// The chapter's own front matter.
pub fn check(cx: &ChapterContext<'_>, chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    if cx.is_summary(chapter) {
        return;
    }
    let Some(fm) = &chapter.front_matter else {
        return;
    };
    let line_of = |key: &str| {
        let found = if fm.keys.is_empty() {
            crate::frontmatter::key_line(&fm.raw, fm.line + 1, key)
        } else {
            fm.keys.iter().find(|k| k.key == key).map(|k| k.line)
        };
        found.unwrap_or(fm.line)
    };
    for key in &cx.config.required_keys {
        if fm.values.get(key).is_none() && !cx.config.inherited_keys.contains(key) {
            out.push(
                Diagnostic::at_line(
                    "front-matter-missing-key",
                    &chapter.path,
                    fm.line,
                    format!("front matter has no `{key}`"),
                )
                .help(format!("add a `{key}:` line between the `---` fences")),
            );
        }
    }
    if let Value::Object(map) = &fm.values {
        for (key, value) in map {
            let empty = match value {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if empty {
                out.push(
                    at_key(
                        "front-matter-empty-value",
                        chapter,
                        line_of(key),
                        key,
                        format!("front matter key `{key}` has no value"),
                    )
                    .help(format!("give `{key}` a value, or remove the line")),
                );
            }
        }
    }
    if let Some(date) = fm.values.get("ms.date") {
        let text = scalar_text(date);
        if !text.is_empty() && !is_mm_dd_yyyy(&text) {
            out.push(
                at_key(
                    "front-matter-date",
                    chapter,
                    line_of("ms.date"),
                    "ms.date",
                    format!("`ms.date: {text}` is not a real date written MM/DD/YYYY"),
                )
                .help("write the date as MM/DD/YYYY, e.g. 04/15/2020"),
            );
        }
    }
    if let Some(topic) = fm.values.get("ms.topic") {
        let text = scalar_text(topic);
        if !text.is_empty() && !LEARN_TOPICS.contains(&text.as_str()) {
            let best = crate::text::suggest::closest(
                &text.to_lowercase(),
                LEARN_TOPICS.iter().map(|t| (t.to_string(), *t)),
                0.6,
            );
            let mut d = at_key(
                "front-matter-topic",
                chapter,
                line_of("ms.topic"),
                "ms.topic",
                format!("`ms.topic: {text}` is not a Microsoft Learn topic type"),
            );
            d = match best.as_slice() {
                [only] => d.help(format!("did you mean `{only}`?")).suggest(*only),
                _ => d.help("use one of how-to, concept-article, overview, quickstart, tutorial, reference, troubleshooting, …"),
            };
            out.push(d);
        }
    }
    if let Some(Value::String(desc)) = fm.values.get("description") {
        let n = desc.trim().chars().count();
        if n > 0 && !(75..=300).contains(&n) {
            out.push(
                at_key(
                    "front-matter-description",
                    chapter,
                    line_of("description"),
                    "description",
                    format!("`description` is {n} characters long; 75 to 300 are expected"),
                )
                .help("describe what the reader does in this chapter in one or two sentences"),
            );
        }
    }
}

/// Where a front matter key's value is written: the value on the key's
/// line (quotes included, a trailing `# comment` left out), or `key:`
/// itself when the value is empty or continues on the following lines.
/// `None` when the line does not start with the key.
fn value_span(chapter: &Chapter, line: usize, key: &str) -> Option<Span> {
    let text = chapter.line_text(line);
    let rest = text.strip_prefix(key)?.strip_prefix(':')?;
    let value = rest.trim_start();
    let value = if value.starts_with(['"', '\'']) {
        value.trim_end()
    } else {
        value.split(" #").next().unwrap_or("").trim_end()
    };
    let (start, end) = if value.is_empty() || value.starts_with(['|', '>']) {
        (0, key.len() + 1)
    } else {
        let start = text.len() - rest.trim_start().len();
        (start, start + value.len())
    };
    let base = chapter.lines.line_start(line);
    Some(
        chapter
            .lines
            .span(&chapter.source, base + start, base + end),
    )
}

/// A finding on a front matter key: its value underlined when it can be
/// found, else the whole line.
fn at_key(
    rule: &'static str,
    chapter: &Chapter,
    line: usize,
    key: &str,
    message: String,
) -> Diagnostic {
    match value_span(chapter, line, key) {
        Some(span) => Diagnostic::at(rule, &chapter.path, span, message),
        None => Diagnostic::at_line(rule, &chapter.path, line, message),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `MM/DD/YYYY` naming a day that exists.
pub fn is_mm_dd_yyyy(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let [m, d, y] = parts.as_slice() else {
        return false;
    };
    if m.len() != 2 || d.len() != 2 || y.len() != 4 {
        return false;
    }
    let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d) && y >= 1900
}

/// A chapter with no front matter at all, in a book whose other chapters
/// have it. (A book where no chapter has front matter is left alone.)
pub fn check_guide(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.guide.chapters.iter().any(|c| c.front_matter.is_some()) {
        return;
    }
    for chapter in cx
        .guide
        .chapters
        .iter()
        .filter(|c| c.front_matter.is_none())
    {
        let is_summary = match &cx.guide.book.summary {
            Some(s) => s.path == chapter.path,
            None => {
                cx.guide.book.kind == crate::model::BookKind::Mdbook && chapter.path == "SUMMARY.md"
            }
        };
        // Unreadable YAML is reported as front-matter-invalid.
        let unreadable = cx
            .guide
            .problems
            .iter()
            .any(|p| p.file == chapter.path && p.kind == "front-matter-yaml");
        let missing: Vec<&str> = cx
            .config
            .required_keys
            .iter()
            .filter(|k| !cx.config.inherited_keys.contains(*k))
            .map(String::as_str)
            .collect();
        if is_summary || unreadable || missing.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::at_line(
                "front-matter-missing-key",
                &chapter.path,
                1,
                format!(
                    "chapter has no front matter; the book's chapters carry {}",
                    missing.join(", ")
                ),
            )
            .help("start the file with a `---` block holding the keys"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(is_mm_dd_yyyy("04/15/2020"));
        assert!(is_mm_dd_yyyy("02/29/2024"));
        assert!(!is_mm_dd_yyyy("02/29/2023"));
        assert!(!is_mm_dd_yyyy("13/01/2020"));
        assert!(!is_mm_dd_yyyy("2020-04-15"));
        assert!(!is_mm_dd_yyyy("4/15/2020"));
    }
}
