//! Checks a loaded spec set for everything the decoder cannot see on its own: names that
//! collide after case conversion, path templates that disagree with their parameters,
//! duplicate codes, values of the wrong type. Every problem is reported, each located.

use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::load::{ProviderDir, SpecSet};
use crate::model::Code;
use crate::naming;
use crate::spec::{
    CodeType, EndpointSpec, EnumSpec, EnvelopeStyle, ErrorSpec, FieldRole, FieldSpec, FieldType,
    Method, ObjectSpec, ParamIn, ProviderSpec, TokenEndpointSpec, WaiterSpec,
};
use std::collections::{BTreeMap, BTreeSet};

/// Error variant names the generator itself uses in every endpoint's error enum.
const RESERVED_ERROR_VARIANTS: &[&str] =
    &["Common", "Unknown", "Transport", "Decode", "InvalidRequest"];

pub fn validate(set: &SpecSet) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    for dir in &set.providers {
        validate_provider(dir, &mut diags);
        for endpoint in &dir.endpoints {
            if let Some(first) = ids.insert(&endpoint.id.value, &endpoint.file) {
                report(
                    &mut diags,
                    &endpoint.file,
                    &endpoint.id,
                    format!("duplicate endpoint id (also in {first})"),
                );
            }
        }
    }
    diags
}

fn report<T>(diags: &mut Diagnostics, file: &str, at: &Spanned<T>, message: impl Into<String>) {
    diags.push(file, Some(at.at), &at.path, message);
}

/// Claims a name within a namespace, reporting a collision with where it was first claimed.
struct Names<'a> {
    what: &'static str,
    seen: BTreeMap<String, &'a str>,
}

impl<'a> Names<'a> {
    fn new(what: &'static str) -> Self {
        Names {
            what,
            seen: BTreeMap::new(),
        }
    }

    fn claim(&mut self, name: String, claimed_by: &'a str) -> Result<(), String> {
        match self.seen.get(&name) {
            Some(first) => Err(format!("{} `{name}` collides with {first}", self.what)),
            None => {
                self.seen.insert(name, claimed_by);
                Ok(())
            }
        }
    }
}

fn validate_provider(dir: &ProviderDir, diags: &mut Diagnostics) {
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
    }
    if !naming::is_upper_camel(&p.client.value) {
        report(
            diags,
            file,
            &p.client,
            "must be an UpperCamelCase type name",
        );
    }
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
    validate_errors(p, &p.common_errors, &BTreeMap::new(), file, diags);

    // Every endpoint's types are re-exported from the provider module, so names are shared
    // across the provider: claim them all in one namespace.
    let mut type_names = Names::new("type name");
    let _ = type_names.claim(p.client.value.clone(), "the provider's client");
    let _ = type_names.claim(common_error_enum(p), "the provider's common error enum");
    if let Some(token) = &p.token_endpoint {
        validate_token_endpoint(file, token, &mut type_names, diags);
    }
    let mut operations = Names::new("operation");
    // Operations also name methods of the fake server: keep its own and the token ones free.
    for reserved in crate::emit::testing::RESERVED_METHODS {
        let _ = operations.claim(
            (*reserved).to_owned(),
            "a method of taskapi::testing::FakeServer",
        );
    }
    let _ = operations.claim(
        format!("{}_token", p.provider.value),
        "the fake server's token scripting method",
    );
    let common_codes: BTreeMap<String, &ErrorSpec> = p
        .common_errors
        .iter()
        .filter_map(|e| {
            Code::parse(p.envelope.code_type, &e.code.value)
                .ok()
                .map(|c| (c.to_string(), e))
        })
        .collect();
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
}

/// `FeishuClient` -> `FeishuCommonError`: the common-code enum follows the client's casing.
pub fn common_error_enum(p: &ProviderSpec) -> String {
    let base = p
        .client
        .value
        .strip_suffix("Client")
        .unwrap_or(&p.client.value);
    format!("{base}CommonError")
}

