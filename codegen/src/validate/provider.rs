//! A provider file: its names, hosts, auth, common errors and token endpoint. It also opens
//! the namespaces its endpoints share (operations, type names), so collisions across
//! endpoint files are found.

use super::endpoint::validate_endpoint;
use super::errors::validate_errors;
use super::report::{Names, report};
use super::types::{validate_enum, validate_object};
use crate::diag::Diagnostics;
use crate::load::ProviderDir;
use crate::naming;
use crate::reserved;
use crate::spec::{
    Code, CodeType, EnvelopeStyle, ErrorSpec, FieldRole, FieldSpec, FieldType, Method,
    ProviderSpec, SharedType, TokenEndpointSpec,
};
use std::collections::BTreeMap;

pub(super) fn validate_provider(dir: &ProviderDir, diags: &mut Diagnostics) {
    let p = &dir.provider;
    let file = p.file.as_str();
    validate_names(dir, diags);
    validate_hosts(p, diags);
    validate_auth(p, diags);
    validate_errors(p, &p.common_errors, &BTreeMap::new(), file, diags);

    // Every endpoint's types are re-exported from the provider module, so names are shared
    // across the provider: claim them all in one namespace.
    let mut type_names = Names::new("type name");
    let _ = type_names.claim(p.client.value.clone(), "the provider's client");
    let _ = type_names.claim(
        naming::common_error_enum(&p.client.value),
        "the provider's common error enum",
    );
    if let Some(token) = &p.token_endpoint {
        validate_token_endpoint(file, token, &mut type_names, diags);
    }
    validate_shared_types(p, &mut type_names, diags);
    let mut operations = reserved_operations(p);
    // Endpoints check their codes against these: a common code is listed once, here.
    let common_codes: BTreeMap<String, &ErrorSpec> = p
        .common_errors
        .iter()
        .filter_map(|e| {
            Code::parse(p.envelope.code_type, &e.code.value)
                .ok()
                .map(|c| (c.to_string(), e))
        })
        .collect();
    for table in &p.error_tables {
        validate_errors(p, &table.errors, &common_codes, file, diags);
    }
    for endpoint in &dir.endpoints {
        validate_endpoint(
            dir,
            endpoint,
            &common_codes,
            &mut operations,
            &mut type_names,
            diags,
        );
    }
    validate_limit_groups(dir, diags);
    validate_routes(dir, diags);
}

/// The provider's name (its directory's, and a module of the generated crate) and its
/// client's type name.
/// The provider's shared types, checked as an endpoint's reply objects and enums are, their
/// names claimed in the provider's namespace.
fn validate_shared_types<'a>(
    p: &'a ProviderSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = p.file.as_str();
    for shared in &p.types {
        match shared {
            SharedType::Object(object) => validate_object(file, object, false, type_names, diags),
            SharedType::Enum {
                enumeration, ty, ..
            } => match ty.value {
                FieldType::Integer => {
                    validate_enum(file, enumeration, CodeType::Integer, type_names, diags)
                }
                FieldType::String => {
                    validate_enum(file, enumeration, CodeType::String, type_names, diags)
                }
                _ => report(
                    diags,
                    file,
                    ty,
                    "a shared enum has `type: integer` or `type: string`",
                ),
            },
        }
    }
}

fn validate_names(dir: &ProviderDir, diags: &mut Diagnostics) {
    let p = &dir.provider;
    let file = p.file.as_str();
    if p.provider.value != dir.dir_name {
        report(
            diags,
            file,
            &p.provider,
            format!("must equal its directory name `{}`", dir.dir_name),
        );
    }
    if !naming::is_snake_ident(&p.provider.value) {
        report(
            diags,
            file,
            &p.provider,
            "must be a lower-case snake_case name (it becomes a module)",
        );
    } else if reserved::PROVIDER_MODULES.contains(&p.provider.value.as_str()) {
        report(
            diags,
            file,
            &p.provider,
            format!(
                "`{}` is a module of the generated crate itself; choose another provider name",
                p.provider.value
            ),
        );
    }
    if !naming::is_upper_camel(&p.client.value) {
        report(
            diags,
            file,
            &p.client,
            "must be an UpperCamelCase type name",
        );
    }
}

