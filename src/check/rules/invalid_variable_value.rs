//! `invalid-variable-value`: a value an environment gives that is not what
//! `variables.yaml` declares it to be.

use crate::check::{Check, Diagnostic, GuideContext, RuleId};
use crate::env::FindingKind;

declare_rule! {
    /// A value that is not of its declared type or pattern (a host name, a distinguished
    /// name, a GUID …), a list or map where one value is expected, or a secret written
    /// in an environment file; named with its environment and the expected form.
    InvalidVariableValue {
        id: "invalid-variable-value",
        default: Error,
        fails: "values:\n  ad: { domain: FABRIKAM }   # type: domain",
        passes: "values:\n  ad: { domain: corp.fabrikam.com }",
    }
}

impl Check for InvalidVariableValue {
    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            for f in env.findings.iter().filter(|f| f.kind == FindingKind::InvalidValue) {
                let mut d = cx.at_origin(RuleId::InvalidVariableValue, &f.origin, f.message.clone());
                d.help = f.help.clone();
                out.push(d);
            }
        }
    }
}
