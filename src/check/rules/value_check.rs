//! `value-check`: a check `variables.yaml` declares between values (a
//! minijinja expression with its message) that an environment's values do
//! not meet, such as an agent's name that the extension DLL of the path it
//! takes does not provision to.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::FindingKind;
use crate::env::resolve::RefusalKind;

const DLL_SUMMARY: crate::check::rules::File = Text(
    "src/SUMMARY.md",
    "# Summary\n\n# Option 2: extension DLL\n\n- [DLL](dll.md)\n",
);
const DLL_CHAPTER: crate::check::rules::File =
    Text("src/dll.md", "# DLL\n\n1. Deploy the DLL for `{{ agents.ad.name }}`.\n");
const DLL_DECLARED: crate::check::rules::File = Text(
    "variables.yaml",
    "agents.ad.name:\n  description: The AD management agent's name.\n  checks:\n    - expect: \"agents.ad.name == 'ADMA' or not takes('Option 2: extension DLL')\"\n      message: the published extension DLL provisions only to an agent named ADMA\n",
);

declare_rule! {
    /// A check `variables.yaml` declares on a value (`checks:`, a minijinja expression over
    /// the values, `agents` and the path, with the message to show) that an environment does
    /// not meet: reported at the line that sets the value, with every value the check read.
    ValueCheck {
        id: "value-check",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            DLL_SUMMARY,
            DLL_CHAPTER,
            DLL_DECLARED,
            Text("environments/test.yaml", "agents:\n  ad: { name: FAB-AD, type: Active Directory Domain Services, partition: \"DC=fabrikam,DC=local\" }\n"),
        ]),
        passes: Files(&[
            BOOK_TOML,
            DLL_SUMMARY,
            DLL_CHAPTER,
            DLL_DECLARED,
            Text("environments/test.yaml", "agents:\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=fabrikam,DC=local\" }\n"),
        ]),
    }
}

impl Check for ValueCheck {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if r.kind == RefusalKind::Finding(FindingKind::Check) {
                out.push(cx.refusal(RuleId::ValueCheck, r));
            }
        }
    }
}
