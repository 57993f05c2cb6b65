//! `run-step-limit`: a step of a runbook's run profile that stops early
//! (an object or deletion threshold) or reads in batches, pages or time
//! limits other than MIM's defaults, which the runbook does not set.

use crate::check::export::{ExportContext, same_name};
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};
use crate::mim::step::ADMA_STEP_DEFAULTS;

declare_rule! {
    /// A step of one of the runbook's run profiles has a threshold (a number of objects or deletions after which the run stops), or an Active Directory batch size, page size or time limit other than MIM's default; the runbook sets none.
    RunStepLimit {
        id: "run-step-limit",
        default: Warning,
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
                        "<apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>",
                        "<batch-size>1</batch-size><delete>10</delete>",
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

impl Check for RunStepLimit {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            for profile in &expected.profiles {
                let Some(found) = agent.profiles.iter().find(|p| same_name(p.name(), &profile.name))
                else {
                    continue;
                };
                for step in &found.steps {
                    for (name, value) in &step.thresholds {
                        let what = match name.as_str() {
                            "object" => "objects",
                            "delete" => "deletions",
                            // `batch-size` is how often progress is saved, no limit.
                            _ => continue,
                        };
                        // Empty or 0: no threshold.
                        if value.text.is_empty() || value.text == "0" {
                            continue;
                        }
                        out.push(
                            cx.in_export(
                                RuleId::RunStepLimit,
                                &agent.file,
                                value.at,
                                format!(
                                    "run profile `{}` of management agent `{}` stops after {} {what}, a threshold the runbook does not set",
                                    found.name(),
                                    agent.name(),
                                    value.text
                                ),
                            )
                            .help("keep it if it was set on purpose (a deletion threshold guards against a wrong filter); the runbook leaves thresholds empty"),
                        );
                    }
                    for (name, value) in &step.limits {
                        let Some((_, default)) = ADMA_STEP_DEFAULTS
                            .iter()
                            .find(|(n, _)| name.strip_prefix("adma-step-data/") == Some(*n))
                        else {
                            continue;
                        };
                        if value.text == *default {
                            continue;
                        }
                        out.push(
                            cx.in_export(
                                RuleId::RunStepLimit,
                                &agent.file,
                                value.at,
                                format!(
                                    "run profile `{}` of management agent `{}` has a {} of {}, where MIM's default, which the runbook keeps, is {default}",
                                    found.name(),
                                    agent.name(),
                                    name.trim_start_matches("adma-step-data/").replace('-', " "),
                                    value.text
                                ),
                            )
                            .help("set it back in the step's options, or keep it if it was set on purpose"),
                        );
                    }
                }
            }
        }
    }
}
