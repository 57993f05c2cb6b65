//! Reading one YAML document into a [`Node`] tree with yaml-rust2's event
//! parser, every value with its line and column; duplicate keys, second
//! documents and aliases that expand past [`MAX_VALUES`] are errors.

use super::{Key, Kind, Node, Origin, Scalar, Source};
use std::collections::HashMap;
use std::sync::Arc;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How many values (scalars, lists and maps) a document may hold once its
/// aliases are expanded.
pub const MAX_VALUES: usize = 100_000;

/// A YAML problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parse one YAML document. An empty document is an empty map.
pub fn parse(text: &str, file: Arc<str>) -> Result<Node, YamlError> {
    let mut builder = Builder {
        file: file.clone(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        values: 0,
        documents: 0,
        root: None,
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| YamlError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
    })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    let origin = Origin {
        source: Source::File(file),
        line: 1,
        column: 1,
    };
    Ok(builder.root.unwrap_or_else(|| Node::empty_map(origin)))
}

enum Frame {
    Seq(Node, Vec<Node>, usize),
    Map(Node, Vec<(Key, Node)>, Option<Key>, usize),
}

struct Builder {
    file: Arc<str>,
    stack: Vec<Frame>,
    /// Anchored nodes, with how many values each holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Values made so far, aliases expanded.
    values: usize,
    documents: usize,
    root: Option<Node>,
    error: Option<YamlError>,
}

impl Builder {
    fn origin(&self, mark: Marker) -> Origin {
        Origin {
            source: Source::File(self.file.clone()),
            line: mark.line(),
            column: mark.col() + 1,
        }
    }

    fn fail(&mut self, mark: Marker, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                line: mark.line(),
                column: mark.col() + 1,
                message,
            });
        }
    }

    /// Count `n` more values; false (and an error) past [`MAX_VALUES`].
    fn count(&mut self, n: usize, mark: Marker) -> bool {
        self.values = self.values.saturating_add(n);
        if self.values > MAX_VALUES {
            self.fail(
                mark,
                format!("the document holds more than {MAX_VALUES} values once its aliases (`*name`) are expanded; write the values out, or use fewer aliases"),
            );
            return false;
        }
        true
    }

    fn finish(&mut self, node: Node, anchor: usize, mark: Marker) {
        if anchor > 0 {
            let size = node.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items, _)) => items.push(node),
            Some(Frame::Map(_, entries, key, _)) => match key.take() {
                None => {
                    let name = match &node.kind {
                        Kind::Scalar(s) => s.text.clone(),
                        Kind::Null => String::new(),
                        _ => {
                            self.fail(
                                mark,
                                "a key must be a plain value, not a map or a list".into(),
                            );
                            return;
                        }
                    };
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == name) {
                        let line = first.origin.line;
                        self.fail(
                            mark,
                            format!("the key `{name}` is written twice (first on line {line})"),
                        );
                        return;
                    }
                    *key = Some(Key {
                        name,
                        origin: node.origin,
                    });
                }
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

fn is_str_tag(tag: &Option<Tag>) -> bool {
    tag.as_ref().is_some_and(|t| t.suffix == "str")
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(
                        mark,
                        "an environment file holds one YAML document; remove the second `---`"
                            .into(),
                    );
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if !self.count(1, mark) {
                    return;
                }
                let origin = self.origin(mark);
                let kind = if style == TScalarStyle::Plain && !is_str_tag(&tag) {
                    match Scalar::plain(&text) {
                        Some(s) => Kind::Scalar(s),
                        None => Kind::Null,
                    }
                } else {
                    Kind::Scalar(Scalar::string(&text))
                };
                self.finish(Node::new(kind, origin), anchor, mark);
            }
            Event::SequenceStart(anchor, _) => {
                if !self.count(1, mark) {
                    return;
                }
                let node = Node::new(Kind::Null, self.origin(mark));
                self.stack.push(Frame::Seq(node, Vec::new(), anchor));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(mut node, items, anchor)) = self.stack.pop() {
                    node.kind = Kind::Seq(items);
                    self.finish(node, anchor, mark);
                }
            }
            Event::MappingStart(anchor, _) => {
                if !self.count(1, mark) {
                    return;
                }
                let node = Node::new(Kind::Null, self.origin(mark));
                self.stack.push(Frame::Map(node, Vec::new(), None, anchor));
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(mut node, entries, _, anchor)) = self.stack.pop() {
                    node.kind = Kind::Map(entries);
                    self.finish(node, anchor, mark);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).map(|(_, size)| *size) {
                Some(size) => {
                    if !self.count(size, mark) {
                        return;
                    }
                    let Some((mut node, _)) = self.anchors.get(&id).cloned() else {
                        return;
                    };
                    node.origin = self.origin(mark);
                    self.finish(node, 0, mark);
                }
                None => self.fail(mark, "an alias to an unknown anchor".into()),
            },
            _ => {}
        }
    }
}
