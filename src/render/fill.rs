//! Filling a chapter in for one environment: every `{{ name }}` becomes the
//! environment's value, `\{{` becomes `{{`, and links that point into the
//! book are rewritten to work from the runbook's folder. The chapter is not
//! written back and parsed again: each part a runbook shows (a step, a
//! link, a heading, a cell) is taken from the chapter's text with the edits
//! inside it made, and its plain text read again only where a value
//! changed it.
//!
//! A value goes in as text: inside code it is written as is, in raw HTML it
//! is HTML-escaped, and elsewhere Markdown's special characters are
//! backslash-escaped, so a value like `<ServerName>` or `svc_*` shows as
//! written in both the Markdown and the HTML runbook.

use crate::env::{Environment, Missing};
use crate::frontmatter;
use crate::markdown::{collapse_ws, flat_text, plain_text, step_markdown};
use crate::model::{Chapter, Link, LinkKind, PlaceholderContext, Step};
use crate::placeholder;
use crate::slug::Flavour;
use crate::text::paths::normalise;
use crate::text::{Span, escape};
use std::collections::HashMap;
use std::ops::Range;

/// A placeholder with no value in an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub key: String,
    /// The chapter, relative to the book's source folder.
    pub chapter: String,
    pub line: usize,
    pub column: usize,
    pub missing: Option<Missing>,
    /// Set instead of `missing` when the value exists but cannot go where
    /// the placeholder is.
    pub problem: Option<String>,
}

/// Where links from a runbook go.
#[derive(Debug, Clone)]
pub struct RunbookLinks {
    /// From the runbook's folder to the book's source folder, ending in `/`
    /// (`../../docs/`).
    pub to_src: String,
    /// Chapters in this runbook (relative to the source folder) and the id
    /// of their section in it.
    pub in_runbook: HashMap<String, String>,
    /// Chapters of the book this runbook leaves out, and why.
    pub skipped: HashMap<String, String>,
}

/// What a runbook writes after a link to a chapter it leaves out.
pub const NOT_IN_RUNBOOK: &str = " *(not in this runbook)*";

impl RunbookLinks {
    /// The chapter a local link written in `chapter` leads to (relative to
    /// the source folder, percent-decoded) and its fragment.
    fn target<'d>(&self, chapter: &str, dest: &'d str) -> Option<(String, Option<&'d str>)> {
        if crate::model::is_external(dest) || dest.starts_with('/') {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let target = if path.is_empty() {
            chapter.to_string()
        } else {
            let dir = chapter.rsplit_once('/').map_or("", |(d, _)| d);
            normalise(&if dir.is_empty() {
                path.to_string()
            } else {
                format!("{dir}/{path}")
            })
        };
        Some((target, fragment))
    }

    /// Where a link written in `chapter` to `dest` should go from the
    /// runbook: a chapter in it to its section (`#slug`), a heading in
    /// such a chapter to that heading's id there (`#slug--anchor`), anything
    /// else in the book to its source. `None` leaves it as written (a URL,
    /// a mail address).
    pub fn resolve(&self, chapter: &str, dest: &str) -> Option<String> {
        let (target, fragment) = self.target(chapter, dest)?;
        let decoded = crate::markdown::percent_decode(&target);
        if let Some(id) = self.in_runbook.get(&decoded) {
            return Some(match fragment {
                None | Some("") => format!("#{id}"),
                Some(f) => format!("#{}", heading_id(id, &crate::markdown::percent_decode(f))),
            });
        }
        let mut out = normalise(&format!("{}{target}", self.to_src));
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        Some(out)
    }

    /// The section id (slug) in this runbook of the chapter a link written
    /// in `chapter` to `dest` leads to, when the runbook has it.
    pub fn chapter_id(&self, chapter: &str, dest: &str) -> Option<&str> {
        let (target, _) = self.target(chapter, dest)?;
        self.in_runbook
            .get(&crate::markdown::percent_decode(&target))
            .map(String::as_str)
    }

    /// Why the chapter a link written in `chapter` to `dest` leads to is
    /// not in this runbook, when it is a chapter of the book left out.
    pub fn skipped(&self, chapter: &str, dest: &str) -> Option<&str> {
        let (target, _) = self.target(chapter, dest)?;
        self.skipped
            .get(&crate::markdown::percent_decode(&target))
            .map(String::as_str)
    }

    /// A link to a line of a chapter's source.
    pub fn source(&self, chapter: &str, line: usize) -> String {
        format!(
            "{}#L{line}",
            normalise(&format!("{}{chapter}", self.to_src))
        )
    }
}

