//! `unknown-cycle-profile`: a run cycle an environment gives
//! (`cycles.initial`, `cycles.scheduled`) that names a run profile no
//! run-profile table on its path creates: the script would start a
//! profile the server does not have, and `runsheet render` refuses it.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::env::resolve::RefusalKind;

const CYCLE_SUMMARY: crate::check::rules::File =
    Text("src/SUMMARY.md", "# Summary\n\n- [Run profiles](profiles.md)\n");
const CYCLE_CHAPTER: crate::check::rules::File = Text(
    "src/profiles.md",
    "# Run profiles\n\n| Name | Type |\n| --- | --- |\n| Full Import (Stage Only) | Full Import (Stage Only) |\n| Full Synchronization | Full Synchronization |\n",
);

declare_rule! {
    /// A run cycle an environment gives (`cycles.initial`, `cycles.scheduled`) that names a
    /// run profile no run-profile table on the environment's path creates.
    UnknownCycleProfile {
        id: "unknown-cycle-profile",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            CYCLE_SUMMARY,
            CYCLE_CHAPTER,
            Text(
                "environments/lab.yaml",
                "agents:\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=contoso,DC=local\" }\ncycles:\n  initial:\n    - { agent: ad, profile: Full Import }\n    - { agent: ad, profile: Full Synchronization }\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            CYCLE_SUMMARY,
            CYCLE_CHAPTER,
            Text(
                "environments/lab.yaml",
                "agents:\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=contoso,DC=local\" }\ncycles:\n  initial:\n    - { agent: ad, profile: Full Import (Stage Only) }\n    - { agent: ad, profile: Full Synchronization }\n",
            ),
        ]),
    }
}

impl Check for UnknownCycleProfile {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PROFILES)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for (_, r) in cx.refusals() {
            if r.kind == RefusalKind::CycleProfile {
                out.push(cx.refusal(RuleId::UnknownCycleProfile, r));
            }
        }
    }
}
