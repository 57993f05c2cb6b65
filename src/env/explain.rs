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
        // Values a declaration gave: derived or a default.
        for leaf in &mut leaves {
            if let Some(v) = leaf
                .key
                .strip_prefix("values.")
                .and_then(|k| self.declared(k))
                && leaf.origin == v.origin
            {
                leaf.derived = Some(match &v.spec.derive {
                    Some(t) => format!("derived as `{t}`"),
                    None => "the declared default".to_string(),
                });
            }
        }
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
    /// How a declaration gave it, when no file did.
    pub derived: Option<String>,
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
            derived: None,
        }),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for leaf in &self.leaves {
            writeln!(f, "{} = {}", leaf.key, leaf.value)?;
            match &leaf.derived {
                Some(how) => writeln!(f, "  {how} by {}", leaf.origin)?,
                None => writeln!(f, "  set by {}", leaf.origin)?,
            }
            for (origin, value) in &leaf.overrides {
                writeln!(f, "  overrides {origin} ({value})")?;
            }
        }
        Ok(())
    }
}