/// At least one host; each with a unique snake_case name and a bare `https://host` URL.
fn validate_hosts(p: &ProviderSpec, diags: &mut Diagnostics) {
    let file = p.file.as_str();
    if p.hosts.is_empty() {
        diags.push(
            file,
            None,
            "hosts",
            "at least one host is needed (the first is the default)",
        );
    }
    let mut host_names = Names::new("host name");
    for host in &p.hosts {
        if !naming::is_snake_ident(&host.name.value) {
            report(
                diags,
                file,
                &host.name,
                "must be a lower-case snake_case name",
            );
        } else if let Err(e) = host_names.claim(host.name.value.clone(), &host.name.path) {
            report(diags, file, &host.name, e);
        }
        let url = &host.base_url.value;
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        if rest.is_none_or(|r| r.is_empty() || r.contains(['/', '?', '#', ' '])) {
            report(
                diags,
                file,
                &host.base_url,
                "expected `https://host` with no path, query or trailing slash",
            );
        }
    }
}

/// The auth header and token variable names, and the rate-limit reply's code.
fn validate_auth(p: &ProviderSpec, diags: &mut Diagnostics) {
    let file = p.file.as_str();
    if !is_header_name(&p.auth.header.value) {
        report(diags, file, &p.auth.header, "not a valid HTTP header name");
    }
    if !is_env_name(&p.auth.token_env.value) {
        report(
            diags,
            file,
            &p.auth.token_env,
            "expected an environment variable name like `FEISHU_ACCESS_TOKEN`",
        );
    }
    if let Some(rate) = &p.rate_limit
        && let Some(code) = &rate.code
        && let Err(e) = Code::parse(p.envelope.code_type, &code.value)
    {
        report(diags, file, code, e);
    }
}

/// The operation namespace, opened with the names an operation cannot take.
fn reserved_operations<'a>(p: &ProviderSpec) -> Names<'a> {
    let mut operations = Names::new("operation");
    // Operations also name methods of the fake server: keep its own and the token ones free.
    for method in reserved::FAKE_SERVER_METHODS {
        let _ = operations.claim(
            (*method).to_owned(),
            "a method of taskapi::testing::FakeServer",
        );
    }
    let _ = operations.claim(
        format!("{}_token", p.provider.value),
        "the fake server's token scripting method",
    );
    for method in reserved::CLIENT_METHODS {
        let _ = operations.claim((*method).to_owned(), "a method every client has");
    }
    for module in reserved::OPERATION_MODULES {
        let _ = operations.claim((*module).to_owned(), "the provider's own module file");
    }
    operations
}

/// No two endpoints of a provider share a method and path (whatever their parameters are
/// called): on the wire they would be one endpoint, and the fake server could route to one
/// only. The usual cause is a spec copied for a new endpoint, its path left as it was.
fn validate_routes(dir: &ProviderDir, diags: &mut Diagnostics) {
    let mut first: BTreeMap<String, &crate::spec::EndpointSpec> = BTreeMap::new();
    for e in &dir.endpoints {
        let Ok(parts) = &e.path.value.parts else {
            continue;
        };
        let shape: String = parts
            .iter()
            .map(|part| match part {
                crate::path_template::TemplatePart::Literal(text) => text.as_str(),
                crate::path_template::TemplatePart::Param(_) => "{}",
            })
            .collect();
        let route = format!("{} {shape}", e.method.value.as_str());
        match first.get(&route) {
            Some(other) => report(
                diags,
                &e.file,
                &e.path,
                format!(
                    "`{route}` is already `{}` ({}): two endpoints cannot share a method and path",
                    other.id.value, other.file
                ),
            ),
            None => {
                first.insert(route, e);
            }
        }
    }
}

