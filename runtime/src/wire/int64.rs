//! An `i64` that travels as a JSON string (`format: int64` in a spec: ids and Unix times
//! the pages type as string). Reading also takes a bare number, which some replies send for
//! the same field.

use serde::Serializer;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// `#[serde(with = "::taskapi_runtime::wire::int64_string")]` on an `i64` field.
pub mod int64_string {
    use super::*;

    /// Writes the value as a string.
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string holding an integer, or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(Int64Visitor)
    }
}

/// `#[serde(with = "::taskapi_runtime::wire::int64_string_opt", default)]` on an
/// `Option<i64>` field.
pub mod int64_string_opt {
    use super::*;

    /// Writes the value as a string (`None` is skipped by the field's attributes).
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(value),
            None => serializer.serialize_none(),
        }
    }

    /// Reads null, a string holding an integer, or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_any(OptionalInt64Visitor)
    }
}

/// An `i64` read from a string holding one (or a bare number) and written as a string: a
/// generated record's `format: int64` field goes through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int64String(pub i64);

impl<'de> serde::Deserialize<'de> for Int64String {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Int64Visitor).map(Int64String)
    }
}

impl serde::Serialize for Int64String {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

struct Int64Visitor;

impl Visitor<'_> for Int64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string holding one")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
}

struct OptionalInt64Visitor;

impl<'de> Visitor<'de> for OptionalInt64Visitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null, an integer, or a string holding one")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(Int64Visitor).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
        Int64Visitor.visit_str(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i64>, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
        Int64Visitor.visit_u64(v).map(Some)
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(with = "super::int64_string")]
        a: i64,
        #[serde(
            with = "super::int64_string_opt",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        b: Option<i64>,
    }

    #[test]
    fn int64_travels_as_a_string_and_reads_either_form() {
        let t = T {
            a: 1655276858,
            b: Some(-3),
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":"1655276858","b":"-3"}"#
        );
        let read: T = serde_json::from_str(r#"{"a":1655276858,"b":null}"#).unwrap();
        assert_eq!(
            read,
            T {
                a: 1655276858,
                b: None
            }
        );
        let read: T = serde_json::from_str(r#"{"a":"7"}"#).unwrap();
        assert_eq!(read.a, 7);
        assert!(serde_json::from_str::<T>(r#"{"a":"x"}"#).is_err());
    }
}
