//! `broken-xref`: a DocFX cross-reference (`xref:uid`, `<xref:uid>`) to
//! a uid the tree's xref map does not define.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A DocFX cross-reference (`[text](xref:uid)`, `<xref:uid>`) whose uid
    /// the tree's xref map does not define: DocFX renders it as plain text.
    /// The map is `xrefmap.yml` or `xrefmap.json` at the root or in a
    /// docset's folder, or a local file that `docfx.json`'s `build.xref`
    /// names. Without one, xref links are only counted in the closing line:
    /// the uids they name are defined by other sites (`/dotnet/api`), which
    /// runsheet does not fetch.
    BrokenXref {
        id: "broken-xref",
        default: Warning,
        fails: Files(&[
            Text("docs/docfx.json", "{\"build\": {}}\n"),
            Text(
                "docs/xrefmap.yml",
                "### YamlMime:XRefMap\nreferences:\n- uid: Contoso.Widgets\n  name: Widgets\n  href: https://example.com/api/contoso.widgets\n",
            ),
            Text("docs/index.md", "See <xref:Contoso.Widget>.\n"),
        ]),
        passes: Files(&[
            Text("docs/docfx.json", "{\"build\": {}}\n"),
            Text(
                "docs/xrefmap.yml",
                "### YamlMime:XRefMap\nreferences:\n- uid: Contoso.Widgets\n  name: Widgets\n  href: https://example.com/api/contoso.widgets\n",
            ),
            Text("docs/index.md", "See <xref:Contoso.Widgets>.\n"),
        ]),
    }
}

impl Check for BrokenXref {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(uids) = &cx.site.xrefs else {
            return;
        };
        let chapter = cx.chapter;
        for link in &chapter.links {
            let Some(uid) = uid(&link.destination) else {
                continue;
            };
            if uids.contains(uid.as_str()) {
                continue;
            }
            let mut d = Diagnostic::at(
                RuleId::BrokenXref,
                &chapter.path,
                link.span,
                format!("xref `{uid}` is not defined in the tree's xref map"),
            );
            // A suggestion is looked for in a map of bounded size only.
            let best = if uids.len() <= MAX_SUGGESTED {
                let known: Vec<&str> = uids.iter().map(String::as_str).collect();
                crate::text::suggest::best(&uid, &known, 0.6).map(str::to_string)
            } else {
                None
            };
            d = d.help(match best {
                Some(b) => format!("did you mean `{b}`?"),
                None => "name a uid the xref map defines".to_string(),
            });
            out.push(d);
        }
    }
}

/// The largest xref map searched for "did you mean".
const MAX_SUGGESTED: usize = 20_000;

/// The uid of an `xref:` destination: after `xref:`, before any `?` or
/// `#`, percent-decoded.
fn uid(destination: &str) -> Option<String> {
    let rest = destination
        .get(..5)
        .filter(|s| s.eq_ignore_ascii_case("xref:"))
        .map(|_| &destination[5..])?;
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    let uid = crate::markdown::percent_decode(&rest[..end]);
    (!uid.is_empty()).then_some(uid)
}
