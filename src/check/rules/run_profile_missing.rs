//! `run-profile-missing`: a run profile the runbook creates on an agent
//! that the exported agent lacks.

use crate::check::export::{ExportContext, same_name};
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// An agent of the export lacks a run profile the runbook creates on it (matched by name, without regard to case).
    RunProfileMissing {
        id: "run-profile-missing",
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
                        "Full Sync",
                        "apply-rules",
                        "<apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>",
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

impl Check for RunProfileMissing {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            let names: Vec<&str> = agent.profiles.iter().map(|p| p.name()).collect();
            // A profile the runbook does not create may be one renamed.
            let others: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| !expected.profiles.iter().any(|p| same_name(n, &p.name)))
                .collect();
            for profile in &expected.profiles {
                if names.iter().any(|n| same_name(n, &profile.name)) {
                    continue;
                }
                let closest = crate::text::suggest::best(&profile.name, &others, 0.5)
                    .map(|n| format!(" (it has `{n}`: is it this one, renamed?)"))
                    .unwrap_or_default();
                let created = profile
                    .created_by
                    .as_ref()
                    .map(|s| format!("the runbook creates it at {}", s.describe()))
                    .unwrap_or_else(|| "the runbook's run-profile table creates it".to_string());
                out.push(
                    cx.in_export(
                        RuleId::RunProfileMissing,
                        &agent.file,
                        agent.name.as_ref().map_or(agent.at, |n| n.at),
                        format!(
                            "management agent `{}` has no run profile `{}`{closest}",
                            agent.name(),
                            profile.name
                        ),
                    )
                    .help(format!(
                        "{created}; the run cycle starts it by this name"
                    )),
                );
            }
        }
    }
}
