//! The value a placeholder stands for in an environment, and why it has
//! none.

use super::{Environment, Variable, document_path};
use crate::text::suggest;
use crate::yaml::{Kind, Node, Origin, ScalarValue};
use std::borrow::Cow;

/// Why a placeholder has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Nothing is set at this key.
    Undefined {
        /// The nearest key that is set, for "did you mean".
        suggestion: Option<String>,
    },
    /// The key holds a map (or a list of maps): name one of its keys.
    NotAValue { keys: Vec<String> },
    /// The key holds a list, where a placeholder stands for one value.
    List {
        /// Where the list is set (`environments/prod.yaml:12`).
        at: String,
    },
}

impl Missing {
    /// A sentence to follow "`{{ key }}` …".
    pub fn describe(&self, key: &str, env: &Environment) -> String {
        let full = document_path(key).join(".");
        match self {
            Missing::Undefined { .. }
                if let Some(v) = env.declared(key)
                    && v.spec.derive.is_some() =>
            {
                if v.inputs.is_empty() {
                    return format!(
                        "has no value in environment `{}`: it is derived, from no other value, and its `derive:` in {} gives none; correct the derivation",
                        env.name,
                        env.declarations
                            .as_ref()
                            .map_or("variables.yaml", |d| d.file.as_str())
                    );
                }
                format!(
                    "has no value in environment `{}`: it is derived from {}; set those in {} or a file it extends",
                    env.name,
                    v.inputs
                        .iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    env.file
                )
            }
            Missing::List { at }
                if let Some(v) = env.declared(key)
                    && v.spec.list =>
            {
                format!(
                    "is a list in environment `{}` ({at}), as {} declares it: a placeholder cannot show a list (templates read it as `values.{key}`)",
                    env.name,
                    env.declarations
                        .as_ref()
                        .map_or("variables.yaml", |d| d.file.as_str())
                )
            }
            Missing::List { at } => format!(
                "is a list in environment `{}` ({at}), but a placeholder stands for one value: write one value",
                env.name
            ),
            Missing::Undefined { suggestion } => format!(
                "is not defined in environment `{}`: add `{full}` to {}{}",
                env.name,
                env.file,
                suggestion
                    .as_ref()
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default()
            ),
            Missing::NotAValue { keys } => format!(
                "is a map in environment `{}` ({}), not a value: use one of {}",
                env.name,
                env.file,
                keys.iter()
                    .map(|k| format!("`{key}.{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl Environment {
    /// The declaration of `{{ key }}`, when the book declares it.
    pub fn declared(&self, key: &str) -> Option<&Variable> {
        self.declarations.as_ref()?.get(key)
    }

    /// Whether `{{ key }}` is a declared secret.
    pub fn is_secret(&self, key: &str) -> bool {
        self.declared(key).is_some_and(|v| v.spec.secret)
    }

    /// The text a placeholder `{{ key }}` stands for in this environment,
    /// and where it was set. A secret, and a variable that is not required
    /// and not set, stand for a prompt (`‹enter aad.client_secret›`); a
    /// list is not a value.
    pub fn placeholder_value(&self, key: &str) -> Result<(Cow<'_, str>, &Origin), Missing> {
        let declared = self.declared(key);
        if let Some(v) = declared
            && v.spec.secret
        {
            return Ok((Cow::Owned(v.prompt()), &v.origin));
        }
        let path = document_path(key);
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let Some(node) = self.tree.at(&parts) else {
            if let Some(v) = declared
                && !v.spec.required
            {
                return Ok((Cow::Owned(v.prompt()), &v.origin));
            }
            return Err(Missing::Undefined {
                suggestion: self.suggest_key(key),
            });
        };
        match &node.kind {
            Kind::Scalar(s) => Ok((Cow::Borrowed(&s.text), &node.origin)),
            Kind::Seq(_) => Err(Missing::List {
                at: node.origin.to_string(),
            }),
            Kind::Map(entries) => Err(Missing::NotAValue {
                keys: entries.iter().map(|(k, _)| k.name.clone()).collect(),
            }),
            Kind::Null => Err(Missing::Undefined { suggestion: None }),
        }
    }

    /// Whether `key` is a derived value some of whose parts are among
    /// `missing` (keys reported as missing on their own).
    pub fn missing_through_parts(&self, key: &str, missing: &[&str]) -> bool {
        self.declared(key).is_some_and(|v| {
            v.spec.derive.is_some() && v.inputs.iter().any(|i| missing.contains(&i.as_str()))
        })
    }

    /// Whether `{{ key }}` has a value in this environment.
    pub fn is_defined(&self, key: &str) -> bool {
        self.placeholder_value(key).is_ok()
    }

    /// Every value under `values` with its dotted key (without `values.`),
    /// sorted by key.
    pub fn values_flat(&self) -> Vec<(String, String, &Origin)> {
        let mut out = Vec::new();
        if let Some(values) = self.tree.get("values") {
            flatten(values, "", &mut out);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// `values` as plain data for templates: maps keep their keys, scalars
    /// are strings except booleans and integers.
    pub fn values_json(&self) -> serde_json::Value {
        self.tree
            .get("values")
            .map_or_else(|| serde_json::Value::Object(Default::default()), to_json)
    }

    /// What a derivation or a check reads: the values by their keys, the
    /// agents under `agents` (`agents.ad.name`) and the path under
    /// `path` (`path.skip_parts`).
    pub fn expression_context(&self) -> serde_json::Value {
        let mut context = self.values_json();
        if let Some(map) = context.as_object_mut() {
            map.insert(
                "agents".into(),
                self.tree
                    .get("agents")
                    .map_or_else(|| serde_json::json!({}), to_json),
            );
            map.insert(
                "path".into(),
                serde_json::json!({
                    "skip_parts": self.path.skip_parts,
                    "skip_chapters": self.path.skip_chapters,
                }),
            );
        }
        context
    }

    fn suggest_key(&self, key: &str) -> Option<String> {
        let mut keys: Vec<String> = self.values_flat().into_iter().map(|(k, _, _)| k).collect();
        for a in &self.agents {
            for field in ["name", "partition"] {
                keys.push(format!("agents.{}.{field}", a.key));
            }
        }
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        suggest::best(key, &refs, 0.6).map(str::to_string)
    }
}

fn flatten<'a>(node: &'a Node, prefix: &str, out: &mut Vec<(String, String, &'a Origin)>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                let key = if prefix.is_empty() {
                    k.name.clone()
                } else {
                    format!("{prefix}.{}", k.name)
                };
                flatten(v, &key, out);
            }
        }
        Kind::Scalar(s) => out.push((prefix.to_string(), s.text.clone(), &node.origin)),
        Kind::Seq(items) => out.push((
            prefix.to_string(),
            items
                .iter()
                .map(Node::describe)
                .collect::<Vec<_>>()
                .join(", "),
            &node.origin,
        )),
        Kind::Null => {}
    }
}

fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Scalar(s) => match s.value {
            ScalarValue::Bool(b) => Value::Bool(b),
            ScalarValue::Int(i) => Value::from(i),
            // Floats keep their text: `1.10` is a version, not 1.1.
            ScalarValue::Float(_) | ScalarValue::Str => Value::String(s.text.clone()),
        },
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// Where a key is used, as a message lists it: each file once, with its
/// lines (`a.md:3, 9; b.md:12`), in the order given, repeats left out.
pub fn places(uses: &[(&str, usize)]) -> String {
    let mut files: Vec<(&str, Vec<usize>)> = Vec::new();
    for &(file, line) in uses {
        match files.iter_mut().find(|(f, _)| *f == file) {
            Some((_, lines)) if lines.contains(&line) => {}
            Some((_, lines)) => lines.push(line),
            None => files.push((file, vec![line])),
        }
    }
    files
        .iter()
        .map(|(f, lines)| {
            let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
            format!("{f}:{}", lines.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