/// The id in a runbook of the heading `anchor` of the chapter whose
/// section is `slug`.
pub fn heading_id(slug: &str, anchor: &str) -> String {
    format!("{slug}--{anchor}")
}

/// A chapter filled in for one environment: the edits its placeholders,
/// escapes and links call for, applied to whatever part of the chapter a
/// runbook shows (a step, a link, a heading, a table cell). The chapter
/// itself is left as it was read.
pub struct Filled<'c> {
    chapter: &'c Chapter,
    flavour: Flavour,
    /// Byte range of the chapter's text → what goes there instead, sorted
    /// and not overlapping.
    edits: Vec<(Range<usize>, String)>,
    /// Where the edits that change text (not only a link's destination)
    /// start, sorted.
    text_edits: Vec<usize>,
    /// The placeholders that had no value, or one that cannot go where they
    /// are.
    pub unresolved: Vec<Unresolved>,
    /// The chapter's title with its values.
    pub title: Option<String>,
}

impl<'c> Filled<'c> {
    /// Work out the edits of `chapter` (of a book of `flavour`) for `env`,
    /// its links written to work from the runbook as `links` says.
    pub fn new(
        chapter: &'c Chapter,
        flavour: Flavour,
        env: &Environment,
        links: &RunbookLinks,
    ) -> Self {
        let text: &str = &chapter.source;
        let body_start = frontmatter::find(text).map_or(0, |b| b.body_start);
        let mut unresolved = title_placeholders(chapter, env);
        let mut edits = placeholder_edits(chapter, env, &mut unresolved);
        // `\{{ name }}` is the way to write `{{ name }}` itself.
        for at in escapes(text, body_start) {
            edits.push((at..at + 1, String::new()));
        }
        let mut text_edits: Vec<usize> = edits.iter().map(|(r, _)| r.start).collect();
        link_edits(chapter, links, &mut edits, &mut text_edits);
        first_of_overlapping(&mut edits);
        text_edits.sort_unstable();
        Filled {
            chapter,
            flavour,
            edits,
            text_edits,
            unresolved,
            title: chapter.title.as_deref().map(|t| fill_plain(t, env)),
        }
    }

    /// The chapter's text in `range` with the edits inside it made.
    pub fn slice(&self, range: Range<usize>) -> String {
        let text = &self.chapter.source;
        let first = self.edits.partition_point(|(r, _)| r.start < range.start);
        let mut out = String::with_capacity(range.len() + 64);
        let mut pos = range.start;
        for (r, new) in self.edits.iter().skip(first) {
            if r.end > range.end {
                break;
            }
            out.push_str(&text[pos..r.start]);
            out.push_str(new);
            pos = r.end;
        }
        out.push_str(&text[pos..range.end]);
        out
    }

    /// Whether a value or an escape changes the text in `range`.
    fn changes_text(&self, range: &Range<usize>) -> bool {
        let first = self.text_edits.partition_point(|&s| s < range.start);
        self.text_edits.get(first).is_some_and(|&s| s < range.end)
    }

    /// The plain text of `range`, read again where a value changed it;
    /// `written` otherwise (what the walker read there).
    fn text(&self, range: Range<usize>, written: &str, tidy: impl Fn(String) -> String) -> String {
        if !self.changes_text(&range) {
            return written.to_string();
        }
        tidy(plain_text(
            &self.slice(range),
            self.flavour,
            &self.chapter.references,
        ))
    }

    /// A step's Markdown and plain text.
    pub fn step(&self, step: &Step) -> (String, String) {
        let markdown = if self.edits.is_empty() {
            step.markdown.clone()
        } else {
            step_markdown(&self.slice(step.range.clone()))
        };
        let text = if self.changes_text(&step.range) {
            collapse_ws(&plain_text(
                &markdown,
                self.flavour,
                &self.chapter.references,
            ))
        } else {
            step.text.clone()
        };
        (markdown, text)
    }

    /// Filled-in Markdown (a step's) as one line of text, sub-lists and
    /// code included.
    pub fn flat(&self, markdown: &str) -> String {
        flat_text(markdown, self.flavour, &self.chapter.references)
    }

    /// A link's text.
    pub fn link_text(&self, link: &Link) -> String {
        self.text(link.span.start..link.span.end, &link.text, |t| {
            collapse_ws(&t)
        })
    }

