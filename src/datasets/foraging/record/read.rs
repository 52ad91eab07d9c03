//! Reading a [`FitRecord`] from text with serde: one visitor for records, field values and
//! list items (they differ only in what an object and a list become), a key matcher that copies
//! nothing, and a reader for the values of other keys that keeps nothing.

use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{empty, Field, Fields, FitRecord, Items, Raw};

impl<'de> Deserialize<'de> for FitRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FitRecord, D::Error> {
        Ok(match d.deserialize_any(Reading::Record)? {
            Read::Record(fields) => FitRecord::Object(fields),
            Read::Raw(raw) => FitRecord::NotObject(raw.into_value()),
        })
    }
}

/// What is being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// An element of the page: an object becomes the record's fields.
    Record,
    /// A field's value: a list of one value is told apart from the value.
    Field,
    /// An item of a list.
    Item,
}

enum Read {
    Record(Fields),
    Raw(Raw),
}

impl Read {
    fn raw(self) -> Raw {
        match self {
            Read::Raw(raw) => raw,
            // Only `Reading::Record` reads fields, and it is never nested.
            Read::Record(_) => Raw::Value(Value::Null),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Reading {
    type Value = Raw;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(self).map(Read::raw)
    }
}

fn value(v: Value) -> Read {
    Read::Raw(Raw::Value(v))
}

impl<'de> Visitor<'de> for Reading {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    /// A record's key sent twice keeps its last value, as a JSON object read into a map does.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        if self != Reading::Record {
            let mut m = Map::new();
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                m.insert(k, v);
            }
            return Ok(value(Value::Object(m)));
        }
        let mut fields = empty();
        while let Some(Key(field)) = map.next_key()? {
            match field {
                // The id is read as sent: paging and the merge compare it whatever its shape.
                Some(Field::Id) => fields[0] = Some(Raw::Value(map.next_value()?)),
                Some(f) => fields[f as usize] = Some(map.next_value_seed(Reading::Field)?),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(Read::Record(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        let mut list = Items::default();
        if self == Reading::Field {
            let Some(first) = seq.next_element_seed(Reading::Item)? else {
                return Ok(value(Value::Array(Vec::new())));
            };
            let Some(second) = seq.next_element_seed(Reading::Item)? else {
                return Ok(Read::Raw(match first {
                    Raw::Floats(xs) => Raw::OneFloats(xs),
                    other => Raw::One(other.into_value()),
                }));
            };
            list.push(first);
            list.push(second);
        } else {
            // Cross-validation lists hold one value per fold, 10 as a rule.
            list.floats.reserve(10);
        }
        while let Some(x) = seq.next_element_seed(Reading::Item)? {
            list.push(x);
        }
        Ok(Read::Raw(list.finish()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Read, E> {
        Ok(value(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Read, E> {
        Ok(value(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Read, E> {
        Ok(value(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Read, E> {
        Ok(value(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Read, E> {
        Ok(value(Value::String(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Read, E> {
        Ok(value(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Read, E> {
        Ok(value(Value::Null))
    }
}

/// The value of a key the normalizer does not read, kept nowhere. It is read as a JSON value
/// would be, with the same errors and the same nesting limit (serde's `IgnoredAny` checks less),
/// so that a record is readable, repaired or refused exactly as it would be read whole.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
}

/// A key: one of the fields, or another (skipped). Read without copying it.
struct Key(Option<Field>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(Key(Field::of(v)))
    }
}
