//! Objects, fields and enums: the reply and token types. Every generated type name is
//! claimed in the provider's one namespace (its endpoints' types are re-exported together),
//! the objects of object fields and the elements of arrays and maps of objects alike.

use super::report::{Names, report};
use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::naming;
use crate::spec::{Code, CodeType, EnumSpec, FieldSpec, FieldType, ObjectSpec};

/// `roles_allowed` is true only for the top-level objects of a token endpoint.
pub(super) fn validate_object<'a>(
    file: &'a str,
    object: &'a ObjectSpec,
    roles_allowed: bool,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    // A shared type is checked once, where provider.yaml declares it.
    if object.shared {
        return;
    }
    if !naming::is_upper_camel(&object.name.value) {
        report(
            diags,
            file,
            &object.name,
            "must be an UpperCamelCase type name",
        );
    } else if let Err(msg) = type_names.claim_in(object.name.value.clone(), file, &object.name.path)
    {
        report(diags, file, &object.name, msg);
    }
    let mut wire_names = Names::new("field");
    let mut idents = Names::new("field name (after snake_case)");
    for field in &object.fields {
        validate_field(file, field, type_names, diags);
        if let Some(role) = &field.role
            && !roles_allowed
        {
            report(
                diags,
                file,
                role,
                "`role` is only for the fields of a token_endpoint's request and response",
            );
        }
        if !naming::is_wire_name(&field.name.value) {
            report(
                diags,
                file,
                &field.name,
                "expected letters, digits and `_`, starting with a letter",
            );
        } else if let Err(msg) = wire_names.claim(field.name.value.clone(), &field.name.path) {
            report(diags, file, &field.name, msg);
        } else if let Err(msg) =
            idents.claim(naming::field_ident(&field.name.value), &field.name.path)
        {
            report(diags, file, &field.name, msg);
        }
    }
}

/// A field: its element (`object:` or `items:`) fits its type, `format` and `max_length`
/// are on strings, an enum is on an integer or a string.
fn validate_field<'a>(
    file: &'a str,
    field: &'a FieldSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    validate_element(file, field, type_names, diags);
    let ty = field.ty.value;
    if let Some(format) = &field.format
        && ty != FieldType::String
    {
        report(
            diags,
            file,
            format,
            "`format: int64` is for `type: string` fields",
        );
    }
    if let Some(max) = &field.max_length
        && ty != FieldType::String
    {
        report(diags, file, max, "max_length applies to string fields only");
    }
    if let Some(enumeration) = &field.enumeration {
        let code_type = match ty {
            FieldType::Integer => CodeType::Integer,
            FieldType::String => CodeType::String,
            _ => {
                report(
                    diags,
                    file,
                    &enumeration.name,
                    "an enum field has `type: integer` or `type: string`",
                );
                return;
            }
        };
        validate_enum(file, enumeration, code_type, type_names, diags);
    }
}

