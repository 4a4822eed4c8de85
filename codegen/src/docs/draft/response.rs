//! The draft's reply: `response:` with the reply's fields (from the page's reply table, else
//! read from its reply example), or a download when the page documents no JSON reply; and
//! `example:`, the page's reply example (for a download, an error reply made from the first
//! error row, marked as made up).

use super::fields::{Place, field};
use super::json::Json;
use super::names::TypeNames;
use super::yaml_out::{Entry, Item, Y, with_newline};
use crate::spec::{CodeType, EnvelopeStyle, ProviderSpec};
use docread::{Facts, Field};

/// The comment above an `example:` the draft made up (a download's page shows none): not a
/// page fact, so `write_into` leaves a spec's own example alone.
pub(crate) const NO_REPLY_EXAMPLE: &str =
    "The page shows no reply example: a JSON error built from its first error row.";

/// The comment on reply fields the draft read from the page's example: not the page's full
/// list, so a field only the spec has is no difference.
pub(crate) const REPLY_FROM_EXAMPLE: &str =
    "The page has no reply table: these fields and their types are read from its example.";

/// The response, and whether it is a download (no reply table, no JSON example).
pub(super) fn response(
    facts: &Facts,
    style: EnvelopeStyle,
    names: &mut TypeNames,
) -> (Entry, bool) {
    let (fields, from_example) = reply_fields(facts, style);
    if fields.is_empty() && facts.reply_example.is_none() {
        return (
            Entry::new(
                "response",
                Y::Map(vec![
                    Entry::str("content", "binary"),
                    Entry::str(
                        "description",
                        "The reply body: the page documents no JSON reply (a download).",
                    ),
                ]),
            )
            .with_comments(vec![
                "The page has neither a reply table nor a reply example: drafted as a download."
                    .into(),
            ]),
            true,
        );
    }
    let name = names.of_operation(&["Data", "Reply"]);
    let items: Vec<Item> = fields
        .iter()
        .map(|f| field(f, &name, Place::Reply, &[], names))
        .collect();
    let description = match style {
        EnvelopeStyle::Bare => "The reply body (not wrapped).",
        _ => "The `data` object of the reply.",
    };
    let mut fields_entry = Entry::new("fields", Y::Seq(items));
    if from_example {
        fields_entry.comments.push(REPLY_FROM_EXAMPLE.into());
    }
    (
        Entry::new(
            "response",
            Y::Map(vec![
                Entry::str("name", name),
                Entry::str("description", description),
                fields_entry,
            ]),
        ),
        false,
    )
}

/// The reply's fields: the page's reply table, else those of its reply example's data (the
/// whole body for a bare envelope), and whether they were read from the example.
pub(super) fn reply_fields(facts: &Facts, style: EnvelopeStyle) -> (Vec<Field>, bool) {
    if !facts.response.is_empty() {
        return (facts.response.clone(), false);
    }
    let Some(example) = facts
        .reply_example
        .as_ref()
        .and_then(|x| Json::parse(&x.value))
    else {
        return (Vec::new(), false);
    };
    let data = match style {
        EnvelopeStyle::Bare => Some(&example),
        EnvelopeStyle::CodeMsgData | EnvelopeStyle::CodeMsgFlat => example.get("data"),
    };
    (data.map(fields_of_example).unwrap_or_default(), true)
}

/// The reply example; for a download (`binary`), an error reply built from the first error
/// row, as the page shows none.
pub(super) fn example(facts: &Facts, binary: bool, provider: &ProviderSpec) -> Entry {
    if let Some(x) = &facts.reply_example {
        if Json::parse(&x.value).is_some() {
            return Entry::str("example", with_newline(&x.value));
        }
        let mut lines = vec!["The page's reply example, which is not valid JSON:".to_owned()];
        lines.extend(x.value.lines().map(|l| format!("  {l}")));
        return Entry::str(
            "example",
            "TODO the page's reply example (above) as valid JSON",
        )
        .with_comments(lines);
    }
    if binary && let Some(row) = facts.errors.first() {
        let row = &row.value;
        let code = match provider.envelope.code_type {
            CodeType::Integer => match row.code.trim().parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => serde_json::Value::from(row.code.trim()),
            },
            CodeType::String => serde_json::Value::from(row.code.trim()),
        };
        let message_key = match provider.envelope.style {
            EnvelopeStyle::Bare => "message",
            _ => "msg",
        };
        let mut object = serde_json::Map::new();
        object.insert("code".into(), code);
        object.insert(message_key.into(), row.message.clone().into());
        let text = serde_json::Value::Object(object).to_string();
        return Entry::str("example", format!("{text}\n"))
            .with_comments(vec![NO_REPLY_EXAMPLE.into()]);
    }
    Entry::str("example", "TODO a reply example (the page shows none)")
}

/// Page-style fields read from a JSON example object: names, types, nesting.
fn fields_of_example(value: &Json) -> Vec<Field> {
    let Json::Object(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|(name, v)| {
            let (ty, children) = match v {
                Json::Str(_) => ("string".to_owned(), Vec::new()),
                Json::Int => ("int".into(), Vec::new()),
                Json::Float => ("float".into(), Vec::new()),
                Json::Bool(_) => ("boolean".into(), Vec::new()),
                Json::Null => ("null".into(), Vec::new()),
                Json::Object(_) => ("object".into(), fields_of_example(v)),
                Json::Array(items) => match items.first() {
                    None => ("array".into(), Vec::new()),
                    Some(Json::Object(_)) => (
                        "object[]".into(),
                        items.first().map(fields_of_example).unwrap_or_default(),
                    ),
                    Some(Json::Str(_)) => ("string[]".into(), Vec::new()),
                    Some(Json::Int) => ("int[]".into(), Vec::new()),
                    Some(Json::Float) => ("float[]".into(), Vec::new()),
                    Some(Json::Bool(_)) => ("boolean[]".into(), Vec::new()),
                    Some(_) => ("array".into(), Vec::new()),
                },
            };
            Field {
                name: name.clone(),
                ty,
                required: None,
                description: String::new(),
                example: None,
                max_length: None,
                enum_values: Vec::new(),
                children,
                line: 0,
            }
        })
        .collect()
}
