//! An endpoint module: the request builder, the reply types and the error enum.

use super::tokens::{code_literal, docs, ident, module_docs, paragraphs};
use super::{before, chain, pages, request, shared_types, types, waiter};
use crate::model::{Endpoint, ErrorCase, Provider, Response};
use crate::spec::CodeType;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(p: &Provider, e: &Endpoint) -> TokenStream {
    let sends = format!("`{} {}`", e.method.as_str(), e.path_template);
    let info_static = ident(&e.operation.to_uppercase());
    let example_const = format_ident!("{}_EXAMPLE", e.operation.to_uppercase());
    let module_doc = module_docs(&paragraphs([
        format!("{} (`{}`)", e.title, e.id).as_str(),
        &e.summary,
        &e.description,
        &format!("Sends {sends}."),
        &endpoint_facts(e),
    ]));
    let info_doc = docs(&format!("Identity of this endpoint: {sends}."));
    let id = &e.id;
    let method = ident(e.method.as_str());
    let path_template = &e.path_template;
    let example = &e.example;
    let example_doc = docs(&format!(
        "The example reply from the documentation ({}), verbatim.",
        if e.source.is_empty() {
            "no source given"
        } else {
            &e.source
        }
    ));
    let args = request::args(e);
    let request = request::emit(p, e, &info_static, &args);
    // Shared types are the provider's (`types.rs`): imported, not defined here.
    let types = e
        .types
        .iter()
        .filter(|t| !t.is_shared())
        .map(|t| types::type_def(t, &e.types));
    let imports = shared_types::imports(e);
    let error = error_enum(p, e, &info_static);
    let arg_decls = request::decls(&args);
    let arg_names: Vec<Ident> = args.iter().map(|a| a.name.clone()).collect();
    let waiter = e
        .waiter
        .as_ref()
        .map(|w| waiter::emit(p, e, w, &arg_decls, &arg_names));
    let chains = chain::emit(p, e, &arg_decls, &arg_names);
    let upload_first = e
        .starts
        .as_ref()
        .and_then(|c| c.before.as_ref().map(|b| before::emit(p, e, c, b, &args)));
    let pages = e.pagination.as_ref().map(|list| pages::emit(p, e, list));
    let idempotent = e.idempotent;
    let rate_limit = match &e.limit {
        Some(limit) => {
            let opt = |n: Option<u32>| match n {
                Some(n) => {
                    let n = proc_macro2::Literal::u32_unsuffixed(n);
                    quote!(::std::option::Option::Some(#n))
                }
                None => quote!(::std::option::Option::None),
            };
            let (per_second, per_minute, key) =
                (opt(limit.per_second), opt(limit.per_minute), &limit.key);
            quote! {
                ::std::option::Option::Some(::taskapi_runtime::EndpointLimit {
                    limit: ::taskapi_runtime::RateLimit {
                        per_second: #per_second,
                        per_minute: #per_minute,
                    },
                    key: #key,
                })
            }
        }
        None => quote!(::std::option::Option::None),
    };
    let body_example = e
        .body
        .as_ref()
        .and_then(|b| b.example.as_ref())
        .map(|text| {
            let name = format_ident!("{}_BODY_EXAMPLE", e.operation.to_uppercase());
            quote! {
                /// The example request body from the documentation, verbatim.
                pub const #name: &str = #text;
            }
        });

    quote! {
        #module_doc

        // Types, modules and trait functions outside this module are named by their full
        // paths, so that a spec's names (`Result`, `Core`, `std`, ...) cannot shadow them.
        // (`Some`, `None`, `Ok` are values: no spec name can be one.)
        #imports

        #info_doc
        pub static #info_static: ::taskapi_runtime::EndpointInfo = ::taskapi_runtime::EndpointInfo {
            id: #id,
            method: ::reqwest::Method::#method,
            path: #path_template,
            idempotent: #idempotent,
            rate_limit: #rate_limit,
        };

        #example_doc
        pub const #example_const: &str = #example;
        #body_example

        #request
        #pages
        #(#types)*
        #error
        #waiter
        #chains
        #upload_first
    }
}

/// Tokens, app types, scopes, rate limit: what a caller needs to know before calling.
fn endpoint_facts(e: &Endpoint) -> String {
    let mut facts = Vec::new();
    if !e.token_kinds.is_empty() {
        facts.push(format!(
            "- Access tokens (支持的访问令牌): {}",
            e.token_kinds.join(", ")
        ));
    }
    if !e.app_types.is_empty() {
        facts.push(format!(
            "- App types (支持的应用类型): {}",
            e.app_types.join(", ")
        ));
    }
    for (scope, description) in &e.scopes {
        facts.push(format!("- Scope (权限要求): `{scope}` ({description})"));
    }
    if let Some(rate) = &e.rate_limit {
        facts.push(format!("- Rate limit: {rate}"));
    }
    facts.join("\n")
}

/// The error enum: the runtime's `endpoint_error!`, written as the enum it makes, each
/// code with its heading, its hint (once: it is both the variant's docs and what the
/// error carries) and whether trying again may help.
fn error_enum(p: &Provider, e: &Endpoint, info_static: &Ident) -> TokenStream {
    let name = format_ident!("{}Error", e.type_prefix);
    let common = ident(&p.common_error_enum);
    let lookup = match p.code_type {
        CodeType::Integer => quote!(as_i64),
        CodeType::String => quote!(as_str),
    };
    // A download can also fail to write its file; no other endpoint can.
    let download = (e.response == Response::Binary).then(|| quote!(, download));
    let variants = e.errors.iter().map(|c| {
        let variant = ident(&c.variant);
        let code = code_literal(&c.code);
        let hint = &c.hint;
        let heading = docs(&error_heading(c));
        let retryable = c.retryable.then(|| quote!(#[retryable]));
        quote! {
            #heading
            #[hint = #hint]
            #retryable
            #variant = #code,
        }
    });
    let doc = docs(&format!(
        "Everything `{}` can fail with: one variant per code its documentation lists, the \
         provider's common codes, unknown codes, and failures below the API.",
        e.id
    ));
    quote! {
        ::taskapi_runtime::endpoint_error! {
            #doc
            #[endpoint(#info_static, common = super::#common, codes = #lookup #download)]
            pub enum #name {
                #(#variants)*
            }
        }
    }
}

/// A documented code's first doc line: code, HTTP status, message.
fn error_heading(c: &ErrorCase) -> String {
    let status = c
        .http_status
        .map(|s| format!(", HTTP {s}"))
        .unwrap_or_default();
    format!("`{}`{status}: {}", c.code, c.message)
}
