//! `runsheet graph`: the prerequisite graph as Mermaid, DOT, JSON and SVG,
//! parts as clusters, wrong prerequisites in red, an environment's path
//! highlighted; the runbooks carry it.

use crate::common::{runsheet, write_files};
use serde_json::Value;
use std::path::Path;

/// Four chapters in two parts: `install` needs `prepare` (fine), `prepare`
/// needs `configure` (forward) and `gone.md` (broken).
fn book(root: &Path) {
    write_files(
        root,
        &[
            ("book.toml", "[book]\ntitle = \"G\"\nsrc = \"src\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n# Basics\n\n- [Prepare](prepare.md)\n- [Install](install.md)\n\n# \"Option\" & more\n\n- [Configure](configure.md)\n- [Other](other.md)\n",
            ),
            (
                "src/prepare.md",
                "# Prepare\n\n## Prerequisites\n\n- [Configure](configure.md)\n- [Gone](gone.md)\n",
            ),
            (
                "src/install.md",
                "# Install\n\n## Prerequisites\n\n- [Prepare](prepare.md)\n",
            ),
            ("src/configure.md", "# Configure \"it\"\n"),
            ("src/other.md", "# Other\n"),
            (
                "environments/lab.yaml",
                "path:\n  skip_chapters: [other.md]\n",
            ),
        ],
    );
}

fn graph(root: &Path, args: &[&str]) -> String {
    let out = runsheet()
        .arg("graph")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_says_which_prerequisites_are_wrong() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path());
    let json: Value = serde_json::from_str(&graph(dir.path(), &["--format", "json"])).unwrap();
    let nodes: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        nodes,
        ["prepare.md", "install.md", "configure.md", "other.md"]
    );
    let edges: Vec<(u64, Option<u64>, &str)> = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["chapter"].as_u64().unwrap(),
                e["prerequisite"].as_u64(),
                e["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            (0, Some(2), "forward"),
            (0, None, "broken"),
            (1, Some(0), "fine")
        ]
    );
}

#[test]
fn mermaid_groups_parts_and_reddens_wrong_edges() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path());
    let text = graph(dir.path(), &[]);
    assert!(text.starts_with("flowchart TD\n"), "{text}");
    assert!(text.contains("subgraph part0[\"Basics\"]"), "{text}");
    // Quotes and ampersands in names are written as entities.
    assert!(
        text.contains("subgraph part1[\"#quot;Option#quot; #amp; more\"]"),
        "{text}"
    );
    assert!(text.contains("c2[\"Configure #quot;it#quot;\"]"), "{text}");
    assert!(text.contains("  c2 --> c0\n"), "{text}");
    assert!(text.contains("  c0 --> c1\n"), "{text}");
    assert!(
        text.contains("missing1[\"missing: gone.md\"] -.-> c0"),
        "{text}"
    );
    assert!(text.contains("linkStyle 0,1 stroke:#d00"), "{text}");
    assert!(
        !text.contains("classDef"),
        "no environment, no highlight: {text}"
    );

    let lab = graph(dir.path(), &["--env", "lab"]);
    assert!(lab.contains("class c0,c1,c2 onpath"), "{lab}");
    assert!(lab.contains("class c3 offpath"), "{lab}");
}

#[test]
fn dot_has_a_cluster_per_part() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path());
    let text = graph(dir.path(), &["--format", "dot", "--env", "lab"]);
    assert!(text.starts_with("digraph prerequisites {"), "{text}");
    assert!(
        text.contains("subgraph cluster_0 {\n    label=\"Basics\";"),
        "{text}"
    );
    assert!(text.contains("label=\"\\\"Option\\\" & more\""), "{text}");
    assert!(
        text.contains("c2 -> c0 [color=\"#d00\", penwidth=2];"),
        "{text}"
    );
    assert!(text.contains("c0 -> c1;"), "{text}");
    assert!(
        text.contains("c3 [label=\"Other\", fillcolor=\"#f2f2f2\"]"),
        "{text}"
    );
}

#[test]
fn svg_is_well_formed_and_needs_no_network() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path());
    let svg = graph(dir.path(), &["--format", "svg"]);
    let mut reader = quick_xml::Reader::from_str(&svg);
    let (mut rects, mut paths) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref().as_bytes() {
                    b"rect" => rects += 1,
                    b"path" => paths += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!((rects, paths), (4, 3), "{svg}");
    assert!(svg.contains("stroke=\"#d00000\""), "{svg}");
    assert!(
        !svg.contains("http://") || svg.matches("http://").count() == 1,
        "only the xmlns"
    );
    assert!(svg.contains("Configure &quot;it&quot;"), "{svg}");
}

