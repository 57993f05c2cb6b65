//! An environment's values held to the book's declarations: keys it sets
//! that the book does not declare, values that are not of their type,
//! secrets it must not hold, defaults for what it leaves out, and derived
//! values computed (or, when it sets them, compared).
//!
//! These are findings, not errors: the environment still loads, so that a
//! check reports every one of them and a render refuses to write.

use super::types::VarType;
use super::variables::Declarations;
use super::{Environment, derive};
use crate::mim::ConnectorType;
use crate::yaml::{Key, Kind, Node, Origin, Scalar, ScalarValue};

/// What is wrong with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// A key the book does not declare.
    UnknownKey,
    /// A value not of its declared type or pattern, a list or map where
    /// one value is expected, or a secret written in a file.
    InvalidValue,
    /// A derived value set by hand to something else.
    DerivedMismatch,
}

/// A value of an environment the declarations refuse, at the place that
/// sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub origin: Origin,
    pub message: String,
    pub help: Option<String>,
}

pub(super) fn apply(env: &mut Environment) {
    let mut findings = Vec::new();
    // An Active Directory agent runs against a naming context: a
    // distinguished name, whatever the book declares.
    for a in &env.agents {
        if a.connector == ConnectorType::ActiveDirectory
            && !VarType::DistinguishedName.accepts(&a.partition, false, false, &[])
        {
            let node = env.tree.at(&["agents", &a.key, "partition"]);
            findings.push(Finding {
                kind: FindingKind::InvalidValue,
                origin: node.map_or_else(|| a.origin.clone(), |n| n.origin.clone()),
                message: format!(
                    "the partition of agent `{}` is `{}` in environment `{}`, which is not {}",
                    a.key,
                    a.partition,
                    env.name,
                    VarType::DistinguishedName.expected(&[])
                ),
                help: Some(
                    "write the domain's naming context, e.g. DC=corp,DC=fabrikam,DC=com".into(),
                ),
            });
        }
    }
    let Some(decls) = env.declarations.clone() else {
        env.findings = findings;
        return;
    };
    if let Some(values) = env.tree.get("values") {
        walk(values, "", &decls, &env.name, &mut findings);
    }
    // Secrets never stay in the tree: nothing can print them.
    let secrets: Vec<String> = decls
        .variables
        .values()
        .filter(|v| v.spec.secret)
        .map(|v| v.key.clone())
        .collect();
    for key in &secrets {
        remove(&mut env.tree, key);
    }
    // Defaults for what no file sets.
    for v in decls.variables.values() {
        if let Some(default) = &v.spec.default
            && value_at(&env.tree, &v.key).is_none()
        {
            insert(&mut env.tree, &v.key, scalar(default, &v.origin));
        }
    }
    // Derived values: take out what files set, compute every one whose
    // parts are there (in as many rounds as derivations build on each
    // other), then hold what was set to what was computed.
    let mut by_hand = Vec::new();
    for v in decls.variables.values().filter(|v| v.spec.derive.is_some()) {
        if let Some(node) = remove(&mut env.tree, &v.key) {
            by_hand.push((v.key.clone(), node));
        }
    }
    // In an order where what a derivation reads is computed before it: one
    // evaluation each, over one copy of the values kept up to date.
    let mut values = env.values_json();
    for key in &decls.derive_order {
        let Some(v) = decls.variables.get(key) else {
            continue;
        };
        if !v.inputs.iter().all(|i| value_at(&env.tree, i).is_some()) {
            continue;
        }
        let template = v.spec.derive.as_deref().unwrap_or_default();
        match derive::evaluate(template, &values) {
            Ok(text) => {
                // A list's derivation gives one item per line.
                let items: Vec<&str> = if v.spec.list {
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect()
                } else {
                    vec![text.as_str()]
                };
                if let Some(bad) = items.iter().find(|i| !v.accepts(i, None)) {
                    findings.push(Finding {
                        kind: FindingKind::InvalidValue,
                        origin: v.origin.clone(),
                        message: format!(
                            "`{key}` is derived as `{bad}` in environment `{}`, which is not {}",
                            env.name,
                            v.expected_item()
                        ),
                        help: Some(format!(
                            "correct the values it is made of ({})",
                            v.inputs.join(", ")
                        )),
                    });
                }
                if v.spec.list {
                    set_json(
                        &mut values,
                        key,
                        serde_json::Value::Array(items.iter().map(|i| (*i).into()).collect()),
                    );
                    let nodes = items.iter().map(|i| scalar(i, &v.origin)).collect();
                    insert(
                        &mut env.tree,
                        key,
                        Node::new(Kind::Seq(nodes), v.origin.clone()),
                    );
                } else {
                    set_json(&mut values, key, text.as_str().into());
                    insert(&mut env.tree, key, scalar(&text, &v.origin));
                }
            }
            Err(e) => findings.push(Finding {
                kind: FindingKind::InvalidValue,
                origin: v.origin.clone(),
                message: format!(
                    "`{key}` cannot be derived in environment `{}`: {e}",
                    env.name
                ),
                help: Some(format!("correct `derive:` of `{key}`")),
            }),
        }
    }
    for (key, node) in by_hand {
        let Some(v) = decls.variables.get(&key) else {
            continue;
        };
        match value_at(&env.tree, &key).and_then(texts) {
            Some(derived) => {
                if texts(&node).as_ref() != Some(&derived) {
                    let derived = derived.join(", ");
                    findings.push(Finding {
                        kind: FindingKind::DerivedMismatch,
                        origin: node.origin.clone(),
                        message: format!(
                            "`{key}` is `{}` in environment `{}`, but it is derived as `{derived}` from {}",
                            node.describe(),
                            env.name,
                            v.inputs.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" and ")
                        ),
                        help: Some(format!(
                            "remove the line: `{key}` is `{}` ({}); to change it, change the values it is made of",
                            v.spec.derive.as_deref().unwrap_or_default(),
                            v.origin
                        )),
                    });
                }
            }
            // Its parts are missing: what the file says stands, and the
            // parts are reported where they are used.
            None => insert(&mut env.tree, &key, node),
        }
    }
    findings.sort_by(|a, b| {
        (
            a.origin.to_string(),
            a.origin.line,
            a.origin.column,
            &a.message,
        )
            .cmp(&(
                b.origin.to_string(),
                b.origin.line,
                b.origin.column,
                &b.message,
            ))
    });
    env.findings = findings;
}

