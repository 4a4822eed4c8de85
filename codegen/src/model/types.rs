//! The structs and enums a reply decodes into and a request body is built from, flattened
//! out of the spec's nested objects (those of object fields, and the elements of arrays and
//! maps of objects).

use crate::naming;
use crate::spec::{Code, CodeType, EnumSpec, FieldSpec, FieldType, ObjectSpec, StringFormat};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Integer,
    /// A float.
    Number,
    Boolean,
    /// An `i64` that travels as a JSON string (`format: int64`).
    Int64String,
}

/// What a struct is for: replies are read, bodies are built by callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructKind {
    Reply,
    /// A request body or an object nested in one: built with `new` and setters.
    Body,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub name: String,
    /// One of the provider's shared types (or nested in one): generated in the provider's
    /// `types` module, not in the endpoint's.
    pub shared: bool,
    pub kind: StructKind,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    pub ident: String,
    pub ty: FieldRust,
    pub required: bool,
    pub description: String,
    /// Kept out of Debug output (app secrets, access tokens).
    pub secret: bool,
    /// Request bodies: the longest string the page allows, checked before sending.
    pub max_length: Option<u32>,
    /// The page's example value, as written.
    pub example: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldRust {
    Scalar(ScalarType),
    /// An array: of scalars, or of a generated struct (`Named`).
    List(Box<FieldRust>),
    /// A generated struct or enum, by name.
    Named(String),
    /// An object with arbitrary keys.
    Map(Box<FieldRust>),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    /// As [`StructDef::shared`].
    pub shared: bool,
    pub description: String,
    pub repr: CodeType,
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub name: String,
    pub value: Code,
    pub description: String,
}

pub(super) fn scalar_type(ty: FieldType, format: Option<StringFormat>) -> ScalarType {
    match (ty, format) {
        (FieldType::Integer, _) => ScalarType::Integer,
        (FieldType::Number, _) => ScalarType::Number,
        (FieldType::Boolean, _) => ScalarType::Boolean,
        (_, Some(StringFormat::Int64)) => ScalarType::Int64String,
        _ => ScalarType::String,
    }
}

/// Flattens an object and everything nested in it into type definitions, outermost first.
pub(super) fn collect_types(object: &ObjectSpec, kind: StructKind, types: &mut Vec<TypeDef>) {
    collect(object, kind, false, types);
}

/// [`collect_types`], everything in a shared type marked shared.
fn collect(object: &ObjectSpec, kind: StructKind, shared: bool, types: &mut Vec<TypeDef>) {
    let shared = shared || object.shared;
    let index = types.len();
    types.push(TypeDef::Struct(StructDef {
        name: object.name.value.clone(),
        shared,
        kind,
        description: object.description.clone(),
        fields: Vec::new(),
    }));
    let mut fields = Vec::new();
    for f in &object.fields {
        fields.push(Field {
            wire: f.name.value.clone(),
            ident: naming::field_ident(&f.name.value),
            ty: field_type(f, kind, shared, types),
            required: f.required,
            description: f.description.clone(),
            secret: f.role.as_ref().is_some_and(|r| r.value.is_secret()),
            max_length: f.max_length.as_ref().map(|m| m.value),
            example: f.example.as_ref().map(|e| e.value.text.clone()),
        });
    }
    if let TypeDef::Struct(def) = &mut types[index] {
        def.fields = fields;
    }
}

fn field_type(
    f: &FieldSpec,
    kind: StructKind,
    shared: bool,
    types: &mut Vec<TypeDef>,
) -> FieldRust {
    if let Some(object) = &f.object {
        collect(object, kind, shared, types);
        let named = FieldRust::Named(object.name.value.clone());
        return match f.ty.value {
            FieldType::Map => FieldRust::Map(Box::new(named)),
            FieldType::Array => FieldRust::List(Box::new(named)),
            _ => named,
        };
    }
    if let Some(enumeration) = &f.enumeration {
        let mut def = enum_def(enumeration, &f.description, f.ty.value);
        if let TypeDef::Enum(def) = &mut def {
            def.shared |= shared;
        }
        types.push(def);
        return FieldRust::Named(enumeration.name.value.clone());
    }
    let format = f.format.as_ref().map(|f| f.value);
    match (f.ty.value, &f.items) {
        (FieldType::Array, Some(items)) => {
            FieldRust::List(Box::new(FieldRust::Scalar(scalar_type(items.value, None))))
        }
        (FieldType::Map, Some(items)) => {
            FieldRust::Map(Box::new(FieldRust::Scalar(scalar_type(items.value, None))))
        }
        (ty, _) => FieldRust::Scalar(scalar_type(ty, format)),
    }
}

/// The enum of a field's or parameter's listed values.
pub(super) fn enum_def(enumeration: &EnumSpec, description: &str, ty: FieldType) -> TypeDef {
    let repr = if ty == FieldType::Integer {
        CodeType::Integer
    } else {
        CodeType::String
    };
    TypeDef::Enum(EnumDef {
        name: enumeration.name.value.clone(),
        shared: enumeration.shared,
        description: description.to_owned(),
        repr,
        variants: enumeration
            .values
            .iter()
            .filter_map(|v| {
                Some(EnumVariant {
                    name: v.name.value.clone(),
                    value: Code::parse(repr, &v.value.value).ok()?,
                    description: v.description.clone(),
                })
            })
            .collect(),
    })
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    /// Generated in the provider's `types` module (see [`StructDef::shared`]).
    pub fn is_shared(&self) -> bool {
        match self {
            TypeDef::Struct(s) => s.shared,
            TypeDef::Enum(e) => e.shared,
        }
    }
}

/// The types a provider declares once (`types:`), flattened, each marked shared.
pub(super) fn shared_types(declared: &[crate::spec::SharedType]) -> Vec<TypeDef> {
    let mut types = Vec::new();
    for shared in declared {
        match shared {
            crate::spec::SharedType::Object(object) => {
                collect(object, StructKind::Reply, true, &mut types)
            }
            crate::spec::SharedType::Enum {
                enumeration,
                ty,
                description,
            } => {
                let mut def = enum_def(enumeration, description, ty.value);
                if let TypeDef::Enum(def) = &mut def {
                    def.shared = true;
                }
                types.push(def);
            }
        }
    }
    types
}
