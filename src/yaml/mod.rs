//! The positioned YAML reader: a document as a tree that remembers where
//! every value was written, so that layering environments can tell which
//! file and line set a key, and every error can point at the line to fix.
//! Environment files are read with it. (Front matter is read as the
//! publishing tools read it, by the front matter reader.)
//!
//! Scalars are read with the YAML 1.2 core schema (`yes` and `no` stay
//! strings) and keep the text as written, so `1.10` is substituted as
//! `1.10`, not `1.1`. Aliases are expanded, but a document may hold at most
//! [`MAX_VALUES`] values once they are: nine lines of nested aliases cannot
//! ask for gigabytes.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a value was set: a file and line, or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: Source,
    /// 1-based; 0 for the command line.
    pub line: usize,
    /// 1-based; 0 for the command line.
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file, as it is shown to the user (relative to the book's root
    /// when it is under it).
    File(Arc<str>),
    /// `--set KEY=VALUE` on the command line.
    CommandLine(Arc<str>),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::File(file) => write!(f, "{file}:{}", self.line),
            Source::CommandLine(arg) => write!(f, "--set {arg}"),
        }
    }
}

/// A YAML value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub origin: Origin,
    /// The values this one replaced while layering, nearest first.
    pub overrides: Vec<(Origin, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub origin: Origin,
}

/// A scalar: its text as written and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub value: ScalarValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

impl Scalar {
    /// Resolve a plain (unquoted) scalar with the YAML 1.2 core schema.
    /// `None` means null.
    pub fn plain(text: &str) -> Option<Scalar> {
        let value = match text {
            "" | "~" | "null" | "Null" | "NULL" => return None,
            "true" | "True" | "TRUE" => ScalarValue::Bool(true),
            "false" | "False" | "FALSE" => ScalarValue::Bool(false),
            _ => resolve_number(text).unwrap_or(ScalarValue::Str),
        };
        Some(Scalar {
            text: text.to_string(),
            value,
        })
    }

    pub fn string(text: &str) -> Scalar {
        Scalar {
            text: text.to_string(),
            value: ScalarValue::Str,
        }
    }
}

fn resolve_number(text: &str) -> Option<ScalarValue> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned) {
        return text
            .trim_start_matches('+')
            .parse()
            .ok()
            .map(ScalarValue::Int);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(ScalarValue::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(ScalarValue::Int);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            let inf = if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            return Some(ScalarValue::Float(inf));
        }
        ".nan" | ".NaN" | ".NAN" if unsigned == text => return Some(ScalarValue::Float(f64::NAN)),
        _ => {}
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() && digits(b))
                || (digits(a) && (b.is_empty() || b.bytes().all(|c| c.is_ascii_digit())))
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some()) {
        text.parse().ok().map(ScalarValue::Float)
    } else {
        None
    }
}

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
                for (key, value) in entries {
                    let existing = base.iter().position(|(k, _)| k.name == key.name);
                    match (existing, &value.kind) {
                        (Some(i), Kind::Null) => {
                            base.remove(i);
                        }
                        (Some(i), _) => base[i].1.merge(value),
                        (None, Kind::Null) => {}
                        (None, _) => base.push((key, value)),
                    }
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

/// An error met while reading a node into a Rust type: the message and
/// the place of the value it is about.
#[derive(Debug, Clone)]
pub struct DeError {
    pub message: String,
    pub origin: Option<Origin>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            origin: None,
        }
    }
}

fn at<T>(result: Result<T, DeError>, origin: &Origin) -> Result<T, DeError> {
    result.map_err(|mut e| {
        if e.origin.is_none() {
            e.origin = Some(origin.clone());
        }
        e
    })
}

/// Read a node into a Rust type; an error names the line of the value it
/// is about.
pub fn from_node<'de, T: serde::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    T::deserialize(node)
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Scalar(s) => match s.value {
                ScalarValue::Bool(b) => visitor.visit_bool(b),
                ScalarValue::Int(i) => visitor.visit_i64(i),
                ScalarValue::Float(f) => visitor.visit_f64(f),
                ScalarValue::Str => visitor.visit_str(&s.text),
            },
            Kind::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.iter(),
            }),
            Kind::Map(entries) => visitor.visit_map(MapDe {
                entries: entries.iter(),
                value: None,
            }),
        };
        at(result, &self.origin)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.kind {
            Kind::Null => visitor.visit_none(),
            _ => at(visitor.visit_some(self), &self.origin),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // Any scalar reads as text where text is wanted: `name: 2024`.
        match &self.kind {
            Kind::Scalar(s) => at(visitor.visit_str(&s.text), &self.origin),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.kind {
            Kind::Scalar(s) => at(
                visitor.visit_enum(s.text.as_str().into_deserializer()),
                &self.origin,
            ),
            _ => Err(DeError {
                message: format!(
                    "expected one of the names listed, found {}",
                    self.describe()
                ),
                origin: Some(self.origin.clone()),
            }),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct ignored_any
    }
}

struct SeqDe<'de> {
    items: std::slice::Iter<'de, Node>,
}

