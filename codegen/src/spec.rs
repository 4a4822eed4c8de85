//! The spec format: what a person writes in `specs/**.yaml`, read field by field.
//!
//! One `provider.yaml` per provider directory and one file per endpoint under its
//! `endpoints/` directory. Field meanings are documented in README.md ("Spec format").

use crate::decode::{Ctx, Decode, Spanned, keyword, scalar};
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
    pub path: Spanned<String>,
    pub envelope: Spanned<EnvelopeStyle>,
    pub id_env: Spanned<String>,
    pub secret_env: Spanned<String>,
    pub request: ObjectSpec,
    pub response: ObjectSpec,
    pub example: Spanned<String>,
}

/// What a token endpoint field means to the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    AppId,
    AppSecret,
    AccessToken,
    ExpiresInSeconds,
}

impl FieldRole {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldRole::AppId => "app_id",
            FieldRole::AppSecret => "app_secret",
            FieldRole::AccessToken => "access_token",
            FieldRole::ExpiresInSeconds => "expires_in_seconds",
        }
    }

    /// Secrets never appear in Debug output.
    pub fn is_secret(self) -> bool {
        matches!(self, FieldRole::AppSecret | FieldRole::AccessToken)
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeType {
    Integer,
    String,
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

/// A scalar kept as written, for values whose type depends on context (error codes, enum values).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// False when quoted: `"123"` is meant as text.
    pub plain: bool,
}

#[derive(Debug, Clone)]
pub struct ErrorSpec {
    pub path: String,
    pub http_status: Option<Spanned<u16>>,
    pub code: Spanned<Scalar>,
    pub name: Option<Spanned<String>>,
    pub message: Spanned<String>,
    pub hint: String,
    /// Where `hint` comes from when not from the documents (see [`TextSource`]).
    pub source: Option<Spanned<TextSource>>,
    pub retryable: bool,
    /// The access token was refused: a managed token is dropped and fetched again, once.
    pub invalidates_token: Option<Spanned<bool>>,
}

#[derive(Debug, Clone)]
pub struct EndpointSpec {
    pub file: String,
    pub id: Spanned<String>,
    pub operation: Spanned<String>,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub source: String,
    pub method: Spanned<Method>,
    pub path: Spanned<String>,
    pub token_kinds: Vec<String>,
    pub app_types: Vec<String>,
    pub scopes: Vec<ScopeSpec>,
    pub rate_limit: Option<RateLimitSpec>,
    pub params: Vec<ParamSpec>,
    pub response: ObjectSpec,
    pub example: Spanned<String>,
    pub errors: Vec<ErrorSpec>,
    pub waiter: Option<WaiterSpec>,
}

/// How to wait for the task an endpoint reports on: where its status is, which values are
/// pending, success and failure, and how often to poll.
#[derive(Debug, Clone)]
pub struct WaiterSpec {
    pub path: String,
    /// The client method, e.g. `wait_export_task`.
    pub name: Spanned<String>,
    /// Dotted path to the status field in the reply, e.g. `result.job_status`.
    pub status: Spanned<String>,
    pub pending: Vec<Spanned<Scalar>>,
    pub success: Vec<Spanned<Scalar>>,
    pub failure: Vec<Spanned<Scalar>>,
    /// What a value the status enum does not list means.
    pub unknown: Spanned<WaitState>,
    /// A string field that must be non-empty for a success to count as done.
    pub ready_when_set: Option<Spanned<String>>,
    /// A string field explaining a failure.
    pub message: Option<Spanned<String>>,
    /// Integer fields counting done and total items.
    pub progress: Option<(Spanned<String>, Spanned<String>)>,
    pub min_delay: Spanned<f64>,
    pub max_delay: Spanned<f64>,
    pub max_wait: Spanned<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitState {
    Pending,
    Failure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScopeSpec {
    pub scope: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct RateLimitSpec {
    pub per_minute: Option<u32>,
    pub per_second: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
}

#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub path: String,
    pub name: Spanned<String>,
    pub location: ParamIn,
    pub ty: Spanned<FieldType>,
    pub required: bool,
    pub max_length: Option<Spanned<u32>>,
    pub description: String,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ObjectSpec {
    pub name: Spanned<String>,
    pub description: String,
    pub fields: Vec<FieldSpec>,
}

impl ObjectSpec {
    /// The fields a dotted path (`result.job_status`) walks through, outermost first, or
    /// why it does not resolve.
    pub fn field_path(&self, dotted: &str) -> Result<Vec<&FieldSpec>, String> {
        let mut object = self;
        let mut walked = Vec::new();
        for (i, segment) in dotted.split('.').enumerate() {
            if i > 0 {
                let parent: &FieldSpec = walked[i - 1];
                object = parent.object.as_ref().ok_or_else(|| {
                    format!(
                        "`{}` is not an object, so `{dotted}` goes nowhere",
                        parent.name.value
                    )
                })?;
            }
            let field = object
                .fields
                .iter()
                .find(|f| f.name.value == segment)
                .ok_or_else(|| {
                    format!(
                        "`{dotted}`: `{}` has no field `{segment}`",
                        object.name.value
                    )
                })?;
            walked.push(field);
        }
        Ok(walked)
    }
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub path: String,
    pub name: Spanned<String>,
    pub ty: Spanned<FieldType>,
    pub required: bool,
    pub description: String,
    pub items: Option<Spanned<FieldType>>,
    pub object: Option<ObjectSpec>,
    pub enumeration: Option<EnumSpec>,
    pub role: Option<Spanned<FieldRole>>,
}

#[derive(Debug, Clone)]
pub struct EnumSpec {
    pub name: Spanned<String>,
    pub values: Vec<EnumValueSpec>,
}

#[derive(Debug, Clone)]
pub struct EnumValueSpec {
    pub value: Spanned<Scalar>,
    pub name: Spanned<String>,
    pub description: String,
    /// Where `description` comes from when not from the documents (see [`TextSource`]).
    pub source: Option<Spanned<TextSource>>,
}

/// Where a label (an enum value's `description`) or an error's `hint` comes from, when it is
/// not the documents'. Absent, the text is the endpoint page's or `reference/endpoints.md`'s
/// and a docs checker can look it up there; `authored` says the project wrote it, so there is
/// nothing to look up and a changed page cannot be expected to confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    Authored,
}

// ---- reading ---------------------------------------------------------------------------

const FIELD_TYPES: &[(&str, FieldType)] = &[
    ("string", FieldType::String),
    ("integer", FieldType::Integer),
    ("boolean", FieldType::Boolean),
    ("object", FieldType::Object),
    ("array", FieldType::Array),
];

impl Decode for FieldType {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, FIELD_TYPES)
    }
}

impl Decode for Method {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("GET", Method::Get),
                ("POST", Method::Post),
                ("PUT", Method::Put),
                ("PATCH", Method::Patch),
                ("DELETE", Method::Delete),
            ],
        )
    }
}

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