    /// The text of the chapter's heading `index`.
    pub fn heading(&self, index: usize) -> Option<String> {
        let h = self.chapter.headings.get(index)?;
        Some(self.text(h.span.start..h.span.end, &h.text, |t| t.trim().to_string()))
    }

    /// A table cell's text, written at `span` as `written`.
    pub fn cell(&self, span: Span, written: &str) -> String {
        self.text(span.start..span.end, written, |t| t.trim().to_string())
    }
}

/// Each placeholder of `chapter` replaced by its value in `env`, written
/// for where it is; a placeholder without a value, or with one that cannot
/// go there, goes to `unresolved` instead.
fn placeholder_edits(
    chapter: &Chapter,
    env: &Environment,
    unresolved: &mut Vec<Unresolved>,
) -> Vec<(Range<usize>, String)> {
    let text: &str = &chapter.source;
    let mut edits = Vec::new();
    for p in &chapter.placeholders {
        let range = p.span.start..p.span.end;
        match env.placeholder_value(&p.name) {
            Ok((value, origin)) => {
                if value.contains('\n') && p.context != PlaceholderContext::CodeBlock {
                    unresolved.push(Unresolved {
                        key: p.name.clone(),
                        chapter: chapter.path.clone(),
                        line: p.line,
                        column: p.column,
                        missing: None,
                        problem: Some(format!(
                            "has a value of several lines (set by {origin}), which only fits in a code block; write it on one line for environment `{}`",
                            env.name
                        )),
                    });
                    continue;
                }
                edits.push((range.clone(), written(&value, p.context, text, range.start)));
                if p.context == PlaceholderContext::Code {
                    edits.extend(code_fences(text, &p.within, &value));
                }
            }
            Err(missing) => unresolved.push(Unresolved {
                key: p.name.clone(),
                chapter: chapter.path.clone(),
                line: p.line,
                column: p.column,
                missing: Some(missing),
                problem: None,
            }),
        }
    }
    edits
}

/// Links into the book written to work from the runbook, unless a
/// placeholder (an edit already in `edits`) is part of them; a link to a
/// chapter the runbook leaves out is followed by [`NOT_IN_RUNBOOK`], an
/// edit of the text (in `text_edits`).
fn link_edits(
    chapter: &Chapter,
    links: &RunbookLinks,
    edits: &mut Vec<(Range<usize>, String)>,
    text_edits: &mut Vec<usize>,
) {
    let text: &str = &chapter.source;
    let mut seen = Vec::new();
    for link in &chapter.links {
        if link.kind == LinkKind::Autolink {
            continue;
        }
        let Some(range) = link.dest_span.clone() else {
            continue;
        };
        if seen.contains(&range.start) || edits.iter().any(|(r, _)| overlaps(r, &range)) {
            continue;
        }
        let dest = &text[range.clone()];
        if link.kind != LinkKind::Image
            && link.kind != LinkKind::Html
            && links.skipped(&chapter.path, dest).is_some()
        {
            // Said after the link, in its words and the runbook's.
            edits.push((link.span.end..link.span.end, NOT_IN_RUNBOOK.to_string()));
            text_edits.push(link.span.end);
        }
        if let Some(new) = links.resolve(&chapter.path, dest) {
            seen.push(range.start);
            if new != dest {
                let new = if new.contains([' ', '(', ')']) {
                    format!("<{new}>")
                } else {
                    new
                };
                edits.push((range, new));
            }
        }
    }
}

/// Edits sorted by where they start; of overlapping ones the first stays.
fn first_of_overlapping(edits: &mut Vec<(Range<usize>, String)>) {
    edits.sort_by_key(|(r, _)| r.start);
    let mut pos = 0;
    edits.retain(|(r, _)| {
        let keep = r.start >= pos;
        if keep {
            pos = r.end;
        }
        keep
    });
}

/// Placeholders in the front matter's `title` that have no value (the
/// model records the body's placeholders only).
fn title_placeholders(chapter: &Chapter, env: &Environment) -> Vec<Unresolved> {
    let Some(key) = chapter
        .front_matter
        .as_ref()
        .and_then(|fm| fm.keys.iter().find(|k| k.key == "title"))
    else {
        return Vec::new();
    };
    let line = chapter.line_text(key.line);
    placeholder::scan(line)
        .into_iter()
        .filter_map(|(name, range)| {
            env.placeholder_value(&name)
                .err()
                .map(|missing| Unresolved {
                    column: line[..range.start].chars().count() + 1,
                    key: name,
                    chapter: chapter.path.clone(),
                    line: key.line,
                    missing: Some(missing),
                    problem: None,
                })
        })
        .collect()
}

