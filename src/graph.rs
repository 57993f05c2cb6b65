//! The prerequisite graph of a guide, as a picture: chapters as nodes
//! (grouped by SUMMARY part), an edge from each prerequisite to the
//! chapter that needs it. A prerequisite that comes later in the reading
//! order, or names no chapter, is drawn in red; an environment's path can
//! be highlighted.
//!
//! Three drawings: Mermaid (GitHub shows it in Markdown), Graphviz DOT,
//! and a small SVG laid out here (chapters down the page in reading order,
//! prerequisites as arcs on their right), so a runbook's HTML shows the
//! graph with no network and no layout engine. JSON is the graph itself.
//!
//! A drawing leaves out the prerequisites another path implies (the
//! transitive reduction, [`Graph::reduce`]: when C needs B and B needs A,
//! C's own link to A is implied); JSON lists them, marked `implied`. The
//! chapters' order is what the picture keeps. Titles are wrapped to fit,
//! and two chapters of the same title are told apart by their part, or
//! their file.

use crate::model::{Guide, LinkKind};
use crate::text::escape;
use serde::Serialize;
use std::collections::HashMap;

/// The most chapters with prerequisites [`Graph::reduce`] works on (its
/// memory grows with their square).
pub const REDUCE_MOST: usize = 4096;

/// The most characters of a label's line in Mermaid and DOT.
const LINE_CHARS: usize = 36;

/// Words of `text` in lines whose `width` each is at most `most` (a long
/// word alone on its line).
fn wrap(text: &str, most: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // A placeholder (`{{ agents.ad.name }}`) is one word.
    let mut words: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        match words.last_mut() {
            Some(open) if open.rfind("{{") > open.rfind("}}") => {
                open.push(' ');
                open.push_str(w);
            }
            _ => words.push(w.to_string()),
        }
    }
    for word in &words {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width(&candidate) <= most {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.clone()));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// About how wide `text` is in the SVG's 12-pixel sans-serif, in pixels:
/// a generous guess per kind of character, so that a line measured to fit
/// does.
fn svg_width(text: &str) -> f32 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.6,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' => 4.6,
            'm' | 'w' => 10.0,
            'M' | 'W' => 11.5,
            c if c.is_ascii_uppercase() => 8.8,
            c if c.is_ascii_digit() => 7.0,
            c if c.is_ascii() => 7.0,
            _ => 12.0,
        })
        .sum()
}

/// The graph.
#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    pub nodes: Vec<ChapterNode>,
    pub edges: Vec<PrerequisiteEdge>,
}

/// A chapter of the graph.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterNode {
    /// Relative to the book's source folder.
    pub path: String,
    pub title: String,
    /// Its SUMMARY part, if any.
    pub part: Option<String>,
    /// Whether the highlighted environment's path includes it (every
    /// chapter when none is highlighted).
    pub on_path: bool,
}

/// A prerequisite: `chapter` (an index into the nodes) needs
/// `prerequisite`.
#[derive(Debug, Clone, Serialize)]
pub struct PrerequisiteEdge {
    pub chapter: usize,
    /// The chapter it names; `None` when it names none.
    pub prerequisite: Option<usize>,
    /// The link as written.
    pub target: String,
    pub kind: EdgeKind,
    /// Another path of prerequisites implies it ([`Graph::reduce`]): a
    /// drawing leaves it out.
    pub implied: bool,
}

/// What is wrong with a prerequisite, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// An earlier chapter: as it should be.
    Fine,
    /// The chapter itself or a later one: the reader meets it too late.
    Forward,
    /// No chapter of the guide.
    Broken,
}

