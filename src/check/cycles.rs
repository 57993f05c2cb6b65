//! The run cycles an environment gives (`cycles:`, `run_cycle:`), read
//! for the rules about their order: each step's agent and the step type
//! of its run profile, from the run-profile tables of the chapters the
//! environment follows. The guide's default cycles are right by their
//! making ([`crate::mim::cycle`]); only the cycles an environment writes
//! are read here.

use super::digest::ChapterDigest;
use crate::env::Environment;
use crate::mim::cycle::CycleKind;
use crate::mim::{ConnectorType, StepType};
use crate::yaml::Origin;

/// A step of a cycle an environment gives, with its profile's step type.
#[derive(Debug, Clone)]
pub struct CycleStep<'e> {
    /// Its agent's place in the environment's agents.
    pub agent: usize,
    pub profile: &'e str,
    pub step_type: StepType,
    pub origin: &'e Origin,
}

/// Each cycle `env` gives, its steps with their step types. A step whose
/// agent or profile is unknown, or whose profile's type is not a step
/// type, is left out: the render reports it.
pub fn given<'e>(
    env: &'e Environment,
    chapters: &[ChapterDigest],
) -> Vec<(CycleKind, Vec<CycleStep<'e>>)> {
    let type_of = |profile: &str| {
        chapters
            .iter()
            .filter(|c| env.follows_path(&c.path, c.listed, c.part.as_deref()))
            .flat_map(|c| &c.profiles)
            .find(|(name, _)| name == profile)
            .and_then(|(_, written)| StepType::parse(written))
    };
    CycleKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let steps = env.cycles.get(kind)?;
            let steps = steps
                .iter()
                .filter_map(|s| {
                    Some(CycleStep {
                        agent: env.agents.iter().position(|a| a.key == s.agent)?,
                        profile: &s.profile,
                        step_type: type_of(&s.profile)?,
                        origin: &s.origin,
                    })
                })
                .collect();
            Some((kind, steps))
        })
        .collect()
}

/// The connector types of `env`'s agents, in order.
pub fn connectors(env: &Environment) -> Vec<ConnectorType> {
    env.agents.iter().map(|a| a.connector).collect()
}