fn validate_endpoint<'a>(
    dir: &ProviderDir,
    e: &'a EndpointSpec,
    common_codes: &BTreeMap<String, &ErrorSpec>,
    operations: &mut Names<'a>,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let id = &e.id.value;
    let segments: Vec<&str> = id.split('.').collect();
    if segments.len() < 2
        || !segments
            .iter()
            .all(|s| naming::is_snake_ident(s) || is_id_segment(s))
    {
        report(
            diags,
            file,
            &e.id,
            "expected dotted lower-case words like `feishu.drive.export_task.get`",
        );
    } else if segments[0] != dir.dir_name {
        report(
            diags,
            file,
            &e.id,
            format!("must start with its provider `{}.`", dir.dir_name),
        );
    }
    if !naming::is_snake_ident(&e.operation.value) {
        report(
            diags,
            file,
            &e.operation,
            "must be a snake_case method name like `get_export_task`",
        );
    } else if let Err(msg) = operations.claim(e.operation.value.clone(), file) {
        report(diags, file, &e.operation, msg);
    }
    if e.method.value != Method::Get {
        report(
            diags,
            file,
            &e.method,
            format!(
                "{} is not supported yet: the generator sends GET requests only",
                e.method.value.as_str()
            ),
        );
    }
    if let Err(msg) = serde_json::from_str::<serde_json::Value>(&e.example.value) {
        report(diags, file, &e.example, format!("not valid JSON: {msg}"));
    }
    validate_path_and_params(e, diags);
    let prefix = naming::type_name(&e.operation.value);
    for generated in [format!("{prefix}Request"), format!("{prefix}Error")] {
        if let Err(msg) = type_names.claim(generated, file) {
            report(diags, file, &e.operation, msg);
        }
    }
    validate_object(file, &e.response, false, type_names, diags);
    if let Some(waiter) = &e.waiter {
        if let Err(msg) = operations.claim(waiter.name.value.clone(), file) {
            report(diags, file, &waiter.name, msg);
        }
        validate_waiter(e, waiter, diags);
    }
    validate_errors(&dir.provider, &e.errors, common_codes, file, diags);
    for err in &e.errors {
        if let Some(flag) = &err.invalidates_token {
            report(
                diags,
                file,
                flag,
                "token errors are declared once, in provider.yaml common_errors",
            );
        }
    }
}

/// Checks an error table: codes of the provider's type, unique (and not shadowing a common
/// code), names derivable from the message or given, unique, and not reserved.
fn validate_errors(
    p: &ProviderSpec,
    errors: &[ErrorSpec],
    common_codes: &BTreeMap<String, &ErrorSpec>,
    file: &str,
    diags: &mut Diagnostics,
) {
    let mut codes: BTreeMap<String, &str> = BTreeMap::new();
    let mut names: BTreeMap<String, &ErrorSpec> = BTreeMap::new();
    for err in errors {
        match Code::parse(p.envelope.code_type, &err.code.value) {
            Err(msg) => report(diags, file, &err.code, msg),
            Ok(code) => {
                let key = code.to_string();
                if let Some(first) = codes.get(&key) {
                    report(
                        diags,
                        file,
                        &err.code,
                        format!("duplicate code {key} (first at {first})"),
                    );
                } else if common_codes.contains_key(&key) {
                    report(
                        diags,
                        file,
                        &err.code,
                        format!(
                            "code {key} is one of the provider's common codes; list it only in provider.yaml"
                        ),
                    );
                }
                codes.entry(key).or_insert(&err.code.path);
            }
        }
        if let Some(source) = &err.source
            && err.hint.is_empty()
        {
            report(
                diags,
                file,
                source,
                "`source` says where the `hint` comes from, and this error has no `hint`",
            );
        }
        if let Some(status) = &err.http_status
            && !(100..=599).contains(&status.value)
        {
            report(
                diags,
                file,
                status,
                "expected an HTTP status from 100 to 599",
            );
        }
        let name = match &err.name {
            Some(name) => {
                if !naming::is_upper_camel(&name.value) {
                    report(diags, file, name, "must be an UpperCamelCase variant name");
                    continue;
                }
                name.value.clone()
            }
            None => match naming::error_variant_from_message(&err.message.value) {
                Some(name) => name,
                None => {
                    report(
                        diags,
                        file,
                        &err.message,
                        format!(
                            "cannot derive a variant name from message {:?}; add `name:` to this error",
                            err.message.value
                        ),
                    );
                    continue;
                }
            },
        };
        let (at, path) = match &err.name {
            Some(n) => (n.at, n.path.clone()),
            None => (err.code.at, err.code.path.clone()),
        };
        if RESERVED_ERROR_VARIANTS.contains(&name.as_str()) {
            diags.push(
                file,
                Some(at),
                &path,
                format!("`{name}` is reserved by the generator; give this error another `name:`"),
            );
        } else if let Some(first) = names.get(&name) {
            diags.push(
                file,
                Some(at),
                &path,
                format!(
                    "variant name `{name}` (from message {:?}) collides with {} (code {}); give one of them an explicit `name:`",
                    err.message.value, first.path, first.code.value.text
                ),
            );
        } else {
            names.insert(name, err);
        }
    }
}

