//! A chapter's blocks as a runbook shows them: everything the chapter
//! says, in its order, filled in for one environment. Headings move one
//! level down under the chapter's own; numbered steps become check boxes
//! with their ids; the Prerequisites list becomes check boxes for the
//! chapters on the path, and a note of those the path leaves out; a
//! run-profile table is followed by the profiles to create; the
//! `<!-- runsheet-run-cycle -->` comment is where the run cycle goes, and
//! `<!-- runsheet-scheduled-cycle -->` where the scheduled cycle is shown.
//! What is left out (the chapter's H1, which heads its section, and HTML
//! comments) is listed with why.

use super::context::{
    AlertContext, BlockContext, LeftOut, OmittedBlock, PrerequisiteContext, ProfileStep,
    StepContext,
};
use super::fill::{Filled, RunbookLinks, fill_plain, heading_id};
use super::html::markdown_to_html;
use crate::env::Environment;
use crate::model::{AlertKind, Block, BlockKind, Chapter, ListedLink};

/// The comment that marks where a chapter runs the run cycle.
pub const RUN_CYCLE_MARKER: &str = "<!-- runsheet-run-cycle -->";

/// The comment that marks where a chapter shows the scheduled cycle (the
/// runbook's `cycles.scheduled` goes there, as a table: the scheduled task
/// runs it, not the operator).
pub const SCHEDULED_CYCLE_MARKER: &str = "<!-- runsheet-scheduled-cycle -->";

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
    links: &RunbookLinks,
    env: &Environment,
    steps: &[StepContext],
    profile_steps: &[ProfileStep],
) -> ChapterBlocks {
    let mut builder = Builder {
        c,
        f,
        slug,
        links,
        env,
        steps,
        profile_steps,
        out: ChapterBlocks {
            blocks: Vec::with_capacity(c.blocks.len()),
            omitted: Vec::new(),
            prerequisites: Vec::new(),
            run_cycle: false,
        },
        title_seen: false,
        profiles_placed: false,
    };
    for b in &c.blocks {
        builder.block(b);
    }
    builder.close()
}

/// What a chapter's blocks are built from, and what is built so far.
struct Builder<'a, 'f> {
    c: &'a Chapter,
    f: &'a Filled<'f>,
    slug: &'a str,
    links: &'a RunbookLinks,
    env: &'a Environment,
    steps: &'a [StepContext],
    profile_steps: &'a [ProfileStep],
    out: ChapterBlocks,
    /// Whether the chapter's title (its first H1) has been passed.
    title_seen: bool,
    /// Whether the profiles to create follow a table already.
    profiles_placed: bool,
}

