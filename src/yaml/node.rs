//! Reading a tree and layering one over another: maps merge key by key,
//! anything else is replaced, and a null removes the key it is written
//! for; each replaced value is remembered for `--explain`.

use super::{Key, Kind, Node, Origin};

impl Node {
    pub fn new(kind: Kind, origin: Origin) -> Node {
        Node {
            kind,
            origin,
            overrides: Vec::new(),
        }
    }

    pub fn empty_map(origin: Origin) -> Node {
        Node::new(Kind::Map(Vec::new()), origin)
    }

    /// How many values the node holds, itself included.
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            Kind::Seq(items) => items.iter().map(Node::size).sum(),
            Kind::Map(entries) => entries.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at a dotted path.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn remove(&mut self, key: &str) -> Option<(Key, Node)> {
        match &mut self.kind {
            Kind::Map(entries) => entries
                .iter()
                .position(|(k, _)| k.name == key)
                .map(|i| entries.remove(i)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// A short description for messages: the scalar's text, or what the
    /// node is.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Null => "null".into(),
            Kind::Scalar(s) => s.text.clone(),
            Kind::Seq(items) => format!("a list of {}", items.len()),
            Kind::Map(_) => "a map".into(),
        }
    }

    /// Layer `over` on top of `self`: maps merge key by key, anything else
    /// is replaced, and a null removes the key it is written for.
    pub fn merge(&mut self, over: Node) {
        match (&mut self.kind, over.kind) {
            (Kind::Map(base), Kind::Map(entries)) => {
                // By name, through an index: a map of many keys merges in
                // linear time. A null marks its key for removal at the end.
                let mut index: std::collections::HashMap<String, usize> = base
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.name.clone(), i))
                    .collect();
                let mut removed = vec![false; base.len()];
                for (key, value) in entries {
                    match (index.get(&key.name).copied(), &value.kind) {
                        (Some(i), Kind::Null) => {
                            index.remove(&key.name);
                            if let Some(r) = removed.get_mut(i) {
                                *r = true;
                            }
                        }
                        (Some(i), _) => {
                            if let Some((_, existing)) = base.get_mut(i) {
                                existing.merge(value);
                            }
                        }
                        (None, Kind::Null) => {}
                        (None, _) => {
                            index.insert(key.name.clone(), base.len());
                            base.push((key, value));
                            removed.push(false);
                        }
                    }
                }
                if removed.contains(&true) {
                    let mut keep = removed.iter().map(|r| !r);
                    base.retain(|_| keep.next().unwrap_or(true));
                }
            }
            (_, kind) => {
                let mut overrides = vec![(self.origin.clone(), self.describe())];
                overrides.append(&mut self.overrides);
                *self = Node {
                    kind,
                    origin: over.origin,
                    overrides,
                };
            }
        }
    }

    /// Drop nulls left in maps (a null with nothing under it to remove).
    pub fn strip_nulls(&mut self) {
        match &mut self.kind {
            Kind::Map(entries) => {
                entries.retain(|(_, v)| v.kind != Kind::Null);
                for (_, v) in entries {
                    v.strip_nulls();
                }
            }
            Kind::Seq(items) => items.iter_mut().for_each(Node::strip_nulls),
            _ => {}
        }
    }
}
