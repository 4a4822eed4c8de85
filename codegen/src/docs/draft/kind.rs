//! What a page's type text stands for in the spec format: the one reading of `string`,
//! `int64`, `dropdown_option[]`, `map<string, string>` ... that every part of the draft uses.

use crate::naming;
use docread::Field;

/// What a page's type text stands for in the spec format.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// `string`, `integer`, `number` or `boolean`.
    Scalar(&'static str),
    /// An array of scalars.
    Array(&'static str),
    /// `array`/`list` with no element type and no fields.
    ArrayUnknown,
    /// An array of objects: `type: array` with the element's `object:` (the row's fields).
    ArrayOfObjects,
    Object,
    /// `map<K, V>`: `Some(V)` for a scalar value type, `None` for objects (the row's fields).
    Map(Option<&'static str>),
    /// A multipart form's file part.
    File,
    /// A type the draft cannot map.
    Unknown,
}

/// The spec's scalar type a page's type text names, if it names one.
pub(super) fn scalar_type(t: &str) -> Option<&'static str> {
    Some(match t.trim() {
        "string" | "str" => "string",
        "int" | "integer" | "int32" | "int64" | "long" | "short" => "integer",
        "float" | "double" | "number" | "decimal" => "number",
        "boolean" | "bool" => "boolean",
        _ => return None,
    })
}

/// The element type text of an array type text (`string[]`, `array<string>`, `list<x>`).
fn element_type(t: &str) -> Option<&str> {
    t.strip_suffix("[]")
        .or_else(|| t.strip_prefix("array<").and_then(|r| r.strip_suffix('>')))
        .or_else(|| t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')))
}

/// What a field's type text (and whether the page lists fields under it) stands for.
pub(super) fn kind(f: &Field) -> Kind {
    let t = f.ty.trim().to_ascii_lowercase();
    let fields = !f.children.is_empty();
    if let Some(s) = scalar_type(&t) {
        return Kind::Scalar(s);
    }
    if let Some(element) = element_type(&t) {
        return match scalar_type(element) {
            Some(s) => Kind::Array(s),
            None => Kind::ArrayOfObjects,
        };
    }
    match t.as_str() {
        "object" => Kind::Object,
        "file" | "binary" => Kind::File,
        "array" | "list" if fields => Kind::ArrayOfObjects,
        "array" | "list" => Kind::ArrayUnknown,
        _ if t.starts_with("map") => {
            let value = t
                .split_once(',')
                .map(|(_, v)| v.trim().trim_end_matches('>').trim());
            match value.and_then(scalar_type) {
                Some(s) if !fields => Kind::Map(Some(s)),
                _ if fields => Kind::Map(None),
                _ => Kind::Unknown,
            }
        }
        // A named type (`import_task_mount_point`) with its fields listed under it.
        _ if fields => Kind::Object,
        _ => Kind::Unknown,
    }
}

/// The page's name of a field's object type, or of its elements' (`dropdown_option[]` ->
/// `dropdown_option`); `None` for a scalar or a type that names nothing (`object`).
pub(super) fn page_type_name(f: &Field) -> Option<String> {
    let t = f.ty.trim().to_ascii_lowercase();
    let element = element_type(&t).unwrap_or(&t).trim();
    let names_a_type = naming::is_snake_ident(element)
        && scalar_type(element).is_none()
        && !matches!(
            element,
            "object" | "array" | "list" | "map" | "file" | "binary"
        );
    names_a_type.then(|| element.to_owned())
}
