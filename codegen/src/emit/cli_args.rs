//! What the CLI's subcommands share, an endpoint's and a workflow's alike: the flags of
//! parameters and body fields, and the values read from them to build a request.

use super::tokens::ident;
use crate::model::{BodyLeaf, Endpoint, Field, FieldRust, Param, Provider, ScalarType, TypeDef};
use crate::spec::CodeType;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A parameter's flag: its wire name in kebab-case, parsed by its type.
pub(super) fn param_arg(param: &Param) -> TokenStream {
    let wire = &param.wire;
    let flag = &param.cli_flag;
    let value_name = param.cli_flag.to_uppercase().replace('-', "_");
    let help = format!("{} ({})", param.summary.trim(), param.description.trim());
    let required = param.required;
    let parser = match (&param.enumeration, param.ty) {
        (Some((_, CodeType::String)), _) | (None, ScalarType::String) => quote!(),
        (Some((_, CodeType::Integer)), _) => quote!(.value_parser(::clap::value_parser!(i64))),
        (None, ScalarType::Integer | ScalarType::Int64String) => {
            quote!(.value_parser(::clap::value_parser!(i64)))
        }
        (None, ScalarType::Number) => quote!(.value_parser(::clap::value_parser!(f64))),
        (None, ScalarType::Boolean) => quote!(.value_parser(::clap::value_parser!(bool))),
    };
    let append = param
        .repeated
        .then(|| quote!(.action(::clap::ArgAction::Append)));
    quote! {
        Arg::new(#wire).long(#flag).value_name(#value_name).required(#required).help(#help) #parser #append
    }
}

/// The flag of a body field, its help ending with `note`.
pub(super) fn leaf_arg(leaf: &BodyLeaf, note: &str) -> TokenStream {
    let flag = &leaf.cli_flag;
    let value_name = flag.to_uppercase().replace('-', "_");
    let help = format!(
        "Body field `{}`: {}{note}",
        leaf.wire_path.join("."),
        leaf.description.trim()
    );
    let append = leaf
        .repeated
        .then(|| quote!(.action(::clap::ArgAction::Append)));
    quote! {
        Arg::new(#flag).long(#flag).value_name(#value_name).help(#help) #append
    }
}

/// The required parameters' values, the client method's first arguments. Required flags
/// are enforced by clap: the defaults here are never used.
pub(super) fn required_args(e: &Endpoint, module: &Ident) -> Vec<TokenStream> {
    e.params
        .iter()
        .filter(|p| p.required)
        .map(|param| match (&param.enumeration, param.repeated) {
            (Some((name, repr)), false) => {
                let wire = &param.wire;
                let name = ident(name);
                let read = match repr {
                    CodeType::String => quote!(String),
                    CodeType::Integer => quote!(i64),
                };
                quote!(super::#module::#name::from(call.value::<#read>(#wire).unwrap_or_default()))
            }
            _ => {
                let v = flag_value(param, module);
                quote!(#v.unwrap_or_default())
            }
        })
        .collect()
}

/// One statement per optional parameter: its setter, when its flag is given.
pub(super) fn optional_setters(e: &Endpoint, module: &Ident) -> Vec<TokenStream> {
    e.params
        .iter()
        .filter(|p| !p.required)
        .map(|param| {
            let setter = ident(&param.ident);
            let v = flag_value(param, module);
            quote! { if let Some(value) = #v { request = request.#setter(value); } }
        })
        .collect()
}

/// A parameter's flag read as an `Option` of its Rust type: parsed by clap as a string or
/// number, then converted to its enum; a repeated flag as a `Vec`.
fn flag_value(param: &Param, module: &Ident) -> TokenStream {
    let wire = &param.wire;
    let read = match (&param.enumeration, param.ty) {
        (Some((_, CodeType::String)), _) | (None, ScalarType::String) => quote!(String),
        (Some((_, CodeType::Integer)), _)
        | (None, ScalarType::Integer | ScalarType::Int64String) => quote!(i64),
        (None, ScalarType::Number) => quote!(f64),
        (None, ScalarType::Boolean) => quote!(bool),
    };
    let convert = param.enumeration.as_ref().map(|(name, _)| {
        let name = ident(name);
        quote!(super::#module::#name::from)
    });
    match (param.repeated, convert) {
        (true, Some(convert)) => {
            quote!(Some(call.values::<#read>(#wire).into_iter().map(#convert).collect::<Vec<_>>()))
        }
        (true, None) => quote!(Some(call.values::<#read>(#wire))),
        (false, Some(convert)) => quote!(call.value::<#read>(#wire).map(#convert)),
        (false, None) => quote!(call.value::<#read>(#wire)),
    }
}

/// A required field of the body read from the flags, as the client method takes it.
pub(super) fn body_value(e: &Endpoint, f: &Field) -> TokenStream {
    let name = ident(&f.ident);
    if is_copy(e, &f.ty) {
        quote!(body.#name)
    } else {
        quote!(body.#name.clone())
    }
}

/// The runtime's description of each body flag: the field it sets and its type.
pub(super) fn body_flags<'l>(leaves: impl Iterator<Item = &'l BodyLeaf>) -> Vec<TokenStream> {
    leaves.map(|leaf| {
        let flag = &leaf.cli_flag;
        let path = &leaf.wire_path;
        let kind = match leaf.ty {
            ScalarType::String => quote!(::taskapi_runtime::cli::FlagKind::String),
            ScalarType::Integer => quote!(::taskapi_runtime::cli::FlagKind::Integer),
            ScalarType::Int64String => quote!(::taskapi_runtime::cli::FlagKind::Int64String),
            ScalarType::Number => quote!(::taskapi_runtime::cli::FlagKind::Number),
            ScalarType::Boolean => quote!(::taskapi_runtime::cli::FlagKind::Boolean),
        };
        let repeated = leaf.repeated;
        quote!(::taskapi_runtime::cli::BodyFlag { flag: #flag, path: &[#(#path),*], kind: #kind, repeated: #repeated })
    })
    .collect()
}

/// Whether the poller a start endpoint feeds declares a download.
pub(super) fn has_download(p: &Provider, e: &Endpoint) -> bool {
    let Some(chain) = &e.starts else {
        return false;
    };
    p.endpoints
        .iter()
        .any(|other| other.id == chain.next_id && other.download.is_some())
}

/// Whether a value of this type is `Copy` (numbers, booleans, integer enums).
fn is_copy(e: &Endpoint, ty: &FieldRust) -> bool {
    match ty {
        FieldRust::Scalar(ScalarType::String) | FieldRust::List(_) | FieldRust::Map(_) => false,
        FieldRust::Scalar(_) => true,
        FieldRust::Named(name) => e.types.iter().any(
            |t| matches!(t, TypeDef::Enum(en) if en.name == *name && en.repr == CodeType::Integer),
        ),
    }
}
