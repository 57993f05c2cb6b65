//! `partition-unexpected`: an exported agent runs against a partition
//! the runbook does not select.

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// An agent of the export has a partition selected other than the one the environment gives it.
    PartitionUnexpected {
        id: "partition-unexpected",
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
                    more_partitions: " <partition>\n  <id>{0E1D2C3B-4A59-4876-9A5B-C4D3E2F1A0B9}</id>\n  <name>DC=ForestDnsZones,DC=contoso,DC=local</name>\n  <selected>1</selected>\n </partition>\n",
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

impl Check for PartitionUnexpected {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            for p in agent.partitions.iter().filter(|p| p.is_selected()) {
                if crate::mim::dn::same(p.name(), &expected.partition) {
                    continue;
                }
                out.push(
                    cx.in_export(
                        RuleId::PartitionUnexpected,
                        &agent.file,
                        p.name.as_ref().map_or(p.at, |n| n.at),
                        format!(
                            "partition `{}` of management agent `{}` is selected, where the runbook selects only `{}`",
                            p.name(),
                            agent.name(),
                            expected.partition
                        ),
                    )
                    .help(format!(
                        "{}; clear it in the agent's Configure Directory Partitions page",
                        expected
                            .partition_step
                            .as_ref()
                            .map(|s| format!("the runbook selects the partition at {}", s.describe()))
                            .unwrap_or_else(|| expected.origin())
                    )),
                );
            }
        }
    }
}
