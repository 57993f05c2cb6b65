//! What an environment requires of the server's configuration beyond its
//! agents, read from `values` by keys that `runsheet verify` knows:
//!
//! - `KEY.scope.include` and `KEY.scope.exclude`: the containers (OUs) the
//!   partition of the agent whose key is `KEY` includes and excludes, its
//!   OU scope; where an environment gives the inclusions, exclusions it
//!   leaves out are none;
//! - `metaverse.provisioning`: `rules`, `extension`, `both` or `none`;
//! - `metaverse.deletion.TYPE`: the object deletion rule of the metaverse
//!   object type `TYPE` (`last-connector`, `any-connector`, `extension`).
//!
//! A book declares them in `variables.yaml` like any value (the scope
//! derived from the guest OU, say); they are read here whether declared
//! or not.

use super::Environment;
use crate::mim::metaverse::{DeletionRule, Provisioning};
use crate::yaml::{Kind, Node, Origin};

/// A value set in an environment, with the place that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<T> {
    pub value: T,
    pub origin: Origin,
}

/// The OU scope an environment requires of an agent's partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub include: Placed<Vec<String>>,
    /// None when the environment leaves it out.
    pub exclude: Placed<Vec<String>>,
}

/// A value that is not what its key reads, at the place that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub origin: Origin,
    pub message: String,
}

/// Whether `key` (as a placeholder writes it) is one that `runsheet
/// verify` reads: a variable no chapter uses may still be needed.
pub fn is_read_by_verify(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    matches!(
        parts.as_slice(),
        [_, "scope", "include" | "exclude"]
            | ["metaverse", "provisioning"]
            | ["metaverse", "deletion", _]
    )
}

impl Environment {
    /// The OU scope the environment requires of the partition of agent
    /// `key`, when it gives `KEY.scope.include`.
    pub fn scope(&self, key: &str) -> Result<Option<Scope>, Refused> {
        let Some(include) = self.tree.at(&["values", key, "scope", "include"]) else {
            return Ok(None);
        };
        let include = list(include, &format!("{key}.scope.include"))?;
        let exclude = match self.tree.at(&["values", key, "scope", "exclude"]) {
            Some(node) => list(node, &format!("{key}.scope.exclude"))?,
            None => Placed {
                value: Vec::new(),
                origin: include.origin.clone(),
            },
        };
        Ok(Some(Scope { include, exclude }))
    }

    /// The provisioning the environment requires of the metaverse.
    pub fn provisioning(&self) -> Result<Option<Placed<Provisioning>>, Refused> {
        let Some(node) = self.tree.at(&["values", "metaverse", "provisioning"]) else {
            return Ok(None);
        };
        word(
            node,
            "metaverse.provisioning",
            Provisioning::from_word,
            || Provisioning::ALL.iter().map(|p| p.word()).collect(),
        )
        .map(Some)
    }

    /// The object deletion rules the environment requires, by metaverse
    /// object type, in the order written.
    pub fn deletion_rules(&self) -> Result<Vec<(String, Placed<DeletionRule>)>, Refused> {
        let Some(Kind::Map(entries)) = self
            .tree
            .at(&["values", "metaverse", "deletion"])
            .map(|n| &n.kind)
        else {
            return Ok(Vec::new());
        };
        entries
            .iter()
            .map(|(k, node)| {
                let rule = word(
                    node,
                    &format!("metaverse.deletion.{}", k.name),
                    DeletionRule::from_word,
                    || DeletionRule::ALL.iter().map(|d| d.word()).collect(),
                )?;
                Ok((k.name.clone(), rule))
            })
            .collect()
    }
}

fn list(node: &Node, key: &str) -> Result<Placed<Vec<String>>, Refused> {
    let items = match &node.kind {
        Kind::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| Refused {
                    origin: i.origin.clone(),
                    message: format!(
                        "`{key}` holds {}, where a container's distinguished name is expected",
                        i.describe()
                    ),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        Kind::Null => Vec::new(),
        _ => {
            return Err(Refused {
                origin: node.origin.clone(),
                message: format!(
                    "`{key}` is {}, where a list of containers' distinguished names is expected",
                    node.describe()
                ),
            });
        }
    };
    Ok(Placed {
        value: items,
        origin: node.origin.clone(),
    })
}

fn word<T>(
    node: &Node,
    key: &str,
    read: fn(&str) -> Option<T>,
    words: fn() -> Vec<&'static str>,
) -> Result<Placed<T>, Refused> {
    node.as_str()
        .and_then(read)
        .map(|value| Placed {
            value,
            origin: node.origin.clone(),
        })
        .ok_or_else(|| Refused {
            origin: node.origin.clone(),
            message: format!(
                "`{key}` is `{}`, which `runsheet verify` does not read: write one of {}",
                node.describe(),
                words()
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_verify_reads() {
        assert!(is_read_by_verify("ad.scope.include"));
        assert!(is_read_by_verify("corp.scope.exclude"));
        assert!(is_read_by_verify("metaverse.provisioning"));
        assert!(is_read_by_verify("metaverse.deletion.person"));
        assert!(!is_read_by_verify("ad.scope"));
        assert!(!is_read_by_verify("ad.domain"));
        assert!(!is_read_by_verify("metaverse.deletion"));
    }
}
