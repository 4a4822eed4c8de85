//! A provider module: its client, its conventions and its common error codes.

use super::tokens::{code_literal, docs, envelope, ident, module_docs, paragraphs};
use super::types;
use crate::model::{Provider, TokenEndpoint};
use crate::spec::CodeType;
use proc_macro2::TokenStream;
use quote::format_ident;
use quote::quote;

pub(super) fn emit(p: &Provider) -> TokenStream {
    let modules: Vec<_> = p.endpoints.iter().map(|e| ident(&e.operation)).collect();
    let gates = feature_gates(p);
    let module_doc = module_doc(p);
    let provider_static = ident(&p.key.to_uppercase());
    let client = ident(&p.client);
    let common = common_errors(p);
    let token = p.token.as_ref().map(|t| token_endpoint(p, t));
    let info = provider_info(p, &provider_static);
    let host_consts = host_consts(p);
    let client_doc = client_doc(p);
    let shared = (!p.shared_types.is_empty()).then(|| {
        let module = ident(super::shared_types::MODULE);
        quote! {
            pub mod #module;
            pub use self::#module::*;
        }
    });

    quote! {
        #module_doc

        #shared
        #(#gates pub mod #modules;)*
        #(#gates pub use self::#modules::*;)*

        #info

        #client_doc
        #[derive(Debug, Clone)]
        pub struct #client {
            core: ::taskapi_runtime::Core,
        }

        impl #client {
            #(#host_consts)*

            /// Starts configuring a client: token, base URL, shared `reqwest::Client`.
            pub fn builder() -> ::taskapi_runtime::ClientBuilder<Self> {
                ::std::default::Default::default()
            }

            /// A client for the default host with a static access token.
            pub fn new(
                access_token: impl ::std::convert::Into<::taskapi_runtime::AccessToken>,
            ) -> ::std::result::Result<Self, ::taskapi_runtime::BuildError> {
                Self::builder().access_token(access_token).build()
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }
        }

        impl ::taskapi_runtime::HasProvider for #client {
            const PROVIDER: &'static ::taskapi_runtime::ProviderInfo = &#provider_static;
        }

        impl ::taskapi_runtime::ProviderClient for #client {
            fn from_core(core: ::taskapi_runtime::Core) -> Self {
                Self { core }
            }
        }

        #common
        #token
    }
}

/// Each endpoint's module compiles with its family's feature only: the attributes that
/// say so, one per endpoint.
fn feature_gates(p: &Provider) -> Vec<TokenStream> {
    p.endpoints
        .iter()
        .map(|e| {
            let family = &e.family;
            quote! {
                #[cfg(feature = #family)]
                #[cfg_attr(docsrs, doc(cfg(feature = #family)))]
            }
        })
        .collect()
}

/// The module's docs: the provider, then a list of its endpoints.
fn module_doc(p: &Provider) -> TokenStream {
    let endpoint_list: String = p
        .endpoints
        .iter()
        .map(|e| {
            format!(
                "- `{}`: [`{}::{}`] ({})\n",
                e.id, p.client, e.operation, e.title
            )
        })
        .collect();
    module_docs(&paragraphs([
        p.title.as_str(),
        p.summary.as_str(),
        &format!("Endpoints:\n{endpoint_list}"),
    ]))
}

/// A `const` on the client per host, the first marked as the default.
fn host_consts(p: &Provider) -> Vec<TokenStream> {
    p.hosts
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = ident(&h.const_name);
            let url = &h.base_url;
            let default = if i == 0 { " The default." } else { "" };
            let doc = docs(&format!("`{url}`: {}{default}", h.description.trim()));
            quote! { #doc pub const #name: &'static str = #url; }
        })
        .collect()
}

