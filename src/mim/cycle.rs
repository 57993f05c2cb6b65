//! Run cycles: the order in which run profiles run, and what makes an
//! order wrong.
//!
//! An environment has two cycles ([`CycleKind`]):
//!
//! - the **initial** cycle, a full import and a full synchronization on
//!   every agent: what the guide runs by hand the first time, and what a
//!   full cycle on a rarer schedule runs again;
//! - the **scheduled** cycle, the same agents with delta steps: what runs
//!   every hour.
//!
//! Both end with an export on every agent that accounts are provisioned
//! into, confirmed by a delta import and a delta synchronization (an
//! export is only confirmed once MIM has read its changes back).
//!
//! The order of the agents follows what each one does
//! ([`AgentRole`]): the MIM Service agent first (it brings the
//! synchronization rules into the metaverse), then the agents accounts
//! are provisioned into (Active Directory), then the agents the people
//! come from (Graph and other extensible agents). A synchronization of a
//! source agent provisions into, and joins against, the connector space
//! of every target agent; run before that connector space was imported,
//! it creates accounts that already exist and projects duplicates. This
//! is the order Microsoft's guidance for B2B guests gives (MIM Service,
//! AD, Graph).

use super::{ConnectorType, StepType};
use serde::Serialize;

/// Which of an environment's cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CycleKind {
    Initial,
    Scheduled,
}

impl CycleKind {
    pub const ALL: [CycleKind; 2] = [CycleKind::Initial, CycleKind::Scheduled];

    /// The key an environment file and the manifest write (`initial`).
    pub fn key(self) -> &'static str {
        match self {
            CycleKind::Initial => "initial",
            CycleKind::Scheduled => "scheduled",
        }
    }

    /// The value of the script's `-Cycle` parameter (`Initial`).
    pub fn parameter(self) -> &'static str {
        match self {
            CycleKind::Initial => "Initial",
            CycleKind::Scheduled => "Scheduled",
        }
    }

    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            CycleKind::Initial => "the initial (full) cycle",
            CycleKind::Scheduled => "the scheduled (delta) cycle",
        }
    }
}

/// What an agent does in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentRole {
    /// The MIM Service agent: its synchronization brings the
    /// synchronization rules into the metaverse.
    Configuration,
    /// Accounts are provisioned into it (Active Directory); it is exported
    /// to.
    Target,
    /// The people come from it (Graph, other extensible agents); its
    /// synchronization provisions into the targets.
    Source,
}

impl AgentRole {
    pub fn of(connector: ConnectorType) -> AgentRole {
        match connector {
            ConnectorType::MimService => AgentRole::Configuration,
            ConnectorType::ActiveDirectory => AgentRole::Target,
            ConnectorType::Graph | ConnectorType::Extensible2 => AgentRole::Source,
        }
    }

    /// Where agents of this role come in a cycle.
    fn rank(self) -> u8 {
        match self {
            AgentRole::Configuration => 0,
            AgentRole::Target => 1,
            AgentRole::Source => 2,
        }
    }
}

/// The default cycle of kind `kind` for agents of these types (in the
/// order declared): each step as the agent's index and the step type to
/// run. A step whose type the book has no run profile for is for the
/// caller to leave out.
pub fn default_cycle(kind: CycleKind, agents: &[ConnectorType]) -> Vec<(usize, StepType)> {
    let mut order: Vec<(usize, AgentRole)> = agents
        .iter()
        .map(|c| AgentRole::of(*c))
        .enumerate()
        .collect();
    // A stable sort keeps agents of one role in the order declared.
    order.sort_by_key(|(_, role)| role.rank());
    let (import, sync) = match kind {
        CycleKind::Initial => (StepType::FullImportStageOnly, StepType::FullSynchronization),
        CycleKind::Scheduled => (
            StepType::DeltaImportStageOnly,
            StepType::DeltaSynchronization,
        ),
    };
    let mut steps = Vec::new();
    for (i, _) in &order {
        steps.push((*i, import));
        steps.push((*i, sync));
    }
    for (i, role) in &order {
        if *role == AgentRole::Target {
            for t in [
                StepType::Export,
                StepType::DeltaImportStageOnly,
                StepType::DeltaSynchronization,
            ] {
                steps.push((*i, t));
            }
        }
    }
    steps
}

