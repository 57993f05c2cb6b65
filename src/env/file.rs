//! What an environment file may hold, as Rust types: the JSON Schema of
//! `runsheet schema environment` is generated from them, and a merged
//! environment is read into them.

use crate::mim::ConnectorType;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An environment file as written (the JSON Schema is generated from it).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "runsheet environment",
    description = "One environment the guide is carried out in: environments/NAME.yaml beside book.toml. Files are layered with `extends`: maps merge key by key, scalars and lists replace, null removes a key, and `runsheet render --set KEY=VALUE` wins last. Files named `_*.yaml` are layers only."
)]
pub struct EnvironmentFile {
    /// The files this one is layered on, applied in order before this one:
    /// a name in the environments folder (`base`, `_fabrikam`) or a path
    /// relative to this file ending in `.yaml`.
    #[serde(default)]
    pub extends: Option<Extends>,
    /// One line saying what this environment is; shown in the runbook.
    #[serde(default)]
    pub description: Option<String>,
    /// The path through the book this environment follows.
    #[serde(default)]
    pub path: BookPath,
    /// The management agents, by a short key used in placeholders
    /// (`{{ agents.ad.name }}`), run cycles and step ids. The runbook lists
    /// them in the order written.
    #[serde(default)]
    pub agents: IndexMap<String, AgentSpec>,
    /// The initial cycle, in order: the same as `cycles.initial`, the name
    /// books used before there were two cycles.
    #[serde(default)]
    pub run_cycle: Option<Vec<RunStepSpec>>,
    /// The run cycles, each in order: `initial` (the first run, and the
    /// full cycle on its own schedule) and `scheduled` (the delta cycle
    /// the scheduled task runs). A cycle left out follows the guide: an
    /// import and a synchronization on each agent (MIM Service, then
    /// Active Directory, then Graph and other extensible agents; full
    /// steps in the initial cycle, delta steps in the scheduled one), then
    /// an export on each Active Directory agent, confirmed by a delta
    /// import and a delta synchronization.
    #[serde(default)]
    pub cycles: CyclesSpec,
    /// The values of the placeholders the chapters use: `{{ ad.domain }}`
    /// reads `values.ad.domain`. Keys are letters, digits and `_`.
    #[serde(default)]
    #[schemars(schema_with = "values_schema")]
    pub values: serde_json::Map<String, serde_json::Value>,
}

fn values_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
        "additionalProperties": {
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "items": { "type": ["string", "number", "boolean"] } },
                { "type": "null", "description": "Removes the value a file this one extends sets." },
                { "$ref": "#/properties/values" }
            ]
        }
    })
}

/// The JSON Schema of an environment file. An agent's `name`, `type` and
/// `partition` are required once the layers are merged, not in every file
/// (a base may give the type, the environment the name), so the schema
/// does not require them of a single file.
#[allow(
    clippy::expect_used,
    reason = "a schema derived from our own types always serialises"
)]
pub fn json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(EnvironmentFile)).expect("a schema serialises");
    if let Some(agent) = schema
        .pointer_mut("/$defs/AgentSpec")
        .and_then(|a| a.as_object_mut())
    {
        agent.remove("required");
        agent.insert(
            "description".into(),
            "A management agent. `name`, `type` and `partition` must be set once the files are layered, in this file or in one it extends.".into(),
        );
    }
    // `agents: { mim: null }` removes an agent a base declares.
    if let Some(agents) = schema
        .pointer_mut("/properties/agents")
        .and_then(|a| a.as_object_mut())
    {
        agents.insert(
            "additionalProperties".into(),
            serde_json::json!({
                "anyOf": [
                    { "$ref": "#/$defs/AgentSpec" },
                    { "type": "null", "description": "Removes an agent a file this one extends declares." }
                ]
            }),
        );
    }
    schema
}

/// `extends: base` or `extends: [base, _option1]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Extends {
    One(String),
    Many(Vec<String>),
}

/// Which chapters of the book an environment's runbook holds: every
/// chapter listed in SUMMARY.md, less the parts and chapters skipped here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookPath {
    /// SUMMARY.md part titles (`# Option 2: extension DLL`) whose chapters
    /// this environment does not follow.
    #[serde(default)]
    pub skip_parts: Vec<String>,
    /// Chapter files (relative to the book's source folder) this
    /// environment does not follow.
    #[serde(default)]
    pub skip_chapters: Vec<String>,
}

/// A management agent as the environment declares it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// The management agent's name in the Synchronization Service, exactly
    /// as created (run profiles are started by it).
    #[serde(default)]
    pub name: Option<String>,
    /// The connector type, as the Create Management Agent wizard lists it.
    #[serde(rename = "type")]
    pub connector: ConnectorType,
    /// The partition the run profiles run against: the domain naming
    /// context for Active Directory (`DC=contoso,DC=local`), `default` for
    /// the others. A book may derive it (`agents.ad.partition` in
    /// `variables.yaml`, from the domain).
    #[serde(default)]
    pub partition: Option<String>,
    /// The partition's GUID as MIM shows it (`{8F3B…}`), to make the
    /// manifests match a live server; derived from the agent's and the
    /// partition's names when left out.
    #[serde(default)]
    pub partition_id: Option<String>,
}

/// The run cycles an environment gives, each replacing the guide's.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CyclesSpec {
    /// The first run, every agent imported in full before a
    /// synchronization that provisions to it; also the full cycle run on
    /// its own, rarer schedule.
    #[serde(default)]
    pub initial: Option<Vec<RunStepSpec>>,
    /// The cycle the scheduled task runs, with delta steps.
    #[serde(default)]
    pub scheduled: Option<Vec<RunStepSpec>>,
}

/// One step of a run cycle override.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunStepSpec {
    /// The agent's key under `agents` (`ad`, not `ADMA`).
    pub agent: String,
    /// The run profile's name, as the book's run-profile table has it.
    pub profile: String,
}
