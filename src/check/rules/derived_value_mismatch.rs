//! `derived-value-mismatch`: a derived value set by hand to something its
//! derivation does not give, so the guide and the environment disagree.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::env::FindingKind;

declare_rule! {
    /// A value `variables.yaml` derives from others (`derive:`) that an environment sets
    /// by hand to something else.
    DerivedValueMismatch {
        id: "derived-value-mismatch",
        default: Error,
        fails: "values:\n  ad:\n    guest_ou: B2B Guests\n    domain: corp.fabrikam.com\n    guest_ou_dn: OU=B2B Guests,OU=Identity,DC=corp,DC=fabrikam,DC=com",
        passes: "values:\n  ad:\n    guest_ou: B2B Guests\n    domain: corp.fabrikam.com   # guest_ou_dn is derived: OU=B2B Guests,DC=corp,…",
    }
}

impl Check for DerivedValueMismatch {
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
