//! Nothing the guide says is dropped: for every environment of our book
//! and every chapter on its path, every block of the chapter (headings,
//! paragraphs, lists item by item, admonitions, tables, code blocks), with
//! its values filled in, is in `runbook.md` and `runbook.html`, in the
//! chapter's order, inside that chapter's section.
//!
//! The blocks are read here with pulldown-cmark, not with runsheet's own
//! reader, and compared as plain text with every space taken out (so that
//! Markdown and HTML, which break lines and wrap tags differently, compare
//! alike). What a runbook leaves out on purpose is listed in `left_out`,
//! each with why; everything else must be found.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;

/// Why a block of a chapter is not in its runbook section.
#[derive(Debug)]
enum LeftOut {
    /// The chapter's first H1: the runbook heads the chapter's section
    /// with the chapter's title (front matter `title`, else this H1).
    Title,
    /// An HTML comment (control comments such as `runsheet-disable` and
    /// `runsheet-run-cycle`), which a reader of the chapter does not see.
    Comment,
    /// A Prerequisites item that leads to a chapter off the environment's
    /// path: the runbook lists it, untickable, under "Not on this
    /// environment's path".
    PrerequisiteOffPath,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Text without any white space: what two renderings of the same words
/// have in common.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The plain text of Markdown: text and code, nothing of the markup.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The text of an HTML page: tags out, entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map_or(after.len(), |e| e + 3)
        } else {
            after.find('>').map_or(after.len(), |e| e + 1)
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One block of a chapter as the test reads it: what it says (the text
/// a runbook must carry, with values filled), or why it is left out.
struct Block {
    line: usize,
    what: &'static str,
    text: String,
    left_out: Option<LeftOut>,
}

/// The top-level blocks of `source` (front matter skipped), a list split
/// into its items.
fn blocks(
    source: &str,
    env: &runsheet::env::Environment,
    off_path: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    let body_start = if let Some(rest) = source.strip_prefix("---\n") {
        rest.find("\n---\n").map_or(0, |i| 4 + i + 5)
    } else {
        0
    };
    let body = &source[body_start..];
    let line = |offset: usize| source[..body_start + offset].matches('\n').count() + 1;
    let fill =
        |range: std::ops::Range<usize>| runsheet::render::fill::fill_plain(&body[range], env);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut title_seen = false;
    let mut in_prerequisites = false;
    let mut list_depth = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    match tag {
                        Tag::Heading { level, .. } => {
                            let text = plain(&fill(range.clone()));
                            in_prerequisites = text.trim().starts_with("Prerequisites");
                            let first_h1 =
                                *level == pulldown_cmark::HeadingLevel::H1 && !title_seen;
                            title_seen |= first_h1;
                            out.push(Block {
                                line: line(range.start),
                                what: "heading",
                                text,
                                left_out: first_h1.then_some(LeftOut::Title),
                            });
                        }
                        Tag::List(_) => {}
                        Tag::HtmlBlock => {
                            let written = body[range.clone()].trim();
                            let comment = written.starts_with("<!--") && written.ends_with("-->");
                            out.push(Block {
                                line: line(range.start),
                                what: "html",
                                text: fill(range.clone()),
                                left_out: comment.then_some(LeftOut::Comment),
                            });
                        }
                        Tag::BlockQuote(Some(_)) => out.push(Block {
                            line: line(range.start),
                            what: "admonition",
                            text: plain(&fill(range.clone())),
                            left_out: None,
                        }),
                        Tag::Table(_) => out.push(Block {
                            line: line(range.start),
                            what: "table",
                            text: plain(&fill(range.clone())),
                            left_out: None,
                        }),
                        Tag::CodeBlock(_) => out.push(Block {
                            line: line(range.start),
                            what: "code block",
                            text: plain(&fill(range.clone())),
                            left_out: None,
                        }),
                        _ => out.push(Block {
                            line: line(range.start),
                            what: "paragraph",
                            text: plain(&fill(range.clone())),
                            left_out: None,
                        }),
                    }
                }
                if let Tag::List(_) = tag {
                    list_depth += 1;
                }
                // Each item of a top-level list is a block of its own.
                if let Tag::Item = tag
                    && depth == 1
                    && list_depth == 1
                {
                    let written = &body[range.clone()];
                    let text = plain(&fill(range.clone()));
                    let target = written
                        .split_once("](")
                        .and_then(|(_, rest)| rest.split_once(')'))
                        .map(|(dest, _)| dest.split('#').next().unwrap_or(dest).to_string());
                    let left_out = (in_prerequisites && target.as_deref().is_some_and(off_path))
                        .then_some(LeftOut::PrerequisiteOffPath);
                    out.push(Block {
                        line: line(range.start),
                        what: "list item",
                        text,
                        left_out,
                    });
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth -= 1;
                if let TagEnd::List(_) = tag {
                    list_depth -= 1;
                }
            }
            Event::Rule if depth == 0 => {}
            _ => {}
        }
    }
    out
}

