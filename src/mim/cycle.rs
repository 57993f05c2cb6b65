//! The run cycle the guide follows when an environment names none: a full
//! import and a full synchronization on each agent (the MIM Service first,
//! then Graph and other extensible agents, then Active Directory), then an
//! export on each Active Directory agent, confirmed by a delta import and a
//! delta synchronization.

use super::{ConnectorType, StepType};

/// Where an agent of this type comes in the cycle.
fn rank(connector: ConnectorType) -> u8 {
    match connector {
        ConnectorType::MimService => 0,
        ConnectorType::Graph | ConnectorType::Extensible2 => 1,
        ConnectorType::ActiveDirectory => 2,
    }
}

/// The default cycle for agents of these types (in the order declared): each
/// step as the agent's index and the step type to run. A step whose type
/// the book has no run profile for is for the caller to leave out.
pub fn default_cycle(agents: &[ConnectorType]) -> Vec<(usize, StepType)> {
    let mut order: Vec<(usize, ConnectorType)> = agents.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, t)| rank(*t));
    let mut steps = Vec::new();
    for (i, _) in &order {
        for t in [StepType::FullImportStageOnly, StepType::FullSynchronization] {
            steps.push((*i, t));
        }
    }
    for (i, connector) in &order {
        if *connector == ConnectorType::ActiveDirectory {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_comes_first_and_only_active_directory_exports() {
        use ConnectorType::*;
        let steps = default_cycle(&[ActiveDirectory, MimService, Graph]);
        assert_eq!(
            steps,
            [
                (1, StepType::FullImportStageOnly),
                (1, StepType::FullSynchronization),
                (2, StepType::FullImportStageOnly),
                (2, StepType::FullSynchronization),
                (0, StepType::FullImportStageOnly),
                (0, StepType::FullSynchronization),
                (0, StepType::Export),
                (0, StepType::DeltaImportStageOnly),
                (0, StepType::DeltaSynchronization),
            ]
        );
    }
}