fn walk(node: &Node, prefix: &str, decls: &Declarations, env: &str, out: &mut Vec<Finding>) {
    let Kind::Map(entries) = &node.kind else {
        return;
    };
    for (key, value) in entries {
        let path = if prefix.is_empty() {
            key.name.clone()
        } else {
            format!("{prefix}.{}", key.name)
        };
        match decls.get(&path) {
            None if decls.is_declared_or_parent(&path) && matches!(value.kind, Kind::Map(_)) => {
                walk(value, &path, decls, env, out);
            }
            // An undeclared map: each value in it, by its full key, so
            // that `sever: { name: X }` suggests `server.name`.
            None if matches!(&value.kind, Kind::Map(e) if !e.is_empty()) => {
                unknown_leaves(value, &path, decls, out);
            }
            None => out.push(unknown(key, &path, decls)),
            Some(v) => {
                let problem = match &value.kind {
                    _ if v.spec.secret => Some((
                        &value.origin,
                        format!("`{path}` is a secret and is set in a file"),
                        "remove it: secrets are never written in environment files or runbooks; the runbook asks for it".to_string(),
                    )),
                    Kind::Seq(items) if v.spec.list => items.iter().find_map(|item| match &item.kind {
                        Kind::Scalar(s) if v.accepts(&s.text, Some(&s.value)) => None,
                        _ => Some((
                            &item.origin,
                            format!(
                                "`{path}` holds `{}` in environment `{env}`, which is not {}",
                                item.describe(),
                                v.expected_item()
                            ),
                            format!("write {}", v.expected_item()),
                        )),
                    }),
                    Kind::Scalar(s) if v.spec.list => Some((
                        &value.origin,
                        format!(
                            "`{path}` is one value in environment `{env}`, but it is a list"
                        ),
                        format!("write it as a list: [{}]", s.text),
                    )),
                    Kind::Scalar(s) if v.accepts(&s.text, Some(&s.value)) => None,
                    Kind::Scalar(s) => Some((
                        &value.origin,
                        format!(
                            "`{path}` is `{}` in environment `{env}`, which is not {}",
                            s.text,
                            v.expected()
                        ),
                        format!("write {}", v.expected()),
                    )),
                    Kind::Seq(_) | Kind::Map(_) => Some((
                        &value.origin,
                        format!(
                            "`{path}` is {} in environment `{env}`, but a placeholder stands for one value",
                            value.describe()
                        ),
                        format!("write one value: {}", v.expected()),
                    )),
                    Kind::Null => None,
                };
                if let Some((origin, message, help)) = problem {
                    out.push(Finding {
                        kind: FindingKind::InvalidValue,
                        origin: origin.clone(),
                        message,
                        help: Some(help),
                    });
                }
            }
        }
    }
}