#[test]
fn runbooks_show_the_graph_of_their_path() {
    let dir = tempfile::tempdir().unwrap();
    book(dir.path());
    let out = dir.path().join("out");
    let status = runsheet()
        .arg("render")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let md = std::fs::read_to_string(out.join("lab/runbook.md")).unwrap();
    let mermaid = md
        .split_once("```mermaid\n")
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    assert!(mermaid.contains("c0[\"Prepare\"]"), "{mermaid}");
    assert!(!mermaid.contains("Other"), "off the path: {mermaid}");
    let html = std::fs::read_to_string(out.join("lab/runbook.html")).unwrap();
    assert!(
        html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"prerequisite-graph\"")
    );
}

/// The arcs an SVG draws: its `<path>` elements.
fn arcs(svg: &str) -> usize {
    svg.matches("<path ").count()
}

#[test]
fn our_books_picture_draws_the_transitive_reduction_and_every_link_on_request() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json: Value = serde_json::from_str(&graph(root, &["--format", "json"])).unwrap();
    let edges = json["edges"].as_array().unwrap();
    let kept = edges.iter().filter(|e| e["implied"] == false).count();
    println!("{} prerequisites written, {kept} drawn", edges.len());
    assert!(edges.len() > 100, "{}", edges.len());
    assert!(kept * 3 < edges.len(), "{kept} of {}", edges.len());
    // No arc drawn is implied by the others drawn: its chapter cannot be
    // reached from its prerequisite without it.
    let drawn: Vec<(u64, u64)> = edges
        .iter()
        .filter(|e| e["implied"] == false)
        .filter_map(|e| Some((e["prerequisite"].as_u64()?, e["chapter"].as_u64()?)))
        .collect();
    for (i, &(from, to)) in drawn.iter().enumerate() {
        let mut seen = std::collections::BTreeSet::from([from]);
        let mut todo = vec![from];
        while let Some(at) = todo.pop() {
            for (j, &(a, b)) in drawn.iter().enumerate() {
                if j != i && a == at && seen.insert(b) {
                    todo.push(b);
                }
            }
        }
        assert!(
            !seen.contains(&to),
            "{from} -> {to} is implied by the others"
        );
    }
    // The reduction keeps what it needs: every chapter that had a
    // prerequisite still has one.
    let needs = |all: bool| -> std::collections::BTreeSet<u64> {
        edges
            .iter()
            .filter(|e| all || e["implied"] == false)
            .map(|e| e["chapter"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(needs(true), needs(false));

    let svg = graph(root, &["--format", "svg", "--env", "prod"]);
    assert!(arcs(&svg) <= kept, "{} arcs", arcs(&svg));
    let all = graph(root, &["--format", "svg", "--env", "prod", "--all-edges"]);
    assert_eq!(arcs(&all), edges.len());
    // Titles are whole, wrapped to fit: none is cut short.
    assert!(!svg.contains('…'), "{svg}");
    assert!(svg.contains("<tspan x=\"18\" dy=\"15\">"), "{svg}");
    // The runbook's picture is its path's reduction.
    let out = tempfile::tempdir().unwrap();
    runsheet()
        .args(["render", "--env", "prod", "--out"])
        .arg(out.path())
        .arg(root)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("prod/runbook.html")).unwrap();
    let picture = html
        .split_once("<svg ")
        .unwrap()
        .1
        .split_once("</svg>")
        .unwrap()
        .0;
    assert!(arcs(picture) <= kept, "{}", arcs(picture));
}

#[test]
fn chapters_of_the_same_title_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("book.toml", "[book]\ntitle = \"G\"\nsrc = \"src\"\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n# Option 1\n\n- [Run](one/run.md)\n\n# Option 2\n\n- [Run](two/run.md)\n- [Run again](two/again.md)\n",
            ),
            ("src/one/run.md", "# Run the cycle\n"),
            ("src/two/run.md", "# Run the cycle\n"),
            ("src/two/again.md", "# Run the cycle\n"),
        ],
    );
    let text = graph(dir.path(), &[]);
    assert!(text.contains("c0[\"Run the cycle (Option 1)\"]"), "{text}");
    assert!(
        text.contains("c1[\"Run the cycle (two/run.md)\"]"),
        "{text}"
    );
    assert!(
        text.contains("c2[\"Run the cycle (two/again.md)\"]"),
        "{text}"
    );
}
