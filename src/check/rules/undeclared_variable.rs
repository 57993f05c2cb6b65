//! `undeclared-variable`: a chapter's `{{ name }}` that the book's
//! `variables.yaml` does not declare. Only a book with declarations is
//! checked; `agents.…` placeholders are declared by the agents.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A `{{ name }}` placeholder that the book's `variables.yaml` does not declare,
    /// with the closest declared key.
    UndeclaredVariable {
        id: "undeclared-variable",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domian }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\n  example: corp.fabrikam.com\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\n  example: corp.fabrikam.com\n",
            ),
        ]),
    }
}

impl Check for UndeclaredVariable {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PLACEHOLDERS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(decls) = &cx.environments().declarations else {
            return;
        };
        for chapter in cx.chapters {
            for p in &chapter.placeholders {
                if p.name.starts_with("agents.") || decls.get(&p.name).is_some() {
                    continue;
                }
                let mut message = format!("`{{{{ {} }}}}` is not declared in {}", p.name, decls.file);
                if let Some(s) = decls.closest(&p.name) {
                    message.push_str(&format!(" (did you mean `{s}`?)"));
                }
                out.push(
                    Diagnostic::at(RuleId::UndeclaredVariable, &chapter.path, p.span, message).help(
                        format!(
                            "correct the name, or declare `{}` in {} with a description and a type",
                            p.name, decls.file
                        ),
                    ),
                );
            }
        }
    }
}
