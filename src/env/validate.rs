//! The merged tree read into an [`Environment`]: its shape checked against
//! [`EnvironmentFile`], every value key usable in a placeholder, agents
//! named once and run cycles naming declared agents, each problem at the
//! line that causes it.

use super::file::EnvironmentFile;
use super::{Agent, EnvError, Environment, RunStepOverride, TOP_LEVEL_KEYS};
use crate::placeholder::is_dotted_identifier;
use crate::text::paths;
use crate::yaml::{self, Kind, Node, Origin, Source};
use std::path::Path;

pub(super) fn build(
    root: &Path,
    name: &str,
    layers: Vec<String>,
    tree: Node,
) -> Result<Environment, EnvError> {
    let file_error = |origin: &Origin, message: String| EnvError {
        file: match &origin.source {
            Source::File(f) => paths::shown(&root.join(f.as_ref())),
            Source::CommandLine(arg) => format!("--set {arg}"),
        },
        line: origin.line,
        column: origin.column,
        message,
    };
    let spec: EnvironmentFile = yaml::from_node(&tree).map_err(|e| {
        let origin = e.origin.clone().unwrap_or_else(|| tree.origin.clone());
        file_error(&origin, e.message)
    })?;

    // Every key under `values` must be usable in a placeholder.
    if let Some(values) = tree.get("values") {
        check_value_keys(values, "values", &file_error)?;
    }

    let mut agents = Vec::new();
    for (key, agent) in spec.agents {
        // The spec was deserialised from this tree, so its key is there.
        let Some(node) = tree.at(&["agents", &key]) else {
            continue;
        };
        let key_origin = match &tree.get("agents").map(|a| &a.kind) {
            Some(Kind::Map(entries)) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, _)| k.origin.clone())
                .unwrap_or_else(|| node.origin.clone()),
            _ => node.origin.clone(),
        };
        if !is_dotted_identifier(&key) || key.contains('.') {
            return Err(file_error(
                &key_origin,
                format!("`{key}` cannot be an agent key: use letters, digits and `_` (e.g. `ad`)"),
            ));
        }
        if let Some(id) = &agent.partition_id
            && crate::mim::guid::parse(id).is_none()
        {
            let at = node.get("partition_id").map_or(&node.origin, |n| &n.origin);
            return Err(file_error(
                at,
                format!(
                    "`{id}` is not a GUID; write it as MIM shows it, e.g. {{08F64D3F-B82C-44E2-AC6F-9F680DECFEBE}}"
                ),
            ));
        }
        agents.push(Agent {
            key,
            // A name or partition left out is reported with the values
            // an environment leaves out (see `Environment::unset_agent_fields`).
            name: agent.name.unwrap_or_default(),
            connector: agent.connector,
            partition: agent.partition.unwrap_or_default(),
            partition_id: agent.partition_id,
            origin: key_origin,
        });
    }
    for (i, a) in agents.iter().enumerate() {
        if let Some(b) = agents
            .iter()
            .take(i)
            .find(|b| !a.name.is_empty() && b.name.eq_ignore_ascii_case(&a.name))
        {
            return Err(file_error(
                &a.origin,
                format!(
                    "agents `{}` and `{}` are both named `{}`; every management agent needs its own name",
                    b.key, a.key, a.name
                ),
            ));
        }
    }

    let overrides = |steps: Option<Vec<super::RunStepSpec>>, at: &[&str]| {
        steps.map(|steps| {
            let items = match tree.at(at).map(|n| &n.kind) {
                Some(Kind::Seq(items)) => items.clone(),
                _ => Vec::new(),
            };
            steps
                .into_iter()
                .enumerate()
                .map(|(i, s)| RunStepOverride {
                    agent: s.agent,
                    profile: s.profile,
                    origin: items
                        .get(i)
                        .map_or_else(|| tree.origin.clone(), |n| n.origin.clone()),
                })
                .collect::<Vec<_>>()
        })
    };
    let old_name = overrides(spec.run_cycle, &["run_cycle"]);
    let initial = overrides(spec.cycles.initial, &["cycles", "initial"]);
    if initial.is_some() && old_name.is_some() {
        let at = tree.get("run_cycle").map_or(&tree.origin, |n| &n.origin);
        return Err(file_error(
            at,
            "`run_cycle` and `cycles.initial` both give the initial cycle; keep `cycles.initial`"
                .into(),
        ));
    }
    let cycles = super::Cycles {
        initial: initial.or(old_name),
        scheduled: overrides(spec.cycles.scheduled, &["cycles", "scheduled"]),
    };
    for steps in [&cycles.initial, &cycles.scheduled].into_iter().flatten() {
        for step in steps {
            if !agents.iter().any(|a| a.key == step.agent) {
                let keys: Vec<&str> = agents.iter().map(|a| a.key.as_str()).collect();
                return Err(file_error(
                    &step.origin,
                    format!(
                        "the run cycle names agent `{}`, which this environment does not declare; the agents are: {}",
                        step.agent,
                        keys.join(", ")
                    ),
                ));
            }
        }
    }

    Ok(Environment {
        name: name.to_string(),
        file: layers.last().cloned().unwrap_or_default(),
        layers,
        description: spec.description,
        path: spec.path,
        agents,
        cycles,
        tree,
        declarations: None,
        findings: Vec::new(),
        emptied: Vec::new(),
    })
}

fn check_value_keys(
    node: &Node,
    at: &str,
    error: &dyn Fn(&Origin, String) -> EnvError,
) -> Result<(), EnvError> {
    if let Kind::Map(entries) = &node.kind {
        for (key, value) in entries {
            let path = format!("{at}.{}", key.name);
            if key.name.contains('.') || !is_dotted_identifier(&key.name) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`{}` cannot be used in a placeholder: name values with letters, digits and `_`, and nest maps for dots",
                        key.name
                    ),
                ));
            }
            if at == "values" && TOP_LEVEL_KEYS.contains(&key.name.as_str()) {
                return Err(error(
                    &key.origin,
                    format!(
                        "`values.{}` cannot be reached: `{{{{ {}.… }}}}` reads the top-level `{}` key; rename the value",
                        key.name, key.name, key.name
                    ),
                ));
            }
            check_value_keys(value, &path, error)?;
        }
    }
    Ok(())
}
