//! `derived-value-mismatch`: a derived value set by hand to something its
//! derivation does not give, so the guide and the environment disagree.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::FindingKind;
use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};

declare_rule! {
    /// A value `variables.yaml` derives from others (`derive:`) that an environment sets
    /// by hand to something else.
    DerivedValueMismatch {
        id: "derived-value-mismatch",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Provision guests into {{ ad.guest_ou_dn }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\nad.guest_ou:\n  description: The OU of guest accounts.\nad.guest_ou_dn:\n  description: The guest OU's distinguished name.\n  type: distinguished_name\n  derive: \"OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}\"\n",
            ),
            Text(
                "environments/prod.yaml",
                "values:\n  ad:\n    domain: corp.fabrikam.com\n    guest_ou: B2B Guests\n    guest_ou_dn: OU=B2B Guests,OU=Identity,DC=corp,DC=fabrikam,DC=com\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            Text("src/domain.md", "# Domain\n\n1. Provision guests into {{ ad.guest_ou_dn }}.\n"),
            Text(
                "variables.yaml",
                "ad.domain:\n  description: The AD domain.\n  type: domain\nad.guest_ou:\n  description: The OU of guest accounts.\nad.guest_ou_dn:\n  description: The guest OU's distinguished name.\n  type: distinguished_name\n  derive: \"OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}\"\n",
            ),
            Text(
                "environments/prod.yaml",
                "values:\n  ad:\n    domain: corp.fabrikam.com\n    guest_ou: B2B Guests\n",
            ),
        ]),
    }
}

impl Check for DerivedValueMismatch {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            for f in env.findings.iter().filter(|f| f.kind == FindingKind::DerivedMismatch) {
                let mut d = cx.at_origin(RuleId::DerivedValueMismatch, &f.origin, f.message.clone());
                d.help = f.help.clone();
                out.push(d);
            }
        }
    }
}
