//! `runsheet verify --write-env NAME EXPORT`: the environment values an
//! export tells (each agent's name, type, partition and its GUID, the OU
//! scope of an Active Directory agent's partition, the metaverse's
//! provisioning and deletion rules), as a new environment file, or, for
//! an environment that exists, as a diff of what it sets against what the
//! export tells: how a team brings a running server under the runbook.

use crate::env::{DIR, Declarations, Environment};
use crate::mim::ConnectorType;
use crate::mim::export::{Export, ExportedAgent};
use crate::mim::metaverse::{DeletionRule, Provisioning};
use crate::text::{Located, paths};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `--write-env` proposes.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// `ROOT/environments/NAME.yaml`.
    pub path: PathBuf,
    /// The environment as it is, when it exists: the parts an export can
    /// tell, written as [`Proposal::proposed`] writes them.
    pub current: Option<String>,
    /// The parts the export tells, as YAML.
    pub proposed: String,
    /// The text of a new environment file (the proposal with a heading).
    pub file: String,
    /// The export's agents an environment cannot describe (a SQL or LDAP
    /// agent), as `NAME (CATEGORY)`.
    pub left_out: Vec<String>,
}

impl Proposal {
    /// The unified diff of the environment as it is against the proposal,
    /// or `None` when they are the same (or the environment is new).
    pub fn diff(&self) -> Option<String> {
        let current = self.current.as_ref()?;
        if *current == self.proposed {
            return None;
        }
        let shown = paths::shown(&self.path);
        Some(
            similar::TextDiff::from_lines(current.as_str(), self.proposed.as_str())
                .unified_diff()
                .header(
                    &format!("{shown} (as it is)"),
                    &format!("{shown} (as the export tells)"),
                )
                .to_string(),
        )
    }
}

/// One agent as an environment describes it.
struct AgentEntry {
    key: String,
    name: String,
    connector: ConnectorType,
    partition: String,
    partition_id: Option<String>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
}

