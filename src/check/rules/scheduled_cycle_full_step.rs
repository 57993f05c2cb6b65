//! `scheduled-cycle-full-step`: a scheduled cycle with a full import or a
//! full synchronization, which reads or re-evaluates everything every
//! time the task runs.

use crate::check::rules::{Example::Files, File::Text, example::BOOK_TOML};
use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::mim::cycle::CycleKind;

declare_rule! {
    /// The scheduled cycle an environment gives has a full import or a full synchronization: it runs every time the task does (a full import of the Graph agent reads every user of the tenant). Give the scheduled cycle delta steps and run the full cycle on its own, rarer schedule.
    ScheduledCycleFullStep {
        id: "scheduled-cycle-full-step",
        default: Warning,
        fails: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Run profiles](profiles.md)\n"),
            Text(
                "src/profiles.md",
                "# Run profiles\n\n| Name | Type |\n| --- | --- |\n| Full Import | Full Import (Stage Only) |\n| Delta Import | Delta Import (Stage Only) |\n| Delta Sync | Delta Synchronization |\n",
            ),
            Text(
                "environments/lab.yaml",
                "agents:\n  aad: { name: AADMA, type: Graph (Microsoft), partition: default }\ncycles:\n  scheduled:\n    - { agent: aad, profile: Full Import }\n    - { agent: aad, profile: Delta Sync }\n",
            ),
        ]),
        passes: Files(&[
            BOOK_TOML,
            Text("src/SUMMARY.md", "# Summary\n\n- [Run profiles](profiles.md)\n"),
            Text(
                "src/profiles.md",
                "# Run profiles\n\n| Name | Type |\n| --- | --- |\n| Full Import | Full Import (Stage Only) |\n| Delta Import | Delta Import (Stage Only) |\n| Delta Sync | Delta Synchronization |\n",
            ),
            Text(
                "environments/lab.yaml",
                "agents:\n  aad: { name: AADMA, type: Graph (Microsoft), partition: default }\ncycles:\n  scheduled:\n    - { agent: aad, profile: Delta Import }\n    - { agent: aad, profile: Delta Sync }\n",
            ),
        ]),
    }
}

impl Check for ScheduledCycleFullStep {
    fn guide_reads(&self) -> Reads {
        Reads::ENVIRONMENTS.and(Reads::PROFILES)
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        for env in &cx.environments().environments {
            for (kind, steps) in crate::check::cycles::given(env, cx.chapters) {
                if kind != CycleKind::Scheduled {
                    continue;
                }
                for step in steps.iter().filter(|s| s.step_type.is_full()) {
                    let Some(agent) = env.agents.get(step.agent) else {
                        continue;
                    };
                    let mut d = cx.at_origin(
                        RuleId::ScheduledCycleFullStep,
                        step.origin,
                        format!(
                            "the scheduled cycle of environment `{}` runs `{}` on `{}`, a step of type {}, every time the task runs",
                            env.name,
                            step.profile,
                            agent.name,
                            step.step_type.label()
                        ),
                    );
                    d.help = Some(
                        "give `cycles.scheduled` delta steps (delta import, delta synchronization) and run the full cycle, `Invoke-RunCycle.ps1 -Cycle Initial`, on its own, rarer schedule".into(),
                    );
                    out.push(d);
                }
            }
        }
    }
}
