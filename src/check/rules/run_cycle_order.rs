//! `run-cycle-order`: a run cycle that synchronizes an agent the people
//! come from before an agent it provisions into was imported, so that
//! provisioning cannot see the accounts already there.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::mim::cycle::early_syncs;

/// The book of the examples: one chapter with the five run profiles.
const CYCLE_SUMMARY: crate::check::rules::File =
    Text("src/SUMMARY.md", "# Summary\n\n- [Run profiles](profiles.md)\n");
const CYCLE_CHAPTER: crate::check::rules::File = Text(
    "src/profiles.md",
    "# Run profiles\n\n| Name | Type |\n| --- | --- |\n| Full Import (Stage Only) | Full Import (Stage Only) |\n| Full Synchronization | Full Synchronization |\n| Delta Import (Stage Only) | Delta Import (Stage Only) |\n| Delta Synchronization | Delta Synchronization |\n| Export | Export |\n",
);

declare_rule! {
    /// A run cycle an environment gives synchronizes a Graph or other extensible agent before an Active Directory agent it provisions into was imported in that cycle: provisioning cannot join the accounts already in AD and creates them again. Import and synchronize AD first (MIM Service, then AD, then Graph).
    RunCycleOrder {
        id: "run-cycle-order",
        default: Error,
        fails: Files(&[
            BOOK_TOML,
            CYCLE_SUMMARY,
            CYCLE_CHAPTER,
            Text(
                "environments/lab.yaml",
                "agents:\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=contoso,DC=local\" }\n  aad: { name: AADMA, type: Graph (Microsoft), partition: default }\ncycles:\n  initial:\n    - { agent: aad, profile: Full Import (Stage Only) }\n    - { agent: aad, profile: Full Synchronization }\n    - { agent: ad, profile: Full Import (Stage Only) }\n    - { agent: ad, profile: Full Synchronization }\n    - { agent: ad, profile: Export }\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            CYCLE_SUMMARY,
            CYCLE_CHAPTER,
            Text(
                "environments/lab.yaml",
                "agents:\n  ad: { name: ADMA, type: Active Directory Domain Services, partition: \"DC=contoso,DC=local\" }\n  aad: { name: AADMA, type: Graph (Microsoft), partition: default }\ncycles:\n  initial:\n    - { agent: ad, profile: Full Import (Stage Only) }\n    - { agent: ad, profile: Full Synchronization }\n    - { agent: aad, profile: Full Import (Stage Only) }\n    - { agent: aad, profile: Full Synchronization }\n    - { agent: ad, profile: Export }\n",
            ),
        ]),
    }
}

impl Check for RunCycleOrder {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PROFILES)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            let connectors = crate::check::cycles::connectors(env);
            for (kind, steps) in crate::check::cycles::given(env, cx.chapters) {
                let pairs: Vec<_> = steps.iter().map(|s| (s.agent, s.step_type)).collect();
                for early in early_syncs(&connectors, &pairs) {
                    let (Some(step), Some(agent), Some(target)) = (
                        steps.get(early.step),
                        env.agents.get(early.agent),
                        env.agents.get(early.target),
                    ) else {
                        continue;
                    };
                    let mut d = cx.at_origin(
                        RuleId::RunCycleOrder,
                        step.origin,
                        format!(
                            "{} of environment `{}` runs `{}` on `{}` before `{}` was imported in it: provisioning into `{}` cannot see the accounts already there and creates them again",
                            kind.describe(),
                            env.name,
                            step.profile,
                            agent.name,
                            target.name,
                            target.name
                        ),
                    );
                    d.help = Some(format!(
                        "import and synchronize `{}` (agent `{}`) earlier in `cycles.{}`: the MIM Service agent first, then Active Directory, then Graph",
                        target.name,
                        target.key,
                        kind.key()
                    ));
                    out.push(d);
                }
            }
        }
    }
}
