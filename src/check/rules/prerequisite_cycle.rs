//! `prerequisite-cycle`: the Prerequisites lists must leave the chapters an
//! order. Each loop is reported once, at the link that closes it, with the
//! whole loop spelled out.

use crate::check::prerequisites::{Edge, edges};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// Chapters whose Prerequisites lists lead back to themselves, so no
    /// reading order satisfies them. A link its sentence offers as an
    /// alternative ("… you will need to instead follow [the other guide]",
    /// "follow [it] instead") is not a prerequisite.
    PrerequisiteCycle {
        id: "prerequisite-cycle",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install the service](install-service.md)\n- [Install the portal](install-portal.md)\n",
            ),
            Text(
                "src/install-service.md",
                "# Install the service\n\n## Prerequisites\n\n- [Install the portal](install-portal.md)\n",
            ),
            Text(
                "src/install-portal.md",
                "# Install the portal\n\n## Prerequisites\n\n- [Install the service](install-service.md)\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text(
                "src/SUMMARY.md",
                "# Summary\n\n- [Install the service](install-service.md)\n- [Install the portal](install-portal.md)\n",
            ),
            Text("src/install-service.md", "# Install the service\n"),
            Text(
                "src/install-portal.md",
                "# Install the portal\n\n## Prerequisites\n\n- [Install the service](install-service.md)\n",
            ),
        ]),
    }
}

impl Check for PrerequisiteCycle {
    fn guide_reads(&self) -> Reads {
        Reads::PREREQUISITES.and(Reads::ENVIRONMENTS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let edges = edges(cx);
        // Depth-first search; a back edge closes a loop.
        let mut state = vec![State::New; cx.chapters.len()];
        for start in 0..cx.chapters.len() {
            if state.get(start) == Some(&State::New) {
                visit(cx, start, &edges, &mut state, out);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    OnStack,
    Done,
}

/// The search from `start`, with a stack of its own rather than the call
/// stack: a chain of a hundred thousand prerequisites must not overflow.
fn visit(
    cx: &GuideContext<'_>,
    start: usize,
    edges: &[Vec<Edge<'_>>],
    state: &mut [State],
    out: &mut Vec<Diagnostic>,
) {
    let path_of = |n: usize| cx.chapters.get(n).map_or("", |c| c.path.as_str());
    // Each entry: a chapter on the current path and its next edge to try.
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    if let Some(s) = state.get_mut(start) {
        *s = State::OnStack;
    }
    while let Some(&mut (node, ref mut next)) = stack.last_mut() {
        let Some(edge) = edges.get(node).and_then(|e| e.get(*next)) else {
            stack.pop();
            if let Some(s) = state.get_mut(node) {
                *s = State::Done;
            }
            continue;
        };
        *next += 1;
        match state.get(edge.to) {
            Some(State::New) => {
                if let Some(s) = state.get_mut(edge.to) {
                    *s = State::OnStack;
                }
                stack.push((edge.to, 0));
            }
            Some(State::OnStack) => {
                let from = stack.iter().position(|&(n, _)| n == edge.to).unwrap_or(0);
                let mut names: Vec<&str> = stack
                    .iter()
                    .skip(from)
                    .map(|&(n, _)| path_of(n))
                    .collect();
                names.push(path_of(edge.to));
                out.push(
                    Diagnostic::at(
                        RuleId::PrerequisiteCycle,
                        path_of(node),
                        edge.link.span,
                        format!("prerequisites form a cycle: {}", names.join(" → ")),
                    )
                    .help("remove one of these prerequisites so the chapters have an order"),
                );
            }
            Some(State::Done) | None => {}
        }
    }
}
