//! `prerequisite-cycle` and `prerequisite-order`: the Prerequisites lists
//! form a graph over chapters; it must have no cycle, and each prerequisite
//! should be read before the chapter that needs it.

use crate::check::index::Resolved;
use crate::check::{Context, Diagnostic};
use rustc_hash::FxHashMap as HashMap;

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let chapters = &cx.guide.chapters;
    // Reading order is only defined where SUMMARY.md sets it.
    let ordered = cx.guide.book.summary.is_some();
    let position: HashMap<&str, usize> = chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.as_str(), i))
        .collect();
    // edges[i] = (target index, prerequisite index in chapter i)
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); chapters.len()];
    for (i, c) in chapters.iter().enumerate() {
        for (k, p) in c.prerequisites.iter().enumerate() {
            let link = &c.links[p.link];
            if link.is_external() || link.path.is_empty() {
                continue;
            }
            let (Resolved::File(t, _) | Resolved::CaseMismatch(t, _)) =
                cx.index.resolve(&c.path, &link.path)
            else {
                continue;
            };
            let Some(&j) = position.get(t) else { continue };
            edges[i].push((j, k));
            if ordered && j > i && c.listed && chapters[j].listed {
                out.push(
                    Diagnostic::at(
                        "prerequisite-order",
                        &c.path,
                        link.span,
                        format!(
                            "prerequisite `{}` comes after this chapter in reading order",
                            chapters[j].path
                        ),
                    )
                    .help("move the prerequisite earlier in SUMMARY.md, or drop it from the list"),
                );
            }
        }
    }
    // Cycles: depth-first search; report each back edge once, at the link
    // that closes the loop, with the whole loop spelled out.
    let mut state = vec![0u8; chapters.len()]; // 0 new, 1 on stack, 2 done
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..chapters.len() {
        if state[start] == 0 {
            visit(cx, start, &edges, &mut state, &mut stack, out);
        }
    }
}

fn visit(
    cx: &Context<'_>,
    node: usize,
    edges: &[Vec<(usize, usize)>],
    state: &mut [u8],
    stack: &mut Vec<usize>,
    out: &mut Vec<Diagnostic>,
) {
    state[node] = 1;
    stack.push(node);
    for &(next, k) in &edges[node] {
        match state[next] {
            0 => visit(cx, next, edges, state, stack, out),
            1 => {
                let from = stack.iter().position(|&n| n == next).unwrap_or(0);
                let mut names: Vec<&str> = stack[from..]
                    .iter()
                    .map(|&n| cx.guide.chapters[n].path.as_str())
                    .collect();
                names.push(&cx.guide.chapters[next].path);
                let c = &cx.guide.chapters[node];
                let link = &c.links[c.prerequisites[k].link];
                out.push(
                    Diagnostic::at(
                        "prerequisite-cycle",
                        &c.path,
                        link.span,
                        format!("prerequisites form a cycle: {}", names.join(" → ")),
                    )
                    .help("remove one of these prerequisites so the chapters have an order"),
                );
            }
            _ => {}
        }
    }
    stack.pop();
    state[node] = 2;
}
