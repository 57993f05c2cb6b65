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

use crate::model::{Guide, LinkKind};
use crate::text::escape;
use serde::Serialize;
use std::collections::HashMap;

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
    /// The title of node `i`, empty for an index the graph does not have.
    fn title(&self, i: usize) -> &str {
        self.nodes.get(i).map_or("", |n| n.title.as_str())
    }

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
                });
            }
        }
        Graph { nodes, edges }
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
        let mut out = String::from("flowchart TD\n");
        for (p, part) in self.parts().into_iter().enumerate() {
            let indent = if part.is_some() { "    " } else { "  " };
            if let Some(name) = part {
                out.push_str(&format!("  subgraph part{p}[\"{}\"]\n", label(name)));
            }
            for (i, n) in self.nodes.iter().enumerate() {
                if n.part.as_deref() == part {
                    out.push_str(&format!("{indent}c{i}[\"{}\"]\n", label(&n.title)));
                }
            }
            if part.is_some() {
                out.push_str("  end\n");
            }
        }
        let mut red = Vec::new();
        for (k, e) in self.edges.iter().enumerate() {
            match e.prerequisite {
                Some(p) => out.push_str(&format!("  c{p} --> c{}\n", e.chapter)),
                None => out.push_str(&format!(
                    "  missing{k}[\"missing: {}\"] -.-> c{}\n",
                    label(&e.target),
                    e.chapter
                )),
            }
            if e.kind != EdgeKind::Fine {
                red.push(k.to_string());
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
        let node = |i: usize, n: &ChapterNode| {
            let fill = if !self.highlights() {
                "#ffffff"
            } else if n.on_path {
                "#e3f4e1"
            } else {
                "#f2f2f2"
            };
            format!("c{i} [label={}, fillcolor=\"{fill}\"];", quote(&n.title))
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
        for (k, e) in self.edges.iter().enumerate() {
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
    /// one ends in a short red stub). Laid out here: a drawing this simple
    /// needs no layout engine, and the page it goes in works offline.
    pub fn svg(&self) -> String {
        const ROW: usize = 30;
        const BOX_W: usize = 360;
        const LEFT: usize = 10;
        let height = self.nodes.len() * ROW + 20;
        let longest = self
            .edges
            .iter()
            .map(|e| e.prerequisite.map_or(1, |p| p.abs_diff(e.chapter)))
            .max()
            .unwrap_or(0);
        let width = LEFT + BOX_W + 30 + longest.min(40) * 12 + 20;
        let mid = |i: usize| 10 + i * ROW + ROW / 2 - 2;
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"prerequisite-graph\" role=\"img\" aria-label=\"Prerequisites of each chapter\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"
        );
        out.push_str("<title>Prerequisites: each arc runs from a chapter to one that needs it; red arcs point forward or to no chapter</title>\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let y = 10 + i * ROW;
            let (fill, stroke) = if !self.highlights() || n.on_path {
                ("#e3f4e1", "#2b7a2b")
            } else {
                ("#f2f2f2", "#aaaaaa")
            };
            let mut title: String = n.title.chars().take(52).collect();
            if n.title.chars().count() > 52 {
                title.push('…');
            }
            out.push_str(&format!(
                "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n<text x=\"{}\" y=\"{}\">{}</text>\n",
                ROW - 6,
                LEFT + 8,
                y + 16,
                escape::html(&title)
            ));
        }
        let right = LEFT + BOX_W;
        for e in &self.edges {
            // Fine arcs are see-through so that many stay readable; wrong
            // ones are not.
            let (colour, opacity) = if e.kind == EdgeKind::Fine {
                ("#2b7a2b", "0.5")
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
                            self.title(e.chapter),
                            self.title(p)
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
