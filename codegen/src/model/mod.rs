//! The model the emitter reads: validated specs with every Rust name decided.
//!
//! Building it cannot fail: validation (`validate/`) has already rejected whatever would. The
//! provider and its token endpoint are here; `endpoint.rs` holds an endpoint and its
//! request, `waiter.rs` its waiter, `types.rs` the structs and enums of replies, `errors.rs`
//! the documented codes.

mod chain;
mod endpoint;
mod errors;
mod types;
mod waiter;

// Validation reads codes too, so `Code` is defined with the spec; the model's readers (the
// emitters, the tests) name it here.
pub use crate::spec::Code;
pub use chain::{Chain, Feed, FeedFrom};
pub use endpoint::{Body, BodyLeaf, Endpoint, FilePart, Param, PathPart, Response};
pub use errors::ErrorCase;
pub use types::{
    EnumDef, EnumVariant, Field, FieldRust, ScalarType, StructDef, StructKind, TypeDef,
};
pub use waiter::{PathStep, Waiter};

use crate::load::SpecSet;
use crate::naming;
use crate::spec::{
    CodeType, EndpointSpec, EnvelopeStyle, FieldRole, Method, ObjectSpec, ProviderSpec,
    TokenEndpointSpec,
};
use endpoint::build_endpoint;
use errors::error_case;
use types::collect_types;

#[derive(Debug, Clone)]
pub struct Model {
    pub providers: Vec<Provider>,
}

#[derive(Debug, Clone)]
pub struct Provider {
    /// Module name and first segment of endpoint ids, e.g. `feishu`.
    pub key: String,
    pub file: String,
    pub title: String,
    pub summary: String,
    pub client: String,
    pub hosts: Vec<Host>,
    pub auth_header: String,
    pub auth_scheme: Option<String>,
    pub auth_description: String,
    pub token_env: String,
    pub envelope: EnvelopeStyle,
    pub code_type: CodeType,
    pub envelope_description: String,
    pub request_id_headers: Vec<String>,
    pub request_id_body_field: Option<String>,
    pub request_id_description: String,
    pub common_error_enum: String,
    pub common_errors: Vec<ErrorCase>,
    /// Codes that mean "this access token was refused" (from `invalidates_token`).
    pub token_invalid_codes: Vec<Code>,
    /// Header giving the seconds until a rate-limit window resets.
    pub rate_limit_reset_header: Option<String>,
    /// Header giving the calls allowed per window.
    pub rate_limit_limit_header: Option<String>,
    /// How the provider answers when it throttles: first documented status, and code.
    pub rate_limit_reply: Option<(u16, Code)>,
    pub token: Option<TokenEndpoint>,
    pub endpoints: Vec<Endpoint>,
}

/// The endpoint that exchanges app credentials for an access token.
#[derive(Debug, Clone)]
pub struct TokenEndpoint {
    pub title: String,
    pub summary: String,
    pub method: Method,
    pub path: String,
    pub envelope: EnvelopeStyle,
    pub id_env: String,
    pub secret_env: String,
    pub example: String,
    pub request: String,
    pub response: String,
    /// The request's and the reply's types (and anything nested in them).
    pub types: Vec<TypeDef>,
    pub app_id_field: String,
    pub app_secret_field: String,
    pub token_field: String,
    pub expires_field: String,
    /// Wire names of the token and lifetime fields (for the fake server).
    pub token_wire: String,
    pub expires_wire: String,
}

#[derive(Debug, Clone)]
pub struct Host {
    pub const_name: String,
    pub base_url: String,
    pub description: String,
}

/// Builds the model from a set that passed validation (`validate::validate`).
pub fn build(set: &SpecSet) -> Model {
    let providers = set
        .providers
        .iter()
        .map(|dir| build_provider(&dir.provider, &dir.endpoints))
        .collect();
    Model { providers }
}

fn build_provider(p: &ProviderSpec, endpoints: &[EndpointSpec]) -> Provider {
    let code_type = p.envelope.code_type;
    let mut endpoints: Vec<Endpoint> = endpoints
        .iter()
        .map(|e| build_endpoint(e, endpoints, code_type))
        .collect();
    // Sorted by id, not by file name, so renaming a file never reorders the output.
    endpoints.sort_by(|a, b| a.id.cmp(&b.id));
    Provider {
        key: p.provider.value.clone(),
        file: p.file.clone(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        client: p.client.value.clone(),
        hosts: p
            .hosts
            .iter()
            .map(|h| Host {
                const_name: format!("{}_BASE_URL", naming::const_name(&h.name.value)),
                base_url: h.base_url.value.clone(),
                description: h.description.clone(),
            })
            .collect(),
        auth_header: p.auth.header.value.clone(),
        auth_scheme: p.auth.scheme.clone(),
        auth_description: p.auth.description.clone(),
        token_env: p.auth.token_env.value.clone(),
        envelope: p.envelope.style,
        code_type,
        envelope_description: p.envelope.description.clone(),
        request_id_headers: p.request_id.headers.clone(),
        request_id_body_field: p.request_id.body_field.clone(),
        request_id_description: p.request_id.description.clone(),
        common_error_enum: naming::common_error_enum(&p.client.value),
        common_errors: p
            .common_errors
            .iter()
            .filter_map(|e| error_case(e, code_type))
            .collect(),
        token_invalid_codes: p
            .common_errors
            .iter()
            .filter(|e| e.invalidates_token.as_ref().is_some_and(|f| f.value))
            .filter_map(|e| Code::parse(code_type, &e.code.value).ok())
            .collect(),
        rate_limit_reset_header: p
            .rate_limit
            .as_ref()
            .and_then(|r| r.reset_seconds_header.clone()),
        rate_limit_limit_header: p.rate_limit.as_ref().and_then(|r| r.limit_header.clone()),
        rate_limit_reply: p.rate_limit.as_ref().and_then(|r| {
            let code = Code::parse(code_type, &r.code.as_ref()?.value).ok()?;
            Some((r.http_status.first().copied().unwrap_or(429), code))
        }),
        token: p.token_endpoint.as_ref().map(build_token_endpoint),
        endpoints,
    }
}

fn build_token_endpoint(t: &TokenEndpointSpec) -> TokenEndpoint {
    let mut types = Vec::new();
    collect_types(&t.request, StructKind::Reply, &mut types);
    collect_types(&t.response, StructKind::Reply, &mut types);
    let wire_with = |object: &ObjectSpec, role: FieldRole| {
        object
            .fields
            .iter()
            .find(|f| f.role.as_ref().is_some_and(|r| r.value == role))
            .map(|f| f.name.value.clone())
            .unwrap_or_default()
    };
    let field_with =
        |object: &ObjectSpec, role: FieldRole| naming::field_ident(&wire_with(object, role));
    TokenEndpoint {
        title: t.title.clone(),
        summary: t.summary.clone(),
        method: t.method.value,
        path: t.path.value.text.clone(),
        envelope: t.envelope.value,
        id_env: t.id_env.value.clone(),
        secret_env: t.secret_env.value.clone(),
        example: t.example.value.clone(),
        request: t.request.name.value.clone(),
        response: t.response.name.value.clone(),
        types,
        app_id_field: field_with(&t.request, FieldRole::AppId),
        app_secret_field: field_with(&t.request, FieldRole::AppSecret),
        token_field: field_with(&t.response, FieldRole::AccessToken),
        expires_field: field_with(&t.response, FieldRole::ExpiresInSeconds),
        token_wire: wire_with(&t.response, FieldRole::AccessToken),
        expires_wire: wire_with(&t.response, FieldRole::ExpiresInSeconds),
    }
}
