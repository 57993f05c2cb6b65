//! Filling a chapter in for one environment: every `{{ name }}` becomes the
//! environment's value, `\{{` becomes `{{`, and links that point into the
//! book are rewritten to work from the runbook's folder. The result is
//! parsed again, so the steps, prerequisites and profiles the templates see
//! carry the environment's values.
//!
//! A value goes in as text: inside code it is written as is, in raw HTML it
//! is HTML-escaped, and elsewhere Markdown's special characters are
//! backslash-escaped, so a value like `<ServerName>` or `svc_*` shows as
//! written in both the Markdown and the HTML runbook.

use crate::env::{Environment, Missing};
use crate::frontmatter;
use crate::markdown::parse_chapter;
use crate::model::{Chapter, LinkKind};
use crate::placeholder;
use crate::text::escape;
use crate::text::paths::normalise;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

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
pub struct Links {
    /// From the runbook's folder to the book's source folder, ending in `/`
    /// (`../../docs/`).
    pub to_src: String,
    /// Chapters in this runbook (relative to the source folder) and the id
    /// of their section in it.
    pub in_runbook: HashMap<String, String>,
}

impl Links {
    /// Where a link written in `chapter` to `dest` should go from the
    /// runbook. `None` leaves it as written (a URL, a mail address).
    pub fn resolve(&self, chapter: &str, dest: &str) -> Option<String> {
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
        let decoded = crate::markdown::percent_decode(&target);
        if fragment.is_none()
            && let Some(id) = self.in_runbook.get(&decoded)
        {
            return Some(format!("#{id}"));
        }
        let mut out = normalise(&format!("{}{target}", self.to_src));
        if let Some(f) = fragment {
            out.push('#');
            out.push_str(f);
        }
        Some(out)
    }

    /// A link to a line of a chapter's source.
    pub fn source(&self, chapter: &str, line: usize) -> String {
        format!(
            "{}#L{line}",
            normalise(&format!("{}{chapter}", self.to_src))
        )
    }
}

