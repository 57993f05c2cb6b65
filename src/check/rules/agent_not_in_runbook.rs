//! `agent-not-in-runbook`: a management agent of the export that the
//! environment does not name. A warning: a server holds more than one
//! runbook describes.

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required, ma_xml,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// The export has a management agent that the environment does not name; the runbook says nothing of it.
    AgentNotInRunbook {
        id: "agent-not-in-runbook",
        default: Warning,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            LAB_AD,
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
            Text(
                "export/MA-{9D8C7B6A-5F4E-4D3C-8B2A-1E0F9D8C7B6A}.XML",
                ma_xml!(
                    name: "HR Database",
                    category: "MSSQL",
                    partition: "default",
                    selected: "1",
                    containers: "<exclusions/><inclusions><inclusion></inclusion></inclusions>",
                    profiles: "",
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

impl Check for AgentNotInRunbook {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        for agent in &cx.export.agents {
            if cx.expected(agent).is_some() {
                continue;
            }
            out.push(
                cx.in_export(
                    RuleId::AgentNotInRunbook,
                    &agent.file,
                    agent.name.as_ref().map_or(agent.at, |n| n.at),
                    format!(
                        "management agent `{}` (category `{}`) is on the server, but environment `{}` does not name it",
                        agent.name(),
                        agent.category(),
                        cx.expected.environment
                    ),
                )
                .help("verify compares only the agents the environment names; `runsheet verify --write-env` proposes them all"),
            );
        }
    }
}
