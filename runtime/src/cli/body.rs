//! A request body from the command line: `--body JSON` (or `--body @file.json`) as the
//! start, each body flag (`--point-mount-key`) set on top at its place, then decoded into
//! the endpoint's body type, so a missing or mistyped field is a usage error naming it.

use super::call::Call;
use super::outcome::Outcome;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The flag that gives the whole body.
pub const BODY_FLAG: &str = "body";

/// How a body flag's text becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlagKind {
    /// Sent as given.
    String,
    /// An integer.
    Integer,
    /// An integer sent as a JSON string (`format: int64`).
    Int64String,
    /// A float.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// One body flag of a generated subcommand: the field it sets.
#[derive(Debug)]
pub struct BodyFlag {
    /// The flag's clap id and long name, e.g. `point-mount-key`.
    pub flag: &'static str,
    /// The field's wire names from the body's top, e.g. `["point", "mount_key"]`.
    pub path: &'static [&'static str],
    /// Its type.
    pub kind: FlagKind,
    /// An array: the flag may be repeated.
    pub repeated: bool,
}

impl Call<'_> {
    /// The body: `--body` (JSON, or `@path` to a JSON file; `{}` when absent) with each
    /// body flag given set on top, decoded as `T`.
    pub fn body<T: DeserializeOwned>(&self, flags: &[BodyFlag]) -> Result<T, Outcome> {
        self.body_with_defaults(flags, &[])
    }

    /// As [`body`](Self::body), each of `defaults` set where neither `--body` nor a flag
    /// sets it: the top-level string fields a workflow fills itself (one an upload's reply
    /// feeds, one the uploaded file's path gives).
    pub fn body_with_defaults<T: DeserializeOwned>(
        &self,
        flags: &[BodyFlag],
        defaults: &[(&str, String)],
    ) -> Result<T, Outcome> {
        let mut body = match self.args.get_one::<String>(BODY_FLAG) {
            None => Value::Object(Map::new()),
            Some(text) => read_body(text)?,
        };
        for flag in flags {
            let Some(values) = self.args.get_many::<String>(flag.flag) else {
                continue;
            };
            let values: Vec<Value> = values
                .map(|text| value(flag, text))
                .collect::<Result<_, _>>()?;
            let value = if flag.repeated {
                Value::Array(values)
            } else {
                values.into_iter().next().unwrap_or(Value::Null)
            };
            set(&mut body, flag.path, value)
                .map_err(|why| Outcome::usage(format!("--{} cannot be set: {why}", flag.flag)))?;
        }
        if let Value::Object(map) = &mut body {
            for (field, value) in defaults {
                map.entry(*field)
                    .or_insert_with(|| Value::String(value.clone()));
            }
        }
        serde_json::from_value(body).map_err(|e| {
            Outcome::usage(format!(
                "the request body is not complete or not valid: {e} (give the field as a flag, or in --body)"
            ))
        })
    }
}

fn read_body(text: &str) -> Result<Value, Outcome> {
    let (what, json) = match text.strip_prefix('@') {
        Some(path) => (
            format!("--body @{path}"),
            std::fs::read_to_string(path)
                .map_err(|e| Outcome::usage(format!("--body @{path}: cannot read it: {e}")))?,
        ),
        None => ("--body".to_owned(), text.to_owned()),
    };
    match serde_json::from_str::<Value>(&json) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(Outcome::usage(format!("{what}: expected a JSON object"))),
        Err(e) => Err(Outcome::usage(format!("{what}: not valid JSON: {e}"))),
    }
}

fn value(flag: &BodyFlag, text: &str) -> Result<Value, Outcome> {
    let bad =
        |what: &str| Outcome::usage(format!("--{}: expected {what}, got {text:?}", flag.flag));
    Ok(match flag.kind {
        FlagKind::String => Value::String(text.to_owned()),
        FlagKind::Integer => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        FlagKind::Int64String => Value::String(
            text.parse::<i64>()
                .map_err(|_| bad("an integer"))?
                .to_string(),
        ),
        FlagKind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number"))?,
        FlagKind::Boolean => Value::Bool(text.parse::<bool>().map_err(|_| bad("true or false"))?),
    })
}

/// Sets `value` at `path` in `body`, making objects on the way.
fn set(body: &mut Value, path: &[&str], value: Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("no field".to_owned());
    };
    let mut here = body;
    for (i, key) in parents.iter().enumerate() {
        let Value::Object(map) = here else {
            return Err(format!(
                "`{}` in --body is not an object",
                path[..i].join(".")
            ));
        };
        here = map
            .entry((*key).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match here {
        Value::Object(map) => {
            map.insert((*last).to_owned(), value);
            Ok(())
        }
        _ => Err(format!(
            "`{}` in --body is not an object",
            parents.join(".")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_set_inside_nested_objects_of_the_body() {
        let mut body = serde_json::json!({"file_name": "a", "point": {"mount_type": 1}});
        set(&mut body, &["point", "mount_key"], Value::from("fld")).unwrap();
        set(&mut body, &["extra", "x"], Value::from(true)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"file_name": "a", "point": {"mount_type": 1, "mount_key": "fld"}, "extra": {"x": true}})
        );
        let mut scalar = serde_json::json!({"point": 3});
        assert!(set(&mut scalar, &["point", "mount_key"], Value::Null).is_err());
    }
}
