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
    /// A path that takes none, or more than one, of a set of alternative
    /// parts.
    Alternatives,
    /// A declared check between values that does not hold.
    Check,
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
    let Some(decls) = env.declarations.clone() else {
        partitions_are_names(env, &mut findings);
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
    // An agent's declared field applies to the environment's agent of that
    // key only: it declares no agent.
    let applies = |key: &str| match key.split('.').collect::<Vec<_>>().as_slice() {
        ["agents", agent, _] => env.agents.iter().any(|a| a.key == *agent),
        _ => true,
    };
    // Defaults for what no file sets.
    for v in decls.variables.values().filter(|v| applies(&v.key)) {
        if let Some(default) = &v.spec.default
            && node_at(&env.tree, &v.key).is_none()
        {
            insert(&mut env.tree, &v.key, scalar(default, &v.origin));
        }
    }
    // Derived values: take out what files set, compute every one whose
    // parts are there (in as many rounds as derivations build on each
    // other), then hold what was set to what was computed.
    let mut by_hand = Vec::new();
    for v in decls
        .variables
        .values()
        .filter(|v| v.spec.derive.is_some() && applies(&v.key))
    {
        if let Some(node) = remove(&mut env.tree, &v.key) {
            by_hand.push((v.key.clone(), node));
        }
    }
    // In an order where what a derivation reads is computed before it: one
    // evaluation each, over one copy of the values kept up to date.
    let mut values = env.expression_context();
    for key in &decls.derive_order {
        let Some(v) = decls.variables.get(key) else {
            continue;
        };
        if !applies(key) || !v.inputs.iter().all(|i| node_at(&env.tree, i).is_some()) {
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
        match node_at(&env.tree, &key).and_then(texts) {
            Some(derived) => {
                let set = texts(&node);
                let equal = set.as_ref() == Some(&derived);
                // Distinguished names compare as Active Directory compares
                // them: `DC=CONTOSO` is `DC=contoso`.
                let same = equal
                    || set.as_ref().is_some_and(|set| {
                        v.spec.kind == VarType::DistinguishedName
                            && set.len() == derived.len()
                            && set
                                .iter()
                                .zip(&derived)
                                .all(|(a, b)| crate::mim::dn::same(a, b))
                    });
                if same && !equal {
                    // What the file wrote stands, written as it was.
                    insert(&mut env.tree, &key, node);
                } else if !same {
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
    agents_from_tree(env);
    partitions_are_names(env, &mut findings);
    agent_fields(env, &decls, &mut findings);
    alternatives(env, &decls, &mut findings);
    checks(env, &decls, &mut findings);
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

/// An Active Directory agent runs against a naming context: a
/// distinguished name, whatever the book declares.
fn partitions_are_names(env: &Environment, findings: &mut Vec<Finding>) {
    for a in &env.agents {
        if a.connector == ConnectorType::ActiveDirectory
            && !a.partition.is_empty()
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
}

/// The agents' names and partitions as the tree holds them once defaults
/// and derivations are in.
fn agents_from_tree(env: &mut Environment) {
    for a in &mut env.agents {
        for (field, value) in [("name", &mut a.name), ("partition", &mut a.partition)] {
            if let Some(text) = env
                .tree
                .at(&["agents", &a.key, field])
                .and_then(Node::as_str)
            {
                *value = text.to_string();
            }
        }
    }
}

/// An agent's declared fields held to their type and pattern.
fn agent_fields(env: &Environment, decls: &Declarations, findings: &mut Vec<Finding>) {
    for a in &env.agents {
        for field in super::variables::AGENT_FIELDS {
            let key = format!("agents.{}.{field}", a.key);
            let (Some(v), Some(node)) = (decls.get(&key), env.tree.at(&["agents", &a.key, field]))
            else {
                continue;
            };
            if let Kind::Scalar(s) = &node.kind
                && !v.accepts(&s.text, Some(&s.value))
            {
                findings.push(Finding {
                    kind: FindingKind::InvalidValue,
                    origin: node.origin.clone(),
                    message: format!(
                        "`{key}` is `{}` in environment `{}`, which is not {}",
                        s.text,
                        env.name,
                        v.expected()
                    ),
                    help: Some(format!("write {}", v.expected())),
                });
            }
        }
    }
}

/// The declared sets of alternative parts: the environment takes exactly
/// one of each (or at most one), reported where its path skips parts.
fn alternatives(env: &Environment, decls: &Declarations, findings: &mut Vec<Finding>) {
    use super::variables::Choose;
    let skipped = |p: &String| env.path.skip_parts.contains(p);
    for alt in &decls.alternatives {
        let taken: Vec<&String> = alt.parts.iter().filter(|p| !skipped(p)).collect();
        let quoted = |parts: &[&String]| {
            parts
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let all: Vec<&String> = alt.parts.iter().collect();
        let what = alt
            .description
            .as_deref()
            .map(|d| format!(" ({})", d.trim_end_matches('.')))
            .unwrap_or_default();
        let (message, help) = match (taken.len(), alt.choose) {
            (0, Choose::One) => (
                format!(
                    "environment `{}` skips every one of the alternative parts {}{what}: it takes exactly one",
                    env.name,
                    quoted(&all)
                ),
                format!(
                    "take one: leave it out of `path.skip_parts` ({} declares the alternatives at line {})",
                    decls.file, alt.origin.line
                ),
            ),
            (0 | 1, _) => continue,
            _ => (
                format!(
                    "environment `{}` takes {} alternative parts, {}{what}: it takes {}",
                    env.name,
                    taken.len(),
                    quoted(&taken),
                    if alt.choose == Choose::One {
                        "exactly one"
                    } else {
                        "one at most"
                    }
                ),
                format!(
                    "add all but the one it follows to `path.skip_parts` ({} declares the alternatives at line {})",
                    decls.file, alt.origin.line
                ),
            ),
        };
        findings.push(Finding {
            kind: FindingKind::Alternatives,
            origin: path_origin(env),
            message,
            help: Some(help),
        });
    }
}

/// Where an environment's path is written: its `skip_parts` list, its
/// `path`, or the top of its own file.
pub(super) fn path_origin(env: &Environment) -> Origin {
    env.tree
        .at(&["path", "skip_parts"])
        .or_else(|| env.tree.get("path"))
        .map_or_else(|| path_origin_of_file(env), |n| n.origin.clone())
}

/// The top of an environment's own file.
pub(super) fn path_origin_of_file(env: &Environment) -> Origin {
    Origin {
        source: crate::yaml::Source::File(env.file.as_str().into()),
        line: 1,
        column: 1,
    }
}

/// The declared checks: each one that does not hold, at the line that
/// sets its variable, with the values it read. A check that reads a
/// value the environment does not have is left to the finding of the
/// missing value.
fn checks(env: &Environment, decls: &Declarations, findings: &mut Vec<Finding>) {
    let context = env.expression_context();
    for v in decls.variables.values() {
        for c in &v.checks {
            if !derive::holds(&c.expect, &context, &env.path.skip_parts).unwrap_or(true) {
                let read: Vec<String> = c
                    .inputs
                    .iter()
                    .filter_map(|i| {
                        let node = node_at(&env.tree, i)?;
                        Some(format!(
                            "`{i}` is `{}` (set at {})",
                            shown(node),
                            node.origin
                        ))
                    })
                    .collect();
                let origin = node_at(&env.tree, &v.key)
                    .map(|n| n.origin.clone())
                    .or_else(|| {
                        c.inputs
                            .iter()
                            .find_map(|i| node_at(&env.tree, i).map(|n| n.origin.clone()))
                    })
                    .unwrap_or_else(|| path_origin(env));
                let mut message = format!(
                    "{}: in environment `{}`",
                    c.message.trim_end_matches('.'),
                    env.name
                );
                if read.is_empty() {
                    message.push_str(", it does not hold");
                } else {
                    message.push_str(&format!(", {}", read.join(", ")));
                }
                findings.push(Finding {
                    kind: FindingKind::Check,
                    origin,
                    message,
                    help: Some(format!(
                        "the check `{}` of `{}` ({}:{}) does not hold: correct the values it reads",
                        c.expect, v.key, decls.file, c.origin.line
                    )),
                });
            }
        }
    }
}

/// A value as a check's finding shows it: a scalar's text, a list's
/// items.
fn shown(node: &Node) -> String {
    match &node.kind {
        Kind::Seq(items) => items
            .iter()
            .map(Node::describe)
            .collect::<Vec<_>>()
            .join(", "),
        _ => node.describe(),
    }
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

/// The node of a key as placeholders write it: `values.KEY`, or
/// `agents.…` and `path.…` as they are.
pub(super) fn node_at<'a>(tree: &'a Node, key: &str) -> Option<&'a Node> {
    let path = super::document_path(key);
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    tree.at(&parts)
}

fn insert(tree: &mut Node, key: &str, value: Node) {
    let origin = value.origin.clone();
    let mut node = value;
    for part in super::document_path(key).iter().rev() {
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
    let path = super::document_path(key);
    let mut parts: Vec<&str> = path.iter().map(String::as_str).collect();
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
