//! `agent-missing`: a management agent the environment names that a
//! whole server's export lacks.

use crate::check::export::ExportContext;
use crate::check::rules::example::{
    BOOK_TOML, LAB_AD, PROFILES_CHAPTER, PROFILES_SUMMARY, adma_as_required,
};
use crate::check::rules::{Example::Export, File::Text};
use crate::check::{Check, Diagnostic, RuleId};

declare_rule! {
    /// A management agent the environment names is not in the server's export (matched by name, without regard to case).
    AgentMissing {
        id: "agent-missing",
        default: Error,
        command: Verify,
        fails: Export(&[
            BOOK_TOML,
            PROFILES_SUMMARY,
            PROFILES_CHAPTER,
            Text(
                "environments/lab.yaml",
                "agents:\n  mim:\n    name: MIMMA\n    type: FIM Service Management Agent\n    partition: default\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=local\nvalues:\n  ad:\n    scope:\n      include: [\"OU=Guests,DC=contoso,DC=local\"]\n",
            ),
            Text("export/MA-{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}.XML", adma_as_required!()),
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

impl Check for AgentMissing {
    fn export(&self, cx: &ExportContext<'_>, out: &mut Vec<Diagnostic>) {
        // One agent's file says nothing of the others.
        if !cx.export.whole {
            return;
        }
        // An agent the runbook does not name may be one renamed.
        let names: Vec<&str> = cx
            .export
            .agents
            .iter()
            .filter(|a| cx.expected(a).is_none())
            .map(|a| a.name())
            .collect();
        for agent in &cx.expected.agents {
            if cx.exported(agent).is_some() {
                continue;
            }
            let closest = crate::text::suggest::best(&agent.name, &names, 0.6)
                .map(|n| format!(" (the export has `{n}`: is it this one, renamed?)"))
                .unwrap_or_default();
            out.push(
                cx.at_place(
                    RuleId::AgentMissing,
                    &agent.at,
                    format!(
                        "management agent `{}` ({}) is not in the export of the server{closest}",
                        agent.name,
                        agent.connector.label()
                    ),
                )
                .help(format!(
                    "{}; create it as the runbook says, or correct `agents.{}.name` if the server names it otherwise",
                    agent.origin(),
                    agent.key
                )),
            );
        }
    }
}