/// The client's docs: how it authenticates, that clones share a pool, an example.
fn client_doc(p: &Provider) -> TokenStream {
    docs(&paragraphs([
        format!("Client for the {} API.", p.title).as_str(),
        &format!(
            "Sends the access token as `{}: {}<token>`. {}",
            p.auth_header,
            p.auth_scheme
                .as_deref()
                .map(|s| format!("{s} "))
                .unwrap_or_default(),
            p.auth_description.trim()
        ),
        "Cloning is cheap: clones share one connection pool.",
        &format!(
            "```no_run\n# async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = taskapi::{}::{}::new(\"token\")?;\n# Ok(()) }}\n```",
            ident(&p.key),
            p.client
        ),
    ]))
}

/// The token endpoint's request and reply types, and the `TokenApi` binding the runtime's
/// managed tokens use.
fn token_endpoint(p: &Provider, t: &TokenEndpoint) -> TokenStream {
    let client = ident(&p.client);
    let common = ident(&p.common_error_enum);
    let info = format_ident!("{}_TOKEN_ENDPOINT", p.key.to_uppercase());
    let sends = format!("`{} {}`", t.method.as_str(), t.path);
    let info_doc = docs(&paragraphs([
        format!("{} ({sends})", t.title).as_str(),
        &t.summary,
        &format!("Example reply:\n```json\n{}\n```", t.example.trim()),
    ]));
    let method = ident(t.method.as_str());
    let path = &t.path;
    let types = t.types.iter().map(|def| types::type_def(def, &t.types));
    let request = ident(&t.request);
    let reply = ident(&t.response);
    let envelope = envelope(t.envelope);
    let (id_env, secret_env) = (&t.id_env, &t.secret_env);
    let app_id = ident(&t.app_id_field);
    let app_secret = ident(&t.app_secret_field);
    let token = ident(&t.token_field);
    let expires = ident(&t.expires_field);
    quote! {
        #info_doc
        pub static #info: ::taskapi_runtime::EndpointInfo = ::taskapi_runtime::EndpointInfo {
            id: #path,
            method: ::reqwest::Method::#method,
            path: #path,
            // Asking again only gives another token.
            idempotent: true,
            // The token endpoint's limit is not the endpoints': a managed token fetches
            // once per refresh anyway.
            rate_limit: ::std::option::Option::None,
        };

        #(#types)*

        impl ::taskapi_runtime::TokenApi for #client {
            type TokenRequest = #request;
            type TokenReply = #reply;
            const TOKEN_ENDPOINT: &'static ::taskapi_runtime::EndpointInfo = &#info;
            const TOKEN_ENVELOPE: ::taskapi_runtime::Envelope = #envelope;
            const CREDENTIALS_ENV: (&'static str, &'static str) = (#id_env, #secret_env);

            fn token_request(credentials: &::taskapi_runtime::AppCredentials) -> Self::TokenRequest {
                #request {
                    #app_id: credentials.id().to_owned(),
                    #app_secret: credentials.secret().to_owned(),
                }
            }

            fn token_from_reply(reply: Self::TokenReply) -> (::taskapi_runtime::AccessToken, i64) {
                (::taskapi_runtime::AccessToken::new(reply.#token), reply.#expires)
            }

            fn document_token_error(error: ::taskapi_runtime::ApiError) -> ::taskapi_runtime::ApiError {
                match #common::from_code(error.code()) {
                    Some(common) => error.documented(common.hint(), common.is_retryable()),
                    None => error,
                }
            }
        }
    }
}