impl<'a> Builder<'a, '_> {
    /// One block of the chapter, as what it is: a heading, the
    /// prerequisites, steps, an alert, a run-profile table, raw HTML, or
    /// any other text.
    fn block(&mut self, b: &Block) {
        let listed = self.prerequisites_listed(b);
        match b.kind {
            BlockKind::Heading { level, index } => self.heading(b, level, index),
            _ if !listed.is_empty() => self.prerequisites(b, &listed),
            _ if !b.steps.is_empty() => {
                let mut ctx = block("steps", b.line);
                ctx.steps = self.steps.get(b.steps.clone()).unwrap_or_default().to_vec();
                self.out.blocks.push(ctx);
            }
            BlockKind::Quote { alert: Some(kind) } => self.alert(b, kind),
            // A run-profile table, also one inside a quote.
            _ if holds_profiles(self.c, b) => self.profiles(b),
            BlockKind::Html => self.html(b),
            _ => {
                let ctx = self.text_block(b, "text");
                self.out.blocks.push(ctx);
            }
        }
    }

    /// The chapter's blocks, with the profiles to create, which are never
    /// dropped: without a table block to follow, they close the chapter.
    fn close(mut self) -> ChapterBlocks {
        if !self.profiles_placed && !self.profile_steps.is_empty() {
            let c = self.c;
            let mut ctx = block("profiles", c.lines.line_of(c.source.len()));
            ctx.profile_steps = self.profile_steps.to_vec();
            self.out.blocks.push(ctx);
        }
        self.out
    }

    /// A block shown as its Markdown (and HTML), filled in.
    fn text_block(&self, b: &Block, kind: &'static str) -> BlockContext {
        let markdown = self.f.slice(b.range.clone()).trim_end().to_string();
        let mut ctx = block(kind, b.line);
        ctx.html = markdown_to_html(&markdown);
        ctx.markdown = markdown;
        ctx
    }

    /// The prerequisites block `b` lists.
    fn prerequisites_listed(&self, b: &Block) -> Vec<&'a ListedLink> {
        let c = self.c;
        c.prerequisites
            .iter()
            .filter(|p| {
                c.links
                    .get(p.link)
                    .is_some_and(|l| b.range.contains(&l.span.start))
            })
            .collect()
    }

    /// A heading one level down under the chapter's own; the chapter's
    /// title is left out, as it heads the chapter's section.
    fn heading(&mut self, b: &Block, level: u8, index: usize) {
        let Some(h) = self.c.headings.get(index) else {
            return;
        };
        if level == 1 && !self.title_seen {
            self.title_seen = true;
            self.out.omitted.push(OmittedBlock {
                line: b.line,
                kind: "heading",
                reason: "the chapter's title, which heads its section of the runbook".into(),
            });
            return;
        }
        let mut ctx = block("heading", b.line);
        ctx.level = (level.max(2) + 1).min(6);
        ctx.anchor = Some(heading_id(self.slug, &h.anchor));
        ctx.text = self.f.heading(index).unwrap_or_else(|| h.text.clone());
        self.out.blocks.push(ctx);
    }

    /// The prerequisites on the path as check boxes, those it leaves out
    /// with why.
    fn prerequisites(&mut self, b: &Block, listed: &[&ListedLink]) {
        let c = self.c;
        let mut ctx = block("prerequisites", b.line);
        for p in listed {
            if let Some(reason) = self.links.skipped(&c.path, &p.target) {
                ctx.left_out.push(LeftOut {
                    text: fill_plain(&p.text, self.env),
                    target: p.target.clone(),
                    reason: reason.to_string(),
                });
                continue;
            }
            let href = self
                .links
                .resolve(&c.path, &p.target)
                .unwrap_or_else(|| p.target.clone());
            let prerequisite = PrerequisiteContext {
                text: c
                    .links
                    .get(p.link)
                    .map_or_else(|| p.text.clone(), |l| self.f.link_text(l)),
                target: p.target.clone(),
                in_runbook: href.starts_with('#'),
                chapter: self
                    .links
                    .chapter_id(&c.path, &p.target)
                    .map(str::to_string),
                href,
            };
            self.out.prerequisites.push(prerequisite.clone());
            ctx.prerequisites.push(prerequisite);
        }
        self.out.blocks.push(ctx);
    }

    /// `> [!NOTE]` and its kin, as a call-out.
    fn alert(&mut self, b: &Block, kind: AlertKind) {
        let mut ctx = self.text_block(b, "alert");
        ctx.alert = Some(AlertContext {
            kind,
            label: kind.label(),
            marker: format!("[!{}]", kind.label().to_ascii_uppercase()),
            serious: kind.is_serious(),
        });
        self.out.blocks.push(ctx);
    }

    /// A run-profile table; the first is followed by the profiles to
    /// create.
    fn profiles(&mut self, b: &Block) {
        let mut ctx = self.text_block(b, "profiles");
        if !self.profiles_placed {
            self.profiles_placed = true;
            ctx.profile_steps = self.profile_steps.to_vec();
        }
        self.out.blocks.push(ctx);
    }

    /// Raw HTML: the run cycle's marker, comments (left out) or text.
    fn html(&mut self, b: &Block) {
        let written = self
            .c
            .source
            .get(b.range.clone())
            .unwrap_or_default()
            .trim();
        if written == RUN_CYCLE_MARKER {
            self.out.run_cycle = true;
            self.out.blocks.push(block("run_cycle", b.line));
        } else if written == SCHEDULED_CYCLE_MARKER {
            self.out.blocks.push(block("scheduled_cycle", b.line));
        } else if is_comment(written) {
            self.out.omitted.push(OmittedBlock {
                line: b.line,
                kind: "html",
                reason: "an HTML comment, which a reader of the chapter does not see".into(),
            });
        } else {
            let ctx = self.text_block(b, "text");
            self.out.blocks.push(ctx);
        }
    }
}

/// Whether block `b` of `c` is or holds a run-profile table.
fn holds_profiles(c: &Chapter, b: &Block) -> bool {
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