/// A rate-limit group is one limit shared by its endpoints: a snake_case name, and the same
/// numbers in every spec that names it (slots of one key have one spacing).
fn validate_limit_groups(dir: &ProviderDir, diags: &mut Diagnostics) {
    let mut first: BTreeMap<&str, (&str, Option<u32>, Option<u32>)> = BTreeMap::new();
    for e in &dir.endpoints {
        let Some(limit) = &e.rate_limit else { continue };
        let Some(group) = &limit.group else { continue };
        if !crate::naming::is_snake_ident(&group.value) {
            report(diags, &e.file, group, "expected a snake_case group name");
            continue;
        }
        let numbers = (limit.per_minute, limit.per_second);
        match first.get(group.value.as_str()) {
            None => {
                first.insert(&group.value, (&e.file, numbers.0, numbers.1));
            }
            Some((file, per_minute, per_second)) if (*per_minute, *per_second) != numbers => {
                report(
                    diags,
                    &e.file,
                    group,
                    format!(
                        "group `{}` has other numbers in {file}: one group, one limit",
                        group.value
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

/// A token endpoint: POST, a fixed path, a flat or bare reply, and exactly one field for each
/// role the runtime needs (credentials in the request, token and lifetime in the reply).
fn validate_token_endpoint<'a>(
    file: &'a str,
    token: &'a TokenEndpointSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    validate_token_call(file, token, diags);
    for object in [&token.request, &token.response] {
        validate_object(file, object, true, type_names, diags);
    }
    validate_token_roles(file, token, diags);
    validate_stray_roles(file, token, diags);
}

/// How the token endpoint is called: a POST to a path without parameters, a reply not
/// wrapped in `data`, credentials from valid variable names, a JSON example.
fn validate_token_call(file: &str, token: &TokenEndpointSpec, diags: &mut Diagnostics) {
    if token.method.value != Method::Post {
        report(
            diags,
            file,
            &token.method,
            "a token endpoint is a POST with a JSON body",
        );
    }
    if let Err(msg) = &token.path.value.parts {
        report(diags, file, &token.path, msg.as_str());
    } else if token.path.value.params().next().is_some() {
        report(
            diags,
            file,
            &token.path,
            "a token endpoint path has no parameters",
        );
    }
    if token.envelope.value == EnvelopeStyle::CodeMsgData {
        report(
            diags,
            file,
            &token.envelope,
            "token replies are not wrapped in `data`: use code_msg_flat or bare",
        );
    }
    for env in [&token.id_env, &token.secret_env] {
        if !is_env_name(&env.value) {
            report(
                diags,
                file,
                env,
                "expected an environment variable name like `FEISHU_APP_ID`",
            );
        }
    }
    if let Err(msg) = serde_json::from_str::<serde_json::Value>(&token.example.value) {
        report(
            diags,
            file,
            &token.example,
            format!("not valid JSON: {msg}"),
        );
    }
}

/// Exactly one field per role the runtime reads or fills, of the role's type and required.
fn validate_token_roles(file: &str, token: &TokenEndpointSpec, diags: &mut Diagnostics) {
    let roles = [
        (&token.request, FieldRole::AppId, FieldType::String),
        (&token.request, FieldRole::AppSecret, FieldType::String),
        (&token.response, FieldRole::AccessToken, FieldType::String),
        (
            &token.response,
            FieldRole::ExpiresInSeconds,
            FieldType::Integer,
        ),
    ];
    for (object, role, ty) in roles {
        let fields: Vec<&FieldSpec> = object
            .fields
            .iter()
            .filter(|f| f.role.as_ref().is_some_and(|r| r.value == role))
            .collect();
        match fields.as_slice() {
            [field] if field.ty.value == ty && field.required => {}
            [field] => report(
                diags,
                file,
                &field.ty,
                format!(
                    "the `{}` field must be a required {}",
                    role.as_str(),
                    ty.as_str()
                ),
            ),
            [] => report(
                diags,
                file,
                &object.name,
                format!("needs one field with `role: {}`", role.as_str()),
            ),
            [_, second, ..] => report(
                diags,
                file,
                &second.name,
                format!("a second field with `role: {}`", role.as_str()),
            ),
        }
    }
}

/// Roles on the wrong side: a request field only carries credentials, a response field
/// only the token and its lifetime.
fn validate_stray_roles(file: &str, token: &TokenEndpointSpec, diags: &mut Diagnostics) {
    for field in &token.request.fields {
        if let Some(role) = &field.role
            && !matches!(role.value, FieldRole::AppId | FieldRole::AppSecret)
        {
            report(
                diags,
                file,
                role,
                "a request field's role is app_id or app_secret",
            );
        }
    }
    for field in &token.response.fields {
        if let Some(role) = &field.role
            && !matches!(
                role.value,
                FieldRole::AccessToken | FieldRole::ExpiresInSeconds
            )
        {
            report(
                diags,
                file,
                role,
                "a response field's role is access_token or expires_in_seconds",
            );
        }
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
}

fn is_env_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}
