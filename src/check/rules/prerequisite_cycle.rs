//! `prerequisite-cycle`: the Prerequisites lists must leave the chapters an
//! order. Each loop is reported once, at the link that closes it, with the
//! whole loop spelled out.

use crate::check::prerequisites::{Edge, edges};
use crate::check::{Check, Diagnostic, GuideContext, RuleId};

declare_rule! {
    /// Chapters whose Prerequisites lists lead back to themselves, so no
    /// reading order satisfies them.
    PrerequisiteCycle {
        id: "prerequisite-cycle",
        default: Error,
        fails: "a.md lists [B](b.md) under Prerequisites, and b.md lists [A](a.md)",
        passes: "only b.md lists [A](a.md)",
    }
}

impl Check for PrerequisiteCycle {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let edges = edges(cx);
        // Depth-first search; a back edge closes a loop.
        let mut state = vec![State::New; cx.chapters.len()];
        let mut stack: Vec<usize> = Vec::new();
        for start in 0..cx.chapters.len() {
            if state[start] == State::New {
                visit(cx, start, &edges, &mut state, &mut stack, out);
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

fn visit(
    cx: &GuideContext<'_>,
    node: usize,
    edges: &[Vec<Edge<'_>>],
    state: &mut [State],
    stack: &mut Vec<usize>,
    out: &mut Vec<Diagnostic>,
) {
    state[node] = State::OnStack;
    stack.push(node);
    for edge in &edges[node] {
        match state[edge.to] {
            State::New => visit(cx, edge.to, edges, state, stack, out),
            State::OnStack => {
                let from = stack.iter().position(|&n| n == edge.to).unwrap_or(0);
                let mut names: Vec<&str> = stack[from..]
                    .iter()
                    .map(|&n| cx.chapters[n].path.as_str())
                    .collect();
                names.push(&cx.chapters[edge.to].path);
                out.push(
                    Diagnostic::at(
                        RuleId::PrerequisiteCycle,
                        &cx.chapters[node].path,
                        edge.link.span,
                        format!("prerequisites form a cycle: {}", names.join(" → ")),
                    )
                    .help("remove one of these prerequisites so the chapters have an order"),
                );
            }
            State::Done => {}
        }
    }
    stack.pop();
    state[node] = State::Done;
}