impl Decode for FieldRole {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("app_id", FieldRole::AppId),
                ("app_secret", FieldRole::AppSecret),
                ("access_token", FieldRole::AccessToken),
                ("expires_in_seconds", FieldRole::ExpiresInSeconds),
            ],
        )
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

impl Decode for TextSource {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, &[("authored", TextSource::Authored)])
    }
}

impl Decode for WaitState {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("pending", WaitState::Pending),
                ("failure", WaitState::Failure),
            ],
        )
    }
}

impl WaiterSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let status = f.req(cx, "status");
        let pending = f.req(cx, "pending");
        let success = f.req(cx, "success");
        let failure = f.opt(cx, "failure").unwrap_or_default();
        let unknown = f.req(cx, "unknown");
        let ready_when_set = f.opt(cx, "ready_when_set");
        let message = f.opt(cx, "message");
        let progress = f.with(cx, "progress", false, |cx, n, p| {
            let mut g = cx.fields(n, p)?;
            let done = g.req(cx, "done");
            let total = g.req(cx, "total");
            g.finish(cx);
            Some((done?, total?))
        });
        let min_delay = f.req(cx, "min_delay");
        let max_delay = f.req(cx, "max_delay");
        let max_wait = f.req(cx, "max_wait");
        f.finish(cx);
        Some(WaiterSpec {
            path: path.to_owned(),
            name: name?,
            status: status?,
            pending: pending?,
            success: success?,
            failure,
            unknown: unknown?,
            ready_when_set,
            message,
            progress,
            min_delay: min_delay?,
            max_delay: max_delay?,
            max_wait: max_wait?,
        })
    }
}

