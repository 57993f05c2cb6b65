//! `undefined-variable`: every `{{ name }}` placeholder in a chapter that
//! an environment follows has a value in that environment. Reported once
//! per key and environment: where the environment's file leaves it empty
//! (as `runsheet env new` writes it), else at its first use, listing
//! every other place that uses it, naming the environment and the file
//! that should define it. The same as `runsheet render` refuses to write
//! for ([`crate::env::resolve`]).

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::resolve::RefusalKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A `{{ name }}` placeholder that an environment gives no value, reported
    /// once per key and environment with every place that uses it (at the line of
    /// the environment file that leaves it empty, when one does); an agent with no
    /// name or partition; an environment with no agents on a path that creates run
    /// profiles.
    UndefinedVariable {
        id: "undefined-variable",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in as {{ accounts.installer }}.\n"),
            Text("environments/prod.yaml", "values:\n  accounts:\n    admin: FABRIKAM\\mim-admin\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in as {{ accounts.installer }}.\n"),
            Text("environments/prod.yaml", "values:\n  accounts:\n    installer: FABRIKAM\\mim-install\n"),
        ]),
    }
}

impl Check for UndefinedVariable {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PLACEHOLDERS).and(Reads::PROFILES)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if r.kind == RefusalKind::Missing {
                out.push(cx.refusal(RuleId::UndefinedVariable, r));
            }
        }
    }
}
