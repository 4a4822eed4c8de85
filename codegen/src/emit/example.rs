//! The `# Example` sections of generated method docs: a short call, compiled as a doc-test.

use super::tokens::ident;
use crate::model::{Endpoint, Field, FieldRust, Provider, ScalarType, TypeDef};

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

/// The required arguments of an example call, for doc examples (types named from the
/// `taskapi` crate).
pub(super) fn args(e: &Endpoint) -> String {
    doc_arg_values(e).join(", ")
}

/// [`args`] one by one, in the client method's order.
pub(super) fn doc_arg_values(e: &Endpoint) -> Vec<String> {
    arg_values(
        e,
        &format!("taskapi::{}::", provider_key(e)),
        "taskapi::runtime::",
    )
}

/// The required arguments of an example call, with generated types named through `prefix`
/// (e.g. `super::feishu::` inside the generated crate): a value the documentation's
/// examples show for a field of the same name (DingTalk's `taskId`), else the parameter's
/// name; an enum's first listed value; a body object built with `new`; `runtime` names
/// the runtime crate.
pub(super) fn args_with(e: &Endpoint, prefix: &str, runtime: &str) -> String {
    arg_values(e, prefix, runtime).join(", ")
}

/// [`args_with`]'s arguments one by one, in the client method's order.
pub(super) fn arg_values(e: &Endpoint, prefix: &str, runtime: &str) -> Vec<String> {
    let mut examples = Vec::new();
    if let Some(body) = e.body.as_ref().and_then(|b| b.example.as_ref()) {
        examples.push(serde_json::from_str(body).unwrap_or_default());
    }
    examples.push(serde_json::from_str::<serde_json::Value>(&e.example).unwrap_or_default());
    let example = |key: &str| examples.iter().find_map(|v| find_string(v, key));
    let mut args: Vec<String> = e
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| match (&p.enumeration, p.repeated) {
            (_, true) => "::std::vec::Vec::new()".to_owned(),
            (Some((name, _)), false) => enum_value(e, name, prefix),
            (None, false) => scalar(p.ty, example(&p.wire).unwrap_or_else(|| p.wire.clone())),
        })
        .collect();
    if let Some(body) = &e.body {
        args.extend(
            body.fields
                .iter()
                .filter(|f| f.required)
                .map(|f| field_value(e, f, prefix, &example)),
        );
        if body.file.is_some() {
            args.push(format!("{runtime}UploadFile::bytes(&b\"example\"[..])"));
        }
    }
    args
}

fn provider_key(e: &Endpoint) -> &str {
    e.id.split('.').next().unwrap_or_default()
}

fn scalar(ty: ScalarType, text: String) -> String {
    match ty {
        ScalarType::String => format!("{text:?}"),
        ScalarType::Integer | ScalarType::Int64String => text
            .parse::<i64>()
            .map_or("0".to_owned(), |n| n.to_string()),
        ScalarType::Number => "0.0".to_owned(),
        ScalarType::Boolean => "false".to_owned(),
    }
}

fn field_value(
    e: &Endpoint,
    f: &Field,
    prefix: &str,
    example: &dyn Fn(&str) -> Option<String>,
) -> String {
    match &f.ty {
        FieldRust::Scalar(ty) => scalar(*ty, example(&f.wire).unwrap_or_else(|| f.wire.clone())),
        FieldRust::List(_) => "::std::vec::Vec::new()".to_owned(),
        FieldRust::Map(_) => "::std::collections::BTreeMap::new()".to_owned(),
        FieldRust::Named(name) => match e.types.iter().find(|t| type_name(t) == name) {
            Some(TypeDef::Enum(_)) => enum_value(e, name, prefix),
            Some(TypeDef::Struct(def)) => {
                let args: Vec<String> = def
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| field_value(e, f, prefix, example))
                    .collect();
                format!("{prefix}{name}::new({})", args.join(", "))
            }
            None => "::std::default::Default::default()".to_owned(),
        },
    }
}

fn type_name(t: &TypeDef) -> &str {
    match t {
        TypeDef::Struct(s) => &s.name,
        TypeDef::Enum(e) => &e.name,
    }
}

/// The first listed value of enum `name`.
fn enum_value(e: &Endpoint, name: &str, prefix: &str) -> String {
    let variant = e.types.iter().find_map(|t| match t {
        TypeDef::Enum(en) if en.name == name => en.variants.first().map(|v| v.name.clone()),
        _ => None,
    });
    match variant {
        Some(variant) => format!("{prefix}{name}::{}", ident(&variant)),
        None => "::std::default::Default::default()".to_owned(),
    }
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
