//! `prerequisite-order`: each prerequisite is read before the chapter that
//! needs it. Reading order is only defined where SUMMARY.md sets it.

use crate::check::prerequisites::edges;
use crate::check::{Check, Diagnostic, GuideContext, RuleId};

declare_rule! {
    /// A prerequisite that points to a chapter read later in the book.
    PrerequisiteOrder {
        id: "prerequisite-order",
        default: Warning,
        fails: "chapter 3 lists chapter 7 under Prerequisites",
        passes: "chapter 7 lists chapter 3 under Prerequisites",
    }
}

impl Check for PrerequisiteOrder {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.book.summary.is_none() {
            return;
        }
        let chapters = cx.chapters;
        for edge in edges(cx).iter().flatten() {
            let (Some(c), Some(target)) = (chapters.get(edge.from), chapters.get(edge.to)) else {
                continue;
            };
            if edge.to > edge.from && c.listed && target.listed {
                out.push(
                    Diagnostic::at(
                        RuleId::PrerequisiteOrder,
                        &c.path,
                        edge.link.span,
                        format!(
                            "prerequisite `{}` comes after this chapter in reading order",
                            target.path
                        ),
                    )
                    .help("move the prerequisite earlier in SUMMARY.md, or drop it from the list"),
                );
            }
        }
    }
}
