//! Reply and request types: structs (with redacted `Debug` for secret fields) and status
//! enums with an `Unknown` variant. Shared by endpoints and token endpoints.

use super::tokens::{code_literal, docs, ident, paragraphs, sentence};
use crate::model::{EnumDef, Field, FieldRust, ScalarType, StructDef, StructKind, TypeDef};
use crate::spec::CodeType;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A type, with `all` the types of its endpoint (to tell a nested struct from an enum).
pub(super) fn type_def(t: &TypeDef, all: &[TypeDef]) -> TokenStream {
    match t {
        TypeDef::Struct(s) => struct_def(s, all),
        TypeDef::Enum(e) => enum_def(e),
    }
}

/// The Rust type a scalar is held in.
pub(super) fn scalar_type(s: ScalarType) -> TokenStream {
    match s {
        ScalarType::String => quote!(::std::string::String),
        ScalarType::Integer | ScalarType::Int64String => quote!(i64),
        ScalarType::Number => quote!(f64),
        ScalarType::Boolean => quote!(bool),
    }
}

pub(super) fn rust_type(ty: &FieldRust) -> TokenStream {
    match ty {
        FieldRust::Scalar(s) => scalar_type(*s),
        FieldRust::List(item) => {
            let item = rust_type(item);
            quote!(::std::vec::Vec<#item>)
        }
        FieldRust::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        FieldRust::Map(value) => {
            let value = rust_type(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// The argument type that takes a field's value: `impl Into<String>` for strings.
pub(super) fn arg_type(ty: &FieldRust) -> TokenStream {
    match ty {
        FieldRust::Scalar(ScalarType::String) => {
            quote!(impl ::std::convert::Into<::std::string::String>)
        }
        other => rust_type(other),
    }
}

/// The expression storing argument `name` of [`arg_type`].
pub(super) fn arg_value(ty: &FieldRust, name: &Ident) -> TokenStream {
    match ty {
        FieldRust::Scalar(ScalarType::String) => quote!(#name.into()),
        _ => quote!(#name),
    }
}

fn struct_def(s: &StructDef, all: &[TypeDef]) -> TokenStream {
    let name = ident(&s.name);
    let doc = docs(&paragraphs([
        s.description.as_str(),
        "Fields the spec does not list are ignored; fields that may be absent are `Option`.",
    ]));
    let fields = s.fields.iter().map(|f| field(f, s.kind));
    let secret = s.fields.iter().any(|f| f.secret);
    let derives = if secret {
        quote!(#[derive(Clone, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let redacted_debug = secret.then(|| redacted_debug(s, &name));
    let record = record(s, &name);
    if s.kind == StructKind::Body {
        return body_struct(s, &name, derives, record, all);
    }
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#fields,)*
        }
        #redacted_debug
        #record
    }
}

/// How the struct travels as a JSON object: its [`Record`] impl (one line per field to
/// read, to write, and its placeholder) and the serde impls through it.
///
/// [`Record`]: https://docs.rs/taskapi-runtime (the runtime's `wire::Record`)
fn record(s: &StructDef, name: &Ident) -> TokenStream {
    let type_name = &s.name;
    let required = s.fields.iter().filter(|f| f.required).map(|f| &f.wire);
    let empty = s.fields.iter().map(|f| {
        let field = ident(&f.ident);
        if f.required {
            quote!(#field: ::taskapi_runtime::wire::Placeholder::placeholder())
        } else {
            quote!(#field: ::std::option::Option::None)
        }
    });
    let reads = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        let int64 = f.ty == FieldRust::Scalar(ScalarType::Int64String);
        match (int64, f.required) {
            (false, _) => quote!(#wire => self.#field = map.next_value()?),
            (true, true) => {
                quote!(#wire => self.#field = map.next_value::<::taskapi_runtime::wire::Int64String>()?.0)
            }
            (true, false) => quote! {
                #wire => self.#field = map
                    .next_value::<::std::option::Option<::taskapi_runtime::wire::Int64String>>()?
                    .map(|value| value.0)
            },
        }
    });
    let writes = s.fields.iter().map(|f| {
        let wire = &f.wire;
        let field = ident(&f.ident);
        let int64 = f.ty == FieldRust::Scalar(ScalarType::Int64String);
        let value = if int64 {
            quote!(&::taskapi_runtime::wire::Int64String(*value))
        } else {
            quote!(value)
        };
        if f.required {
            quote! { { let value = &self.#field; map.serialize_entry(#wire, #value)?; } }
        } else {
            quote! { if let Some(value) = &self.#field { map.serialize_entry(#wire, #value)?; } }
        }
    });
    // An object with no fields (a reply whose `data` is `{}`) reads and writes nothing: its
    // functions say so without a `match` of one arm or an unused `map`.
    let (read_body, write_body) = if s.fields.is_empty() {
        (
            quote! {
                let _ = (key, map);
                ::std::result::Result::Ok(false)
            },
            quote! {
                let _ = map;
                ::std::result::Result::Ok(())
            },
        )
    } else {
        (
            quote! {
                match key {
                    #(#reads,)*
                    _ => return ::std::result::Result::Ok(false),
                }
                ::std::result::Result::Ok(true)
            },
            quote! {
                #(#writes)*
                ::std::result::Result::Ok(())
            },
        )
    };
    quote! {
        impl ::taskapi_runtime::wire::Record for #name {
            const NAME: &'static str = #type_name;
            const REQUIRED: &'static [&'static str] = &[#(#required),*];

            fn empty() -> Self {
                Self { #(#empty,)* }
            }

            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                #read_body
            }

            fn write_fields<M: ::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::std::result::Result<(), M::Error> {
                #write_body
            }
        }
        ::taskapi_runtime::record_serde!(#name);
    }
}

/// A request body (or an object in one): built with `new` (its required fields) and a
/// setter per optional field, so that a field the page adds later breaks no caller.
fn body_struct(
    s: &StructDef,
    name: &Ident,
    derives: TokenStream,
    record: TokenStream,
    all: &[TypeDef],
) -> TokenStream {
    let doc = docs(&paragraphs([
        s.description.as_str(),
        "Build it with `new` (the required fields) and the setters of optional ones; it also \
         reads from JSON (e.g. a body written by hand).",
    ]));
    let fields = s.fields.iter().map(|f| field(f, s.kind));
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let name = ident(&f.ident);
        let ty = arg_type(&f.ty);
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.ident);
        match (&f.ty, f.required) {
            (FieldRust::Scalar(ScalarType::String), true) => quote!(#name: #name.into()),
            (_, true) => quote!(#name),
            (_, false) => quote!(#name: None),
        }
    });
    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let name = ident(&f.ident);
        let ty = arg_type(&f.ty);
        let value = arg_value(&f.ty, &name);
        let doc = docs(&format!("Sets `{}`: {}", f.wire, sentence(&f.description)));
        quote! {
            #doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let check_lengths = check_lengths(s, all);
    let new_doc = docs(&format!(
        "A `{}` with its required fields; optional ones are absent until set.",
        s.name
    ));
    // Only the lints that apply: `new()` without arguments could be `Default`; more than
    // seven arguments are many (but each is a required field of the page).
    let allows = match required.len() {
        0 => quote!(#[allow(clippy::new_without_default)]),
        n if n > 7 => quote!(#[allow(clippy::too_many_arguments)]),
        _ => quote!(),
    };
    quote! {
        #doc
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields,)*
        }

        impl #name {
            #new_doc
            #allows
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }

            #(#setters)*

            #check_lengths
        }

        #record
    }
}

/// `check_lengths`: every string field with a `max_length`, here and in nested objects
/// (each element of an array of objects, each value of a map of them), checked before a
/// request is sent.
fn check_lengths(s: &StructDef, all: &[TypeDef]) -> TokenStream {
    let is_struct = |name: &str| {
        all.iter()
            .any(|t| matches!(t, TypeDef::Struct(def) if def.name == name))
    };
    let nested = |ty: &FieldRust| matches!(ty, FieldRust::Named(name) if is_struct(name));
    let checks = s.fields.iter().filter_map(|f| {
        let name = ident(&f.ident);
        let wire = &f.wire;
        let check = match (&f.ty, f.max_length) {
            (FieldRust::Scalar(ScalarType::String), Some(max)) => {
                let max = proc_macro2::Literal::usize_unsuffixed(max as usize);
                quote!(::taskapi_runtime::check_max_length(#wire, value, #max)?;)
            }
            (ty, _) if nested(ty) => quote!(value.check_lengths()?;),
            (FieldRust::List(item), _) if nested(item) => {
                quote!(for value in value {
                    value.check_lengths()?;
                })
            }
            (FieldRust::Map(item), _) if nested(item) => {
                quote!(for value in value.values() {
                    value.check_lengths()?;
                })
            }
            _ => return None,
        };
        Some(if f.required {
            quote! { { let value = &self.#name; #check } }
        } else {
            quote! { if let Some(value) = &self.#name { #check } }
        })
    });
    quote! {
        /// Checks the `max_length` of every string field the page limits, nested ones
        /// included (the request calls it before sending).
        pub fn check_lengths(&self) -> ::std::result::Result<(), ::taskapi_runtime::InvalidRequest> {
            #(#checks)*
            Ok(())
        }
    }
}

/// `Debug` that prints `<redacted>` for secret fields (app secrets, access tokens).
fn redacted_debug(s: &StructDef, name: &Ident) -> TokenStream {
    let type_name = &s.name;
    let fields = s.fields.iter().map(|f| {
        let wire = &f.ident;
        let field = ident(&f.ident);
        if f.secret {
            quote!(.field(#wire, &"<redacted>"))
        } else {
            quote!(.field(#wire, &self.#field))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish()
            }
        }
    }
}

fn field(f: &Field, kind: StructKind) -> TokenStream {
    let name = ident(&f.ident);
    let ty = rust_type(&f.ty);
    let presence = match (kind, f.required) {
        (StructKind::Reply, true) => "Always present.",
        (StructKind::Reply, false) => "May be absent.",
        (StructKind::Body, true) => "Required.",
        (StructKind::Body, false) => "Optional.",
    };
    let doc = docs(&format!(
        "`{}`: {} {presence}",
        f.wire,
        sentence(&f.description)
    ));
    if f.required {
        quote!(#doc pub #name: #ty)
    } else {
        quote!(#doc pub #name: ::std::option::Option<#ty>)
    }
}

/// An enum of listed values: the runtime's `listed_enum!`, written as the enum it makes,
/// each value once with its meaning (the variant's docs, `description()` and the raw value
/// all come from it).
fn enum_def(en: &EnumDef) -> TokenStream {
    let name = ident(&en.name);
    let repr = match en.repr {
        CodeType::Integer => quote!(i64),
        CodeType::String => quote!(String),
    };
    let variants = en.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = code_literal(&v.value);
        let meaning = &v.description;
        quote! {
            #[meaning = #meaning]
            #variant = #value,
        }
    });
    let doc = docs(&paragraphs([
        en.description.as_str(),
        "A value the spec does not list decodes as `Unknown`, keeping the raw value, so a new status never fails a reply. More values may be listed later: match with a `_` arm.",
    ]));
    quote! {
        ::taskapi_runtime::listed_enum! {
            #doc
            #[values(#repr)]
            pub enum #name {
                #(#variants)*
            }
        }
    }
}