/// The part of a rendered runbook (`md` or `html`) that is chapter
/// `slug`'s section, as squeezed text.
fn section(document: &str, slug: &str, html: bool) -> String {
    if html {
        let start = document
            .find(&format!("<section class=\"chapter\" id=\"{slug}\">"))
            .unwrap_or_else(|| panic!("no section {slug} in runbook.html"));
        let end = document[start..]
            .find("</section>")
            .map_or(document.len(), |e| start + e);
        squeeze(&html_text(&document[start..end]))
    } else {
        let marker = format!("<a id=\"{slug}\"></a>");
        let start = document
            .find(&marker)
            .unwrap_or_else(|| panic!("no section {slug} in runbook.md"));
        let end = document[start + marker.len()..]
            .find("\n---\n\n<a id=")
            .map_or(document.len(), |e| start + marker.len() + e);
        squeeze(&plain(&document[start..end]))
    }
    // What the runbook adds after a link to a chapter it leaves out.
    .replace("(notinthisrunbook)", "")
}

#[test]
fn every_block_of_every_chapter_on_the_path_is_in_the_runbook_in_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    crate::common::runsheet()
        .args(["render", "--out"])
        .arg(out.path())
        .arg(root)
        .assert()
        .success();
    let guide = runsheet::load(root, &runsheet::LoadOptions::default()).unwrap();
    let mut missing = Vec::new();
    let mut left_out = Vec::new();
    let mut found = 0;
    for name in ["lab", "test", "prod"] {
        let env = runsheet::env::load(root, name, &[]).unwrap();
        let off_path = |target: &str| {
            guide
                .chapters
                .iter()
                .any(|c| c.path == target && !env.follows(c))
        };
        let md = std::fs::read_to_string(out.path().join(name).join("runbook.md")).unwrap();
        let html = std::fs::read_to_string(out.path().join(name).join("runbook.html")).unwrap();
        for chapter in guide.chapters.iter().filter(|c| env.follows(c)) {
            let slug = runsheet::render::ids::chapter_slug(&chapter.path);
            for (document, is_html, file) in
                [(&md, false, "runbook.md"), (&html, true, "runbook.html")]
            {
                let haystack = section(document, &slug, is_html);
                let mut cursor = 0;
                for block in blocks(&chapter.source, &env, &off_path) {
                    if let Some(why) = &block.left_out {
                        if !is_html {
                            left_out.push(format!(
                                "{name}: {}:{} {} ({why:?})",
                                chapter.path, block.line, block.what
                            ));
                        }
                        continue;
                    }
                    let needle = squeeze(&block.text);
                    if needle.is_empty() {
                        continue;
                    }
                    match haystack[cursor..].find(&needle) {
                        Some(at) => {
                            cursor += at + needle.len();
                            found += 1;
                        }
                        None => missing.push(format!(
                            "{name}/{file}: {}:{} {} {}",
                            chapter.path,
                            block.line,
                            block.what,
                            if haystack.contains(&needle) {
                                "is there, but out of order"
                            } else {
                                "is missing"
                            },
                        )),
                    }
                }
            }
        }
    }
    println!("left out on purpose ({}):", left_out.len());
    for l in &left_out {
        println!("  {l}");
    }
    assert!(
        missing.is_empty(),
        "{} of {} blocks not carried:\n{}",
        missing.len(),
        missing.len() + found,
        missing.join("\n")
    );
    // Every kind of block is there to be found.
    assert!(found > 500, "only {found} blocks compared");
}
