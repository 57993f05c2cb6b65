//! `invalid-variable-value`: a value an environment gives that is not what
//! `variables.yaml` declares it to be.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::FindingKind;
use crate::env::resolve::RefusalKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A value that is not of its declared type or pattern (a host name, a distinguished
    /// name, a GUID …), a list or map where one value is expected, or a secret written
    /// in an environment file; named with its environment and the expected form. Also a
    /// value of several lines used outside a code block, and an OU scope, object types
    /// or a script limit that is not what its key reads.
    InvalidVariableValue {
        id: "invalid-variable-value",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\n  example: corp.fabrikam.com\n",
            ),
            Text("environments/prod.yaml", "values:\n  ad: { domain: FABRIKAM }\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Join {{ ad.domain }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\n  example: corp.fabrikam.com\n",
            ),
            Text("environments/prod.yaml", "values:\n  ad: { domain: corp.fabrikam.com }\n"),
        ]),
    }
}

impl Check for InvalidVariableValue {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PLACEHOLDERS)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if matches!(r.kind, RefusalKind::Invalid | RefusalKind::Finding(FindingKind::InvalidValue)) {
                out.push(cx.refusal(RuleId::InvalidVariableValue, r));
            }
        }
    }
}
