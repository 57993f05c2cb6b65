//! `partition-not-selected`: the partition an agent's run profiles run
//! against is missing from the exported agent, or not selected on it.

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// The partition the environment gives an agent is not among the exported agent's partitions, or is not selected.
    PartitionNotSelected {
        id: "partition-not-selected",
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
                    selected: "0",
                    containers: guests_only!(),
                    profiles: run_profile_xml!(
                        "Full Synchronization",
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

impl Check for PartitionNotSelected {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            let step = expected
                .partition_step
                .as_ref()
                .or(expected.created_by.as_ref())
                .map(|s| format!("the runbook selects it at {}", s.describe()))
                .unwrap_or_else(|| expected.origin());
            let found = agent
                .partitions
                .iter()
                .find(|p| crate::mim::dn::same(p.name(), &expected.partition));
            let d = match found {
                None => {
                    let names: Vec<String> = agent
                        .partitions
                        .iter()
                        .map(|p| format!("`{}`", p.name()))
                        .collect();
                    let at = agent.name.as_ref().map_or(agent.at, |n| n.at);
                    cx.in_export(
                        RuleId::PartitionNotSelected,
                        &agent.file,
                        at,
                        format!(
                            "management agent `{}` has no partition `{}` on the server{}",
                            agent.name(),
                            expected.partition,
                            if names.is_empty() {
                                String::new()
                            } else {
                                format!("; its partitions are {}", names.join(", "))
                            }
                        ),
                    )
                    .help(format!(
                        "{step}; correct `agents.{}.partition` if the server's is the one meant",
                        expected.key
                    ))
                }
                Some(p) if p.is_selected() => continue,
                Some(p) => cx
                    .in_export(
                        RuleId::PartitionNotSelected,
                        &agent.file,
                        p.selected.as_ref().map_or(p.at, |s| s.at),
                        format!(
                            "partition `{}` of management agent `{}` is not selected, where the runbook's run profiles run against it",
                            p.name(),
                            agent.name()
                        ),
                    )
                    .help(format!(
                        "{step}; select it in the agent's Configure Directory Partitions page"
                    )),
            };
            out.push(d);
        }
    }
}
