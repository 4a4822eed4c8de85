//! How a request's parameters and body fields are taken, stored and written: argument
//! and field types, setters, docs, and the text each value travels as.

use crate::emit::tokens::{docs, ident, paragraphs};
use crate::emit::types::{arg_type, arg_value, scalar_type};
use crate::model::{Body, Endpoint, FieldRust, Param, ScalarType, TypeDef};
use crate::spec::CodeType;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Setters of optional top-level body fields, and `with_body` for the whole body.
pub(super) fn body_setters(body: &Body) -> TokenStream {
    let ty = ident(&body.type_name);
    let setters = body.fields.iter().filter(|f| !f.required).map(|f| {
        let name = ident(&f.ident);
        let arg = arg_type(&f.ty);
        let value = arg_value(&f.ty, &name);
        let doc = docs(&format!("`{}` (body): {}", f.wire, f.description.trim()));
        quote! {
            #doc
            pub fn #name(mut self, #name: #arg) -> Self {
                self.body.#name = Some(#value);
                self
            }
        }
    });
    let doc = docs(&format!(
        "Replaces the whole body (e.g. one read from JSON with `serde_json::from_str::<{}>`).",
        body.type_name
    ));
    quote! {
        #(#setters)*

        #doc
        pub fn with_body(mut self, body: #ty) -> Self {
            self.body = body;
            self
        }
    }
}

pub(super) fn param_doc(param: &Param) -> String {
    let max = param
        .max_length
        .map(|m| format!(" At most {m} characters."))
        .unwrap_or_default();
    paragraphs([
        format!("`{}`: {}{max}", param.wire, param.summary.trim()).as_str(),
        &param.description,
    ])
}

/// The type a parameter is stored in.
pub(super) fn param_stored_type(param: &Param) -> TokenStream {
    let one = match &param.enumeration {
        Some((name, _)) => {
            let name = ident(name);
            quote!(#name)
        }
        None => scalar_type(param.ty),
    };
    if param.repeated {
        quote!(::std::vec::Vec<#one>)
    } else {
        one
    }
}

/// Whether a parameter's argument is `impl Into<String>`.
pub(super) fn param_takes_into(param: &Param) -> bool {
    param.enumeration.is_none() && !param.repeated && param.ty == ScalarType::String
}

/// The argument type a parameter's setter or client method takes.
pub(super) fn param_arg_type(param: &Param) -> TokenStream {
    if param_takes_into(param) {
        quote!(impl ::std::convert::Into<::std::string::String>)
    } else {
        param_stored_type(param)
    }
}

pub(super) fn param_arg_value(param: &Param, name: &Ident) -> TokenStream {
    if param_takes_into(param) {
        quote!(#name.into())
    } else {
        quote!(#name)
    }
}

/// A parameter's value as the text it travels as (`value` is a reference to a value of
/// the parameter's element type).
pub(super) fn param_text(param: &Param, value: TokenStream) -> TokenStream {
    match &param.enumeration {
        Some((_, CodeType::String)) => quote!(#value.value().to_owned()),
        Some((_, CodeType::Integer)) => quote!(#value.value().to_string()),
        None if param.ty == ScalarType::String => quote!(#value.clone()),
        None => quote!(#value.to_string()),
    }
}

/// A form field's value as text (`value` is a reference to a value of the field's type).
pub(super) fn field_text(e: &Endpoint, ty: &FieldRust, value: TokenStream) -> TokenStream {
    match ty {
        FieldRust::Scalar(ScalarType::String) => quote!(#value.clone()),
        FieldRust::Named(name) => match enum_repr(e, name) {
            Some(CodeType::String) => quote!(#value.value().to_owned()),
            Some(CodeType::Integer) => quote!(#value.value().to_string()),
            // Validation keeps objects out of forms.
            None => quote!(::std::string::String::new()),
        },
        _ => quote!(#value.to_string()),
    }
}

/// The representation of the generated enum `name`, if `name` is an enum of `e`.
fn enum_repr(e: &Endpoint, name: &str) -> Option<CodeType> {
    e.types.iter().find_map(|t| match t {
        TypeDef::Enum(en) if en.name == name => Some(en.repr),
        _ => None,
    })
}
