//! Hover: on a placeholder, what its declaration says and its value in
//! each environment with the file and line that set it (a secret is never
//! shown); on a link, the chapter it leads to and the heading.

use super::workspace::Workspace;
use crate::check::index::Resolved;
use crate::model::{Chapter, Link};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

/// What a secret's value is shown as.
pub const SECRET: &str = "‹secret›";

pub fn hover(ws: &mut Workspace, params: HoverParams) -> Option<Hover> {
    let place = &params.text_document_position_params;
    let at = ws.at(place.text_document.uri.as_str(), place.position)?;
    let doc = ws.docs.get(place.text_document.uri.as_str())?;
    let text = doc.text.clone();
    if let Some(p) = at
        .chapter
        .placeholders
        .iter()
        .find(|p| p.span.start <= at.offset && at.offset < p.span.end.max(p.span.start + 1))
    {
        let value = placeholder(ws, &p.name);
        return Some(markdown(
            value,
            Some(ws.range_in(&text, p.span.start, p.span.end)),
        ));
    }
    let link = link_at(&at.chapter, at.offset)?;
    let value = link_text(ws, &at.file, &at.chapter, link)?;
    Some(markdown(
        value,
        Some(ws.range_in(&text, link.span.start, link.span.end)),
    ))
}

/// The link of `chapter` at byte `offset`.
pub fn link_at(chapter: &Chapter, offset: usize) -> Option<&Link> {
    chapter
        .links
        .iter()
        .find(|l| l.span.start <= offset && offset < l.span.end)
}

fn markdown(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

/// `text` as a code span inside a table cell: backticks and pipes kept as
/// text, on one line.
pub fn code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", one_line.replace('|', "\\|"))
}

/// What a placeholder stands for in each environment.
pub fn placeholder(ws: &mut Workspace, key: &str) -> String {
    let Some(book) = ws.book.as_mut() else {
        return code(&format!("{{{{ {key} }}}}"));
    };
    let envs = book.environments();
    let mut out = code(&format!("{{{{ {key} }}}}"));
    let declared = envs.declarations.as_ref().and_then(|d| d.get(key));
    match declared {
        Some(v) => {
            out.push_str(&format!(
                " — {} ({})",
                v.spec.description.replace('\n', " "),
                v.expected()
            ));
        }
        None if envs.declarations.is_some() && !key.starts_with("agents.") => {
            out.push_str(" — not declared in variables.yaml");
        }
        None => {}
    }
    out.push_str("\n\n");
    if envs.environments.is_empty() {
        out.push_str("No environment reads this book's values (no `environments/` folder).");
        return out;
    }
    out.push_str("| environment | value | set by |\n| --- | --- | --- |\n");
    for env in &envs.environments {
        let secret = env.is_secret(key);
        let (value, origin) = match env.placeholder_value(key) {
            Ok(_) if secret => (
                SECRET.to_string(),
                "asked for when the runbook is worked through".to_string(),
            ),
            Ok((value, origin)) => {
                let derived = env
                    .explain(key)
                    .and_then(|e| e.leaves.into_iter().next())
                    .and_then(|l| l.derived);
                let by = match derived {
                    Some(how) => format!("{how} in {origin}"),
                    None => origin.to_string(),
                };
                (code(&value), by)
            }
            Err(missing) => (
                "—".to_string(),
                missing.describe(key, env).replace('|', "\\|"),
            ),
        };
        out.push_str(&format!("| {} | {value} | {origin} |\n", env.name));
    }
    out
}

/// What a link leads to.
fn link_text(ws: &Workspace, file: &str, chapter: &Chapter, link: &Link) -> Option<String> {
    let book = ws.book.as_ref()?;
    let heading = |c: &Chapter, fragment: &str| {
        c.headings
            .iter()
            .find(|h| h.anchor == fragment)
            .map(|h| h.text.clone())
    };
    let Some(target) = book.target(file, link) else {
        if link.path.is_empty()
            && let Some(fragment) = &link.fragment
        {
            return Some(match heading(chapter, fragment) {
                Some(h) => format!("This chapter › **{h}**"),
                None => format!("No heading of this chapter has the id `{fragment}`"),
            });
        }
        return None;
    };
    Some(match target {
        Resolved::File(path, _) | Resolved::CaseMismatch(path, _) => {
            let title = book.chapter(path).and_then(|c| c.titles.first().cloned());
            let mut out = match title {
                Some(t) => format!("**{t}**"),
                None => code(path),
            };
            if let Some(fragment) = link.fragment.as_deref().filter(|f| !f.is_empty()) {
                let target = ws.chapter(path);
                match target.as_ref().and_then(|c| heading(c, fragment)) {
                    Some(h) => out.push_str(&format!(" › **{h}**")),
                    None => out.push_str(&format!(" › no heading with the id `{fragment}`")),
                }
            }
            out.push_str(&format!("\n\n{}", code(path)));
            out
        }
        Resolved::Dir(dir) => format!("The folder {}", code(&dir)),
        Resolved::Missing(path) => format!("{} does not exist", code(&path)),
        Resolved::Outside => "A path out of the book".to_string(),
        Resolved::Elsewhere => "A page of another site (not checked offline)".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_code_spans_that_hold_any_text() {
        assert_eq!(code("lab.local"), "`lab.local`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a|b\nc"), "`a\\|b c`");
        assert_eq!(
            code("[x](javascript:alert(1))"),
            "`[x](javascript:alert(1))`"
        );
    }
}
