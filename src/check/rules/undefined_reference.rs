//! `undefined-reference`: a full or collapsed reference link whose label has
//! no definition.

use crate::check::{ChapterContext, Check, Diagnostic, RuleId};
use crate::check::rules::{Example::Files, File::Text};

declare_rule! {
    /// A reference link `[text][label]` or `[label][]` whose label has no
    /// definition. As in CommonMark, shortcut `[text]` and alerts such as
    /// `> [!TIP]` are not references, and neither are brackets that are
    /// clearly text: inside a word (`MFCx0[U][D].DLL`), three or more in a
    /// row (`[Microsoft][ODBC Driver][SQL Server]`), or syntax notation whose
    /// label is not a name (`[**,DATA**]`).
    UndefinedReference {
        id: "undefined-reference",
        default: Error,
        fails: Files(&[
            Text("index.md", "See [the portal][portal].\n"),
            Text("install-mim-portal.md", "# Install the portal\n"),
        ]),
        passes: Files(&[
            Text("index.md", "See [the portal][portal].\n\n[portal]: install-mim-portal.md\n"),
            Text("install-mim-portal.md", "# Install the portal\n"),
        ]),
    }
}

impl Check for UndefinedReference {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let chapter = cx.chapter;
        let withholding = crate::check::preprocessed::withholding(cx.settings);
        for r in &chapter.undefined_references {
            // A preprocessor the check does not see may define it.
            if withholding && crate::check::preprocessed::may_define(&r.label) {
                continue;
            }
            out.push(
                Diagnostic::at(
                    RuleId::UndefinedReference,
                    &chapter.path,
                    r.span,
                    format!("reference `[{}]` has no definition", r.label),
                )
                .help(format!(
                    "add a definition line such as `[{}]: target.md`, or write the link inline",
                    r.label
                )),
            );
        }
    }
}