fn validate_path_and_params(e: &EndpointSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    let template = &e.path.value;
    let placeholders = match path_placeholders(template) {
        Ok(p) => p,
        Err(msg) => {
            report(diags, file, &e.path, msg);
            return;
        }
    };
    let mut wire_names = Names::new("parameter");
    let mut idents = Names::new("parameter name (after snake_case)");
    let mut declared_path = BTreeSet::new();
    for param in &e.params {
        let name = &param.name;
        if !naming::is_wire_name(&name.value) {
            report(
                diags,
                file,
                name,
                "expected letters, digits and `_`, starting with a letter",
            );
            continue;
        }
        if let Err(msg) = wire_names.claim(name.value.clone(), &name.path) {
            report(diags, file, name, msg);
        } else if let Err(msg) = idents.claim(naming::field_ident(&name.value), &name.path) {
            report(diags, file, name, msg);
        }
        if !matches!(
            param.ty.value,
            FieldType::String | FieldType::Integer | FieldType::Boolean
        ) {
            report(
                diags,
                file,
                &param.ty,
                "a parameter is a string, integer or boolean",
            );
        }
        if let Some(max) = &param.max_length
            && param.ty.value != FieldType::String
        {
            report(
                diags,
                file,
                max,
                "max_length applies to string parameters only",
            );
        }
        if param.location == ParamIn::Path {
            declared_path.insert(name.value.as_str());
            if !param.required {
                diags.push(
                    file,
                    Some(name.at),
                    &format!("{}.required", param.path),
                    "a path parameter must be required",
                );
            }
            if !placeholders.contains(&name.value.as_str()) {
                report(
                    diags,
                    file,
                    name,
                    format!("path parameter does not appear in path `{template}`"),
                );
            }
        }
    }
    for placeholder in placeholders {
        if !declared_path.contains(placeholder) {
            report(
                diags,
                file,
                &e.path,
                format!("`{{{placeholder}}}` has no matching parameter with `in: path`"),
            );
        }
    }
}

