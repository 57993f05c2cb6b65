//! `unknown-environment-key`: a key an environment sets that the book does
//! not declare: a typo renders nothing, and a mistyped override leaves the
//! base's value in place.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::FindingKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A key an environment file sets under `values` that the book's `variables.yaml`
    /// does not declare (a typo such as `sever`), with the closest declared key.
    UnknownEnvironmentKey {
        id: "unknown-environment-key",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in to {{ server.name }}.\n"),
            Text(
                "variables.yaml",
                "server.name:\n  description: The MIM server.\n  type: hostname\n",
            ),
            Text("environments/prod.yaml", "values:\n  server: { name: FABMIM01 }\n  sever: { name: FABMIM02 }\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Sign in to {{ server.name }}.\n"),
            Text(
                "variables.yaml",
                "server.name:\n  description: The MIM server.\n  type: hostname\n",
            ),
            Text("environments/prod.yaml", "values:\n  server: { name: FABMIM01 }\n"),
        ]),
    }
}

impl Check for UnknownEnvironmentKey {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            for f in env.findings.iter().filter(|f| f.kind == FindingKind::UnknownKey) {
                let mut d = cx.at_origin(RuleId::UnknownEnvironmentKey, &f.origin, f.message.clone());
                d.help = f.help.clone();
                out.push(d);
            }
        }
    }
}
