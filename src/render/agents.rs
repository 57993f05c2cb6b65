//! The agents of an environment with the book's run profiles on each, and
//! its two run cycles (initial and scheduled): the environment's own, or
//! the guide's default ([`crate::mim::cycle`]).

use super::context::*;
use super::html::markdown_to_html;
use crate::env::{Agent, Environment};
use crate::mim::cycle::CycleKind;
use crate::mim::{ConnectorType, StepType};
use crate::text::Located;

/// A run profile of the book: a row of a run-profile table.
pub(super) struct BookProfile {
    pub(super) name: String,
    pub(super) step_type: StepType,
}

pub(super) fn agent_ref(a: &AgentContext) -> AgentRef {
    AgentRef {
        key: a.key.clone(),
        name: a.name.clone(),
        connector: a.connector,
    }
}

pub(super) fn agent_context(
    a: &Agent,
    env: &Environment,
    profiles: &[BookProfile],
    shown_root: &str,
) -> Result<AgentContext, Located> {
    let refused =
        |r: crate::env::server::Refused| super::problem_at(shown_root, &r.origin, r.message);
    let scope = env.scope(&a.key).map_err(refused)?.map(|s| ScopeContext {
        include: s.include.value,
        exclude: s.exclude.value,
    });
    let object_classes = env
        .object_classes(&a.key)
        .map_err(refused)?
        .map(|p| p.value)
        .unwrap_or_default();
    Ok(AgentContext {
        key: a.key.clone(),
        name: a.name.clone(),
        connector: a.connector.label(),
        category: a.connector.category(),
        partition: a.partition.clone(),
        partition_id: a
            .partition_id
            .as_deref()
            .and_then(crate::mim::guid::parse)
            .unwrap_or_else(|| crate::mim::guid::derived(&["partition", &a.name, &a.partition])),
        other_partitions: other_partitions(a),
        scope,
        object_classes,
        id: crate::mim::guid::derived(&["management-agent", &a.name]),
        profiles: profiles.iter().map(|p| run_profile(a, p)).collect(),
    })
}

/// The partitions an Active Directory agent lists besides the domain it
/// runs against, none of them selected: the configuration partition and
/// the DNS application partitions of a forest whose root is the domain
/// ([`crate::mim::dn::forest_partitions`]).
fn other_partitions(a: &Agent) -> Vec<PartitionContext> {
    if a.connector != ConnectorType::ActiveDirectory {
        return Vec::new();
    }
    crate::mim::dn::forest_partitions(&a.partition)
        .into_iter()
        .map(|name| PartitionContext {
            id: crate::mim::guid::derived(&["partition", &a.name, &name]),
            name,
        })
        .collect()
}

fn run_profile(a: &Agent, p: &BookProfile) -> RunProfile {
    let xml = p.step_type.xml();
    RunProfile {
        name: p.name.clone(),
        label: p.step_type.label(),
        step_type: xml.step_type,
        subtype: xml
            .subtype
            .map(|(element, value)| Subtype { element, value }),
        import: p.step_type.imports(),
        id: crate::mim::guid::derived(&["run-profile", &a.name, &p.name]),
    }
}

/// Environment `env`'s cycle of kind `kind`: its own, or the guide's
/// default for its agents with the steps the book has profiles for.
pub(super) fn run_cycle(
    env: &Environment,
    kind: CycleKind,
    agents: &[AgentContext],
    profiles: &[BookProfile],
) -> Vec<RunCycleStep> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    match env.cycles.get(kind) {
        Some(steps) => {
            for step in steps {
                let agent = agents.iter().position(|a| a.key == step.agent);
                let profile = profiles.iter().position(|p| p.name == step.profile);
                // Unknown agents are caught when the file is loaded, and
                // unknown profiles by `env::resolve`, as `check` finds them.
                if let (Some(a), Some(p)) = (agent, profile) {
                    pairs.push((a, p));
                }
            }
        }
        None => {
            let connectors: Vec<ConnectorType> = env.agents.iter().map(|a| a.connector).collect();
            for (agent, step_type) in crate::mim::cycle::default_cycle(kind, &connectors) {
                if let Some(p) = profiles.iter().position(|p| p.step_type == step_type) {
                    pairs.push((agent, p));
                }
            }
        }
    }
    let prefix = match kind {
        CycleKind::Initial => super::ids::RUN_CYCLE,
        CycleKind::Scheduled => super::ids::SCHEDULED_CYCLE,
    };
    pairs
        .into_iter()
        .filter_map(|(a, p)| {
            let agent = agents.get(a)?;
            Some((agent, agent.profiles.get(p)?.clone()))
        })
        .enumerate()
        .map(|(n, (agent, profile))| {
            let markdown = format!(
                "Run **{}** on {} and wait until it has finished; the result must be `success` or `completed-…`.",
                crate::text::escape::markdown(&profile.name),
                crate::text::escape::code_span(&agent.name)
            );
            let text = format!(
                "Run {} on {} and wait until it has finished; the result must be success or completed-….",
                profile.name, agent.name
            );
            RunCycleStep {
                id: super::ids::run_id(prefix, n + 1),
                number: n + 1,
                agent: agent_ref(agent),
                hash: super::ids::step_hash(&text),
                text,
                html: markdown_to_html(&markdown),
                markdown,
                profile,
            }
        })
        .collect()
}
