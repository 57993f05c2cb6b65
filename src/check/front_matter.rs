//! Where a front matter key's value is written, for the front matter
//! rules' findings, and its text.

use super::{Diagnostic, RuleId};
use crate::model::{Chapter, FrontMatter};
use crate::text::Span;
use serde_json::Value;

/// The line of top-level `key` (the opening fence's when it is not
/// written).
pub fn line_of(fm: &FrontMatter, key: &str) -> usize {
    fm.keys
        .iter()
        .find(|k| k.key == key)
        .map_or(fm.line, |k| k.line)
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

/// A finding on front matter key `key`: its value underlined when it can
/// be found, else the whole line.
pub fn at_key(rule: RuleId, chapter: &Chapter, key: &str, message: String) -> Diagnostic {
    let line = chapter
        .front_matter
        .as_ref()
        .map_or(1, |fm| line_of(fm, key));
    match value_span(chapter, line, key) {
        Some(span) => Diagnostic::at(rule, &chapter.path, span, message),
        None => Diagnostic::at_line(rule, &chapter.path, line, message),
    }
}

/// A scalar's text, trimmed (a number as written by JSON).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The front matter of a chapter these rules look at: not SUMMARY.md's,
/// nor that of a file a DocFX tree does not publish as a page (a README
/// beside the docset, an include).
pub fn of<'c>(cx: &super::ChapterContext<'c>) -> Option<&'c FrontMatter> {
    if cx.is_toc() || !cx.page {
        return None;
    }
    cx.chapter.front_matter.as_ref()
}
