//! The structs and enums a reply (or a token request) decodes into, flattened out of the
//! spec's nested objects.

use crate::naming;
use crate::spec::{Code, CodeType, FieldSpec, FieldType, ObjectSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Integer,
    Boolean,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub name: String,
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
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldRust {
    Scalar(ScalarType),
    List(ScalarType),
    /// A generated struct or enum, by name.
    Named(String),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
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

pub(super) fn scalar_type(ty: FieldType) -> ScalarType {
    match ty {
        FieldType::Integer => ScalarType::Integer,
        FieldType::Boolean => ScalarType::Boolean,
        _ => ScalarType::String,
    }
}

/// Flattens an object and everything nested in it into type definitions, outermost first.
pub(super) fn collect_types(object: &ObjectSpec, types: &mut Vec<TypeDef>) {
    let index = types.len();
    types.push(TypeDef::Struct(StructDef {
        name: object.name.value.clone(),
        description: object.description.clone(),
        fields: Vec::new(),
    }));
    let mut fields = Vec::new();
    for f in &object.fields {
        fields.push(Field {
            wire: f.name.value.clone(),
            ident: naming::field_ident(&f.name.value),
            ty: field_type(f, types),
            required: f.required,
            description: f.description.clone(),
            secret: f.role.as_ref().is_some_and(|r| r.value.is_secret()),
        });
    }
    if let TypeDef::Struct(def) = &mut types[index] {
        def.fields = fields;
    }
}

fn field_type(f: &FieldSpec, types: &mut Vec<TypeDef>) -> FieldRust {
    if let Some(object) = &f.object {
        collect_types(object, types);
        return FieldRust::Named(object.name.value.clone());
    }
    if let Some(enumeration) = &f.enumeration {
        let repr = if f.ty.value == FieldType::Integer {
            CodeType::Integer
        } else {
            CodeType::String
        };
        types.push(TypeDef::Enum(EnumDef {
            name: enumeration.name.value.clone(),
            description: f.description.clone(),
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
        }));
        return FieldRust::Named(enumeration.name.value.clone());
    }
    match (f.ty.value, &f.items) {
        (FieldType::Array, Some(items)) => FieldRust::List(scalar_type(items.value)),
        (ty, _) => FieldRust::Scalar(scalar_type(ty)),
    }
}
