//! runsheet as an mdBook preprocessor: `runsheet mdbook`, also installed as
//! `mdbook-runsheet`, so that a bare `[preprocessor.runsheet]` table in
//! `book.toml` works.
//!
//! mdBook calls the program twice: `supports RENDERER` (runsheet supports
//! every renderer), then with `[context, book]` as JSON on standard input,
//! expecting the book back on standard output. In between runsheet:
//!
//! - checks the book as `runsheet check` does and prints the findings on
//!   standard error in the human format; `fail-on = "error"` (the
//!   default), `"warning"` or `"never"` decides when that fails the build.
//!   When `book.toml` orders other preprocessors before runsheet (`after =
//!   ["spec"]`), the chapters are checked as they reach it, as readers see
//!   them, each finding at its place in the chapter's file;
//! - strips each chapter's YAML front matter (mdBook would show it as a
//!   heading; the page title and the sidebar stay SUMMARY's names, which
//!   mdBook takes from SUMMARY.md, not from a preprocessor);
//! - fills `{{ name }}` placeholders with the values of one environment
//!   (`environment = "lab"`), escaped for where they stand; without one,
//!   or for a key the environment leaves unset, a placeholder shows as its
//!   name, `‹server.name›`, styled as a field to fill in;
//! - gives each heading with a placeholder its id as `{#id}`: the one
//!   `runsheet check`, `extract` and the runbooks give it from its text as
//!   written, whatever the placeholder shows in this build;
//! - writes `\{{ name }}` as `{{ name }}`;
//! - turns `> [!NOTE]` and the other GitHub alerts into a bold label for
//!   renderers that do not draw them (mdBook's HTML renderer has drawn
//!   them itself since 0.5).

use crate::check::session::{BaselineUse, Request, Session, SessionError};
use crate::check::settings::FailOn;
use crate::env::Environment;
use crate::model::PlaceholderContext;
use crate::render::fill;
use crate::report::{Checked, human};
use crate::slug::Flavour;
use crate::text::escape;
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use std::io::{Read, Write};
use std::ops::Range;
use std::sync::Arc;

/// Why the book could not be preprocessed.
#[derive(Debug, thiserror::Error)]
pub enum MdbookError {
    #[error(
        "runsheet check found {0} in the book (listed above); fix them, or set `fail-on = \"never\"` under [preprocessor.runsheet] to build anyway"
    )]
    Findings(String),
    #[error("cannot read what mdBook sent: {0}")]
    Input(String),
    #[error(transparent)]
    Check(#[from] SessionError),
    #[error("environment `{name}`: {source}")]
    Environment {
        name: String,
        source: crate::env::EnvError,
    },
    #[error("cannot write the book for mdBook: {0}")]
    Output(#[from] std::io::Error),
}

/// Whether runsheet works with mdBook's `renderer`: with every one.
pub fn supports(_renderer: &str) -> bool {
    true
}

/// The whole exchange: `[context, book]` from `input`, the book to
/// `output`, the check's findings to `report`.
pub fn run_protocol(
    input: impl Read,
    mut output: impl Write,
    report: &mut dyn Write,
) -> Result<(), MdbookError> {
    let (ctx, book) = mdbook_preprocessor::parse_input(input)
        .map_err(|e| MdbookError::Input(format!("{e:#}")))?;
    let book = run(&ctx, book, report)?;
    serde_json::to_writer(&mut output, &book).map_err(std::io::Error::from)?;
    output.flush()?;
    Ok(())
}

/// Check the book, then return it with front matter stripped and
/// placeholders filled.
pub fn run(
    ctx: &PreprocessorContext,
    mut book: Book,
    report: &mut dyn Write,
) -> Result<Book, MdbookError> {
    let session = check_book(ctx, &book, report)?;
    let env = match &session.settings.environment {
        Some(name) => Some(crate::env::load(&ctx.root, name, &[]).map_err(|source| {
            MdbookError::Environment {
                name: name.clone(),
                source,
            }
        })?),
        None => None,
    };
    let alerts_drawn = ctx.renderer == "html" && at_least_0_5(&ctx.mdbook_version);
    let mut unfilled: Vec<String> = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let path = chapter.source_path.as_ref().map_or_else(
            || chapter.name.clone(),
            |p| p.to_string_lossy().replace('\\', "/"),
        );
        let (content, missing) = prepare(&path, &chapter.content, env.as_ref(), !alerts_drawn);
        chapter.content = content;
        unfilled.extend(missing);
        if let Some(env) = &env
            && chapter.name.contains("{{")
        {
            chapter.name = fill::fill_plain(&chapter.name, env);
        }
    });
    if let Some(env) = &env {
        for place in &unfilled {
            writeln!(
                report,
                "runsheet: {} has no value in environment `{}`; it shows as its name",
                crate::text::escape::shown(place),
                crate::text::escape::shown(&env.name)
            )?;
        }
    }
    Ok(book)
}

