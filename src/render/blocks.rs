//! A chapter's blocks as a runbook shows them: everything the chapter
//! says, in its order, filled in for one environment. Headings move one
//! level down under the chapter's own; numbered steps become check boxes
//! with their ids; the Prerequisites list becomes check boxes for the
//! chapters on the path, and a note of those the path leaves out; a
//! run-profile table is followed by the profiles to create; the
//! `<!-- runsheet-run-cycle -->` comment is where the run cycle goes.
//! What is left out (the chapter's H1, which heads its section, and HTML
//! comments) is listed with why.

use super::context::{
    AlertContext, BlockContext, LeftOut, OmittedBlock, PrerequisiteContext, ProfileStep,
    StepContext,
};
use super::fill::{Filled, Links, fill_plain, heading_id};
use super::html::markdown_to_html;
use crate::env::Environment;
use crate::model::{BlockKind, Chapter};

/// The comment that marks where a chapter runs the run cycle.
pub const RUN_CYCLE_MARKER: &str = "<!-- runsheet-run-cycle -->";

/// A chapter's blocks for the runbook.
pub struct ChapterBlocks {
    pub blocks: Vec<BlockContext>,
    pub omitted: Vec<OmittedBlock>,
    /// Its prerequisites that are check boxes (those on the path, and
    /// those that are not chapters of the book).
    pub prerequisites: Vec<PrerequisiteContext>,
    /// Whether the chapter holds the run cycle.
    pub run_cycle: bool,
}

fn block(kind: &'static str, line: usize) -> BlockContext {
    BlockContext {
        kind,
        line,
        markdown: String::new(),
        html: String::new(),
        level: 0,
        anchor: None,
        text: String::new(),
        alert: None,
        steps: Vec::new(),
        prerequisites: Vec::new(),
        left_out: Vec::new(),
        profile_steps: Vec::new(),
    }
}

/// Build the blocks of `c` (filled in as `f`) whose section in the
/// runbook is `slug`. `steps` are its steps (in order) and `profile_steps`
/// the run profiles its run-profile table creates.
pub fn of(
    c: &Chapter,
    f: &Filled<'_>,
    slug: &str,
    links: &Links,
    env: &Environment,
    steps: &[StepContext],
    profile_steps: &[ProfileStep],
) -> ChapterBlocks {
    let mut out = ChapterBlocks {
        blocks: Vec::with_capacity(c.blocks.len()),
        omitted: Vec::new(),
        prerequisites: Vec::new(),
        run_cycle: false,
    };
    let mut title_seen = false;
    let mut profiles_placed = false;
    for b in &c.blocks {
        let markdown = || f.slice(b.range.clone()).trim_end().to_string();
        let text_block = |kind: &'static str| {
            let markdown = markdown();
            let mut ctx = block(kind, b.line);
            ctx.html = markdown_to_html(&markdown);
            ctx.markdown = markdown;
            ctx
        };
        // The prerequisites this block lists.
        let listed: Vec<_> = c
            .prerequisites
            .iter()
            .filter(|p| {
                c.links
                    .get(p.link)
                    .is_some_and(|l| b.range.contains(&l.span.start))
            })
            .collect();
        match b.kind {
            BlockKind::Heading { level, index } => {
                let Some(h) = c.headings.get(index) else {
                    continue;
                };
                if level == 1 && !title_seen {
                    title_seen = true;
                    out.omitted.push(OmittedBlock {
                        line: b.line,
                        kind: "heading",
                        reason: "the chapter's title, which heads its section of the runbook"
                            .into(),
                    });
                    continue;
                }
                let mut ctx = block("heading", b.line);
                ctx.level = (level.max(2) + 1).min(6);
                ctx.anchor = Some(heading_id(slug, &h.anchor));
                ctx.text = f.heading(index).unwrap_or_else(|| h.text.clone());
                out.blocks.push(ctx);
            }
            _ if !listed.is_empty() => {
                let mut ctx = block("prerequisites", b.line);
                for p in listed {
                    if let Some(reason) = links.skipped(&c.path, &p.target) {
                        ctx.left_out.push(LeftOut {
                            text: fill_plain(&p.text, env),
                            target: p.target.clone(),
                            reason: reason.to_string(),
                        });
                        continue;
                    }
                    let href = links
                        .resolve(&c.path, &p.target)
                        .unwrap_or_else(|| p.target.clone());
                    let prerequisite = PrerequisiteContext {
                        text: c
                            .links
                            .get(p.link)
                            .map_or_else(|| p.text.clone(), |l| f.link_text(l)),
                        target: p.target.clone(),
                        in_runbook: href.starts_with('#'),
                        href,
                    };
                    out.prerequisites.push(prerequisite.clone());
                    ctx.prerequisites.push(prerequisite);
                }
                out.blocks.push(ctx);
            }
            _ if !b.steps.is_empty() => {
                let mut ctx = block("steps", b.line);
                ctx.steps = steps.get(b.steps.clone()).unwrap_or_default().to_vec();
                out.blocks.push(ctx);
            }
            BlockKind::Quote { alert: Some(kind) } => {
                let mut ctx = text_block("alert");
                ctx.alert = Some(AlertContext {
                    kind,
                    label: kind.label(),
                    marker: format!("[!{}]", kind.label().to_ascii_uppercase()),
                    serious: kind.is_serious(),
                });
                out.blocks.push(ctx);
            }
            // A run-profile table, also one inside a quote.
            _ if holds_profiles(c, b) => {
                let mut ctx = text_block("profiles");
                if !profiles_placed {
                    profiles_placed = true;
                    ctx.profile_steps = profile_steps.to_vec();
                }
                out.blocks.push(ctx);
            }
            BlockKind::Html => {
                let written = c.source.get(b.range.clone()).unwrap_or_default().trim();
                if written == RUN_CYCLE_MARKER {
                    out.run_cycle = true;
                    out.blocks.push(block("run_cycle", b.line));
                } else if is_comment(written) {
                    out.omitted.push(OmittedBlock {
                        line: b.line,
                        kind: "html",
                        reason: "an HTML comment, which a reader of the chapter does not see"
                            .into(),
                    });
                } else {
                    out.blocks.push(text_block("text"));
                }
            }
            _ => out.blocks.push(text_block("text")),
        }
    }
    // Profiles to create are never dropped: without a table block to
    // follow, they close the chapter.
    if !profiles_placed && !profile_steps.is_empty() {
        let mut ctx = block("profiles", c.lines.line_of(c.source.len()));
        ctx.profile_steps = profile_steps.to_vec();
        out.blocks.push(ctx);
    }
    out
}

/// Whether block `b` of `c` is or holds a run-profile table.
fn holds_profiles(c: &Chapter, b: &crate::model::Block) -> bool {
    let last = c.lines.line_of(b.range.end);
    c.tables
        .iter()
        .any(|t| t.run_profiles && (b.line..=last).contains(&t.line))
}

/// Whether raw HTML is nothing but comments.
fn is_comment(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_are_only_comments() {
        assert!(super::is_comment("<!-- a -->"));
        assert!(super::is_comment("<!-- a -->\n<!-- b -->"));
        assert!(!super::is_comment("<!-- a --> <b>x</b>"));
        assert!(!super::is_comment("<div>"));
    }
}