impl Decode for Scalar {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        scalar(cx, node, path, "a scalar").map(|(text, plain)| Scalar {
            text: text.to_owned(),
            plain,
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

impl Decode for ErrorSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let http_status = f.opt(cx, "http_status");
        let code = f.req(cx, "code");
        let name = f.opt(cx, "name");
        let message = f.req(cx, "message");
        let hint = f.opt(cx, "hint").unwrap_or_default();
        let source = f.opt(cx, "source");
        let retryable = f.opt(cx, "retryable").unwrap_or(false);
        let invalidates_token = f.opt(cx, "invalidates_token");
        f.finish(cx);
        Some(ErrorSpec {
            path: path.to_owned(),
            http_status,
            code: code?,
            name,
            message: message?,
            hint,
            source,
            retryable,
            invalidates_token,
        })
    }
}

impl EndpointSpec {
    pub fn decode(cx: &mut Ctx<'_>, node: &Node) -> Option<Self> {
        let mut f = cx.fields(node, "")?;
        let id = f.req(cx, "id");
        let operation = f.req(cx, "operation");
        let title = f.req(cx, "title");
        let summary = f.req(cx, "summary");
        let description = f.opt(cx, "description").unwrap_or_default();
        let source = f.opt(cx, "source").unwrap_or_default();
        let method = f.req(cx, "method");
        let path = f.req(cx, "path");
        let token_kinds = f.opt(cx, "token_kinds").unwrap_or_default();
        let app_types = f.opt(cx, "app_types").unwrap_or_default();
        let scopes = f.opt(cx, "scopes").unwrap_or_default();
        let rate_limit = f.with(cx, "rate_limit", false, RateLimitSpec::decode);
        let params = f.opt(cx, "params").unwrap_or_default();
        let response = f.with(cx, "response", true, ObjectSpec::decode);
        let example = f.req(cx, "example");
        let errors = f.opt(cx, "errors").unwrap_or_default();
        let waiter = f.with(cx, "waiter", false, WaiterSpec::decode);
        f.finish(cx);
        Some(EndpointSpec {
            file: cx.file.to_owned(),
            id: id?,
            operation: operation?,
            title: title?,
            summary: summary?,
            description,
            source,
            method: method?,
            path: path?,
            token_kinds,
            app_types,
            scopes,
            rate_limit,
            params,
            response: response?,
            example: example?,
            errors,
            waiter,
        })
    }
}

impl Decode for ScopeSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let scope = f.req(cx, "scope");
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(ScopeSpec {
            scope: scope?,
            description,
        })
    }
}

impl RateLimitSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let per_minute = f.opt(cx, "per_minute");
        let per_second = f.opt(cx, "per_second");
        f.finish(cx);
        Some(RateLimitSpec {
            per_minute,
            per_second,
        })
    }
}

impl Decode for ParamSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let location = f.with(cx, "in", true, |cx, n, p| {
            keyword(
                cx,
                n,
                p,
                &[("path", ParamIn::Path), ("query", ParamIn::Query)],
            )
        });
        let ty = f.req(cx, "type");
        let required = f.req(cx, "required");
        let max_length = f.opt(cx, "max_length");
        let description = f.req(cx, "description");
        let summary = f.opt(cx, "summary").unwrap_or_default();
        f.finish(cx);
        Some(ParamSpec {
            path: path.to_owned(),
            name: name?,
            location: location?,
            ty: ty?,
            required: required?,
            max_length,
            description: description?,
            summary,
        })
    }
}

impl ObjectSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let fields = f.req(cx, "fields");
        f.finish(cx);
        Some(ObjectSpec {
            name: name?,
            description,
            fields: fields?,
        })
    }
}

impl Decode for FieldSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let ty = f.req(cx, "type");
        let required = f.opt(cx, "required").unwrap_or(false);
        let description = f.opt(cx, "description").unwrap_or_default();
        let items = f.opt(cx, "items");
        let object = f.with(cx, "object", false, ObjectSpec::decode);
        let enumeration = f.with(cx, "enum", false, EnumSpec::decode);
        let role = f.opt(cx, "role");
        f.finish(cx);
        Some(FieldSpec {
            path: path.to_owned(),
            name: name?,
            ty: ty?,
            required,
            description,
            items,
            object,
            enumeration,
            role,
        })
    }
}

impl EnumSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let values = f.req(cx, "values");
        f.finish(cx);
        Some(EnumSpec {
            name: name?,
            values: values?,
        })
    }
}

impl Decode for EnumValueSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let value = f.req(cx, "value");
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let source = f.opt(cx, "source");
        f.finish(cx);
        Some(EnumValueSpec {
            value: value?,
            name: name?,
            description,
            source,
        })
    }
}