/// Run the check over the book as `runsheet check` does (its settings,
/// baseline, `exclude` and `ignore-links` included), print its findings,
/// and fail as `fail-on` says. mdBook's own configuration wins where it
/// differs from book.toml (`MDBOOK_PREPROCESSOR__RUNSHEET__…` variables).
fn check_book(
    ctx: &PreprocessorContext,
    book: &Book,
    report: &mut dyn Write,
) -> Result<Session, MdbookError> {
    let request = Request {
        baseline: BaselineUse::Settings,
        source_lines: true,
        settings_over: overrides(ctx),
        preprocessed: Some(Arc::new(chapters_as_given(book))),
        ..Request::default()
    };
    let session = Session::run(&ctx.root, &request)?;
    let (errors, warnings) = session.counts();
    let fail_on = session.settings.fail_on;
    if !session.diagnostics.is_empty()
        || session
            .baseline
            .as_ref()
            .is_some_and(|b| !b.stale.is_empty())
    {
        let display_root = session
            .digest
            .book
            .src_dir
            .strip_prefix(&ctx.root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let checked = [Checked {
            subject: crate::report::Subject::Guide(&session.digest),
            display_root,
            diagnostics: session.diagnostics.clone(),
            baseline: session.baseline.clone(),
        }];
        let options = human::Options {
            deny_warnings: fail_on == FailOn::Warning,
            ..human::Options::plain()
        };
        human::write(&checked, &options, report)?;
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match fail_on {
        FailOn::Error if errors > 0 => Err(MdbookError::Findings(plural(errors, "error"))),
        FailOn::Warning if errors + warnings > 0 => Err(MdbookError::Findings(format!(
            "{} and {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ))),
        _ => Ok(session),
    }
}

/// Each chapter's text as mdBook hands it over (after the preprocessors
/// that ran before runsheet), by its path from the source folder.
fn chapters_as_given(book: &Book) -> crate::check::preprocessed::Texts {
    let mut texts = crate::check::preprocessed::Texts::new();
    for item in book.iter() {
        if let mdbook_preprocessor::book::BookItem::Chapter(chapter) = item
            && let Some(path) = &chapter.source_path
        {
            texts.insert(
                path.to_string_lossy().replace('\\', "/"),
                chapter.content.clone(),
            );
        }
    }
    texts
}

/// runsheet's table as mdBook sees it, when it differs from the one in
/// book.toml (an `MDBOOK_PREPROCESSOR__RUNSHEET__…` variable set a key):
/// as TOML text, applied over the files' settings.
fn overrides(ctx: &PreprocessorContext) -> Option<crate::check::session::SettingsOver> {
    let seen: toml::Value = ctx.config.get("preprocessor.runsheet").ok()??;
    let on_disk = crate::text::inside::read_in_its_folder(
        &ctx.root.join("book.toml"),
        crate::text::inside::Cap::CONFIG,
    )
    .ok()
    .flatten()
    .and_then(|t| t.parse::<toml::Table>().ok())
    .and_then(|t| t.get("preprocessor")?.get("runsheet").cloned());
    if on_disk.as_ref() == Some(&seen) {
        return None;
    }
    Some(crate::check::session::SettingsOver {
        text: toml::to_string(&seen).ok()?,
        shown:
            "mdBook's configuration of [preprocessor.runsheet] (book.toml with MDBOOK_ variables)"
                .into(),
    })
}

/// Whether mdBook `version` ("0.5.4") is 0.5 or later.
fn at_least_0_5(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    major > 0 || minor >= 5
}

/// One chapter's text for mdBook: front matter stripped, placeholders
/// filled (or shown by name), escapes dropped, and alerts labelled when
/// `label_alerts`. Also the placeholders that had no value, as
/// `{{ key }} (file:line)`.
pub fn prepare(
    path: &str,
    text: &str,
    env: Option<&Environment>,
    label_alerts: bool,
) -> (String, Vec<String>) {
    let (chapter, _) =
        crate::markdown::parse_chapter(path, Arc::new(text.to_string()), 0, Flavour::Mdbook);
    let body_start = crate::frontmatter::find(text).map_or(0, |b| b.body_start);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut missing = Vec::new();
    if body_start > 0 {
        edits.push((0..body_start, String::new()));
    }
    // Before the placeholders' edits, so that one inside a destination
    // refused gives way to it.
    edits.extend(script_links(&chapter, text, env));
    for p in &chapter.placeholders {
        let range = p.span.start..p.span.end;
        let value = env.and_then(|e| e.placeholder_value(&p.name).ok());
        let fits = |v: &str| !v.contains('\n') || p.context == PlaceholderContext::CodeBlock;
        let new = match value {
            Some((value, _)) if fits(&value) => {
                if p.context == PlaceholderContext::Code {
                    edits.extend(fill::code_fences(text, &p.within, &value));
                }
                fill::written(&value, p.context, text, range.start)
            }
            _ => {
                missing.push(format!("`{{{{ {} }}}}` ({path}:{})", p.name, p.line));
                shown_name(&p.name, p.context)
            }
        };
        edits.push((range, new));
    }
    edits.extend(heading_ids(&chapter, text));
    for at in fill::escapes(text, body_start) {
        edits.push((at..at + 1, String::new()));
    }
    if label_alerts {
        edits.extend(alert_labels(text, body_start));
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (range, new) in edits {
        // Of overlapping edits the first stays.
        if range.start < pos {
            continue;
        }
        out.push_str(&text[pos..range.start]);
        out.push_str(&new);
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    (without_script_links(&out), missing)
}

/// `text` with each Markdown link or image whose destination runs
/// something (`javascript:`, `vbscript:`, `data:`, as a value or the
/// chapter writes it) made `[its text](#)`: read as mdBook reads it,
/// once the values are in.
fn without_script_links(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // Each open link: its range, whether it is refused, where its text
    // ends.
    let mut open: Vec<(Range<usize>, bool, usize)> = Vec::new();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let refused = crate::render::html::runs_script(&dest_url);
                open.push((range.clone(), refused, range.start));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some((whole, refused, text_end)) = open.pop() else {
                    continue;
                };
                if let Some(parent) = open.last_mut() {
                    parent.2 = parent.2.max(whole.end);
                }
                if !refused {
                    continue;
                }
                let bang = text.get(whole.clone()).is_some_and(|t| t.starts_with('!'));
                let opening = if bang { 2 } else { 1 };
                let inner = text
                    .get(whole.start + opening..text_end.max(whole.start + opening))
                    .unwrap_or("");
                let bracketed = text
                    .get(whole.clone())
                    .is_some_and(|t| t.starts_with(['[', '!']));
                let shown = if bracketed {
                    inner.to_string()
                } else {
                    // An autolink, `<javascript:…>`: its address as text.
                    escape::markdown(text.get(whole.start + 1..whole.end - 1).unwrap_or(""))
                };
                let bang = if bang { "!" } else { "" };
                edits.push((whole, format!("{bang}[{shown}](#)")));
            }
            _ => {
                if let Some(last) = open.last_mut() {
                    last.2 = last.2.max(range.end);
                }
            }
        }
    }
    if edits.is_empty() {
        return text.to_string();
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (range, new) in edits {
        if range.start < pos {
            continue;
        }
        out.push_str(text.get(pos..range.start).unwrap_or(""));
        out.push_str(&new);
        pos = range.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

/// The destinations of links and images that would run something once
/// filled in, each made `#` (its text kept): as `runbook.html` shows such
/// a link as text, the book mdBook builds gets no live `javascript:`
/// link from a value. A destination a value goes into must be a web, mail
/// or relative address, as `runbook.html` requires of every link; one the
/// chapter writes itself only must not be `javascript:`, `vbscript:` or
/// `data:` (`data:` images included, which `runbook.html` does not show
/// either).
fn script_links(
    chapter: &crate::model::Chapter,
    text: &str,
    env: Option<&Environment>,
) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    for link in &chapter.links {
        let Some(range) = link.dest_span.clone() else {
            continue;
        };
        let Some(written) = text.get(range.clone()) else {
            continue;
        };
        // The destination as mdBook will read it: values filled in.
        let mut filled = String::with_capacity(written.len());
        let mut pos = range.start;
        let mut has_value = false;
        for p in chapter
            .placeholders
            .iter()
            .filter(|p| range.start <= p.span.start && p.span.end <= range.end)
        {
            filled.push_str(text.get(pos..p.span.start).unwrap_or(""));
            if let Some((value, _)) = env.and_then(|e| e.placeholder_value(&p.name).ok()) {
                filled.push_str(&value);
                has_value = true;
            }
            pos = p.span.end;
        }
        filled.push_str(text.get(pos..range.end).unwrap_or(""));
        let refused = if has_value {
            !crate::render::html::safe_destination(&filled)
        } else {
            crate::render::html::runs_script(&filled)
        };
        if refused {
            edits.push((range, "#".to_string()));
        }
    }
    edits
}

/// The id each heading with a placeholder has everywhere (the one
/// `runsheet check` and `extract` give it from the text as written, and
/// the runbook's), written as the heading's `{#id}`: filled in, or shown
/// by name, its text would give mdBook another id in each environment.
fn heading_ids(chapter: &crate::model::Chapter, text: &str) -> Vec<(Range<usize>, String)> {
    chapter
        .headings
        .iter()
        .filter(|h| h.explicit_id.is_none())
        .filter(|h| {
            chapter
                .placeholders
                .iter()
                .any(|p| h.span.start <= p.span.start && p.span.end <= h.span.end)
        })
        .filter_map(|h| {
            let at = heading_text_end(text.get(h.span.start..h.span.end)?)?;
            let at = h.span.start + at;
            Some((at..at, format!(" {{#{}}}", h.anchor)))
        })
        .collect()
}

/// Where a heading's text ends in its source `written`: an ATX heading's
/// (`## Text ##`) before its closing `#`s, a setext heading's at the end
/// of the line above its underline.
fn heading_text_end(written: &str) -> Option<usize> {
    let written = written.trim_end_matches(['\n', '\r']);
    if written.trim_start_matches(' ').starts_with('#') {
        let line = written.split('\n').next().unwrap_or(written);
        let content = line.trim_end();
        let open = content.trim_end_matches('#');
        // A closing sequence is `#`s after a space (or the whole heading).
        let end = if open.len() < content.len()
            && (open.ends_with([' ', '\t']) || open.trim_start().chars().all(|c| c == '#'))
        {
            open.trim_end().len()
        } else {
            content.len()
        };
        return Some(end);
    }
    // Setext: the text is every line but the last.
    let underline = written.rfind('\n')?;
    Some(written.get(..underline)?.trim_end().len())
}

/// A placeholder without a value, shown by its name: in text, styled as a
/// field to fill in; in code, as the name alone.
fn shown_name(name: &str, context: PlaceholderContext) -> String {
    let shown = format!("‹{name}›");
    match context {
        PlaceholderContext::Text => format!(
            "<span class=\"runsheet-placeholder\" title=\"a value of the environment\" style=\"font-family: monospace; font-style: italic; border-bottom: 1px dotted\">{}</span>",
            escape::html(&shown)
        ),
        PlaceholderContext::Html => escape::html(&shown),
        PlaceholderContext::Code | PlaceholderContext::CodeBlock => shown,
    }
}

/// The `[!KIND]` markers of GitHub alerts from `from` on, each replaced by
/// a bold label (`**Warning**`), for renderers that show them as text.
fn alert_labels(text: &str, from: usize) -> Vec<(Range<usize>, String)> {
    use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag};
    let body = &text[from..];
    let mut out = Vec::new();
    let events = Parser::new_ext(body, Options::ENABLE_GFM | Options::ENABLE_TABLES);
    for (event, range) in events.into_offset_iter() {
        let Event::Start(Tag::BlockQuote(Some(kind))) = event else {
            continue;
        };
        let label = match kind {
            BlockQuoteKind::Note => "Note",
            BlockQuoteKind::Tip => "Tip",
            BlockQuoteKind::Important => "Important",
            BlockQuoteKind::Warning => "Warning",
            BlockQuoteKind::Caution => "Caution",
        };
        let quote = &body[range.clone()];
        let Some(open) = quote.find("[!") else {
            continue;
        };
        let Some(close) = quote[open..].find(']') else {
            continue;
        };
        let start = from + range.start + open;
        out.push((start..start + close + 1, format!("**{label}**")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_goes_and_placeholders_show_their_names_without_an_environment() {
        let text = "---\ntitle: Install\n---\n# Install on {{ server.name }}\n\nRun `setup {{ server.name }}` and keep \\{{ literal }}.\n";
        let (out, missing) = prepare("install.md", text, None, false);
        assert!(!out.contains("title: Install"), "{out}");
        assert!(
            out.starts_with("# Install on <span class=\"runsheet-placeholder\""),
            "{out}"
        );
        assert!(out.contains("`setup ‹server.name›`"), "{out}");
        assert!(out.contains("keep {{ literal }}."), "{out}");
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0], "`{{ server.name }}` (install.md:4)");
    }

    #[test]
    fn alerts_get_a_label_where_the_renderer_draws_none() {
        let text = "# A\n\n> [!WARNING]\n> Deletes the guests.\n\n```\n> [!NOTE] in code\n```\n";
        let (out, _) = prepare("a.md", text, None, true);
        assert!(
            out.contains("> **Warning**\n> Deletes the guests."),
            "{out}"
        );
        assert!(out.contains("> [!NOTE] in code"), "{out}");
        let (kept, _) = prepare("a.md", text, None, false);
        assert_eq!(kept, text);
    }

    #[test]
    fn a_heading_with_a_placeholder_keeps_the_id_its_text_as_written_gives() {
        let text = "# Run\n\n## Load the rules ({{ agents.mim.name }})\n\n## Closed {{ x }} ##\n\nSet {{ y }}\n---\n\n## Plain\n\n## Own {{ z }} {#own}\n";
        let (out, _) = prepare("run.md", text, None, false);
        assert!(
            out.contains("## Load the rules (<span class=\"runsheet-placeholder\"")
                && out.contains("</span>) {#load-the-rules--agentsmimname-}\n"),
            "{out}"
        );
        assert!(out.contains("</span> {#closed--x-} ##\n"), "{out}");
        assert!(out.contains("</span> {#set--y-}\n---\n"), "{out}");
        assert!(out.contains("## Plain\n"), "{out}");
        assert!(out.contains("</span> {#own}\n"), "{out}");
        assert!(!out.contains("{#own} {#"), "{out}");
    }

    #[test]
    fn versions() {
        assert!(at_least_0_5("0.5.4") && at_least_0_5("1.0.0") && !at_least_0_5("0.4.52"));
    }
}