impl<'de> SeqAccess<'de> for SeqDe<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(node) => seed.deserialize(node).map(Some),
            None => Ok(None),
        }
    }
}

struct MapDe<'de> {
    entries: std::slice::Iter<'de, (Key, Node)>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for MapDe<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                let de: de::value::StrDeserializer<'_, DeError> =
                    key.name.as_str().into_deserializer();
                at(seed.deserialize(de), &key.origin).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(node) => seed.deserialize(node),
            None => Err(de::Error::custom("a value without a key")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(text: &str) -> Node {
        parse(text, Arc::from("f.yaml")).unwrap()
    }

    fn scalar<'a>(n: &'a Node, path: &[&str]) -> &'a str {
        n.at(path).and_then(Node::as_str).unwrap()
    }

    #[test]
    fn keys_and_values_know_their_lines() {
        let n = node("a:\n  b: 1.10\n  c: 'x'\nlist: [1, 2]\n");
        let b = n.at(&["a", "b"]).unwrap();
        assert_eq!((b.origin.line, b.origin.column), (2, 6));
        assert_eq!(scalar(&n, &["a", "b"]), "1.10");
        assert!(matches!(
            &b.kind,
            Kind::Scalar(Scalar {
                value: ScalarValue::Float(_),
                ..
            })
        ));
        assert_eq!(b.origin.to_string(), "f.yaml:2");
    }

    #[test]
    fn core_schema_keeps_yes_and_no_as_text() {
        for (text, want) in [
            ("yes", ScalarValue::Str),
            ("no", ScalarValue::Str),
            ("true", ScalarValue::Bool(true)),
            ("042", ScalarValue::Int(42)),
            ("-7", ScalarValue::Int(-7)),
            ("0x1F", ScalarValue::Int(31)),
            ("1e3", ScalarValue::Float(1000.0)),
            ("1.2.3", ScalarValue::Str),
            ("DC=x,DC=y", ScalarValue::Str),
        ] {
            assert_eq!(Scalar::plain(text).unwrap().value, want, "{text}");
        }
        assert!(Scalar::plain("~").is_none());
        let n = node("a: !!str 12\nb: \"true\"\n");
        assert!(matches!(
            &n.at(&["a"]).unwrap().kind,
            Kind::Scalar(Scalar {
                value: ScalarValue::Str,
                ..
            })
        ));
    }

    #[test]
    fn aliases_expand_but_not_without_bound() {
        let n = node("base: &b {x: 1}\ncopy: *b\n");
        assert_eq!(scalar(&n, &["copy", "x"]), "1");
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&text, Arc::from("f")).unwrap_err();
        assert!(e.message.contains("aliases"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_and_second_documents_are_errors() {
        let e = parse("a: 1\nb: 2\na: 3\n", Arc::from("f")).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("first on line 1"), "{}", e.message);
        let e = parse("a: 1\n---\nb: 2\n", Arc::from("f")).unwrap_err();
        assert!(e.message.contains("one YAML document"), "{}", e.message);
        let e = parse("a: [1,\n", Arc::from("f")).unwrap_err();
        assert!(e.line >= 1);
    }

    #[test]
    fn merge_layers_maps_replaces_the_rest_and_null_removes() {
        let mut base = node("v:\n  a: 1\n  b: 2\n  l: [1, 2]\n");
        let over = parse(
            "v:\n  b: 3\n  a: ~\n  l: [9]\n  c: 4\n",
            Arc::from("o.yaml"),
        )
        .unwrap();
        base.merge(over);
        let v = base.get("v").unwrap();
        assert!(v.get("a").is_none());
        assert_eq!(scalar(v, &["b"]), "3");
        assert_eq!(v.get("b").unwrap().origin.to_string(), "o.yaml:2");
        assert_eq!(v.get("b").unwrap().overrides[0].0.to_string(), "f.yaml:3");
        assert_eq!(v.get("l").unwrap().describe(), "a list of 1");
        assert_eq!(scalar(v, &["c"]), "4");
    }

    #[test]
    fn deserialising_names_the_line_of_the_bad_value() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            name: String,
            count: u32,
        }
        let n = node("name: x\ncount: lots\n");
        let e = from_node::<T>(&n).unwrap_err();
        assert_eq!(e.origin.unwrap().line, 2, "{}", e.message);
        let n = node("name: x\ncount: 1\ncolour: red\n");
        let e = from_node::<T>(&n).unwrap_err();
        assert_eq!(e.origin.unwrap().line, 3);
        assert!(e.message.contains("colour"));
        let n = node("name: 2024\ncount: 1\n");
        assert_eq!(from_node::<T>(&n).unwrap().name, "2024");
    }

    #[test]
    fn anchors_and_aliases_copy_the_value() {
        let n = node("a: &x {k: 1}\nb: *x\n");
        assert_eq!(scalar(&n, &["b", "k"]), "1");
        assert_eq!(n.get("b").unwrap().origin.line, 2);
    }
}
