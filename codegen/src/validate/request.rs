//! What a request sends besides its path: parameter types by location, and bodies (a JSON
//! object or a multipart form with one file part).

use super::report::{Names, report};
use super::types::{is_scalar, validate_enum, validate_object};
use crate::diag::Diagnostics;
use crate::naming;
use crate::spec::{
    BodyContent, BodySpec, CodeType, EndpointSpec, FieldType, FileFactKind, FilePartSpec, Method,
    ParamIn, ParamSpec,
};

pub(super) fn validate_param_type<'a>(
    file: &'a str,
    param: &'a ParamSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    if let Some(enumeration) = &param.enumeration {
        let repr = match param.ty.value {
            FieldType::Integer => Some(CodeType::Integer),
            FieldType::String if param.format.is_none() => Some(CodeType::String),
            _ => None,
        };
        match repr {
            Some(repr) => validate_enum(file, enumeration, repr, type_names, diags),
            None => report(
                diags,
                file,
                &enumeration.name,
                "an enum parameter has `type: integer` or `type: string`",
            ),
        }
    }
    let ty = param.ty.value;
    let allowed = match param.location {
        // A header carries text; a path segment text or a number.
        ParamIn::Header => ty == FieldType::String,
        ParamIn::Path => matches!(ty, FieldType::String | FieldType::Integer),
        ParamIn::Query => is_scalar(ty) || ty == FieldType::Array,
    };
    if !allowed {
        report(
            diags,
            file,
            &param.ty,
            format!(
                "a {} parameter cannot be {}: path parameters are strings or integers, headers strings, query parameters scalars or arrays of strings",
                param.location.as_str(),
                ty.as_str()
            ),
        );
    }
    match (&param.items, ty) {
        (None, FieldType::Array) => report(
            diags,
            file,
            &param.ty,
            "an array parameter needs `items: string`",
        ),
        (Some(items), FieldType::Array) if items.value != FieldType::String => {
            report(diags, file, items, "array parameters are arrays of strings")
        }
        (Some(items), ty) if ty != FieldType::Array => {
            report(diags, file, items, "`items:` needs `type: array`")
        }
        _ => {}
    }
    if let Some(max) = &param.max_length
        && ty != FieldType::String
    {
        report(
            diags,
            file,
            max,
            "max_length applies to string parameters only",
        );
    }
    if let Some(format) = &param.format
        && ty != FieldType::String
    {
        report(
            diags,
            file,
            format,
            "`format: int64` is for `type: string` parameters",
        );
    }
}

pub(super) fn validate_body<'a>(
    e: &'a EndpointSpec,
    body: &'a BodySpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    if e.method.value == Method::Get {
        report(diags, file, &body.content, "a GET request has no body");
    }
    validate_object(file, &body.object, false, type_names, diags);
    // Body fields and parameters become arguments and setters of one request builder.
    let mut names = Names::new("parameter or body field (after snake_case)");
    for param in &e.params {
        let _ = names.claim(naming::field_ident(&param.name.value), &param.name.path);
    }
    for field in &body.object.fields {
        if let Err(msg) = names.claim(naming::field_ident(&field.name.value), &field.name.path) {
            report(diags, file, &field.name, msg);
        }
    }
    match (body.content.value, &body.file) {
        (BodyContent::Json, Some(part)) => report(
            diags,
            file,
            &part.name,
            "`file:` is for `content: multipart` bodies",
        ),
        (BodyContent::Multipart, None) => report(
            diags,
            file,
            &body.content,
            "a multipart body needs `file:` (its file part)",
        ),
        (BodyContent::Multipart, Some(part)) => {
            for field in &body.object.fields {
                if !is_scalar(field.ty.value) {
                    report(
                        diags,
                        file,
                        &field.ty,
                        "a form's text parts are strings, integers, numbers or booleans",
                    );
                }
                if field.name.value == part.name.value {
                    report(
                        diags,
                        file,
                        &field.name,
                        "a text part has the file part's name",
                    );
                }
            }
            if !naming::is_wire_name(&part.name.value) {
                report(
                    diags,
                    file,
                    &part.name,
                    "expected letters, digits and `_`, starting with a letter",
                );
            }
            validate_file_part(file, body, part, diags);
        }
        (BodyContent::Json, None) => {}
    }
    if let Some(example) = &body.example {
        match serde_json::from_str::<serde_json::Value>(&example.value) {
            Err(msg) => report(diags, file, example, format!("not valid JSON: {msg}")),
            Ok(serde_json::Value::Object(_)) => {}
            Ok(_) => report(diags, file, example, "a body example is a JSON object"),
        }
        if body.content.value == BodyContent::Multipart {
            report(diags, file, example, "`example:` is for JSON bodies");
        }
    }
}

/// A file part's limit and the text parts it fills: `larger` goes with `max_size`, and
/// each `from_file` entry names a text part of the right type.
fn validate_file_part(file: &str, body: &BodySpec, part: &FilePartSpec, diags: &mut Diagnostics) {
    match (&part.max_size, &part.larger) {
        (Some(max), None) => report(
            diags,
            file,
            max,
            "a file over `max_size` is refused with what to use instead: add `larger:` (what the page says to do with larger files)",
        ),
        (None, Some(larger)) => report(
            diags,
            file,
            larger,
            "`larger:` says what to do beyond `max_size`, which is not set",
        ),
        _ => {}
    }
    let Some(from_file) = &part.from_file else {
        return;
    };
    for (name, fact) in from_file.parts() {
        if let Some(problem) = from_file_problem(body, &name.value, fact) {
            report(diags, file, name, problem);
        }
    }
}

/// Why the `from_file` entry naming the text part `name` for `fact` is wrong, if it is: no
/// such part, or a part of another type. (An upload sent before a start relies on the
/// entries that are right.)
pub(super) fn from_file_problem(body: &BodySpec, name: &str, fact: FileFactKind) -> Option<String> {
    let Some(field) = body.object.fields.iter().find(|f| f.name.value == name) else {
        return Some(format!("no text part of the form is named `{name}`"));
    };
    let fits = match fact {
        FileFactKind::Size => field.ty.value == FieldType::Integer,
        FileFactKind::Adler32 => matches!(field.ty.value, FieldType::String | FieldType::Integer),
    };
    let wanted = match fact {
        FileFactKind::Size => "an `integer` part",
        FileFactKind::Adler32 => "a `string` or `integer` part",
    };
    (!fits).then(|| {
        format!(
            "`{name}` is a `{}` part; this fact needs {wanted}",
            field.ty.value.as_str()
        )
    })
}