/// What the export at `export_shown` tells of environment `name` of the
/// book at `root`.
pub fn propose(root: &Path, name: &str, export: &Export) -> Result<Proposal, Located> {
    // Held inside the book: environments/ or the file linking out of it
    // is refused, not read nor written.
    let path = crate::text::inside::Root::new(root)
        .resolve(std::path::Path::new(DIR).join(format!("{name}.yaml")))?;
    let exists = path.is_file() || root.join(DIR).join(format!("{name}.yml")).is_file();
    let env = if exists {
        Some(crate::env::load(root, name, &[])?)
    } else {
        None
    };
    let declarations = Declarations::load(root)?;
    let declared = |key: &str| declarations.as_ref().is_none_or(|d| d.get(key).is_some());
    let mut left_out = Vec::new();
    let mut entries: Vec<AgentEntry> = Vec::new();
    for agent in &export.agents {
        let Some(connector) = connector(agent) else {
            left_out.push(format!("{} ({})", agent.name(), agent.category()));
            continue;
        };
        let key = env
            .as_ref()
            .and_then(|e| {
                e.agents
                    .iter()
                    .find(|a| crate::check::export::same_name(&a.name, agent.name()))
            })
            .map(|a| a.key.clone())
            .unwrap_or_else(|| fresh_key(connector, &entries));
        let partition = agent
            .partitions
            .iter()
            .find(|p| p.is_selected())
            .or(agent.partitions.first());
        let scoped = connector == ConnectorType::ActiveDirectory;
        let list = |l: &Option<(crate::text::Position, Vec<crate::mim::export::Value>)>| {
            l.as_ref()
                .map(|(_, v)| v.iter().map(|v| v.text.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        entries.push(AgentEntry {
            include: partition
                .filter(|_| scoped && declared(&format!("{key}.scope.include")))
                .map(|p| list(&p.inclusions)),
            exclude: partition
                .filter(|_| scoped && declared(&format!("{key}.scope.exclude")))
                .map(|p| list(&p.exclusions))
                .filter(|l| !l.is_empty()),
            key,
            name: agent.name().to_string(),
            connector,
            partition: partition.map_or("default", |p| p.name()).to_string(),
            partition_id: partition.and_then(|p| p.id.clone()),
        });
    }
    // In the environment's order, then the export's.
    if let Some(env) = &env {
        let rank = |key: &str| {
            env.agents
                .iter()
                .position(|a| a.key == key)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by_key(|e| rank(&e.key));
    }
    // One agent's file says nothing of the others: keep them as they are.
    if let Some(env) = env.as_ref().filter(|_| !export.whole) {
        for a in &env.agents {
            if !entries.iter().any(|e| e.key == a.key) {
                entries.push(current_entry(env, a));
            }
        }
    }
    let provisioning = export
        .metaverse
        .as_ref()
        .filter(|_| declared("metaverse.provisioning"))
        .and_then(|mv| match &mv.provisioning {
            Some(p) => Provisioning::from_xml(&p.text),
            None => Some(Provisioning::None),
        });
    let deletion: Vec<(String, DeletionRule)> = export
        .metaverse
        .iter()
        .flat_map(|mv| &mv.deletion_rules)
        .filter(|r| declared(&format!("metaverse.deletion.{}", r.object_type)))
        .filter_map(|r| Some((r.object_type.clone(), DeletionRule::from_xml(&r.kind)?)))
        .collect();
    let proposed = write(&entries, provisioning, &deletion);
    let current = env.as_ref().map(|env| {
        let entries: Vec<AgentEntry> = env.agents.iter().map(|a| current_entry(env, a)).collect();
        let provisioning = env.provisioning().ok().flatten().map(|p| p.value);
        let deletion: Vec<(String, DeletionRule)> = env
            .deletion_rules()
            .unwrap_or_default()
            .into_iter()
            .map(|(t, r)| (t, r.value))
            .collect();
        write(&entries, provisioning, &deletion)
    });
    let mut file = format!(
        "# The `{name}` environment, as `runsheet verify --write-env` read it from the\n\
         # export {}: agents, partitions, OU scopes and the metaverse's settings.\n\
         # Add the values the book needs besides (`runsheet check` lists what is\n\
         # missing), then run `runsheet verify --env {name} {}`.\n\
         # Format: `runsheet schema environment`.\n",
        export.path, export.path
    );
    for l in &left_out {
        let _ = writeln!(
            file,
            "# Not described (an environment describes MIM Service, Active Directory and extensible agents): {l}"
        );
    }
    file.push_str(&proposed);
    Ok(Proposal {
        path,
        current,
        proposed,
        file,
        left_out,
    })
}

/// The environment type of an exported agent, when an environment can
/// describe it.
fn connector(agent: &ExportedAgent) -> Option<ConnectorType> {
    match agent.category() {
        c if c.eq_ignore_ascii_case("AD") => Some(ConnectorType::ActiveDirectory),
        c if c.eq_ignore_ascii_case("FIM") => Some(ConnectorType::MimService),
        c if c.eq_ignore_ascii_case("Extensible2") => {
            let graph = [&agent.listname, &agent.subtype]
                .into_iter()
                .flatten()
                .any(|v| v.text.to_lowercase().contains("graph"));
            Some(if graph {
                ConnectorType::Graph
            } else {
                ConnectorType::Extensible2
            })
        }
        _ => None,
    }
}

/// A key for a new agent of `connector`: the guide's (`mim`, `ad`, `aad`),
/// numbered when taken.
fn fresh_key(connector: ConnectorType, taken: &[AgentEntry]) -> String {
    let base = match connector {
        ConnectorType::MimService => "mim",
        ConnectorType::ActiveDirectory => "ad",
        ConnectorType::Graph => "aad",
        ConnectorType::Extensible2 => "ecma",
    };
    let free = |k: &str| !taken.iter().any(|e| e.key == k);
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|k| free(k))
        .unwrap_or_else(|| base.to_string())
}

fn current_entry(env: &Environment, a: &crate::env::Agent) -> AgentEntry {
    let scope = env.scope(&a.key).ok().flatten();
    AgentEntry {
        key: a.key.clone(),
        name: a.name.clone(),
        connector: a.connector,
        partition: a.partition.clone(),
        partition_id: a.partition_id.as_deref().and_then(crate::mim::guid::parse),
        include: scope.as_ref().map(|s| s.include.value.clone()),
        exclude: scope.map(|s| s.exclude.value).filter(|l| !l.is_empty()),
    }
}

/// The proposal as YAML: `agents:`, then `values:` with the scopes and
/// the metaverse.
fn write(
    entries: &[AgentEntry],
    provisioning: Option<Provisioning>,
    deletion: &[(String, DeletionRule)],
) -> String {
    let mut out = String::new();
    if !entries.is_empty() {
        out.push_str("agents:\n");
    }
    for e in entries {
        let _ = writeln!(out, "  {}:", e.key);
        let _ = writeln!(out, "    name: {}", scalar(&e.name));
        let _ = writeln!(out, "    type: {}", scalar(e.connector.label()));
        let _ = writeln!(out, "    partition: {}", scalar(&e.partition));
        if let Some(id) = &e.partition_id {
            let _ = writeln!(out, "    partition_id: {}", scalar(id));
        }
    }
    let scoped: Vec<&AgentEntry> = entries
        .iter()
        .filter(|e| e.include.is_some() || e.exclude.is_some())
        .collect();
    if scoped.is_empty() && provisioning.is_none() && deletion.is_empty() {
        return out;
    }
    out.push_str("values:\n");
    for e in scoped {
        let _ = writeln!(out, "  {}:\n    scope:", e.key);
        for (field, list) in [("include", &e.include), ("exclude", &e.exclude)] {
            let Some(list) = list else { continue };
            if list.is_empty() {
                let _ = writeln!(out, "      {field}: []");
                continue;
            }
            let _ = writeln!(out, "      {field}:");
            for item in list {
                let _ = writeln!(out, "        - {}", scalar(item));
            }
        }
    }
    if provisioning.is_some() || !deletion.is_empty() {
        out.push_str("  metaverse:\n");
    }
    if let Some(p) = provisioning {
        let _ = writeln!(out, "    provisioning: {}", p.word());
    }
    if !deletion.is_empty() {
        out.push_str("    deletion:\n");
        for (t, d) in deletion {
            let _ = writeln!(out, "      {}: {}", scalar(t), d.word());
        }
    }
    out
}

/// A YAML scalar: as it is when YAML reads it back as the same text,
/// else double-quoted (a JSON string is a YAML one).
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && crate::yaml::Scalar::plain(text)
            .is_some_and(|s| s.value == crate::yaml::ScalarValue::Str)
        && !text.chars().any(char::is_control);
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_where_yaml_would_read_them_otherwise() {
        assert_eq!(scalar("DC=contoso,DC=com"), "DC=contoso,DC=com");
        assert_eq!(
            scalar("Contoso Active Directory"),
            "Contoso Active Directory"
        );
        assert_eq!(
            scalar("{0C3357F1-FAD7-4E1E-88E2-A9CFCFE67491}"),
            "\"{0C3357F1-FAD7-4E1E-88E2-A9CFCFE67491}\""
        );
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar(""), "\"\"");
    }
}