/// `value` as it is written in place of a placeholder at byte `at` of
/// `text`, in `context`: as it is in code, with the line's indent carried
/// onto each of its lines in a code block, escaped in HTML and in text.
pub fn written(value: &str, context: PlaceholderContext, text: &str, at: usize) -> String {
    match context {
        PlaceholderContext::Code => value.to_string(),
        PlaceholderContext::CodeBlock => {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..at]
                .chars()
                .take_while(|c| matches!(c, ' ' | '\t' | '>'))
                .collect();
            value.replace('\n', &format!("\n{indent}"))
        }
        PlaceholderContext::Html => escape::html(value),
        PlaceholderContext::Text => escape::markdown(value),
    }
}

/// The edits that keep `value` inside the code span `span` (backticks
/// included) of `text`: when the value holds a run of backticks as long
/// as the span's fence, the fences grow one longer than the value's
/// longest run, padded with a space (which Markdown takes off again), so
/// the value cannot end the span and be read as Markdown.
pub fn code_fences(text: &str, span: &Range<usize>, value: &str) -> Vec<(Range<usize>, String)> {
    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let Some(inside) = text.get(span.clone()) else {
        return Vec::new();
    };
    let fence = inside.len() - inside.trim_start_matches('`').len();
    let closing = inside.len() - inside.trim_end_matches('`').len();
    if longest < fence || fence == 0 || closing != fence || inside.len() < 2 * fence {
        return Vec::new();
    }
    let new = "`".repeat(longest + 1);
    vec![
        (span.start..span.start + fence, format!("{new} ")),
        (span.end - fence..span.end, format!(" {new}")),
    ]
}

/// The backslashes from `from` on that escape a placeholder (`\{{ x }}`):
/// each is dropped where the placeholder is shown as written.
pub fn escapes(text: &str, from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = from;
    while let Some(i) = text[pos..].find("\\{{") {
        let at = pos + i;
        pos = at + 3;
        if placeholder::escaped_at(text, at + 1) && placeholder::at(text, at + 1).is_some() {
            out.push(at);
        }
    }
    out
}

