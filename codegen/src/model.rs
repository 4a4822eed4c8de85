//! The model the emitter reads: validated specs with every Rust name decided.
//!
//! Building it cannot fail: [`crate::validate`] has already rejected whatever would.

use crate::decode::Spanned;
use crate::load::SpecSet;
use crate::naming;
use crate::spec::{
    CodeType, EndpointSpec, EnvelopeStyle, ErrorSpec, FieldRole, FieldSpec, FieldType, Method,
    ObjectSpec, ParamIn, ProviderSpec, Scalar, TokenEndpointSpec, WaitState, WaiterSpec,
};
use std::fmt;

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

/// An error code: Feishu's are integers, DingTalk's strings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Int(i64),
    Str(String),
}

impl Code {
    /// Reads a code or enum value as the given type, or says why it is not one.
    pub fn parse(ty: CodeType, scalar: &Scalar) -> Result<Code, String> {
        match ty {
            CodeType::Integer => match scalar.text.parse() {
                Ok(n) if scalar.plain => Ok(Code::Int(n)),
                _ => Err(format!("expected an integer, found `{}`", scalar.text)),
            },
            CodeType::String if scalar.text.is_empty() => Err("expected a non-empty string".into()),
            CodeType::String => Ok(Code::Str(scalar.text.clone())),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Int(n) => write!(f, "{n}"),
            Code::Str(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub code: Code,
    pub variant: String,
    pub message: String,
    pub hint: String,
    pub http_status: Option<u16>,
    pub retryable: bool,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub file: String,
    /// Method and module name, e.g. `get_export_task`.
    pub operation: String,
    /// Prefix of the generated request and error types, e.g. `GetExportTask`.
    pub type_prefix: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub source: String,
    pub method: Method,
    pub path_template: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    pub token_kinds: Vec<String>,
    pub app_types: Vec<String>,
    pub scopes: Vec<(String, String)>,
    pub rate_limit: Option<String>,
    /// The type the success reply decodes into; always the first of `types`.
    pub response: String,
    pub types: Vec<TypeDef>,
    pub example: String,
    pub errors: Vec<ErrorCase>,
    pub waiter: Option<Waiter>,
}

/// How to wait for an endpoint's task (see `WaiterSpec`), with fields and values resolved.
#[derive(Debug, Clone)]
pub struct Waiter {
    pub name: String,
    pub status: Vec<PathStep>,
    pub status_enum: String,
    pub status_is_integer: bool,
    /// Variant names of the status enum, by what they mean.
    pub pending: Vec<String>,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    pub unknown_is_failure: bool,
    pub ready_when_set: Option<Vec<PathStep>>,
    pub message: Option<Vec<PathStep>>,
    pub progress: Option<(Vec<PathStep>, Vec<PathStep>)>,
    /// Seconds.
    pub min_delay: f64,
    pub max_delay: f64,
    pub max_wait: f64,
    /// The spec's rules in words, for docs.
    pub rules: String,
}

/// One field on the way to a value: its Rust name and whether it is always present.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    pub wire: String,
    pub ident: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into the endpoint's `params`.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub ident: String,
    pub cli_flag: String,
    pub location: ParamIn,
    pub ty: ScalarType,
    pub required: bool,
    pub max_length: Option<u32>,
    pub description: String,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Integer,
    Boolean,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    pub ident: String,
    pub ty: FieldRust,
    pub required: bool,
    pub description: String,
    /// Kept out of Debug output (app secrets, access tokens).
    pub secret: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldRust {
    Scalar(ScalarType),
    List(ScalarType),
    /// A generated struct or enum, by name.
    Named(String),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub description: String,
    pub repr: CodeType,
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub name: String,
    pub value: Code,
    pub description: String,
}

/// Builds the model from a set that passed [`crate::validate::validate`].
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
        .map(|e| build_endpoint(e, code_type))
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
        common_error_enum: crate::validate::common_error_enum(p),
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

fn error_case(e: &ErrorSpec, code_type: CodeType) -> Option<ErrorCase> {
    let variant = match &e.name {
        Some(name) => name.value.clone(),
        None => naming::error_variant_from_message(&e.message.value)?,
    };
    Some(ErrorCase {
        code: Code::parse(code_type, &e.code.value).ok()?,
        variant,
        message: e.message.value.clone(),
        hint: e.hint.clone(),
        http_status: e.http_status.as_ref().map(|s| s.value),
        retryable: e.retryable,
    })
}

fn scalar_type(ty: FieldType) -> ScalarType {
    match ty {
        FieldType::Integer => ScalarType::Integer,
        FieldType::Boolean => ScalarType::Boolean,
        _ => ScalarType::String,
    }
}

fn build_endpoint(e: &EndpointSpec, code_type: CodeType) -> Endpoint {
    let params: Vec<Param> = e
        .params
        .iter()
        .map(|p| Param {
            wire: p.name.value.clone(),
            ident: naming::field_ident(&p.name.value),
            cli_flag: naming::cli_flag(&p.name.value),
            location: p.location,
            ty: scalar_type(p.ty.value),
            required: p.required,
            max_length: p.max_length.as_ref().map(|m| m.value),
            description: p.description.clone(),
            summary: p.summary.clone(),
        })
        .collect();
    let mut types = Vec::new();
    collect_types(&e.response, &mut types);
    Endpoint {
        id: e.id.value.clone(),
        file: e.file.clone(),
        operation: e.operation.value.clone(),
        type_prefix: naming::type_name(&e.operation.value),
        title: e.title.clone(),
        summary: e.summary.clone(),
        description: e.description.clone(),
        source: e.source.clone(),
        method: e.method.value,
        path_template: e.path.value.clone(),
        path_parts: path_parts(&e.path.value, &params),
        params,
        token_kinds: e.token_kinds.clone(),
        app_types: e.app_types.clone(),
        scopes: e
            .scopes
            .iter()
            .map(|s| (s.scope.clone(), s.description.clone()))
            .collect(),
        rate_limit: e.rate_limit.as_ref().map(|r| {
            let mut parts = Vec::new();
            if let Some(n) = r.per_minute {
                parts.push(format!("{n} calls per minute"));
            }
            if let Some(n) = r.per_second {
                parts.push(format!("{n} calls per second"));
            }
            parts.join(", ")
        }),
        response: e.response.name.value.clone(),
        types,
        example: e.example.value.clone(),
        errors: e
            .errors
            .iter()
            .filter_map(|err| error_case(err, code_type))
            .collect(),
        waiter: e.waiter.as_ref().and_then(|w| build_waiter(&e.response, w)),
    }
}

fn steps(object: &ObjectSpec, dotted: &str) -> Option<Vec<PathStep>> {
    let fields = object.field_path(dotted).ok()?;
    Some(
        fields
            .iter()
            .map(|f| PathStep {
                wire: f.name.value.clone(),
                ident: naming::field_ident(&f.name.value),
                required: f.required,
            })
            .collect(),
    )
}

fn build_waiter(response: &ObjectSpec, w: &WaiterSpec) -> Option<Waiter> {
    let fields = response.field_path(&w.status.value).ok()?;
    let status_field = fields.last()?;
    let enumeration = status_field.enumeration.as_ref()?;
    let repr = if status_field.ty.value == FieldType::Integer {
        CodeType::Integer
    } else {
        CodeType::String
    };
    let variant = |value: &Spanned<Scalar>| {
        let code = Code::parse(repr, &value.value).ok()?;
        enumeration
            .values
            .iter()
            .find(|v| Code::parse(repr, &v.value.value).ok().as_ref() == Some(&code))
            .map(|v| v.name.value.clone())
    };
    let names = |values: &[Spanned<Scalar>]| values.iter().filter_map(variant).collect::<Vec<_>>();
    let list = |values: &[Spanned<Scalar>]| {
        values
            .iter()
            .map(|v| v.value.text.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown_is_failure = w.unknown.value == WaitState::Failure;
    let mut rules = format!(
        "`{}` {} is success, {} pending, {} failure; a value no table lists is {}.",
        w.status.value,
        list(&w.success),
        list(&w.pending),
        if w.failure.is_empty() {
            "nothing".to_owned()
        } else {
            list(&w.failure)
        },
        if unknown_is_failure {
            "a failure"
        } else {
            "pending"
        }
    );
    if let Some(ready) = &w.ready_when_set {
        rules.push_str(&format!(
            " A success counts only once `{}` is non-empty.",
            ready.value
        ));
    }
    Some(Waiter {
        name: w.name.value.clone(),
        status: steps(response, &w.status.value)?,
        status_enum: enumeration.name.value.clone(),
        status_is_integer: repr == CodeType::Integer,
        pending: names(&w.pending),
        success: names(&w.success),
        failure: names(&w.failure),
        unknown_is_failure,
        ready_when_set: w
            .ready_when_set
            .as_ref()
            .and_then(|r| steps(response, &r.value)),
        message: w.message.as_ref().and_then(|m| steps(response, &m.value)),
        progress: w.progress.as_ref().and_then(|(done, total)| {
            Some((
                steps(response, &done.value)?,
                steps(response, &total.value)?,
            ))
        }),
        min_delay: w.min_delay.value,
        max_delay: w.max_delay.value,
        max_wait: w.max_wait.value,
        rules,
    })
}

fn build_token_endpoint(t: &TokenEndpointSpec) -> TokenEndpoint {
    let mut types = Vec::new();
    collect_types(&t.request, &mut types);
    collect_types(&t.response, &mut types);
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
        path: t.path.value.clone(),
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

/// Splits `/a/{x}/b` into literal runs and parameter slots.
fn path_parts(template: &str, params: &[Param]) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if let Some(index) = params.iter().position(|p| p.wire == name) {
            parts.push(PathPart::Param(index));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    parts
}

/// Flattens an object and everything nested in it into type definitions, outermost first.
fn collect_types(object: &ObjectSpec, types: &mut Vec<TypeDef>) {
    let index = types.len();
    types.push(TypeDef::Struct(StructDef {
        name: object.name.value.clone(),
        description: object.description.clone(),
        fields: Vec::new(),
    }));
    let mut fields = Vec::new();
    for f in &object.fields {
        fields.push(Field {
            wire: f.name.value.clone(),
            ident: naming::field_ident(&f.name.value),
            ty: field_type(f, types),
            required: f.required,
            description: f.description.clone(),
            secret: f.role.as_ref().is_some_and(|r| r.value.is_secret()),
        });
    }
    if let TypeDef::Struct(def) = &mut types[index] {
        def.fields = fields;
    }
}

fn field_type(f: &FieldSpec, types: &mut Vec<TypeDef>) -> FieldRust {
    if let Some(object) = &f.object {
        collect_types(object, types);
        return FieldRust::Named(object.name.value.clone());
    }
    if let Some(enumeration) = &f.enumeration {
        let repr = if f.ty.value == FieldType::Integer {
            CodeType::Integer
        } else {
            CodeType::String
        };
        types.push(TypeDef::Enum(EnumDef {
            name: enumeration.name.value.clone(),
            description: f.description.clone(),
            repr,
            variants: enumeration
                .values
                .iter()
                .filter_map(|v| {
                    Some(EnumVariant {
                        name: v.name.value.clone(),
                        value: Code::parse(repr, &v.value.value).ok()?,
                        description: v.description.clone(),
                    })
                })
                .collect(),
        }));
        return FieldRust::Named(enumeration.name.value.clone());
    }
    match (f.ty.value, &f.items) {
        (FieldType::Array, Some(items)) => FieldRust::List(scalar_type(items.value)),
        (ty, _) => FieldRust::Scalar(scalar_type(ty)),
    }
}
