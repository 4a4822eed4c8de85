//! An endpoint module: the request builder, the reply types and the error enum.

use super::{chain, code_literal, docs, ident, module_docs, paragraphs, request, types, waiter};
use crate::model::{Endpoint, ErrorCase, Provider};
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
    let types = e.types.iter().map(|t| types::type_def(t, &e.types));
    let error = error_enum(p, e, &info_static);
    let arg_decls = request::decls(&args);
    let arg_names: Vec<Ident> = args.iter().map(|a| a.name.clone()).collect();
    let waiter = e
        .waiter
        .as_ref()
        .map(|w| waiter::emit(p, e, w, &arg_decls, &arg_names));
    let chains = chain::emit(p, e, &arg_decls, &arg_names);
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
        #(#types)*
        #error
        #waiter
        #chains
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

fn error_enum(p: &Provider, e: &Endpoint, info_static: &Ident) -> TokenStream {
    let name = format_ident!("{}Error", e.type_prefix);
    let common = ident(&p.common_error_enum);
    let variants: Vec<Ident> = e.errors.iter().map(|c| ident(&c.variant)).collect();
    let variant_docs = e.errors.iter().map(error_doc);
    let codes = e.errors.iter().map(|c| code_literal(&c.code));
    let hints = e.errors.iter().map(|c| &c.hint);
    let retryable = e.errors.iter().map(|c| c.retryable);
    let lookup = match p.code_type {
        CodeType::Integer => quote!(error.code().as_i64()),
        CodeType::String => quote!(error.code().as_str()),
    };
    let common_or_unknown = quote! {
        match super::#common::from_code(error.code()) {
            Some(common) => Self::Common(common, error.documented(common.hint(), common.is_retryable())),
            None => Self::Unknown(error),
        }
    };
    // An endpoint whose page lists no code has nothing to match first.
    let from_api = if e.errors.is_empty() {
        common_or_unknown
    } else {
        quote! {
            match #lookup {
                #(Some(#codes) => Self::#variants(error.documented(#hints, #retryable)),)*
                _ => #common_or_unknown,
            }
        }
    };
    let doc = docs(&format!(
        "Everything `{}` can fail with: one variant per code its documentation lists, the \
         provider's common codes, unknown codes, and failures below the API.",
        e.id
    ));
    quote! {
        #doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants(::taskapi_runtime::ApiError),)*
            /// One of the provider's common codes (tokens, permissions, rate limits).
            Common(super::#common, ::taskapi_runtime::ApiError),
            /// A code the documentation does not list; code and message are kept.
            Unknown(::taskapi_runtime::ApiError),
            /// No complete reply: connection refused or reset, timeout.
            Transport(::taskapi_runtime::TransportError),
            /// A complete reply that is not what the spec describes (HTML page, truncated JSON).
            Decode(::taskapi_runtime::DecodeError),
            /// Refused before sending: a parameter cannot be sent as given.
            InvalidRequest(::taskapi_runtime::InvalidRequest),
            /// No access token could be had (e.g. the app secret is wrong).
            Token(::taskapi_runtime::TokenError),
            /// A download's file could not be written here (disk full, no permission).
            Output(::taskapi_runtime::OutputError),
        }

        impl ::taskapi_runtime::EndpointError for #name {
            fn from_api(error: ::taskapi_runtime::ApiError) -> Self {
                #from_api
            }

            fn from_transport(error: ::taskapi_runtime::TransportError) -> Self {
                Self::Transport(error)
            }

            fn from_decode(error: ::taskapi_runtime::DecodeError) -> Self {
                Self::Decode(error)
            }

            fn from_invalid_request(error: ::taskapi_runtime::InvalidRequest) -> Self {
                Self::InvalidRequest(error)
            }

            fn from_token(error: ::taskapi_runtime::TokenError) -> Self {
                Self::Token(error)
            }

            fn from_output(error: ::taskapi_runtime::OutputError) -> Self {
                Self::Output(error)
            }

            fn failure(&self) -> ::taskapi_runtime::Failure<'_> {
                match self {
                    #(Self::#variants(e))|* | Self::Common(_, e) | Self::Unknown(e) => ::taskapi_runtime::Failure::Api(e),
                    Self::Transport(e) => ::taskapi_runtime::Failure::Transport(e),
                    Self::Decode(e) => ::taskapi_runtime::Failure::Decode(e),
                    Self::InvalidRequest(e) => ::taskapi_runtime::Failure::InvalidRequest(e),
                    Self::Token(e) => ::taskapi_runtime::Failure::Token(e),
                    Self::Output(e) => ::taskapi_runtime::Failure::Output(e),
                }
            }
        }

        // Accessors (`api_error`, `http_status`, `code`, `request_id`, `attempts`, `hint`,
        // `is_retryable`), `Display` and `Error`, the same for every endpoint.
        ::taskapi_runtime::endpoint_error_methods!(#name, #info_static);
    }
}

fn error_doc(c: &ErrorCase) -> TokenStream {
    let status = c
        .http_status
        .map(|s| format!(", HTTP {s}"))
        .unwrap_or_default();
    let retry = if c.retryable { "\n\nRetryable." } else { "" };
    docs(&format!(
        "`{}`{status}: {}\n\n{}{retry}",
        c.code, c.message, c.hint
    ))
}
