//! An endpoint module: the request builder, the reply types and the error enum.

use super::{code_literal, docs, example, ident, module_docs, paragraphs, types, waiter};
use crate::model::{Endpoint, ErrorCase, Param, PathPart, Provider, ScalarType};
use crate::spec::{CodeType, ParamIn};

/// Endpoints whose spec lists this token kind take a user token per request.
const USER_TOKEN_KIND: &str = "user_access_token";
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
    let client_method = client_method(p, e, &info_static);
    let types = e.types.iter().map(types::type_def);
    let error = error_enum(p, e, &info_static);
    let waiter = e.waiter.as_ref().map(|w| {
        let required: Vec<&Param> = e.params.iter().filter(|p| p.required).collect();
        let args: Vec<TokenStream> = required
            .iter()
            .map(|param| {
                let name = ident(&param.ident);
                let (arg_ty, _) = param_type(param.ty);
                quote!(#name: #arg_ty)
            })
            .collect();
        let names: Vec<Ident> = required.iter().map(|param| ident(&param.ident)).collect();
        waiter::emit(p, e, w, &args, &names)
    });

    quote! {
        #module_doc

        // Types and modules outside this module are named by their full paths, and traits
        // are imported unnamed, so that a spec's names (`Result`, `Core`, `std`, ...) cannot
        // shadow them. (`Some`, `None`, `Ok` are values: no spec name can be one.)
        use ::taskapi_runtime::EndpointError as _;

        #info_doc
        pub static #info_static: ::taskapi_runtime::EndpointInfo = ::taskapi_runtime::EndpointInfo {
            id: #id,
            method: ::reqwest::Method::#method,
            path: #path_template,
        };

        #example_doc
        pub const #example_const: &str = #example;

        #client_method
        #(#types)*
        #error
        #waiter
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

fn takes_user_token(e: &Endpoint) -> bool {
    e.token_kinds.iter().any(|kind| kind == USER_TOKEN_KIND)
}

fn param_doc(param: &Param) -> String {
    let max = param
        .max_length
        .map(|m| format!(" At most {m} characters."))
        .unwrap_or_default();
    paragraphs([
        format!("`{}`: {}{max}", param.wire, param.summary.trim()).as_str(),
        &param.description,
    ])
}

fn param_type(ty: ScalarType) -> (TokenStream, TokenStream) {
    // (argument type, stored type)
    match ty {
        ScalarType::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::string::String),
        ),
        ScalarType::Integer => (quote!(i64), quote!(i64)),
        ScalarType::Boolean => (quote!(bool), quote!(bool)),
    }
}

