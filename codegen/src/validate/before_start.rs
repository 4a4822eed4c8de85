//! `starts.before`, the start's side: what the upload takes from the start (a JSON object
//! of its fields, each with its value before the upload) and what the upload's reply, or the
//! path, fills in it (text fields, each once, from a text field of the reply).

use super::report::report;
use super::types::expect_field;
use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::spec::{BeforeSpec, EndpointSpec, FieldSpec, FieldType, JsonMemberSpec, StartSource};
use std::collections::BTreeMap;

/// A JSON object's members: unique keys, each from a required text field of the start's
/// body that has its value before the upload (not one the upload's reply feeds).
pub(super) fn validate_members(
    e: &EndpointSpec,
    before: &BeforeSpec,
    members: &[JsonMemberSpec],
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let mut keys: BTreeMap<&str, &str> = BTreeMap::new();
    for member in members {
        if member.key.value.is_empty() {
            report(diags, file, &member.key, "a member's key cannot be empty");
        } else if let Some(first) = keys.insert(&member.key.value, &member.path) {
            report(
                diags,
                file,
                &member.key,
                format!("key used twice (also {first})"),
            );
        }
        let name = member.request.value.as_str();
        let Some(field) = body_field(e, name) else {
            report(
                diags,
                file,
                &member.request,
                format!("this request has no body field `{name}`"),
            );
            continue;
        };
        let from_reply = before
            .feeds
            .iter()
            .any(|f| f.field.value == name && matches!(f.source.value, StartSource::Reply(_)));
        if field.ty.value != FieldType::String || field.format.is_some() || !field.required {
            report(
                diags,
                file,
                &member.request,
                format!(
                    "`{name}` must be a required string field (text, or a listed text value) to be a member's value"
                ),
            );
        } else if from_reply {
            report(
                diags,
                file,
                &member.request,
                format!("`{name}` is fed by the upload's reply: it has no value before the upload"),
            );
        }
    }
}

/// What the upload (or the path) fills in the start's body: text fields, each once, from a
/// text field of the upload's reply; at least one from the reply.
pub(super) fn validate_feeds(
    e: &EndpointSpec,
    before: &BeforeSpec,
    upload: &EndpointSpec,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let mut fed: BTreeMap<&str, &str> = BTreeMap::new();
    for feed in &before.feeds {
        let name = feed.field.value.as_str();
        match body_field(e, name) {
            None => report(
                diags,
                file,
                &feed.field,
                format!("this request has no body field `{name}`"),
            ),
            Some(field) => {
                if let Some(first) = fed.insert(name, &feed.path) {
                    report(
                        diags,
                        file,
                        &feed.field,
                        format!("fed twice (also {first})"),
                    );
                }
                expect_text(file, field, &feed.field, diags);
            }
        }
        if let StartSource::Reply(path) = &feed.source.value {
            let Some(reply) = upload.response.json() else {
                report(
                    diags,
                    file,
                    &feed.source,
                    format!("`{}` does not answer with JSON", upload.id.value),
                );
                continue;
            };
            let at = Spanned {
                value: path.clone(),
                at: feed.source.at,
                path: feed.source.path.clone(),
            };
            let walked = expect_field(file, reply, &at, &[FieldType::String], diags);
            if let Some(last) = walked.as_ref().and_then(|fields| fields.last())
                && (last.format.is_some() || last.enumeration.is_some())
            {
                report(diags, file, &at, format!("`{path}` is not plain text"));
            }
        }
    }
    if !before
        .feeds
        .iter()
        .any(|f| matches!(f.source.value, StartSource::Reply(_)))
    {
        report(
            diags,
            file,
            &before.endpoint,
            "nothing in `feeds` reads the upload's reply (`reply:`): the upload would feed nothing",
        );
    }
}

/// A top-level field of the start request's body.
fn body_field<'e>(e: &'e EndpointSpec, name: &str) -> Option<&'e FieldSpec> {
    e.body
        .as_ref()
        .and_then(|b| b.object.fields.iter().find(|f| f.name.value == name))
}

/// `field` takes text: a string without a format or listed values.
pub(super) fn expect_text<T>(
    file: &str,
    field: &FieldSpec,
    at: &Spanned<T>,
    diags: &mut Diagnostics,
) {
    let ty = field.ty.value;
    if ty != FieldType::String || field.format.is_some() || field.enumeration.is_some() {
        report(
            diags,
            file,
            at,
            format!(
                "`{}` is {}{}: it takes text here",
                field.name.value,
                ty.as_str(),
                if field.enumeration.is_some() {
                    " with listed values"
                } else if field.format.is_some() {
                    " with a format"
                } else {
                    ""
                }
            ),
        );
    }
}