impl Graph {
    /// The graph of `guide`, its chapters in reading order; `on_path` says
    /// which chapters an environment's path takes.
    pub fn of(guide: &Guide, on_path: impl Fn(&crate::model::Chapter) -> bool) -> Graph {
        let index: HashMap<&str, usize> = guide
            .chapters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.path.as_str(), i))
            .collect();
        let nodes = guide
            .chapters
            .iter()
            .map(|c| ChapterNode {
                path: c.path.clone(),
                title: c.title.clone().unwrap_or_else(|| c.path.clone()),
                part: c.part.clone(),
                on_path: on_path(c),
            })
            .collect();
        let mut edges = Vec::new();
        for (i, c) in guide.chapters.iter().enumerate() {
            for p in &c.prerequisites {
                let Some(link) = c.links.get(p.link) else {
                    continue;
                };
                if link.is_external() || link.kind == LinkKind::Autolink || link.path.is_empty() {
                    continue;
                }
                let target = crate::text::paths::resolve(&c.path, &link.path).map(|t| {
                    // mdBook links chapters by their HTML name.
                    match t.strip_suffix(".html") {
                        Some(stem) if !index.contains_key(t.as_str()) => format!("{stem}.md"),
                        _ => t,
                    }
                });
                let to = target.as_deref().and_then(|t| index.get(t).copied());
                let kind = match to {
                    None => EdgeKind::Broken,
                    Some(to) if to >= i => EdgeKind::Forward,
                    Some(_) => EdgeKind::Fine,
                };
                edges.push(PrerequisiteEdge {
                    chapter: i,
                    prerequisite: to,
                    target: link.path.clone(),
                    kind,
                    implied: false,
                });
            }
        }
        Graph { nodes, edges }
    }

    /// The graph without the links between two chapters whose parts
    /// `apart` says are alternatives (`path.alternatives`): a link from
    /// one option to the other says "instead", not "first".
    pub fn without_links_between(mut self, apart: impl Fn(&str, &str) -> bool) -> Graph {
        let nodes = &self.nodes;
        let part = |i: usize| nodes.get(i).and_then(|n| n.part.as_deref());
        self.edges
            .retain(|e| match (part(e.chapter), e.prerequisite.and_then(part)) {
                (Some(a), Some(b)) => !apart(a, b),
                _ => true,
            });
        self
    }

    /// Only the chapters on the path, and the prerequisites between them
    /// (and the broken ones of those chapters).
    pub fn on_path_only(&self) -> Graph {
        let kept: Vec<usize> = (self.nodes.iter().enumerate())
            .filter(|(_, n)| n.on_path)
            .map(|(i, _)| i)
            .collect();
        let new_index: HashMap<usize, usize> = kept
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        let edges = self
            .edges
            .iter()
            .filter_map(|e| {
                let chapter = *new_index.get(&e.chapter)?;
                let prerequisite = match e.prerequisite {
                    Some(p) => Some(*new_index.get(&p)?),
                    None => None,
                };
                Some(PrerequisiteEdge {
                    chapter,
                    prerequisite,
                    ..e.clone()
                })
            })
            .collect();
        Graph {
            nodes: kept
                .iter()
                .filter_map(|&i| self.nodes.get(i).cloned())
                .collect(),
            edges,
        }
    }

    /// Mark the prerequisites that another path implies (the transitive
    /// reduction over the prerequisites that point back, as they should):
    /// C's link to A when C needs B and B needs A, and a second link to
    /// the same chapter. Forward and broken ones are never implied: each is
    /// a mistake to see. A graph of more than [`REDUCE_MOST`] chapters
    /// with prerequisites is left as it is.
    pub fn reduce(&mut self) {
        let fine = |e: &PrerequisiteEdge| match e.prerequisite {
            Some(p) if e.kind == EdgeKind::Fine => Some((p, e.chapter)),
            _ => None,
        };
        // The chapters that take part, numbered densely.
        let mut members: Vec<usize> = self
            .edges
            .iter()
            .filter_map(fine)
            .flat_map(|(p, c)| [p, c])
            .collect();
        members.sort_unstable();
        members.dedup();
        if members.len() > REDUCE_MOST {
            return;
        }
        let index = |node: usize| members.binary_search(&node).ok();
        let words = members.len().div_ceil(64);
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
        for (p, c) in self.edges.iter().filter_map(fine) {
            if let (Some(p), Some(c)) = (index(p), index(c))
                && let Some(d) = direct.get_mut(c)
            {
                d.push(p);
            }
        }
        for d in &mut direct {
            d.sort_unstable();
            d.dedup();
        }
        // Each chapter's prerequisites, direct and through others (fine
        // prerequisites come earlier, so reading order builds them), and
        // those it has through another of its own: implied.
        let mut before: Vec<Vec<u64>> = vec![vec![0; words]; members.len()];
        let mut implied: Vec<Vec<u64>> = vec![vec![0; words]; members.len()];
        for c in 0..members.len() {
            let mut all = vec![0u64; words];
            let mut through = vec![0u64; words];
            for &p in direct.get(c).map_or(&[][..], Vec::as_slice) {
                if let Some(w) = all.get_mut(p / 64) {
                    *w |= 1 << (p % 64);
                }
                if let Some(theirs) = before.get(p) {
                    for ((a, t), b) in all.iter_mut().zip(through.iter_mut()).zip(theirs) {
                        *a |= b;
                        *t |= b;
                    }
                }
            }
            if let (Some(b), Some(i)) = (before.get_mut(c), implied.get_mut(c)) {
                *b = all;
                *i = through;
            }
        }
        let has = |set: &[u64], i: usize| set.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0);
        let mut seen = std::collections::HashSet::new();
        for e in &mut self.edges {
            let Some((p, c)) = fine(e) else {
                continue;
            };
            let (Some(pi), Some(ci)) = (index(p), index(c)) else {
                continue;
            };
            let through_another = implied.get(ci).is_some_and(|i| has(i, pi));
            e.implied = through_another || !seen.insert((p, c));
        }
    }

    /// The prerequisites a drawing shows: all but the implied ones.
    fn drawn(&self) -> impl Iterator<Item = (usize, &PrerequisiteEdge)> {
        self.edges.iter().enumerate().filter(|(_, e)| !e.implied)
    }

    /// Each chapter's label: its title, and, where two chapters have the
    /// same title, its part (or, in the same part, its file) after it.
    pub fn labels(&self) -> Vec<String> {
        let mut titles: HashMap<&str, usize> = HashMap::new();
        let mut in_parts: HashMap<(&str, Option<&str>), usize> = HashMap::new();
        for n in &self.nodes {
            *titles.entry(n.title.as_str()).or_default() += 1;
            *in_parts
                .entry((n.title.as_str(), n.part.as_deref()))
                .or_default() += 1;
        }
        self.nodes
            .iter()
            .map(|n| {
                if titles.get(n.title.as_str()).copied().unwrap_or(0) < 2 {
                    return n.title.clone();
                }
                let same_part = in_parts
                    .get(&(n.title.as_str(), n.part.as_deref()))
                    .copied()
                    .unwrap_or(0);
                match &n.part {
                    Some(part) if same_part < 2 => format!("{} ({part})", n.title),
                    _ => format!("{} ({})", n.title, n.path),
                }
            })
            .collect()
    }

    /// The parts in reading order, each once; `None` for chapters outside
    /// any part.
    fn parts(&self) -> Vec<Option<&str>> {
        let mut parts: Vec<Option<&str>> = Vec::new();
        for n in &self.nodes {
            let part = n.part.as_deref();
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        parts
    }

    /// Whether a path is highlighted (some chapter is off it).
    fn highlights(&self) -> bool {
        self.nodes.iter().any(|n| !n.on_path)
    }

    /// A Mermaid flowchart.
    pub fn mermaid(&self) -> String {
        let label = |s: &str| {
            s.replace('&', "#amp;")
                .replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        };
        let lines = |s: &str| {
            wrap(s, LINE_CHARS as f32, |l| l.chars().count() as f32)
                .iter()
                .map(|l| label(l))
                .collect::<Vec<_>>()
                .join("<br/>")
        };
        let titles = self.labels();
        let mut out = String::from("flowchart TD\n");
        for (p, part) in self.parts().into_iter().enumerate() {
            let indent = if part.is_some() { "    " } else { "  " };
            if let Some(name) = part {
                out.push_str(&format!("  subgraph part{p}[\"{}\"]\n", label(name)));
            }
            for (i, n) in self.nodes.iter().enumerate() {
                if n.part.as_deref() == part {
                    let title = titles.get(i).map_or("", String::as_str);
                    out.push_str(&format!("{indent}c{i}[\"{}\"]\n", lines(title)));
                }
            }
            if part.is_some() {
                out.push_str("  end\n");
            }
        }
        // Mermaid numbers links in the order they are written.
        let mut red = Vec::new();
        for (drawn, (k, e)) in self.drawn().enumerate() {
            match e.prerequisite {
                Some(p) => out.push_str(&format!("  c{p} --> c{}\n", e.chapter)),
                None => out.push_str(&format!(
                    "  missing{k}[\"missing: {}\"] -.-> c{}\n",
                    label(&e.target),
                    e.chapter
                )),
            }
            if e.kind != EdgeKind::Fine {
                red.push(drawn.to_string());
            }
        }
        if !red.is_empty() {
            out.push_str(&format!(
                "  linkStyle {} stroke:#d00,stroke-width:2px\n",
                red.join(",")
            ));
        }
        if self.highlights() {
            out.push_str("  classDef onpath fill:#e3f4e1,stroke:#2b7a2b\n");
            out.push_str("  classDef offpath fill:#f2f2f2,stroke:#aaa,color:#777\n");
            for (class, wanted) in [("onpath", true), ("offpath", false)] {
                let ids: Vec<String> = (self.nodes.iter().enumerate())
                    .filter(|(_, n)| n.on_path == wanted)
                    .map(|(i, _)| format!("c{i}"))
                    .collect();
                if !ids.is_empty() {
                    out.push_str(&format!("  class {} {class}\n", ids.join(",")));
                }
            }
        }
        out
    }

    /// A Graphviz digraph, one cluster per part.
    pub fn dot(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = String::from(
            "digraph prerequisites {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"sans-serif\"];\n",
        );
        let titles = self.labels();
        let node = |i: usize, n: &ChapterNode| {
            let fill = if !self.highlights() {
                "#ffffff"
            } else if n.on_path {
                "#e3f4e1"
            } else {
                "#f2f2f2"
            };
            let title = titles.get(i).map_or("", String::as_str);
            let lines = wrap(title, LINE_CHARS as f32, |l| l.chars().count() as f32);
            let label = lines
                .iter()
                .map(|l| quote(l).trim_matches('"').to_string())
                .collect::<Vec<_>>()
                .join("\\n");
            format!("c{i} [label=\"{label}\", fillcolor=\"{fill}\"];")
        };
        for (p, part) in self.parts().into_iter().enumerate() {
            if let Some(name) = part {
                out.push_str(&format!(
                    "  subgraph cluster_{p} {{\n    label={};\n",
                    quote(name)
                ));
            }
            for (i, n) in self.nodes.iter().enumerate() {
                if n.part.as_deref() == part {
                    let indent = if part.is_some() { "    " } else { "  " };
                    out.push_str(&format!("{indent}{}\n", node(i, n)));
                }
            }
            if part.is_some() {
                out.push_str("  }\n");
            }
        }
        for (k, e) in self.drawn() {
            let style = if e.kind == EdgeKind::Fine {
                ""
            } else {
                " [color=\"#d00\", penwidth=2]"
            };
            match e.prerequisite {
                Some(p) => out.push_str(&format!("  c{p} -> c{}{style};\n", e.chapter)),
                None => out.push_str(&format!(
                    "  missing{k} [label={}, style=dashed, color=\"#d00\"];\n  missing{k} -> c{}{style};\n",
                    quote(&format!("missing: {}", e.target)),
                    e.chapter
                )),
            }
        }
        out.push_str("}\n");
        out
    }

    /// An SVG: the chapters down the page in reading order, each
    /// prerequisite an arc on their right from the prerequisite to the
    /// chapter that needs it; red for a forward or broken one (a broken
    /// one ends in a short red stub). A title too wide for its box wraps
    /// onto more lines. Laid out here: a drawing this simple needs no
    /// layout engine, and the page it goes in works offline.
    pub fn svg(&self) -> String {
        const LINE: usize = 15;
        const GAP: usize = 8;
        const BOX_W: usize = 360;
        const LEFT: usize = 10;
        const TOP: usize = 10;
        let titles = self.labels();
        let wrapped: Vec<Vec<String>> = titles
            .iter()
            .map(|t| wrap(t, (BOX_W - 16) as f32, svg_width))
            .collect();
        // Each box's top and height.
        let mut boxes = Vec::with_capacity(wrapped.len());
        let mut y = TOP;
        for lines in &wrapped {
            let h = lines.len() * LINE + 9;
            boxes.push((y, h));
            y += h + GAP;
        }
        let height = y + TOP;
        let mid = |i: usize| boxes.get(i).map_or(0, |(y, h)| y + h / 2);
        let longest = self
            .drawn()
            .map(|(_, e)| e.prerequisite.map_or(1, |p| p.abs_diff(e.chapter)))
            .max()
            .unwrap_or(0);
        let width = LEFT + BOX_W + 30 + longest.min(40) * 12 + 20;
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"prerequisite-graph\" role=\"img\" aria-label=\"Prerequisites of each chapter\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"
        );
        out.push_str("<title>Prerequisites: each arc runs from a chapter to one that needs it, leaving out those another arc implies; red arcs point forward or to no chapter</title>\n");
        for ((n, lines), (y, h)) in self.nodes.iter().zip(&wrapped).zip(&boxes) {
            let (fill, stroke) = if !self.highlights() || n.on_path {
                ("#e3f4e1", "#2b7a2b")
            } else {
                ("#f2f2f2", "#aaaaaa")
            };
            out.push_str(&format!(
                "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{h}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n<text x=\"{}\" y=\"{}\">",
                LEFT + 8,
                y + 16,
            ));
            for (k, line) in lines.iter().enumerate() {
                let dy = if k == 0 { 0 } else { LINE };
                out.push_str(&format!(
                    "<tspan x=\"{}\" dy=\"{dy}\">{}</tspan>",
                    LEFT + 8,
                    escape::html(line)
                ));
            }
            out.push_str("</text>\n");
        }
        let right = LEFT + BOX_W;
        for (_, e) in self.drawn() {
            // Fine arcs are see-through so that many stay readable; wrong
            // ones are not.
            let (colour, opacity) = if e.kind == EdgeKind::Fine {
                ("#2b7a2b", "0.6")
            } else {
                ("#d00000", "1")
            };
            let to = mid(e.chapter);
            match e.prerequisite {
                Some(p) => {
                    let from = mid(p);
                    let bulge = right + 16 + p.abs_diff(e.chapter).min(40) * 12;
                    out.push_str(&format!(
                        "<path d=\"M {right} {from} C {bulge} {from}, {bulge} {to}, {right} {to}\" fill=\"none\" stroke=\"{colour}\" stroke-opacity=\"{opacity}\" stroke-width=\"1.5\"><title>{}</title></path>\n",
                        escape::html(&format!(
                            "{} needs {}",
                            titles.get(e.chapter).map_or("", String::as_str),
                            titles.get(p).map_or("", String::as_str)
                        ))
                    ));
                }
                None => out.push_str(&format!(
                    "<path d=\"M {} {to} L {right} {to}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"3 2\"><title>{}</title></path>\n",
                    right + 24,
                    escape::html(&format!("missing prerequisite: {}", e.target))
                )),
            }
        }
        out.push_str("</svg>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(title: &str, part: Option<&str>, path: &str) -> ChapterNode {
        ChapterNode {
            path: path.into(),
            title: title.into(),
            part: part.map(str::to_string),
            on_path: true,
        }
    }

    fn edge(p: usize, c: usize) -> PrerequisiteEdge {
        PrerequisiteEdge {
            chapter: c,
            prerequisite: Some(p),
            target: String::new(),
            kind: if p < c {
                EdgeKind::Fine
            } else {
                EdgeKind::Forward
            },
            implied: false,
        }
    }

    #[test]
    fn the_reduction_leaves_out_what_another_path_implies() {
        let mut g = Graph {
            nodes: (0..4).map(|i| node(&i.to_string(), None, "x")).collect(),
            // 0 → 1 → 2 → 3, and 0 → 2, 0 → 3, 1 → 3 implied; 1 → 3
            // twice; 3 → 1 forward stays.
            edges: vec![
                edge(0, 1),
                edge(1, 2),
                edge(2, 3),
                edge(0, 2),
                edge(0, 3),
                edge(1, 3),
                edge(3, 1),
                edge(2, 3),
            ],
        };
        g.reduce();
        let implied: Vec<bool> = g.edges.iter().map(|e| e.implied).collect();
        assert_eq!(
            implied,
            [false, false, false, true, true, true, false, true]
        );
        assert_eq!(g.drawn().count(), 4);
        assert_eq!(g.mermaid().matches(" --> ").count(), 4);
    }

    #[test]
    fn labels_tell_the_same_titles_apart_and_wrap() {
        let g = Graph {
            nodes: vec![
                node("Run it", Some("Option 1"), "a.md"),
                node("Run it", Some("Option 2"), "b.md"),
                node("Check", Some("Ops"), "c.md"),
                node("Check", Some("Ops"), "d.md"),
            ],
            edges: Vec::new(),
        };
        assert_eq!(
            g.labels(),
            [
                "Run it (Option 1)",
                "Run it (Option 2)",
                "Check (c.md)",
                "Check (d.md)"
            ]
        );
        let lines = wrap("Checking this guide with runsheet: the rules", 20.0, |l| {
            l.chars().count() as f32
        });
        assert_eq!(
            lines,
            ["Checking this guide", "with runsheet: the", "rules"]
        );
        let lines = wrap("Create the agent ({{ agents.ad.name }}) now", 20.0, |l| {
            l.chars().count() as f32
        });
        assert_eq!(lines, ["Create the agent", "({{ agents.ad.name }})", "now"]);
    }
}
