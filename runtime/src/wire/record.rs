//! How a generated struct (a reply, a request body, an object in one) travels as a JSON
//! object: [`Record`], implemented by the generated code with one line per field, and the
//! reading and writing loops here, written once for every struct.
//!
//! Why not `#[derive(Deserialize, Serialize)]`: the derive writes a field enum, two visitors
//! and a sequence form per struct, and with a thousand endpoints that expansion was half of
//! the crate's compile time (BENCHMARKS.md). What the derive decides from attributes, a
//! record states in code: the wire name of each field, which ones must be present, how an
//! absent one is written (not at all).

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A struct read from and written to a JSON object, field by field.
pub trait Record: Sized {
    /// The type's name, for "expected an object (NAME)".
    const NAME: &'static str;
    /// The wire names of the fields that must be present.
    const REQUIRED: &'static [&'static str];

    /// The record before any field is read: absent fields `None`, the others a
    /// [`Placeholder`] (only ever returned once their field was read: they are `REQUIRED`).
    fn empty() -> Self;

    /// Reads the value of `key` into its field; `Ok(false)` when no field has that name (the
    /// value is then skipped by the caller).
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Writes every field that is present, by its wire name.
    fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// A value a required field holds before its value is read; never seen by a caller, since a
/// record missing a required field is an error.
pub trait Placeholder {
    /// The value.
    fn placeholder() -> Self;
}

impl<R: Record> Placeholder for R {
    fn placeholder() -> Self {
        R::empty()
    }
}

macro_rules! placeholder_default {
    ($($ty:ty),*) => {
        $(impl Placeholder for $ty {
            fn placeholder() -> Self {
                <$ty>::default()
            }
        })*
    };
}

placeholder_default!(String, i64, f64, bool);

impl<T> Placeholder for Vec<T> {
    fn placeholder() -> Self {
        Vec::new()
    }
}

impl<K: Ord, V> Placeholder for std::collections::BTreeMap<K, V> {
    fn placeholder() -> Self {
        std::collections::BTreeMap::new()
    }
}

/// Reads a [`Record`] from a JSON object: each key's value into its field, keys no field
/// has skipped, and an error naming the first required field that did not come.
pub fn read<'de, D: Deserializer<'de>, R: Record>(deserializer: D) -> Result<R, D::Error> {
    deserializer.deserialize_map(RecordVisitor(PhantomData))
}

/// Writes a [`Record`] as a JSON object of its present fields.
pub fn write<S: Serializer, R: Record>(record: &R, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    record.write_fields(&mut map)?;
    map.end()
}

struct RecordVisitor<R>(PhantomData<fn() -> R>);

impl<'de, R: Record> Visitor<'de> for RecordVisitor<R> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", R::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<R, A::Error> {
        let mut record = R::empty();
        // The required fields seen, by their place in `REQUIRED` (records have few).
        let mut seen = vec![false; R::REQUIRED.len()];
        while let Some(Key(key)) = map.next_key()? {
            if record.read_field(&key, &mut map)? {
                if let Some(at) = R::REQUIRED.iter().position(|name| *name == key) {
                    seen[at] = true;
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        match seen.iter().position(|seen| !seen) {
            Some(at) => Err(de::Error::missing_field(R::REQUIRED[at])),
            None => Ok(record),
        }
    }
}

/// An object's key, borrowed from the input when it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Int64String;

    /// A record as the generator writes one.
    #[derive(Debug, PartialEq)]
    struct Task {
        id: i64,
        name: Option<String>,
        created: Option<i64>,
        kind: String,
    }

    impl Record for Task {
        const NAME: &'static str = "Task";
        const REQUIRED: &'static [&'static str] = &["id", "type"];

        fn empty() -> Self {
            Task {
                id: Placeholder::placeholder(),
                name: None,
                created: None,
                kind: Placeholder::placeholder(),
            }
        }

        fn read_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match key {
                "id" => self.id = map.next_value()?,
                "name" => self.name = map.next_value()?,
                "created" => self.created = map.next_value::<Option<Int64String>>()?.map(|v| v.0),
                "type" => self.kind = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            map.serialize_entry("id", &self.id)?;
            if let Some(value) = &self.name {
                map.serialize_entry("name", value)?;
            }
            if let Some(value) = &self.created {
                map.serialize_entry("created", &Int64String(*value))?;
            }
            map.serialize_entry("type", &self.kind)
        }
    }

    impl<'de> de::Deserialize<'de> for Task {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read(d)
        }
    }

    impl serde::Serialize for Task {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            write(self, s)
        }
    }

    #[test]
    fn a_record_reads_its_fields_skips_others_and_writes_what_is_present() {
        let task: Task = serde_json::from_str(
            r#"{"id": 7, "extra": {"a": [1, null]}, "name": null, "created": "1655276858", "type": "doc", "ünïcode\"key": 1}"#,
        )
        .unwrap();
        assert_eq!(
            task,
            Task {
                id: 7,
                name: None,
                created: Some(1655276858),
                kind: "doc".into()
            }
        );
        assert_eq!(
            serde_json::to_string(&task).unwrap(),
            r#"{"id":7,"created":"1655276858","type":"doc"}"#
        );
    }

    #[test]
    fn a_missing_required_field_or_a_wrong_shape_is_an_error() {
        let missing = serde_json::from_str::<Task>(r#"{"id": 7}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `type`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Task>(r#"[1, 2]"#).unwrap_err();
        assert!(wrong.to_string().contains("an object (Task)"), "{wrong}");
        let typed = serde_json::from_str::<Task>(r#"{"id": "x", "type": "a"}"#).unwrap_err();
        assert!(typed.to_string().contains("invalid type"), "{typed}");
    }
}