/// A synchronization that runs before an agent it provisions into was
/// imported in the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlySync {
    /// The step's index in the cycle.
    pub step: usize,
    /// The agent synchronized (its index).
    pub agent: usize,
    /// The target agent not yet imported (its index).
    pub target: usize,
}

/// Every target agent a source agent's synchronization reaches before the
/// target was imported in the cycle: the first such step per target.
pub fn early_syncs(agents: &[ConnectorType], steps: &[(usize, StepType)]) -> Vec<EarlySync> {
    let role = |i: usize| agents.get(i).map(|c| AgentRole::of(*c));
    let mut imported = vec![false; agents.len()];
    let mut reported = vec![false; agents.len()];
    let mut found = Vec::new();
    for (n, (agent, step_type)) in steps.iter().enumerate() {
        // A combined step imports before it synchronizes.
        if step_type.imports()
            && let Some(seen) = imported.get_mut(*agent)
        {
            *seen = true;
        }
        if !step_type.synchronizes() || role(*agent) != Some(AgentRole::Source) {
            continue;
        }
        for target in 0..agents.len() {
            let waiting = role(target) == Some(AgentRole::Target)
                && !imported.get(target).copied().unwrap_or(true)
                && !reported.get(target).copied().unwrap_or(true);
            if waiting {
                if let Some(r) = reported.get_mut(target) {
                    *r = true;
                }
                found.push(EarlySync {
                    step: n,
                    agent: *agent,
                    target,
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectorType::*;
    use StepType::*;

    #[test]
    fn the_initial_cycle_imports_ad_before_the_graph_agent_synchronizes() {
        let steps = default_cycle(CycleKind::Initial, &[ActiveDirectory, MimService, Graph]);
        assert_eq!(
            steps,
            [
                (1, FullImportStageOnly),
                (1, FullSynchronization),
                (0, FullImportStageOnly),
                (0, FullSynchronization),
                (2, FullImportStageOnly),
                (2, FullSynchronization),
                (0, Export),
                (0, DeltaImportStageOnly),
                (0, DeltaSynchronization),
            ]
        );
        assert_eq!(
            early_syncs(&[ActiveDirectory, MimService, Graph], &steps),
            []
        );
    }

    #[test]
    fn the_scheduled_cycle_has_no_full_step() {
        let steps = default_cycle(CycleKind::Scheduled, &[MimService, ActiveDirectory, Graph]);
        assert!(steps.iter().all(|(_, t)| !t.is_full()), "{steps:?}");
        assert_eq!(
            steps.first(),
            Some(&(0, DeltaImportStageOnly)),
            "the MIM Service agent first"
        );
        assert_eq!(
            steps.get(6..),
            Some(
                &[
                    (1, Export),
                    (1, DeltaImportStageOnly),
                    (1, DeltaSynchronization)
                ][..]
            )
        );
    }

    #[test]
    fn a_graph_sync_before_ad_was_imported_is_early() {
        let agents = [MimService, Graph, ActiveDirectory];
        let steps = [
            (0, FullImportStageOnly),
            (0, FullSynchronization),
            (1, FullImportStageOnly),
            (1, FullSynchronization),
            (2, FullImportStageOnly),
            (2, FullSynchronization),
            (1, DeltaSynchronization),
        ];
        assert_eq!(
            early_syncs(&agents, &steps),
            [EarlySync {
                step: 3,
                agent: 1,
                target: 2
            }]
        );
        // The MIM Service agent's synchronization is not one that
        // provisions, and a combined step imports first.
        let steps = [
            (0, FullSynchronization),
            (2, FullImportFullSynchronization),
            (1, FullSynchronization),
        ];
        assert_eq!(early_syncs(&agents, &steps), []);
    }
}
