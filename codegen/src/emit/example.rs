//! The `# Example` sections of generated method docs: a short call, compiled as a doc-test.

use super::ident;
use crate::model::{Endpoint, Provider, ScalarType};

/// A `# Example` section for a method's docs: a client, `call`, and `shown` printed; compiled
/// (not run) as a doc-test, so a renamed method or a changed signature fails `cargo test`.
pub(super) fn usage(p: &Provider, e: &Endpoint, call: &str, shown: &str) -> String {
    format!(
        "# Example\n\n```no_run\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = taskapi::{provider}::{client}::new(\"t-your-token\")?;\n\
         {call}\n\
         println!(\"{{{shown}:?}}\");\n\
         # Ok(()) }}\n```\n\n\
         Try it without a network with `taskapi::testing::FakeServer` (feature `testing`); the \
         example reply of `{id}`'s documentation is what it answers.",
        provider = ident(&p.key),
        client = p.client,
        id = e.id,
    )
}

/// The required arguments of an example call: a value the documentation's example reply
/// shows for a field of the same name (DingTalk's `taskId`), else the parameter's name.
pub(super) fn args(e: &Endpoint) -> String {
    let example: serde_json::Value = serde_json::from_str(&e.example).unwrap_or_default();
    e.params
        .iter()
        .filter(|p| p.required)
        .map(|p| match p.ty {
            ScalarType::String => {
                let value = find_string(&example, &p.wire).unwrap_or_else(|| p.wire.clone());
                format!("{value:?}")
            }
            ScalarType::Integer => "0".to_owned(),
            ScalarType::Boolean => "false".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first string value under `key`, anywhere in `value`.
fn find_string(value: &serde_json::Value, key: &str) -> Option<String> {
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(|v| v.as_str().map(str::to_owned))
            .or_else(|| map.values().find_map(|v| find_string(v, key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_string(v, key)),
        _ => None,
    }
}
