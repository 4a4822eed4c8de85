//! `provider.yaml`: hosts, authentication, the envelope replies come in, common error codes
//! and the token endpoint.

use super::errors::ErrorSpec;
use super::object::ObjectSpec;
use super::value::{CodeType, Method, Scalar};
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::path_template::PathTemplate;
use crate::yaml::Node;

#[derive(Debug, Clone)]
pub struct ProviderSpec {
    pub file: String,
    pub provider: Spanned<String>,
    pub title: String,
    pub summary: String,
    pub client: Spanned<String>,
    pub hosts: Vec<HostSpec>,
    pub auth: AuthSpec,
    pub envelope: EnvelopeSpec,
    pub request_id: RequestIdSpec,
    pub rate_limit: Option<ProviderRateLimit>,
    pub token_endpoint: Option<TokenEndpointSpec>,
    pub common_errors: Vec<ErrorSpec>,
}

/// The endpoint that turns app credentials into an access token (managed tokens).
#[derive(Debug, Clone)]
pub struct TokenEndpointSpec {
    pub title: String,
    pub summary: String,
    pub method: Spanned<Method>,
    pub path: Spanned<PathTemplate>,
    pub envelope: Spanned<EnvelopeStyle>,
    pub id_env: Spanned<String>,
    pub secret_env: Spanned<String>,
    pub request: ObjectSpec,
    pub response: ObjectSpec,
    pub example: Spanned<String>,
}

#[derive(Debug, Clone)]
pub struct HostSpec {
    pub name: Spanned<String>,
    pub base_url: Spanned<String>,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct AuthSpec {
    pub header: Spanned<String>,
    /// Prefix of the header value, e.g. `Bearer`; none means the raw token.
    pub scheme: Option<String>,
    /// Environment variable the CLI reads the token from.
    pub token_env: Spanned<String>,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeStyle {
    /// `{"code", "msg", "data"}`; `code != 0` is an error whatever the HTTP status.
    CodeMsgData,
    /// `{"code", "msg", ...fields}`: like `CodeMsgData` but not wrapped (Feishu's token reply).
    CodeMsgFlat,
    /// The bare object on 2xx; `{"code", "message", "requestid"}` with a non-2xx status.
    Bare,
}

#[derive(Debug, Clone)]
pub struct EnvelopeSpec {
    pub style: EnvelopeStyle,
    pub code_type: CodeType,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct RequestIdSpec {
    pub headers: Vec<String>,
    pub body_field: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct ProviderRateLimit {
    pub http_status: Vec<u16>,
    pub code: Option<Spanned<Scalar>>,
    pub limit_header: Option<String>,
    pub reset_seconds_header: Option<String>,
}

// ---- reading ---------------------------------------------------------------------------

const ENVELOPE_STYLES: &[(&str, EnvelopeStyle)] = &[
    ("code_msg_data", EnvelopeStyle::CodeMsgData),
    ("code_msg_flat", EnvelopeStyle::CodeMsgFlat),
    ("bare", EnvelopeStyle::Bare),
];

impl Decode for EnvelopeStyle {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, ENVELOPE_STYLES)
    }
}

impl TokenEndpointSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let title = f.req(cx, "title");
        let summary = f.req(cx, "summary");
        let method = f.req(cx, "method");
        let endpoint_path = f.req(cx, "path");
        let envelope = f.req(cx, "envelope");
        let credentials = f.with(cx, "credentials_env", true, |cx, n, p| {
            let mut c = cx.fields(n, p)?;
            let id = c.req(cx, "id");
            let secret = c.req(cx, "secret");
            c.finish(cx);
            Some((id?, secret?))
        });
        let request = f.with(cx, "request", true, ObjectSpec::decode);
        let response = f.with(cx, "response", true, ObjectSpec::decode);
        let example = f.req(cx, "example");
        f.finish(cx);
        let (id_env, secret_env) = credentials?;
        Some(TokenEndpointSpec {
            title: title?,
            summary: summary?,
            method: method?,
            path: endpoint_path?,
            envelope: envelope?,
            id_env,
            secret_env,
            request: request?,
            response: response?,
            example: example?,
        })
    }
}

impl ProviderSpec {
    pub fn decode(cx: &mut Ctx<'_>, node: &Node) -> Option<Self> {
        let mut f = cx.fields(node, "")?;
        let provider = f.req(cx, "provider");
        let title = f.req(cx, "title");
        let summary = f.req(cx, "summary");
        let client = f.req(cx, "client");
        let hosts = f.req(cx, "hosts");
        let auth = f.with(cx, "auth", true, AuthSpec::decode);
        let envelope = f.with(cx, "envelope", true, EnvelopeSpec::decode);
        let request_id = f.with(cx, "request_id", true, RequestIdSpec::decode);
        let rate_limit = f.with(cx, "rate_limit", false, ProviderRateLimit::decode);
        let token_endpoint = f.with(cx, "token_endpoint", false, TokenEndpointSpec::decode);
        let common_errors = f.opt(cx, "common_errors").unwrap_or_default();
        f.finish(cx);
        Some(ProviderSpec {
            file: cx.file.to_owned(),
            provider: provider?,
            title: title?,
            summary: summary?,
            client: client?,
            hosts: hosts?,
            auth: auth?,
            envelope: envelope?,
            request_id: request_id?,
            rate_limit,
            token_endpoint,
            common_errors,
        })
    }
}

impl Decode for HostSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let base_url = f.req(cx, "base_url");
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(HostSpec {
            name: name?,
            base_url: base_url?,
            description,
        })
    }
}

impl AuthSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let header = f.req(cx, "header");
        let scheme = f.opt(cx, "scheme");
        let token_env = f.req(cx, "token_env");
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(AuthSpec {
            header: header?,
            scheme,
            token_env: token_env?,
            description,
        })
    }
}

impl EnvelopeSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let style = f.req(cx, "style");
        let code_type = f.with(cx, "code_type", true, |cx, n, p| {
            keyword(
                cx,
                n,
                p,
                &[("integer", CodeType::Integer), ("string", CodeType::String)],
            )
        });
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(EnvelopeSpec {
            style: style?,
            code_type: code_type?,
            description,
        })
    }
}

impl RequestIdSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let headers = f.opt(cx, "headers").unwrap_or_default();
        let body_field = f.opt(cx, "body_field");
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(RequestIdSpec {
            headers,
            body_field,
            description,
        })
    }
}

impl ProviderRateLimit {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let http_status = f.opt(cx, "http_status").unwrap_or_default();
        let code = f.opt(cx, "code");
        let headers = f.with(cx, "headers", false, |cx, n, p| {
            let mut h = cx.fields(n, p)?;
            let limit: Option<String> = h.opt(cx, "limit");
            let reset: Option<String> = h.opt(cx, "reset_seconds");
            h.finish(cx);
            Some((limit, reset))
        });
        f.finish(cx);
        let (limit_header, reset_seconds_header) = headers.unwrap_or_default();
        Some(ProviderRateLimit {
            http_status,
            code,
            limit_header,
            reset_seconds_header,
        })
    }
}