/// The chapter with this environment's values, and the placeholders that
/// had none.
pub fn fill(chapter: &Chapter, env: &Environment, links: &Links) -> (Chapter, Vec<Unresolved>) {
    let text: &str = &chapter.source;
    let body_start = frontmatter::find(text).map_or(0, |b| b.body_start);
    let contexts = contexts(&text[body_start..], body_start);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut unresolved = Vec::new();

    unresolved.extend(title_placeholders(chapter, env));

    for p in &chapter.placeholders {
        let range = p.span.start..p.span.end;
        let context = contexts.at(range.start);
        match env.placeholder_value(&p.name) {
            Ok((value, origin)) => {
                if value.contains('\n') && context != Context::CodeBlock {
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
                let written = match context {
                    Context::Code => value.into_owned(),
                    Context::CodeBlock => {
                        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                        let indent: String = text[line_start..range.start]
                            .chars()
                            .take_while(|c| matches!(c, ' ' | '\t' | '>'))
                            .collect();
                        value.replace('\n', &format!("\n{indent}"))
                    }
                    Context::Html => escape::html(&value),
                    Context::Text => escape::markdown(&value),
                };
                edits.push((range, written));
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

    // `\{{ name }}` is the way to write `{{ name }}` itself.
    for at in escapes(text, body_start) {
        edits.push((at..at + 1, String::new()));
    }

    // Links into the book, unless a placeholder is part of them.
    let mut seen = Vec::new();
    for link in &chapter.links {
        if link.kind == LinkKind::Autolink {
            continue;
        }
        let Some(span) = link.dest_span.clone() else {
            continue;
        };
        let range = span.start..span.end;
        if seen.contains(&range.start) || edits.iter().any(|(r, _)| overlaps(r, &range)) {
            continue;
        }
        let dest = &text[range.clone()];
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

    if edits.is_empty() {
        let mut same = chapter.clone();
        same.title = chapter.title.as_deref().map(|t| fill_plain(t, env));
        return (same, unresolved);
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + 256);
    let mut pos = 0;
    for (range, new) in edits {
        if range.start < pos {
            continue;
        }
        out.push_str(&text[pos..range.start]);
        out.push_str(&new);
        pos = range.end;
    }
    out.push_str(&text[pos..]);

    let (mut filled, _) = parse_chapter(
        &chapter.path,
        Arc::new(out),
        chapter.bom,
        flavour_of(chapter),
    );
    filled.listed = chapter.listed;
    filled.part = chapter.part.clone();
    // A value of several lines in a code block moves the lines below it:
    // keep the lines of the file as written.
    if filled.steps.len() == chapter.steps.len() {
        for (new, old) in filled.steps.iter_mut().zip(&chapter.steps) {
            new.line = old.line;
        }
    }
    if filled.prerequisites.len() == chapter.prerequisites.len() {
        for (new, old) in filled.prerequisites.iter_mut().zip(&chapter.prerequisites) {
            new.line = old.line;
        }
    }
    filled.title = filled
        .title
        .as_deref()
        .or(chapter.title.as_deref())
        .map(|t| fill_plain(t, env));
    (filled, unresolved)
}

fn flavour_of(_chapter: &Chapter) -> crate::slug::Flavour {
    // Anchors are not used from the filled chapter; any flavour will do.
    crate::slug::Flavour::Github
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

/// The backslashes from `from` on that escape a placeholder (`\{{ x }}`).
fn escapes(text: &str, from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = from;
    while let Some(i) = text[pos..].find("\\{{") {
        let at = pos + i;
        pos = at + 3;
        if placeholder::escaped_at(text, at + 1)
            && placeholder::scan(&text[at + 1..])
                .first()
                .is_some_and(|(_, r)| r.start == 0)
        {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Code,
    CodeBlock,
    Html,
}

struct Contexts(Vec<(Range<usize>, Context)>);

impl Contexts {
    fn at(&self, offset: usize) -> Context {
        self.0
            .iter()
            .find(|(r, _)| r.contains(&offset))
            .map_or(Context::Text, |(_, c)| *c)
    }
}

/// Byte ranges of code spans, code blocks and raw HTML in a chapter body.
fn contexts(body: &str, base: usize) -> Contexts {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let context = match event {
            Event::Code(_) => Context::Code,
            Event::Start(Tag::CodeBlock(_)) => Context::CodeBlock,
            Event::Html(_) | Event::InlineHtml(_) => Context::Html,
            Event::Start(Tag::HtmlBlock) => Context::Html,
            Event::End(TagEnd::CodeBlock) => continue,
            _ => continue,
        };
        out.push((base + range.start..base + range.end, context));
    }
    Contexts(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env as environment;

    fn env(values: &str) -> (tempfile::TempDir, Environment) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("environments")).unwrap();
        std::fs::write(dir.path().join("environments/lab.yaml"), values).unwrap();
        let env = environment::load(dir.path(), "lab", &[]).unwrap();
        (dir, env)
    }

    fn chapter(path: &str, text: &str) -> Chapter {
        parse_chapter(
            path,
            Arc::new(text.to_string()),
            0,
            crate::slug::Flavour::Mdbook,
        )
        .0
    }

    fn links() -> Links {
        Links {
            to_src: "../../docs/".into(),
            in_runbook: [("b.md".to_string(), "b".to_string())]
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
        let (filled, unresolved) = fill(&c, &env, &links());
        assert!(unresolved.is_empty());
        assert_eq!(filled.steps[0].markdown, "Use \\<a\\_b\\> and `<a_b>`.");
        assert_eq!(filled.steps[0].text, "Use <a_b> and <a_b>.");
        assert!(filled.source.contains("title=\"&lt;a_b&gt;\""));
        assert!(filled.source.contains("```\n<a_b>\n```"));
    }

    #[test]
    fn missing_values_are_reported_where_they_are_written() {
        let (_d, env) = env("values:\n  ad:\n    domain: x\n");
        let c = chapter("a.md", "# T\n\n1. Join {{ ad.domian }}.\n");
        let (_, unresolved) = fill(&c, &env, &links());
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
        let (filled, unresolved) = fill(&c, &env, &links());
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
        let (filled, unresolved) = fill(&c, &env, &links());
        assert!(unresolved.is_empty());
        assert_eq!(
            filled.steps[0].markdown,
            "Type `{{ name }}` and {{ name }} and \\{{ not a name."
        );
    }

    #[test]
    fn links_into_the_book_work_from_the_runbook() {
        let (_d, env) = env("values: {}\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. See [b](b.md), [b2](b.md#x), [c](sub/../c.md), [me](#top), [web](https://x.y/a.md) and ![i](img/p.png).\n",
        );
        let (filled, _) = fill(&c, &env, &links());
        assert_eq!(
            filled.steps[0].markdown,
            "See [b](#b), [b2](../../docs/b.md#x), [c](../../docs/c.md), [me](../../docs/a.md#top), [web](https://x.y/a.md) and ![i](../../docs/img/p.png)."
        );
    }

    #[test]
    fn multi_line_values_only_go_in_code_blocks() {
        let (_d, env) = env("values:\n  script: \"a\\nb\"\n");
        let c = chapter(
            "a.md",
            "# T\n\n1. Run:\n\n   ```\n   {{ script }}\n   ```\n2. Or {{ script }}.\n",
        );
        let (filled, unresolved) = fill(&c, &env, &links());
        assert_eq!(unresolved.len(), 1);
        assert_eq!(unresolved[0].line, 8);
        assert!(filled.source.contains("   a\n   b\n"));
        assert_eq!(filled.steps[1].line, 8);
    }
}
