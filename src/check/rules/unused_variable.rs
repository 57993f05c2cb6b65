//! `unused-variable`: a variable `variables.yaml` declares that no
//! chapter's placeholder, no other variable's derivation and not
//! `runsheet verify` (an agent's OU scope, the metaverse's settings:
//! `env::server`) reads.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use std::collections::HashSet;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A variable `variables.yaml` declares that no chapter and no derivation uses.
    UnusedVariable {
        id: "unused-variable",
        default: Warning,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\nad.forest:\n  description: The forest's root domain.\n  type: domain\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }} in the forest {{ ad.forest }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\nad.forest:\n  description: The forest's root domain.\n  type: domain\n",
            ),
        ]),
    }
}

impl Check for UnusedVariable {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PLACEHOLDERS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(decls) = &cx.environments().declarations else {
            return;
        };
        let used: HashSet<&str> = cx
            .chapters
            .iter()
            .flat_map(|c| c.placeholders.iter().map(|p| p.name.as_str()))
            .chain(decls.variables.values().flat_map(|v| v.inputs.iter().map(String::as_str)))
            .collect();
        for v in decls.variables.values() {
            if !used.contains(v.key.as_str()) && !crate::env::server::is_read_by_verify(&v.key) {
                out.push(
                    cx.at_origin(
                        RuleId::UnusedVariable,
                        &v.origin,
                        format!("`{}` is declared, but no chapter or derivation uses it", v.key),
                    )
                    .help(format!("remove it from {}, or use `{{{{ {} }}}}` in a chapter", decls.file, v.key)),
                );
            }
        }
    }
}