/// The `{name}` placeholders of a path template, or why the template is malformed.
pub fn path_placeholders(template: &str) -> Result<Vec<&str>, String> {
    if !template.starts_with('/') {
        return Err("a path starts with `/`".into());
    }
    if template.contains(['?', '#', ' ']) {
        return Err(
            "a path holds no query, fragment or spaces: declare query parameters with `in: query`"
                .into(),
        );
    }
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("unbalanced `}` in path".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed `{` in path")?;
        let name = &after[..close];
        if !naming::is_wire_name(name) {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        if names.contains(&name) {
            return Err(format!("`{{{name}}}` appears twice in the path"));
        }
        if !(rest[..open].ends_with('/')
            && (after[close + 1..].is_empty() || after[close + 1..].starts_with('/')))
        {
            return Err(format!("`{{{name}}}` must be a whole path segment"));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// `roles_allowed` is true only for the top-level objects of a token endpoint.
fn validate_object<'a>(
    file: &'a str,
    object: &'a ObjectSpec,
    roles_allowed: bool,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    if !naming::is_upper_camel(&object.name.value) {
        report(
            diags,
            file,
            &object.name,
            "must be an UpperCamelCase type name",
        );
    } else if let Err(msg) = type_names.claim(object.name.value.clone(), &object.name.path) {
        report(diags, file, &object.name, msg);
    }
    let mut wire_names = Names::new("field");
    let mut idents = Names::new("field name (after snake_case)");
    for field in &object.fields {
        validate_field(file, field, type_names, diags);
        if let Some(role) = &field.role
            && !roles_allowed
        {
            report(
                diags,
                file,
                role,
                "`role` is only for the fields of a token_endpoint's request and response",
            );
        }
        if !naming::is_wire_name(&field.name.value) {
            report(
                diags,
                file,
                &field.name,
                "expected letters, digits and `_`, starting with a letter",
            );
        } else if let Err(msg) = wire_names.claim(field.name.value.clone(), &field.name.path) {
            report(diags, file, &field.name, msg);
        } else if let Err(msg) =
            idents.claim(naming::field_ident(&field.name.value), &field.name.path)
        {
            report(diags, file, &field.name, msg);
        }
    }
}

fn validate_field<'a>(
    file: &'a str,
    field: &'a FieldSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let ty = field.ty.value;
    match (&field.object, ty) {
        (Some(object), FieldType::Object) => {
            validate_object(file, object, false, type_names, diags)
        }
        (None, FieldType::Object) => report(
            diags,
            file,
            &field.ty,
            "an object field needs `object:` with its name and fields",
        ),
        (Some(object), _) => report(
            diags,
            file,
            &object.name,
            format!("`object:` needs `type: object`, not {}", ty.as_str()),
        ),
        (None, _) => {}
    }
    match (&field.items, ty) {
        (Some(items), FieldType::Array) => {
            if !matches!(
                items.value,
                FieldType::String | FieldType::Integer | FieldType::Boolean
            ) {
                report(
                    diags,
                    file,
                    items,
                    "array items are string, integer or boolean",
                );
            }
        }
        (None, FieldType::Array) => report(diags, file, &field.ty, "an array field needs `items:`"),
        (Some(items), _) => report(
            diags,
            file,
            items,
            format!("`items:` needs `type: array`, not {}", ty.as_str()),
        ),
        (None, _) => {}
    }
    if let Some(enumeration) = &field.enumeration {
        let code_type = match ty {
            FieldType::Integer => CodeType::Integer,
            FieldType::String => CodeType::String,
            _ => {
                report(
                    diags,
                    file,
                    &enumeration.name,
                    "an enum field has `type: integer` or `type: string`",
                );
                return;
            }
        };
        validate_enum(file, enumeration, code_type, type_names, diags);
    }
}

fn validate_enum<'a>(
    file: &'a str,
    enumeration: &'a EnumSpec,
    repr: CodeType,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    if !naming::is_upper_camel(&enumeration.name.value) {
        report(
            diags,
            file,
            &enumeration.name,
            "must be an UpperCamelCase type name",
        );
    } else if let Err(msg) =
        type_names.claim(enumeration.name.value.clone(), &enumeration.name.path)
    {
        report(diags, file, &enumeration.name, msg);
    }
    if enumeration.values.is_empty() {
        report(
            diags,
            file,
            &enumeration.name,
            "an enum needs at least one value",
        );
    }
    let mut values = Names::new("value");
    let mut names = Names::new("variant");
    for v in &enumeration.values {
        if let Some(source) = &v.source
            && v.description.is_empty()
        {
            report(
                diags,
                file,
                source,
                "`source` says where the `description` comes from, and this value has no `description`",
            );
        }
        match Code::parse(repr, &v.value.value) {
            Err(msg) => report(diags, file, &v.value, msg),
            Ok(code) => {
                if let Err(msg) = values.claim(code.to_string(), &v.value.path) {
                    report(diags, file, &v.value, msg);
                }
            }
        }
        if !naming::is_upper_camel(&v.name.value) {
            report(
                diags,
                file,
                &v.name,
                "must be an UpperCamelCase variant name",
            );
        } else if v.name.value == "Unknown" {
            report(
                diags,
                file,
                &v.name,
                "`Unknown` is reserved for values the spec does not list",
            );
        } else if let Err(msg) = names.claim(v.name.value.clone(), &v.name.path) {
            report(diags, file, &v.name, msg);
        }
    }
}

fn is_id_segment(s: &str) -> bool {
    // Endpoint ids may use words that are Rust keywords (`type`), unlike module names.
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
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

/// A token endpoint: POST, a fixed path, a flat or bare reply, and exactly one field for each
/// role the runtime needs (credentials in the request, token and lifetime in the reply).
fn validate_token_endpoint<'a>(
    file: &'a str,
    token: &'a TokenEndpointSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    if token.method.value != Method::Post {
        report(
            diags,
            file,
            &token.method,
            "a token endpoint is a POST with a JSON body",
        );
    }
    match path_placeholders(&token.path.value) {
        Ok(names) if names.is_empty() => {}
        Ok(_) => report(
            diags,
            file,
            &token.path,
            "a token endpoint path has no parameters",
        ),
        Err(msg) => report(diags, file, &token.path, msg),
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
    for object in [&token.request, &token.response] {
        validate_object(file, object, true, type_names, diags);
    }
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

/// A waiter's fields must exist in the reply with the right types, and its status values must
/// sort every value of the status enum into exactly one of pending, success and failure.
fn validate_waiter(e: &EndpointSpec, w: &WaiterSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    if !naming::is_snake_ident(&w.name.value) {
        report(
            diags,
            file,
            &w.name,
            "must be a snake_case method name like `wait_export_task`",
        );
    }
    let field = |path: &Spanned<String>,
                 ty: FieldType,
                 diags: &mut Diagnostics|
     -> Option<Vec<&FieldSpec>> {
        match e.response.field_path(&path.value) {
            Err(msg) => {
                report(diags, file, path, msg);
                None
            }
            Ok(fields) => {
                let last = fields[fields.len() - 1];
                if last.ty.value != ty {
                    report(
                        diags,
                        file,
                        path,
                        format!(
                            "`{}` is {}, expected {}",
                            path.value,
                            last.ty.value.as_str(),
                            ty.as_str()
                        ),
                    );
                    return None;
                }
                Some(fields)
            }
        }
    };
    if let Some(ready) = &w.ready_when_set {
        field(ready, FieldType::String, diags);
    }
    if let Some(message) = &w.message {
        field(message, FieldType::String, diags);
    }
    if let Some((done, total)) = &w.progress {
        field(done, FieldType::Integer, diags);
        field(total, FieldType::Integer, diags);
    }
    validate_wait_delays(e, w, diags);

    let Ok(fields) = e
        .response
        .field_path(&w.status.value)
        .map_err(|msg| report(diags, file, &w.status, msg))
    else {
        return;
    };
    let Some(enumeration) = &fields[fields.len() - 1].enumeration else {
        report(
            diags,
            file,
            &w.status,
            format!(
                "`{}` has no `enum`: a waiter needs known status values",
                w.status.value
            ),
        );
        return;
    };
    let repr = if fields[fields.len() - 1].ty.value == FieldType::Integer {
        CodeType::Integer
    } else {
        CodeType::String
    };
    let known: Vec<Code> = enumeration
        .values
        .iter()
        .filter_map(|v| Code::parse(repr, &v.value.value).ok())
        .collect();
    if known.len() != enumeration.values.len() {
        // The enum's own bad values are reported already; checking against the rest would
        // only report consequences.
        return;
    }
    let mut sorted: BTreeMap<Code, &str> = BTreeMap::new();
    for (group, values) in [
        ("pending", &w.pending),
        ("success", &w.success),
        ("failure", &w.failure),
    ] {
        for value in values {
            match Code::parse(repr, &value.value) {
                Err(msg) => report(diags, file, value, msg),
                Ok(code) if !known.contains(&code) => report(
                    diags,
                    file,
                    value,
                    format!("{code} is not a value of {}", enumeration.name.value),
                ),
                Ok(code) => {
                    if let Some(first) = sorted.insert(code.clone(), group) {
                        report(
                            diags,
                            file,
                            value,
                            format!("{code} is already listed as {first}"),
                        );
                    }
                }
            }
        }
    }
    if w.success.is_empty() {
        diags.push(
            file,
            Some(w.status.at),
            &format!("{}.success", w.path),
            "a waiter needs at least one success value",
        );
    }
    for (code, value) in known.iter().zip(&enumeration.values) {
        if !sorted.contains_key(code) {
            report(
                diags,
                file,
                &w.status,
                format!(
                    "{code} ({}) of {} is not listed as pending, success or failure",
                    value.name.value, enumeration.name.value
                ),
            );
        }
    }
}

/// Delays must be ordered, and the shortest must keep within the endpoint's rate limit.
fn validate_wait_delays(e: &EndpointSpec, w: &WaiterSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    for delay in [&w.min_delay, &w.max_delay, &w.max_wait] {
        if delay.value <= 0.0 || delay.value > 86_400.0 {
            report(
                diags,
                file,
                delay,
                "expected seconds above 0 and at most 86400",
            );
        }
    }
    if w.max_delay.value < w.min_delay.value {
        report(diags, file, &w.max_delay, "max_delay is below min_delay");
    }
    if let Some(rate) = &e.rate_limit {
        let floor = [
            rate.per_minute.map(|n| 60.0 / f64::from(n.max(1))),
            rate.per_second.map(|n| 1.0 / f64::from(n.max(1))),
        ]
        .into_iter()
        .flatten()
        .fold(0.0, f64::max);
        if w.min_delay.value < floor {
            report(
                diags,
                file,
                &w.min_delay,
                format!(
                    "polling every {}s would exceed the rate limit: at least {floor}s",
                    w.min_delay.value
                ),
            );
        }
    }
}
