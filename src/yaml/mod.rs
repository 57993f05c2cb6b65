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
//!
//! [`parse()`] reads a document ([`parse`](mod@parse)), [`Node`] layers one
//! document over another ([`node`]), [`Scalar`] resolves plain scalars
//! ([`scalar`]), and [`from_node`] reads a tree into Rust types, each
//! error at the line of its value ([`de`]). [`scalars`] reads a page
//! without building a tree, handing over each value with its key and the
//! byte range it is written at ([`written`]).

pub mod de;
pub mod node;
pub mod parse;
pub mod plain;
pub mod scalar;
pub mod written;

pub use de::{DeError, from_node};
pub use parse::{MAX_VALUES, YamlError, parse};
pub use written::{Style, WrittenScalar, scalars};

use std::fmt;
use std::sync::Arc;

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
