//! `runsheet env new NAME [--extends BASE]`: a new environment file that
//! lists every value it must give, each with its description and an
//! example, left empty to be filled in.

use super::layers::read_layered;
use super::variables::Declarations;
use super::{DIR, EnvError, apply::value_at};
use crate::text::paths;
use crate::yaml::{Kind, Node};
use std::path::{Path, PathBuf};

/// A new environment file, not yet written.
#[derive(Debug, Clone)]
pub struct Scaffold {
    /// `ROOT/environments/NAME.yaml`.
    pub path: PathBuf,
    pub text: String,
    /// What it asks for, as placeholders write them (`ad.domain`,
    /// `agents.ad.partition`).
    pub keys: Vec<String>,
}

/// The file `runsheet env new NAME --extends BASE` writes: every required
/// variable that is not a secret, has no default or derivation and that
/// BASE does not set, and every agent field BASE leaves out.
pub fn scaffold(root: &Path, name: &str, extends: Option<&str>) -> Result<Scaffold, EnvError> {
    let dir = root.join(DIR);
    let path = dir.join(format!("{name}.yaml"));
    let shown = paths::shown(&path);
    if name.is_empty()
        || name.starts_with(['_', '.'])
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(EnvError::file(
            shown,
            format!(
                "`{name}` cannot name an environment: use letters, digits, `-` and `_`, not starting with `_` (a layer)"
            ),
        ));
    }
    if path.exists() || dir.join(format!("{name}.yml")).exists() {
        return Err(EnvError::file(
            shown,
            "the environment already exists; edit it, or choose another name".to_string(),
        ));
    }
    let declarations = Declarations::load(root)?;
    let base: Option<Node> = match extends {
        None => None,
        Some(b) => {
            let file = dir.join(format!("{b}.yaml"));
            if !file.is_file() {
                let available: Vec<String> = std::fs::read_dir(&dir)
                    .map(|entries| {
                        let mut v: Vec<String> = entries
                            .filter_map(|e| e.ok())
                            .filter_map(|e| {
                                e.file_name()
                                    .to_str()?
                                    .strip_suffix(".yaml")
                                    .map(str::to_string)
                            })
                            .collect();
                        v.sort();
                        v
                    })
                    .unwrap_or_default();
                return Err(EnvError::file(
                    paths::shown(&file),
                    format!(
                        "there is no `{b}` to extend; the files in {DIR} are: {}",
                        available.join(", ")
                    ),
                ));
            }
            let mut tree = read_layered(root, &file, &mut Vec::new(), &mut Vec::new())?;
            tree.strip_nulls();
            Some(tree)
        }
    };

    let mut keys = Vec::new();
    let mut text = format!(
        "# The `{name}` environment. Fill in every empty value below, then run\n# `runsheet check` and `runsheet render --env {name}`.\n# Format: `runsheet schema environment`.\n"
    );
    if let Some(b) = extends {
        text.push_str(&format!("extends: {b}\n"));
    }
    text.push_str("description:\n");

    // Agent fields a base leaves out.
    let mut agents = String::new();
    if let Some(Kind::Map(entries)) = base.as_ref().and_then(|t| t.get("agents")).map(|a| &a.kind) {
        for (key, agent) in entries {
            let missing: Vec<&str> = ["name", "type", "partition"]
                .into_iter()
                .filter(|f| agent.get(f).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            agents.push_str(&format!("  {}:\n", key.name));
            for field in missing {
                let hint = match field {
                    "name" => "The management agent's name in the Synchronization Service.",
                    "type" => "The connector type, as the Create Management Agent wizard lists it.",
                    _ => {
                        "The partition the run profiles run against: the domain's naming context for Active Directory (e.g. DC=contoso,DC=local), `default` for the others."
                    }
                };
                agents.push_str(&format!("    # {hint}\n    {field}:\n"));
                keys.push(format!("agents.{}.{field}", key.name));
            }
        }
    }
    if !agents.is_empty() {
        text.push_str("agents:\n");
        text.push_str(&agents);
    }

    // Required values a base does not set, nested as the file nests them.
    let mut values = String::new();
    let mut open: Vec<String> = Vec::new();
    if let Some(d) = &declarations {
        for v in d.variables.values() {
            let s = &v.spec;
            if !s.required || s.secret || s.default.is_some() || s.derive.is_some() {
                continue;
            }
            if base.as_ref().is_some_and(|t| value_at(t, &v.key).is_some()) {
                continue;
            }
            let parts: Vec<&str> = v.key.split('.').collect();
            let (parents, leaf) = parts.split_at(parts.len() - 1);
            let common = open
                .iter()
                .zip(parents)
                .take_while(|(a, b)| a == *b)
                .count();
            open.truncate(common);
            for p in parents.iter().skip(common) {
                values.push_str(&format!("{}{p}:\n", "  ".repeat(open.len() + 1)));
                open.push(p.to_string());
            }
            let indent = "  ".repeat(open.len() + 1);
            let mut comment = s.description.trim().to_string();
            if let Some(e) = &s.example {
                comment.push_str(&format!(" Example: {e}"));
            }
            values.push_str(&format!(
                "{indent}# {}\n{indent}{}:\n",
                comment.replace('\n', " "),
                leaf.first().copied().unwrap_or_default()
            ));
            keys.push(v.key.clone());
        }
    }
    if !values.is_empty() {
        text.push_str("values:\n");
        text.push_str(&values);
    }
    Ok(Scaffold { path, text, keys })
}
