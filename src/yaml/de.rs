//! A [`Node`] read into Rust types with serde, each error naming the
//! place of the value it is about.

use super::{Key, Kind, Node, Origin, ScalarValue};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

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