/// Fill placeholders in plain text (a front-matter title) with the values
/// as they are. A placeholder without a value stays as written.
pub fn fill_plain(text: &str, env: &Environment) -> String {
    let mut edits: Vec<(Range<usize>, String)> = placeholder::scan(text)
        .into_iter()
        .filter_map(|(name, range)| {
            env.placeholder_value(&name)
                .ok()
                .map(|(v, _)| (range, v.into_owned()))
        })
        .collect();
    edits.extend(
        escapes(text, 0)
            .into_iter()
            .map(|at| (at..at + 1, String::new())),
    );
    if edits.is_empty() {
        return text.to_string();
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (range, new) in edits {
        out.push_str(&text[pos..range.start]);
        out.push_str(&new);
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_with_backticks_gets_longer_fences() {
        let text = "Open `{{ url }}` now.";
        let span = 5..16;
        assert_eq!(&text[span.clone()], "`{{ url }}`");
        let edits = super::code_fences(text, &span, "x``y`");
        assert_eq!(
            edits,
            [(5..6, "``` ".to_string()), (15..16, " ```".to_string())]
        );
        assert!(super::code_fences(text, &span, "plain").is_empty());
    }

    use super::*;
    use crate::env as environment;
    use std::sync::Arc;

    fn env(values: &str) -> (tempfile::TempDir, Environment) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("environments")).unwrap();
        std::fs::write(dir.path().join("environments/lab.yaml"), values).unwrap();
        let env = environment::load(dir.path(), "lab", &[]).unwrap();
        (dir, env)
    }

    fn chapter(path: &str, text: &str) -> Chapter {
        crate::markdown::parse_chapter(path, Arc::new(text.to_string()), 0, Flavour::Mdbook).0
    }

    fn fill<'c>(c: &'c Chapter, env: &Environment, links: &RunbookLinks) -> Filled<'c> {
        Filled::new(c, Flavour::Mdbook, env, links)
    }

    /// The whole chapter filled in.
    fn whole(f: &Filled<'_>, c: &Chapter) -> String {
        f.slice(0..c.source.len())
    }

    fn links() -> RunbookLinks {
        RunbookLinks {
            to_src: "../../docs/".into(),
            in_runbook: [("b.md".to_string(), "b".to_string())]
                .into_iter()
                .collect(),
            skipped: [("d.md".to_string(), "skipped".to_string())]
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn values_are_escaped_for_where_they_go() {
        let (_d, env) = env("values:\n  v: \"<a_b>\"\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. Use {{ v }} and `{{ v }}`.\n2. <b title=\"{{ v }}\">x</b>\n\n```\n{{v}}\n```\n",
        );
        let filled = fill(&c, &env, &links());
        assert!(filled.unresolved.is_empty());
        let (markdown, text) = filled.step(&c.steps[0]);
        assert_eq!(markdown, "Use \\<a\\_b\\> and `<a_b>`.");
        assert_eq!(text, "Use <a_b> and <a_b>.");
        assert!(whole(&filled, &c).contains("title=\"&lt;a_b&gt;\""));
        assert!(whole(&filled, &c).contains("```\n<a_b>\n```"));
    }

    #[test]
    fn missing_values_are_reported_where_they_are_written() {
        let (_d, env) = env("values:\n  ad:\n    domain: x\n");
        let c = chapter("a.md", "# T\n\n1. Join {{ ad.domian }}.\n");
        let filled = fill(&c, &env, &links());
        let unresolved = &filled.unresolved;
        assert_eq!(unresolved.len(), 1);
        let u = &unresolved[0];
        assert_eq!((u.line, u.column, u.key.as_str()), (3, 9, "ad.domian"));
        assert_eq!(
            u.missing,
            Some(Missing::Undefined {
                suggestion: Some("ad.domain".into())
            })
        );
    }

    #[test]
    fn a_title_placeholder_without_a_value_is_reported_at_its_line() {
        let (_d, env) = env("values:\n  ad:\n    domain: x\n");
        let c = chapter(
            "a.md",
            "---\ntitle: \"Join {{ ad.domain }} as {{ ad.user }}\"\n---\n\n# T\n",
        );
        let filled = fill(&c, &env, &links());
        let unresolved = &filled.unresolved;
        assert_eq!(filled.title.as_deref(), Some("Join x as {{ ad.user }}"));
        assert_eq!(unresolved.len(), 1);
        assert_eq!((unresolved[0].line, unresolved[0].column), (2, 33));
        assert_eq!(unresolved[0].key, "ad.user");
    }

    #[test]
    fn an_escaped_placeholder_is_written_without_the_backslash() {
        let (_d, env) = env("values: {}\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. Type `\\{{ name }}` and \\{{ name }} and \\{{ not a name.\n",
        );
        let filled = fill(&c, &env, &links());
        assert!(filled.unresolved.is_empty());
        assert_eq!(
            filled.step(&c.steps[0]),
            (
                "Type `{{ name }}` and {{ name }} and \\{{ not a name.".to_string(),
                // Markdown reads `\{` as `{`.
                "Type {{ name }} and {{ name }} and {{ not a name.".to_string()
            )
        );
    }

    #[test]
    fn links_into_the_book_work_from_the_runbook() {
        let (_d, env) = env("values: {}\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. See [b](b.md), [b2](b.md#x), [c](sub/../c.md), [d](d.md), [me](#top), [web](https://x.y/a.md) and ![i](img/p.png).\n",
        );
        let filled = fill(&c, &env, &links());
        assert_eq!(
            filled.step(&c.steps[0]).0,
            "See [b](#b), [b2](#b--x), [c](../../docs/c.md), [d](../../docs/d.md) *(not in this runbook)*, [me](../../docs/a.md#top), [web](https://x.y/a.md) and ![i](../../docs/img/p.png)."
        );
    }

    #[test]
    fn multi_line_values_only_go_in_code_blocks() {
        let (_d, env) = env("values:\n  script: \"a\\nb\"\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. Run:\n\n   ```\n   {{ script }}\n   ```\n2. Or {{ script }}.\n",
        );
        let filled = fill(&c, &env, &links());
        assert_eq!(filled.unresolved.len(), 1);
        assert_eq!(filled.unresolved[0].line, 8);
        assert!(whole(&filled, &c).contains("   a\n   b\n"));
        assert_eq!(filled.step(&c.steps[0]).0, "Run:\n\n```\na\nb\n```");
    }
}
