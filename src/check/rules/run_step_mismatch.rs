//! `run-step-mismatch`: a run profile of the export whose steps are not
//! the runbook's: another number of steps, another step type, or
//! another partition.

use crate::check::export::{ExportContext, describe_step, same_name};
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};
use crate::mim::StepType;

declare_rule! {
    /// A run profile of the export runs other steps than the runbook's profile of that name: another number of steps, another step type (type and subtype), or against another partition.
    RunStepMismatch {
        id: "run-step-mismatch",
        default: Error,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_AD,
            Text(
                "export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML",
                ma_xml!(
                    name: "ADMA",
                    category: "AD",
                    partition: "DC=contoso,DC=local",
                    selected: "1",
                    containers: guests_only!(),
                    profiles: run_profile_xml!(
                        "Full Synchronization",
                        "apply-rules",
                        "<apply-rules-subtype>apply-pending</apply-rules-subtype>",
                        "<batch-size>1</batch-size>",
                    ),
                ),
            ),
        ]),
        passes: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_AD,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
        ]),
    }
}

impl Check for RunStepMismatch {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            for profile in &expected.profiles {
                let Some(found) = agent.profiles.iter().find(|p| same_name(p.name(), &profile.name))
                else {
                    continue;
                };
                let created = profile
                    .created_by
                    .as_ref()
                    .map(|s| format!("the runbook creates it at {}", s.describe()))
                    .unwrap_or_else(|| "the runbook's run-profile table creates it".to_string());
                let wanted: Vec<String> = profile.steps.iter().map(|t| describe_step(*t)).collect();
                if found.steps.len() != profile.steps.len() {
                    out.push(
                        cx.in_export(
                            RuleId::RunStepMismatch,
                            &agent.file,
                            found.name.as_ref().map_or(found.at, |n| n.at),
                            format!(
                                "run profile `{}` of management agent `{}` has {} step{}, where the runbook's has {}: {}",
                                found.name(),
                                agent.name(),
                                found.steps.len(),
                                if found.steps.len() == 1 { "" } else { "s" },
                                profile.steps.len(),
                                wanted.join(", then ")
                            ),
                        )
                        .help(created.clone()),
                    );
                    continue;
                }
                for (n, (step, want)) in found.steps.iter().zip(&profile.steps).enumerate() {
                    let type_text = step.step_type.as_ref().map_or("", |t| t.text.as_str());
                    let subtype = step.subtype.as_ref().map(|(_, v)| v.text.as_str());
                    let at = step.step_type.as_ref().map_or(step.at, |t| t.at);
                    let which = if profile.steps.len() == 1 {
                        format!("run profile `{}`", found.name())
                    } else {
                        format!("step {} of run profile `{}`", n + 1, found.name())
                    };
                    match StepType::from_xml(type_text, subtype) {
                        Some(t) if t == *want => {}
                        got => {
                            let shown = match got {
                                Some(t) => describe_step(t),
                                None => format!(
                                    "`{type_text}`{}, which is no step type",
                                    subtype.map(|s| format!(" ({s})")).unwrap_or_default()
                                ),
                            };
                            out.push(
                                cx.in_export(
                                    RuleId::RunStepMismatch,
                                    &agent.file,
                                    at,
                                    format!(
                                        "{which} of management agent `{}` runs {shown}, where the runbook's runs {}",
                                        agent.name(),
                                        describe_step(*want)
                                    ),
                                )
                                .help(format!(
                                    "{created}; a step's type cannot be changed: delete the step and add it again with the runbook's type"
                                )),
                            );
                            continue;
                        }
                    }
                    let partition = agent.partition_name(step);
                    if partition
                        .as_deref()
                        .is_some_and(|p| crate::mim::dn::same(p, &expected.partition))
                    {
                        continue;
                    }
                    out.push(
                        cx.in_export(
                            RuleId::RunStepMismatch,
                            &agent.file,
                            step.partition.as_ref().map_or(step.at, |p| p.at),
                            format!(
                                "{which} of management agent `{}` runs against {}, where the runbook's runs against `{}`",
                                agent.name(),
                                match (&partition, &step.partition) {
                                    (Some(p), _) => format!("partition `{p}`"),
                                    (None, Some(id)) => format!("partition `{}`, which the agent does not have", id.text),
                                    (None, None) => "no partition".to_string(),
                                },
                                expected.partition
                            ),
                        )
                        .help(created.clone()),
                    );
                }
            }
        }
    }
}
