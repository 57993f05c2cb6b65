//! `agent-type-mismatch`: an exported management agent of another
//! category than the connector type the environment gives it.

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, guests_only, ma_xml,
    run_profile_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// An agent of the export is of another type (its `<category>`) than the connector type the environment gives it.
    AgentTypeMismatch {
        id: "agent-type-mismatch",
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
                    category: "ADAM",
                    partition: "DC=contoso,DC=local",
                    selected: "1",
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

impl Check for AgentTypeMismatch {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for (expected, agent) in cx.pairs() {
            let wanted = expected.connector.category();
            let Some(category) = &agent.category else {
                continue;
            };
            if category.text.eq_ignore_ascii_case(wanted) {
                continue;
            }
            out.push(
                cx.in_export(
                    RuleId::AgentTypeMismatch,
                    &agent.file,
                    category.at,
                    format!(
                        "management agent `{}` is of category `{}` on the server, where the runbook creates an agent of type {} (category `{wanted}`)",
                        agent.name(),
                        category.text,
                        expected.connector.label()
                    ),
                )
                .help(format!(
                    "{}; an agent's type cannot be changed: create it again with the runbook's type, or correct `agents.{}.type`",
                    expected.origin(),
                    expected.key
                )),
            );
        }
    }
}
