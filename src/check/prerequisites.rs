//! The prerequisite graph: chapters as nodes, an edge from each chapter to
//! every chapter its Prerequisites list links to. The prerequisite rules
//! read it.

use super::GuideContext;
use super::index::Resolved;
use crate::model::Link;

/// One edge: from the chapter at `from` (an index into the digests) to the
/// chapter at `to`, written as `link`.
pub struct Edge<'g> {
    pub from: usize,
    pub to: usize,
    pub link: &'g Link,
}

/// Every edge, per chapter in reading order, each chapter's in the order
/// its list gives them. A link between two parts the book declares as
/// alternatives (`path.alternatives`) says "instead", not "first": it is
/// no edge.
pub fn edges<'g>(cx: &GuideContext<'g>) -> Vec<Vec<Edge<'g>>> {
    let chapters = cx.chapters;
    let declarations = cx.environments().declarations.clone();
    let apart = |a: Option<&str>, b: Option<&str>| match (a, b, &declarations) {
        (Some(a), Some(b), Some(d)) => d.are_alternatives(a, b),
        _ => false,
    };
    chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // A table of contents lists pages; it has no prerequisites.
            let listed: &[Link] = if cx.is_toc(&c.path) {
                &[]
            } else {
                &c.prerequisites
            };
            listed
                .iter()
                .filter(|link| !link.is_external() && !link.path.is_empty())
                .filter_map(|link| {
                    let (Resolved::File(t, _) | Resolved::CaseMismatch(t, _)) =
                        cx.files.resolve(&c.path, &link.path)
                    else {
                        return None;
                    };
                    let to = cx.chapter_index(t)?;
                    let target = chapters.get(to)?;
                    if apart(c.part.as_deref(), target.part.as_deref()) {
                        return None;
                    }
                    Some(Edge { from: i, to, link })
                })
                .collect()
        })
        .collect()
}