fn unknown_leaves(node: &Node, prefix: &str, decls: &Declarations, out: &mut Vec<Finding>) {
    if let Kind::Map(entries) = &node.kind {
        for (key, value) in entries {
            let path = format!("{prefix}.{}", key.name);
            match &value.kind {
                Kind::Map(e) if !e.is_empty() => unknown_leaves(value, &path, decls, out),
                _ => out.push(unknown(key, &path, decls)),
            }
        }
    }
}

fn unknown(key: &Key, path: &str, decls: &Declarations) -> Finding {
    Finding {
        kind: FindingKind::UnknownKey,
        origin: key.origin.clone(),
        message: format!(
            "`values.{path}` is not a variable the book declares{}",
            decls
                .closest(path)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default()
        ),
        help: Some(format!(
            "correct the key, or declare `{path}` in {} if a chapter needs it",
            decls.file
        )),
    }
}

/// The text of a value, or of each item of a list of values.
fn texts(node: &Node) -> Option<Vec<&str>> {
    match &node.kind {
        Kind::Scalar(s) => Some(vec![s.text.as_str()]),
        Kind::Seq(items) => items.iter().map(Node::as_str).collect(),
        _ => None,
    }
}

fn set_json(values: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    let parts: Vec<&str> = key.split('.').collect();
    let Some((leaf, parents)) = parts.split_last() else {
        return;
    };
    let mut at = values;
    for p in parents {
        let Some(map) = at.as_object_mut() else {
            return;
        };
        let child = map
            .entry(p.to_string())
            .or_insert_with(|| serde_json::json!({}));
        if !child.is_object() {
            *child = serde_json::json!({});
        }
        at = child;
    }
    if let Some(map) = at.as_object_mut() {
        map.insert(leaf.to_string(), value);
    }
}

fn scalar(text: &str, origin: &Origin) -> Node {
    Node::new(
        Kind::Scalar(Scalar {
            text: text.to_string(),
            value: ScalarValue::Str,
        }),
        origin.clone(),
    )
}

/// The node of `values.KEY`.
pub(super) fn value_at<'a>(tree: &'a Node, key: &str) -> Option<&'a Node> {
    let node = tree.get("values")?;
    key.split('.').try_fold(node, |n, k| n.get(k))
}

fn insert(tree: &mut Node, key: &str, value: Node) {
    let origin = value.origin.clone();
    let mut node = value;
    for part in key.split('.').rev().chain(["values"]) {
        node = Node::new(
            Kind::Map(vec![(
                Key {
                    name: part.to_string(),
                    origin: origin.clone(),
                },
                node,
            )]),
            origin.clone(),
        );
    }
    tree.merge(node);
}

fn remove(tree: &mut Node, key: &str) -> Option<Node> {
    let mut parts: Vec<&str> = std::iter::once("values").chain(key.split('.')).collect();
    let last = parts.pop()?;
    let mut node = tree;
    for p in parts {
        node = match &mut node.kind {
            Kind::Map(entries) => &mut entries.iter_mut().find(|(k, _)| k.name == p)?.1,
            _ => return None,
        };
    }
    node.remove(last).map(|(_, v)| v)
}
