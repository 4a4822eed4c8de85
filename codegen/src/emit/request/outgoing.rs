//! A request's `outgoing()`: its parameters and body as the runtime sends them (an owned
//! `Outgoing`), after the checks the spec asks for before any traffic (`max_length`).

use super::params::{field_text, param_text};
use crate::emit::tokens::ident;
use crate::model::{Body, Endpoint, PathPart, ScalarType};
use crate::spec::{BodyContent, FileFactKind, ParamIn};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `fn outgoing(&self) -> Result<Outgoing, Error>`: what `send` and the downloads hand to
/// the runtime.
pub(super) fn method(e: &Endpoint, error: &Ident) -> TokenStream {
    let invalid = quote!(<#error as ::taskapi_runtime::EndpointError>::from_invalid_request);
    // `max_length` from the spec, checked before any traffic.
    let param_checks = e.params.iter().filter_map(|param| {
        let max = proc_macro2::Literal::usize_unsuffixed(param.max_length? as usize);
        let wire = &param.wire;
        let name = ident(&param.ident);
        Some(if param.required {
            quote!(::taskapi_runtime::check_max_length(#wire, &self.#name, #max).map_err(#invalid)?;)
        } else {
            quote! {
                if let Some(value) = &self.#name {
                    ::taskapi_runtime::check_max_length(#wire, value, #max).map_err(#invalid)?;
                }
            }
        })
    });
    // A body checks its own fields, nested objects included.
    let body_checks = e
        .body
        .as_ref()
        .map(|_| quote!(self.body.check_lengths().map_err(#invalid)?;));
    let path_parts = e.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(::taskapi_runtime::PathPart::Literal(#text)),
        PathPart::Param(i) => {
            let param = &e.params[*i];
            let wire = &param.wire;
            let name = ident(&param.ident);
            let value = if param.ty == ScalarType::String {
                quote!(self.#name.clone())
            } else {
                quote!(self.#name.to_string())
            };
            quote!(::taskapi_runtime::PathPart::Param { name: #wire, value: #value })
        }
    });
    let query = pairs(e, ParamIn::Query);
    let headers = pairs(e, ParamIn::Header);
    let body = match &e.body {
        None => quote!(::taskapi_runtime::RequestBody::None),
        Some(body) if body.content == BodyContent::Json => {
            quote!(::taskapi_runtime::RequestBody::json(&self.body).map_err(#invalid)?)
        }
        Some(body) => multipart_body(e, body),
    };
    quote! {
        /// The request as it goes on the wire, or why it cannot go: a value over its
        /// documented length, checked before any traffic.
        fn outgoing(&self) -> ::std::result::Result<::taskapi_runtime::Outgoing, #error> {
            #(#param_checks)*
            #body_checks
            ::std::result::Result::Ok(::taskapi_runtime::Outgoing {
                path: ::std::vec::Vec::from([#(#path_parts),*]),
                query: #query,
                headers: #headers,
                body: #body,
            })
        }
    }
}

/// The `(name, text)` pairs of the parameters in `location`, in the spec's order (an array
/// repeats its name).
fn pairs(e: &Endpoint, location: ParamIn) -> TokenStream {
    let params: Vec<_> = e.params.iter().filter(|p| p.location == location).collect();
    if params.is_empty() {
        return quote!(::std::vec::Vec::new());
    }
    // All required and single: one array, no pushes.
    if params.iter().all(|p| p.required && !p.repeated) {
        let items = params.iter().map(|param| {
            let wire = &param.wire;
            let name = ident(&param.ident);
            let text = param_text(param, quote!(self.#name));
            quote!((#wire, #text))
        });
        return quote!(::std::vec::Vec::from([#(#items),*]));
    }
    let pushes = params.iter().map(|param| {
        let wire = &param.wire;
        let name = ident(&param.ident);
        let text = param_text(param, quote!(value));
        let push = if param.repeated {
            quote!(for value in value { pairs.push((#wire, #text)); })
        } else {
            quote!(pairs.push((#wire, #text));)
        };
        if param.required {
            quote! { { let value = &self.#name; #push } }
        } else {
            quote! { if let Some(value) = &self.#name { #push } }
        }
    });
    quote! {
        {
            let mut pairs: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#pushes)*
            pairs
        }
    }
}

/// A form: its text parts in the spec's order, the parts its file fills (with the values
/// given, to be checked), and the file part with its limit.
fn multipart_body(e: &Endpoint, body: &Body) -> TokenStream {
    let file = body.file.as_ref();
    let file_part = file.map_or("file", |f| f.wire.as_str());
    let from_file = file.map_or(&[][..], |f| &f.from_file[..]);
    let fact_of = |wire: &str| {
        from_file
            .iter()
            .find(|(w, _)| w == wire)
            .map(|(_, fact)| *fact)
    };
    let pushes = body
        .fields
        .iter()
        .filter(|f| fact_of(&f.wire).is_none())
        .map(|f| {
            let wire = &f.wire;
            let name = ident(&f.ident);
            let text = field_text(e, &f.ty, quote!(value));
            if f.required {
                quote! { { let value = &self.body.#name; fields.push((#wire, #text)); } }
            } else {
                quote! { if let Some(value) = &self.body.#name { fields.push((#wire, #text)); } }
            }
        });
    let stated: Vec<TokenStream> = body
        .fields
        .iter()
        .filter_map(|f| {
            let fact = match fact_of(&f.wire)? {
                FileFactKind::Size => quote!(Size),
                FileFactKind::Adler32 => quote!(Adler32),
            };
            let wire = &f.wire;
            let name = ident(&f.ident);
            // An integer or a string (validated): both print as they are sent.
            Some(quote! {
                ::taskapi_runtime::FromFile {
                    field: #wire,
                    fact: ::taskapi_runtime::FileFact::#fact,
                    given: self.body.#name.as_ref().map(::std::string::ToString::to_string),
                }
            })
        })
        .collect();
    // An array, not `vec![..]`: the printer lays out expressions, not macro arguments.
    let from_file = if stated.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#stated),*]))
    };
    let max_size = match file.and_then(|f| f.max_size.zip(f.larger.as_deref())) {
        Some((bytes, larger)) => quote! {
            ::std::option::Option::Some(::taskapi_runtime::MaxSize { bytes: #bytes, larger: #larger })
        },
        None => quote!(::std::option::Option::None),
    };
    quote! {
        {
            let mut fields: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#pushes)*
            ::taskapi_runtime::RequestBody::Multipart {
                fields,
                file_part: #file_part,
                file: ::std::sync::Arc::clone(&self.file),
                from_file: #from_file,
                max_size: #max_size,
            }
        }
    }
}
