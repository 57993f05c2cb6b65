//! What a rule of `runsheet verify` sees: a server's exported
//! configuration ([`crate::mim::export`]) and what an environment's
//! runbook requires of it ([`Expected`]: its agents with their
//! partitions, OU scopes and run profiles, the metaverse's settings,
//! each with the place that requires it and the runbook step that
//! creates it). Building `Expected` from a rendered runbook is the
//! `verify` module's work; the rules only compare.

use super::{Diagnostic, RuleId};
use crate::mim::export::{self, Export};
use crate::mim::metaverse::{DeletionRule, Provisioning};
use crate::mim::{ConnectorType, StepType};
use crate::text::Position;

/// A place in a file, the file as the user reaches it from the working
/// directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePlace {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A value the runbook requires, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required<T> {
    pub value: T,
    pub at: SourcePlace,
}

/// A step of the runbook: its id, and its place in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRef {
    pub id: String,
    pub at: SourcePlace,
}

impl StepRef {
    /// `step `ID` (FILE:LINE)`.
    pub fn describe(&self) -> String {
        format!("step `{}` ({}:{})", self.id, self.at.file, self.at.line)
    }
}

/// What an environment's runbook requires of the server.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub environment: String,
    pub agents: Vec<ExpectedAgent>,
    pub provisioning: Option<Required<Provisioning>>,
    /// By metaverse object type.
    pub deletion_rules: Vec<(String, Required<DeletionRule>)>,
}

/// A management agent the runbook creates.
#[derive(Debug, Clone)]
pub struct ExpectedAgent {
    /// Its key in the environment (`ad`).
    pub key: String,
    pub name: String,
    pub connector: ConnectorType,
    /// The partition its run profiles run against.
    pub partition: String,
    /// Where the environment declares it.
    pub at: SourcePlace,
    /// The runbook step that creates it, where one names it.
    pub created_by: Option<StepRef>,
    /// The runbook step that selects its partition and containers.
    pub partition_step: Option<StepRef>,
    /// The OU scope of its partition, where the environment gives one.
    pub scope: Option<ExpectedScope>,
    pub profiles: Vec<ExpectedProfile>,
}

/// The containers a partition includes and excludes.
#[derive(Debug, Clone)]
pub struct ExpectedScope {
    pub include: Required<Vec<String>>,
    pub exclude: Required<Vec<String>>,
}

/// A run profile the runbook creates on an agent.
#[derive(Debug, Clone)]
pub struct ExpectedProfile {
    pub name: String,
    /// Its steps, each against the agent's partition.
    pub steps: Vec<StepType>,
    pub created_by: Option<StepRef>,
}

/// What a verify rule sees.
pub struct ExportContext<'a> {
    pub export: &'a Export,
    pub expected: &'a Expected,
}

impl<'a> ExportContext<'a> {
    /// The exported agent the runbook's `agent` is, by name, ignoring case
    /// as MIM does.
    pub fn exported(&self, agent: &ExpectedAgent) -> Option<&'a export::ExportedAgent> {
        self.export
            .agents
            .iter()
            .find(|a| same_name(a.name(), &agent.name))
    }

    /// The runbook's agent an exported agent is.
    pub fn expected(&self, agent: &export::ExportedAgent) -> Option<&'a ExpectedAgent> {
        self.expected
            .agents
            .iter()
            .find(|a| same_name(&a.name, agent.name()))
    }

    /// Every runbook agent with its exported agent, where the export has it.
    pub fn pairs(
        &self,
    ) -> impl Iterator<Item = (&'a ExpectedAgent, &'a export::ExportedAgent)> + '_ {
        self.expected
            .agents
            .iter()
            .filter_map(|e| self.exported(e).map(|a| (e, a)))
    }

    /// A finding at a place in an export file.
    pub fn in_export(
        &self,
        rule: RuleId,
        file: &str,
        at: Position,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::at_line(rule, file, at.line.max(1), message);
        d.column = at.column.max(1);
        d.end_column = d.column;
        d
    }

    /// A finding at a place of the runbook's sources.
    pub fn at_place(
        &self,
        rule: RuleId,
        place: &SourcePlace,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::at_line(rule, &place.file, place.line.max(1), message);
        d.column = place.column.max(1);
        d.end_column = d.column;
        d
    }
}

impl ExpectedAgent {
    /// "created by step `ID` (FILE:LINE)", or where the environment
    /// declares it, for a finding's help.
    pub fn origin(&self) -> String {
        match &self.created_by {
            Some(step) => format!("the runbook creates it at {}", step.describe()),
            None => format!(
                "the environment declares it at {}:{}",
                self.at.file, self.at.line
            ),
        }
    }
}

/// Whether two names are the same to MIM: agents and run profiles are
/// named without regard to case.
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A step type as a finding names it: its label, and how the export
/// writes it.
pub fn describe_step(step_type: StepType) -> String {
    let xml = step_type.xml();
    match xml.subtype {
        Some((_, v)) => format!("{} ({}, {v})", step_type.label(), xml.step_type),
        None => format!("{} ({})", step_type.label(), xml.step_type),
    }
}