/// `object:` and `items:` against the field's type: an object field has an object, an
/// array or a map has one or the other, a scalar field neither.
fn validate_element<'a>(
    file: &'a str,
    field: &'a FieldSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let ty = field.ty.value;
    // `object:` is the object of an `object` field, or the element of an `array` or the
    // value of a `map` of objects; `items:` the scalar element or value type. Its names
    // are claimed wherever it is, like any nested object's.
    match (ty, &field.object, &field.items) {
        (FieldType::Object | FieldType::Array | FieldType::Map, Some(object), items) => {
            validate_object(file, object, false, type_names, diags);
            match (ty, items) {
                (FieldType::Object, Some(items)) => report(
                    diags,
                    file,
                    items,
                    "`items:` needs `type: array` or `map`, not object",
                ),
                (_, Some(items)) => report(
                    diags,
                    file,
                    items,
                    "either `items:` (a scalar element type) or `object:` (an object element), not both",
                ),
                (_, None) => {}
            }
        }
        (FieldType::Object, None, _) => report(
            diags,
            file,
            &field.ty,
            "an object field needs `object:` with its name and fields",
        ),
        (FieldType::Array | FieldType::Map, None, Some(items)) if !is_scalar(items.value) => {
            report(
                diags,
                file,
                items,
                "items are string, integer, number or boolean (objects go in `object:`)",
            )
        }
        (FieldType::Array | FieldType::Map, None, Some(_)) => {}
        (FieldType::Array, None, None) => report(
            diags,
            file,
            &field.ty,
            "an array field needs `items:` (a scalar element type) or `object:` (an object element)",
        ),
        (FieldType::Map, None, None) => report(
            diags,
            file,
            &field.ty,
            "a map field needs either `items:` (a scalar value type) or `object:`",
        ),
        (_, Some(object), _) => report(
            diags,
            file,
            &object.name,
            format!(
                "`object:` needs `type: object`, `array` or `map`, not {}",
                ty.as_str()
            ),
        ),
        (_, None, Some(items)) => report(
            diags,
            file,
            items,
            format!("`items:` needs `type: array` or `map`, not {}", ty.as_str()),
        ),
        (_, None, None) => {}
    }
}

pub(super) fn validate_enum<'a>(
    file: &'a str,
    enumeration: &'a EnumSpec,
    repr: CodeType,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    if enumeration.shared {
        return;
    }
    if !naming::is_upper_camel(&enumeration.name.value) {
        report(
            diags,
            file,
            &enumeration.name,
            "must be an UpperCamelCase type name",
        );
    } else if let Err(msg) =
        type_names.claim_in(enumeration.name.value.clone(), file, &enumeration.name.path)
    {
        report(diags, file, &enumeration.name, msg);
    }
    if enumeration.values.is_empty() {
        report(
            diags,
            file,
            &enumeration.name,
            "an enum needs at least one value",
        );
    }
    let mut values = Names::new("value");
    let mut names = Names::new("variant");
    for v in &enumeration.values {
        if let Some(source) = &v.source
            && v.description.is_empty()
        {
            report(
                diags,
                file,
                source,
                "`source` says where the `description` comes from, and this value has no `description`",
            );
        }
        match Code::parse(repr, &v.value.value) {
            Err(msg) => report(diags, file, &v.value, msg),
            Ok(code) => {
                if let Err(msg) = values.claim(code.to_string(), &v.value.path) {
                    report(diags, file, &v.value, msg);
                }
            }
        }
        if !naming::is_upper_camel(&v.name.value) {
            report(
                diags,
                file,
                &v.name,
                "must be an UpperCamelCase variant name",
            );
        } else if v.name.value == "Unknown" {
            report(
                diags,
                file,
                &v.name,
                "`Unknown` is reserved for values the spec does not list",
            );
        } else if let Err(msg) = names.claim(v.name.value.clone(), &v.name.path) {
            report(diags, file, &v.name, msg);
        }
    }
}

/// A type a value of a list, a map, a parameter or a form field can have.
pub(super) fn is_scalar(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::String | FieldType::Integer | FieldType::Number | FieldType::Boolean
    )
}

/// The fields a dotted path walks through in `object`, when it resolves and ends at a field
/// of one of `types`; else the problem is reported at the path.
pub(super) fn expect_field<'o>(
    file: &str,
    object: &'o ObjectSpec,
    path: &Spanned<String>,
    types: &[FieldType],
    diags: &mut Diagnostics,
) -> Option<Vec<&'o FieldSpec>> {
    match object.field_path(&path.value) {
        Err(msg) => {
            report(diags, file, path, msg);
            None
        }
        Ok(fields) => {
            let last = fields[fields.len() - 1];
            if !types.contains(&last.ty.value) {
                report(
                    diags,
                    file,
                    path,
                    format!(
                        "`{}` is {}, expected {}",
                        path.value,
                        last.ty.value.as_str(),
                        types
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                );
                return None;
            }
            Some(fields)
        }
    }
}
