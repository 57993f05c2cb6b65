//! The outline of a chapter: its headings, nested by level, and under each
//! the steps of its section with the ids a runbook gives them.

use super::workspace::Workspace;
use crate::model::Chapter;
use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

/// The most characters of a step's text its symbol shows.
const STEP_TEXT: usize = 80;

pub fn document_symbols(
    ws: &mut Workspace,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let uri = params.text_document.uri.as_str();
    let at = ws.at(uri, lsp_types::Position::new(0, 0))?;
    let text = ws.docs.get(uri)?.text.clone();
    let range = |start: usize, end: usize| ws.range_in(&text, start, end);
    Some(DocumentSymbolResponse::Nested(outline(&at.chapter, range)))
}

/// The symbols of `chapter`, with `range` turning byte ranges into the
/// client's.
fn outline(
    chapter: &Chapter,
    range: impl Fn(usize, usize) -> lsp_types::Range,
) -> Vec<DocumentSymbol> {
    let slug = crate::render::ids::chapter_slug(&chapter.path);
    // Each heading's steps, by the heading's index (`None`: before any).
    let mut steps: Vec<(Option<usize>, DocumentSymbol)> = Vec::new();
    for (i, s) in chapter.steps.iter().enumerate() {
        let mut name: String = s.text.chars().take(STEP_TEXT).collect();
        if s.text.chars().count() > STEP_TEXT {
            name.push('…');
        }
        if name.trim().is_empty() {
            name = format!("step {}", s.number);
        }
        let r = range(s.range.start, s.range.end);
        steps.push((
            s.heading,
            symbol(
                format!("{}. {name}", s.number),
                Some(format!("{slug}.{}", i + 1)),
                SymbolKind::EVENT,
                r,
            ),
        ));
    }
    // Headings, each with its steps; then nested by level with a stack.
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    let mut stack: Vec<(u8, DocumentSymbol)> = Vec::new();
    let fold = |stack: &mut Vec<(u8, DocumentSymbol)>,
                roots: &mut Vec<DocumentSymbol>,
                level: u8| {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            if let Some((_, done)) = stack.pop() {
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
                    None => roots.push(done),
                }
            }
        }
    };
    for (_, s) in steps.iter().filter(|(h, _)| h.is_none()) {
        roots.push(s.clone());
    }
    for (i, h) in chapter.headings.iter().enumerate() {
        if h.tab {
            continue;
        }
        fold(&mut stack, &mut roots, h.level);
        let mut sym = symbol(
            h.text.clone(),
            Some(format!("#{}", h.anchor)),
            SymbolKind::STRING,
            range(h.span.start, h.span.end),
        );
        let own: Vec<DocumentSymbol> = steps
            .iter()
            .filter(|(at, _)| *at == Some(i))
            .map(|(_, s)| s.clone())
            .collect();
        if !own.is_empty() {
            sym.children = Some(own);
        }
        stack.push((h.level, sym));
    }
    fold(&mut stack, &mut roots, 0);
    roots
}

#[allow(
    deprecated,
    reason = "the protocol's type still has the `deprecated` field"
)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn headings_nest_by_level_and_hold_their_steps() {
        let text =
            "# Install\n\n## Prepare\n\n1. Log on.\n2. Open a shell.\n\n## Run\n\n1. Run it.\n";
        let chapter = crate::markdown::parse_chapter(
            "ops/Install.md",
            Arc::new(text.to_string()),
            0,
            crate::slug::Flavour::Github,
        )
        .0;
        let tree = outline(&chapter, |_, _| lsp_types::Range::default());
        let shown: Vec<String> = tree
            .iter()
            .flat_map(|h1| {
                std::iter::once(h1.name.clone()).chain(h1.children.iter().flatten().flat_map(
                    |h2| {
                        std::iter::once(format!("  {}", h2.name)).chain(
                            h2.children.iter().flatten().map(|s| {
                                format!("    {} ({})", s.name, s.detail.clone().unwrap_or_default())
                            }),
                        )
                    },
                ))
            })
            .collect();
        assert_eq!(
            shown,
            [
                "Install",
                "  Prepare",
                "    1. Log on. (ops-install.1)",
                "    2. Open a shell. (ops-install.2)",
                "  Run",
                "    1. Run it. (ops-install.3)",
            ]
        );
    }
}
