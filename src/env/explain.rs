//! `render --explain KEY`: what a key is set to and which file and line set
//! it, with the values it replaced.

use super::{Environment, document_path};
use crate::yaml::{Kind, Node, Origin};
use std::fmt;

impl Environment {
    /// What `key` is set to and which file and line set it (every leaf
    /// under it, for a map), or `None` when it is not set.
    pub fn explain(&self, key: &str) -> Option<Explanation> {
        let path = document_path(key);
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let node = self.tree.at(&parts)?;
        let mut leaves = Vec::new();
        explain_leaves(node, &path.join("."), &mut leaves);
        Some(Explanation {
            key: path.join("."),
            leaves,
        })
    }
}

/// What `--explain KEY` prints.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The full key (`values.ad.domain`).
    pub key: String,
    pub leaves: Vec<ExplainedValue>,
}

#[derive(Debug, Clone)]
pub struct ExplainedValue {
    pub key: String,
    pub value: String,
    pub origin: Origin,
    /// The values it replaced, nearest first.
    pub overrides: Vec<(Origin, String)>,
}

fn explain_leaves(node: &Node, key: &str, out: &mut Vec<ExplainedValue>) {
    match &node.kind {
        Kind::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                explain_leaves(v, &format!("{key}.{}", k.name), out);
            }
        }
        _ => out.push(ExplainedValue {
            key: key.to_string(),
            value: node.describe(),
            origin: node.origin.clone(),
            overrides: node.overrides.clone(),
        }),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for leaf in &self.leaves {
            writeln!(f, "{} = {}", leaf.key, leaf.value)?;
            writeln!(f, "  set by {}", leaf.origin)?;
            for (origin, value) in &leaf.overrides {
                writeln!(f, "  overrides {origin} ({value})")?;
            }
        }
        Ok(())
    }
}