fn client_method(p: &Provider, e: &Endpoint, info_static: &Ident) -> TokenStream {
    let client = ident(&p.client);
    let operation = ident(&e.operation);
    let request = format_ident!("{}Request", e.type_prefix);
    let response = ident(&e.response);
    let error = format_ident!("{}Error", e.type_prefix);
    let required: Vec<&Param> = e.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = e.params.iter().filter(|p| !p.required).collect();

    let args = required.iter().map(|param| {
        let name = ident(&param.ident);
        let (arg_ty, _) = param_type(param.ty);
        quote!(#name: #arg_ty)
    });
    let inits = e.params.iter().map(|param| {
        let name = ident(&param.ident);
        match (param.required, param.ty) {
            (false, _) => quote!(#name: None),
            (true, ScalarType::String) => quote!(#name: #name.into()),
            (true, _) => quote!(#name),
        }
    });
    let fields = e.params.iter().map(|param| {
        let name = ident(&param.ident);
        let (_, stored) = param_type(param.ty);
        if param.required {
            quote!(#name: #stored)
        } else {
            quote!(#name: ::std::option::Option<#stored>)
        }
    });
    let setters = optional.iter().map(|param| {
        let name = ident(&param.ident);
        let (arg_ty, _) = param_type(param.ty);
        let value = if param.ty == ScalarType::String {
            quote!(#name.into())
        } else {
            quote!(#name)
        };
        let doc = docs(&param_doc(param));
        quote! {
            #doc
            pub fn #name(mut self, #name: #arg_ty) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });

    let path_parts = e.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(::taskapi_runtime::PathPart::Literal(#text)),
        PathPart::Param(i) => {
            let param = &e.params[*i];
            let wire = &param.wire;
            let name = ident(&param.ident);
            quote!(::taskapi_runtime::PathPart::Param { name: #wire, value: &self.#name })
        }
    });
    let query_param = |param: &Param, value: TokenStream| {
        let wire = &param.wire;
        match param.ty {
            ScalarType::String => quote!((#wire, #value)),
            _ => quote!((#wire, #value.to_string())),
        }
    };
    let required_query = e
        .params
        .iter()
        .filter(|p| p.required && p.location == ParamIn::Query)
        .map(|param| {
            let name = ident(&param.ident);
            query_param(param, quote!(self.#name))
        });
    let optional_query: Vec<_> = e
        .params
        .iter()
        .filter(|p| !p.required && p.location == ParamIn::Query)
        .map(|param| {
            let name = ident(&param.ident);
            let pair = query_param(param, quote!(value));
            quote! { if let Some(value) = self.#name { query.push(#pair); } }
        })
        .collect();
    let has_query = e.params.iter().any(|p| p.location == ParamIn::Query);
    let (query_decl, query_arg) = if !has_query {
        (quote!(), quote!(&[]))
    } else if optional_query.is_empty() {
        (quote!(let query = [#(#required_query),*];), quote!(&query))
    } else {
        (
            quote!(let mut query = ::std::vec![#(#required_query),*];),
            quote!(&query),
        )
    };

    let method_doc = docs(&paragraphs([
        format!("{} ({})", e.title, e.summary.trim()).as_str(),
        &format!(
            "Sends `{} {}` (`{}`).",
            e.method.as_str(),
            e.path_template,
            e.id
        ),
        &required
            .iter()
            .map(|p| format!("- {}", param_doc(p).replace("\n\n", " ")))
            .collect::<Vec<_>>()
            .join("\n"),
        &example::usage(
            p,
            e,
            &format!(
                "let reply = client.{}({}).send().await?;",
                ident(&e.operation),
                example::args(e)
            ),
            "reply",
        ),
    ]));
    let next = match (optional.is_empty(), e.waiter.is_some()) {
        (true, false) => "[`send`](Self::send) it",
        (true, true) => "[`send`](Self::send) it, or [`wait`](Self::wait) for its task to end",
        (false, false) => "set optional parameters, then [`send`](Self::send) it",
        (false, true) => {
            "set optional parameters, then [`send`](Self::send) it or [`wait`](Self::wait) for its task to end"
        }
    };
    let request_doc = docs(&format!(
        "A `{} {}` request, built by [`{client}::{op}`](super::{client}::{op}): {next}.",
        e.method.as_str(),
        e.path_template,
        client = p.client,
        op = e.operation
    ));
    let send_doc = docs(&format!(
        "Sends `{} {}` and decodes the reply into [`{}`].",
        e.method.as_str(),
        e.path_template,
        e.response
    ));

    // `max_length` from the spec, checked before any traffic.
    let length_checks = e.params.iter().filter_map(|param| {
        let max = proc_macro2::Literal::usize_unsuffixed(param.max_length? as usize);
        let wire = &param.wire;
        let name = ident(&param.ident);
        Some(if param.required {
            quote!(::taskapi_runtime::check_max_length(#wire, &self.#name, #max).map_err(#error::from_invalid_request)?;)
        } else {
            quote! {
                if let Some(value) = &self.#name {
                    ::taskapi_runtime::check_max_length(#wire, value, #max).map_err(#error::from_invalid_request)?;
                }
            }
        })
    });
    let user_token_setter = takes_user_token(e).then(|| {
        quote! {
            /// Sends this request with a user access token (`u-...`) instead of the client's
            /// token. A user token is not refreshed by the client.
            pub fn user_access_token(mut self, token: impl ::std::convert::Into<::taskapi_runtime::AccessToken>) -> Self {
                self.options = self.options.user_token(token.into());
                self
            }
        }
    });

    quote! {
        impl super::#client {
            #method_doc
            pub fn #operation(&self, #(#args),*) -> #request<'_> {
                #request {
                    core: &self.core,
                    #(#inits,)*
                    options: ::std::default::Default::default(),
                }
            }
        }

        #request_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #request<'c> {
            core: &'c ::taskapi_runtime::Core,
            #(#fields,)*
            options: ::taskapi_runtime::CallOptions,
        }

        impl #request<'_> {
            #(#setters)*
            #user_token_setter

            /// Bounds this call, retries and their waits included: each attempt's timeout is
            /// cut to the time left, no retry starts after it, and a server asking for a
            /// longer wait than what is left ends the call at once.
            pub fn time_limit(mut self, limit: ::std::time::Duration) -> Self {
                self.options = self.options.time_limit(limit);
                self
            }

            /// Calls `inspect` with the reply's data exactly as received, once it decoded
            /// (fields the spec does not list included): for logging or passing it on.
            pub fn inspect_raw(
                mut self,
                inspect: impl ::std::ops::Fn(&str) + ::std::marker::Send + ::std::marker::Sync + 'static,
            ) -> Self {
                self.options = self.options.inspect_raw(::std::sync::Arc::new(inspect));
                self
            }

            #send_doc
            pub async fn send(self) -> ::std::result::Result<#response, #error> {
                #(#length_checks)*
                let path = [#(#path_parts),*];
                #query_decl
                #(#optional_query)*
                self.core.send(&#info_static, &path, #query_arg, &self.options).await
            }
        }
    }
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
        }

        impl ::taskapi_runtime::EndpointError for #name {
            fn from_api(error: ::taskapi_runtime::ApiError) -> Self {
                match #lookup {
                    #(Some(#codes) => Self::#variants(error.documented(#hints, #retryable)),)*
                    _ => match super::#common::from_code(error.code()) {
                        Some(common) => Self::Common(common, error.documented(common.hint(), common.is_retryable())),
                        None => Self::Unknown(error),
                    },
                }
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

            fn failure(&self) -> ::taskapi_runtime::Failure<'_> {
                match self {
                    #(Self::#variants(e))|* | Self::Common(_, e) | Self::Unknown(e) => ::taskapi_runtime::Failure::Api(e),
                    Self::Transport(e) => ::taskapi_runtime::Failure::Transport(e),
                    Self::Decode(e) => ::taskapi_runtime::Failure::Decode(e),
                    Self::InvalidRequest(e) => ::taskapi_runtime::Failure::InvalidRequest(e),
                    Self::Token(e) => ::taskapi_runtime::Failure::Token(e),
                }
            }
        }

        impl #name {
            /// The API error, when the provider answered with a code.
            pub fn api_error(&self) -> ::std::option::Option<&::taskapi_runtime::ApiError> {
                self.failure().api_error()
            }

            /// The HTTP status, when a reply arrived.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                self.failure().http_status()
            }

            /// The provider's error code, when it sent one.
            pub fn code(&self) -> ::std::option::Option<&::taskapi_runtime::ErrorCode> {
                self.failure().code()
            }

            /// The request id to quote in support tickets, when the reply carried one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.failure().request_id()
            }

            /// How many requests were sent before giving up (retries included).
            pub fn attempts(&self) -> u32 {
                self.failure().attempts()
            }

            /// The documentation's troubleshooting hint (排查建议) for this code.
            pub fn hint(&self) -> ::std::option::Option<&'static str> {
                self.api_error().and_then(::taskapi_runtime::ApiError::hint)
            }

            /// Whether trying again may succeed: codes the spec marks retryable, timeouts,
            /// connection failures, gateway errors.
            pub fn is_retryable(&self) -> bool {
                self.failure().is_retryable()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}: {}", #info_static.id, self.failure())
            }
        }

        /// The failure's text is part of this error's; `source` goes on to its cause (for a
        /// transport failure, reqwest's causes down to the `io::Error`).
        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                self.failure().source()
            }
        }
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