fn provider_info(p: &Provider, name: &proc_macro2::Ident) -> TokenStream {
    let key = &p.key;
    let default_base_url = p
        .hosts
        .first()
        .map(|h| h.base_url.as_str())
        .unwrap_or_default();
    let header = &p.auth_header;
    let scheme = match &p.auth_scheme {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let token_env = &p.token_env;
    let envelope = envelope(p.envelope);
    let id_headers = &p.request_id_headers;
    let id_field = match &p.request_id_body_field {
        Some(f) => quote!(Some(#f)),
        None => quote!(None),
    };
    let reset_header = match &p.rate_limit_reset_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let invalid_codes = p.token_invalid_codes.iter().map(code_literal);
    let token_invalid = if p.token_invalid_codes.is_empty() {
        quote!({
            let _ = code;
            false
        })
    } else {
        match p.code_type {
            CodeType::Integer => quote!(matches!(code.as_i64(), Some(#(#invalid_codes)|*))),
            CodeType::String => quote!(matches!(code.as_str(), Some(#(#invalid_codes)|*))),
        }
    };
    let rate_limited = match &p.rate_limit_reply {
        Some((_, code)) => {
            let code = code_literal(code);
            match p.code_type {
                CodeType::Integer => quote!(code.as_i64() == Some(#code)),
                CodeType::String => quote!(code.as_str() == Some(#code)),
            }
        }
        None => quote!({
            let _ = code;
            false
        }),
    };
    let doc = docs(&paragraphs([
        format!("How {} replies and authenticates.", p.title).as_str(),
        p.envelope_description.as_str(),
        &format!("Request id: {}", p.request_id_description.trim()),
    ]));
    quote! {
        #doc
        pub static #name: ::taskapi_runtime::ProviderInfo = ::taskapi_runtime::ProviderInfo {
            name: #key,
            default_base_url: #default_base_url,
            auth_header: #header,
            auth_scheme: #scheme,
            token_env: #token_env,
            envelope: #envelope,
            request_id_headers: &[#(#id_headers),*],
            request_id_body_field: #id_field,
            rate_limit_reset_header: #reset_header,
            is_token_invalid,
            is_rate_limited,
        };

        /// Whether a code means the provider throttled the call (`rate_limit.code` in the spec).
        fn is_rate_limited(code: &::taskapi_runtime::ErrorCode) -> bool {
            #rate_limited
        }

        /// Whether a code means the access token was refused (`invalidates_token` in the spec).
        fn is_token_invalid(code: &::taskapi_runtime::ErrorCode) -> bool {
            #token_invalid
        }
    }
}

fn common_errors(p: &Provider) -> TokenStream {
    let name = ident(&p.common_error_enum);
    let variants: Vec<_> = p.common_errors.iter().map(|e| ident(&e.variant)).collect();
    let variant_docs = p.common_errors.iter().map(|e| {
        let status = e
            .http_status
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        let retry = if e.retryable { "\n\nRetryable." } else { "" };
        docs(&format!(
            "`{}`: {}{status}\n\n{}{retry}",
            e.code, e.message, e.hint
        ))
    });
    let codes: Vec<_> = p
        .common_errors
        .iter()
        .map(|e| code_literal(&e.code))
        .collect();
    let messages = p.common_errors.iter().map(|e| &e.message);
    let hints = p.common_errors.iter().map(|e| &e.hint);
    let retryable: Vec<_> = variants
        .iter()
        .zip(&p.common_errors)
        .filter(|(_, e)| e.retryable)
        .map(|(v, _)| v)
        .collect();
    let (code_ty, lookup) = match p.code_type {
        CodeType::Integer => (quote!(i64), quote!(code.as_i64()?)),
        CodeType::String => (quote!(&'static str), quote!(code.as_str()?)),
    };
    let is_retryable = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable)|*))
    };
    let doc = docs(&format!(
        "Error codes any {} endpoint can return (tokens, permissions, rate limits, quotas).",
        p.title
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
        }

        impl #name {
            /// The common error with this code, if it is one.
            pub fn from_code(code: &::taskapi_runtime::ErrorCode) -> ::std::option::Option<Self> {
                match #lookup {
                    #(#codes => Some(Self::#variants),)*
                    _ => None,
                }
            }

            /// The code as the provider sends it.
            pub fn code(self) -> #code_ty {
                match self {
                    #(Self::#variants => #codes,)*
                }
            }

            /// What the code means.
            pub fn message(self) -> &'static str {
                match self {
                    #(Self::#variants => #messages,)*
                }
            }

            /// The documentation's troubleshooting hint.
            pub fn hint(self) -> &'static str {
                match self {
                    #(Self::#variants => #hints,)*
                }
            }

            /// Whether the spec marks this code as worth retrying.
            pub fn is_retryable(self) -> bool {
                #is_retryable
            }
        }
    }
}
