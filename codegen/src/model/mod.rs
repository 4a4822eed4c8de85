//! The model the emitter reads: validated specs with every Rust name decided.
//!
//! Building it cannot fail: validation (`validate/`) has already rejected whatever would. The
//! provider and its token endpoint are here, and the last step of building a provider: its
//! pages' relative links made absolute in every text (`doc_links`). `endpoint.rs` holds an
//! endpoint and its request, `waiter.rs` its waiter, `chain.rs` its chains (with `before.rs`
//! the upload a start may take first, and `fixed.rs` the fixed values both write),
//! `pagination.rs` its list, `types.rs` the structs and enums of replies, `errors.rs` the
//! documented codes.

mod before;
mod chain;
mod endpoint;
mod errors;
mod fixed;
mod pagination;
mod types;
mod waiter;

// Validation reads codes too, so `Code` is defined with the spec; the model's readers (the
// emitters, the tests) name it here.
pub use crate::spec::Code;
pub use before::{Before, FedField, FromPath, JsonMember, StepField, StepValue};
pub use chain::{Chain, Feed, FeedFrom};
pub use endpoint::{Body, BodyLeaf, Endpoint, FilePart, Param, PathPart, Response};
pub use errors::ErrorCase;
pub use fixed::Fixed;
pub use pagination::{Pagination, ReplyField};
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
    /// The types the endpoints share (`types:`), generated once in the provider's `types`
    /// module; the endpoints' own lists hold copies marked shared, which they do not emit.
    pub shared_types: Vec<TypeDef>,
    /// How the pages' relative links were made absolute; every text above already is.
    pub doc_links: Option<DocLinks>,
}

/// The spec's `doc_links`: a markdown link target starting with `relative` (the pages'
/// site-relative `/ssl:ttdoc/...`) starts with `absolute` in generated docs, CLI help and
/// hints. The model applies it once, as it is built, so its texts hold the rewritten links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLinks {
    pub relative: String,
    pub absolute: String,
}

impl DocLinks {
    /// `text` with every link target `](relative...)` (or `](<relative...>)`) made
    /// `](absolute...)`; everything else, other links included, as it was.
    pub fn rewrite(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("](") {
            let (head, tail) = rest.split_at(at + 2);
            out.push_str(head);
            let (angle, target) = match tail.strip_prefix('<') {
                Some(target) => ("<", target),
                None => ("", tail),
            };
            rest = match target.strip_prefix(self.relative.as_str()) {
                Some(after) => {
                    out.push_str(angle);
                    out.push_str(&self.absolute);
                    after
                }
                None => tail,
            };
        }
        out.push_str(rest);
        out
    }

    fn apply(&self, text: &mut String) {
        if text.contains(self.relative.as_str()) {
            *text = self.rewrite(text);
        }
    }
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
    let mut provider = provider_as_written(p, endpoints);
    if let Some(links) = provider.doc_links.clone() {
        absolute_links(&mut provider, &links);
    }
    provider
}

fn provider_as_written(p: &ProviderSpec, endpoints: &[EndpointSpec]) -> Provider {
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
        shared_types: types::shared_types(&p.types),
        doc_links: p.doc_links.as_ref().map(|l| DocLinks {
            relative: l.relative.value.clone(),
            absolute: l.absolute.value.clone(),
        }),
    }
}

/// Rewrites the links of every text the emitters show: docs, CLI help, enum meanings and
/// error hints (both also returned at run time, where a link that works is as useful).
/// Wire data stays as written: error messages (the fake server sends them as the server
/// would), examples, names. The structs are taken apart field by field, so a new field
/// fails to compile here until someone decides whether it is text to rewrite.
fn absolute_links(p: &mut Provider, links: &DocLinks) {
    let Provider {
        key: _,
        file: _,
        title,
        summary,
        client: _,
        hosts,
        auth_header: _,
        auth_scheme: _,
        auth_description,
        token_env: _,
        envelope: _,
        code_type: _,
        envelope_description,
        request_id_headers: _,
        request_id_body_field: _,
        request_id_description,
        common_error_enum: _,
        common_errors,
        token_invalid_codes: _,
        rate_limit_reset_header: _,
        rate_limit_limit_header: _,
        rate_limit_reply: _,
        token,
        endpoints,
        shared_types,
        doc_links: _,
    } = p;
    types_links(shared_types, links);
    for text in [
        title,
        summary,
        auth_description,
        envelope_description,
        request_id_description,
    ] {
        links.apply(text);
    }
    for Host {
        const_name: _,
        base_url: _,
        description,
    } in hosts
    {
        links.apply(description);
    }
    errors_links(common_errors, links);
    if let Some(TokenEndpoint {
        title,
        summary,
        method: _,
        path: _,
        envelope: _,
        id_env: _,
        secret_env: _,
        example: _,
        request: _,
        response: _,
        types,
        app_id_field: _,
        app_secret_field: _,
        token_field: _,
        expires_field: _,
        token_wire: _,
        expires_wire: _,
    }) = token
    {
        links.apply(title);
        links.apply(summary);
        types_links(types, links);
    }
    for e in endpoints {
        endpoint_links(e, links);
    }
}

fn endpoint_links(e: &mut Endpoint, links: &DocLinks) {
    let Endpoint {
        id: _,
        family: _,
        file: _,
        operation: _,
        type_prefix: _,
        title,
        summary,
        description,
        source: _,
        method: _,
        idempotent: _,
        path_template: _,
        path_parts: _,
        params,
        body,
        token_kinds: _,
        app_types: _,
        scopes,
        rate_limit,
        limit: _,
        response: _,
        types,
        example: _,
        errors,
        waiter: _,
        starts: _,
        download: _,
        pagination: _,
    } = e;
    for text in [title, summary, description] {
        links.apply(text);
    }
    for Param {
        wire: _,
        ident: _,
        cli_flag: _,
        location: _,
        ty: _,
        repeated: _,
        enumeration: _,
        required: _,
        max_length: _,
        description,
        summary,
    } in params
    {
        links.apply(description);
        links.apply(summary);
    }
    if let Some(Body {
        content: _,
        type_name: _,
        fields,
        leaves,
        file,
        example: _,
    }) = body
    {
        fields_links(fields, links);
        for BodyLeaf {
            wire_path: _,
            cli_flag: _,
            ty: _,
            repeated: _,
            required: _,
            description,
        } in leaves
        {
            links.apply(description);
        }
        if let Some(FilePart {
            wire: _,
            description,
            max_size: _,
            larger,
            from_file: _,
        }) = file
        {
            links.apply(description);
            if let Some(larger) = larger {
                links.apply(larger);
            }
        }
    }
    for (_, description) in scopes {
        links.apply(description);
    }
    if let Some(rate_limit) = rate_limit {
        links.apply(rate_limit);
    }
    types_links(types, links);
    errors_links(errors, links);
}

fn types_links(types: &mut [TypeDef], links: &DocLinks) {
    for ty in types {
        match ty {
            TypeDef::Struct(StructDef {
                name: _,
                shared: _,
                kind: _,
                description,
                fields,
            }) => {
                links.apply(description);
                fields_links(fields, links);
            }
            TypeDef::Enum(EnumDef {
                name: _,
                shared: _,
                description,
                repr: _,
                variants,
            }) => {
                links.apply(description);
                for EnumVariant {
                    name: _,
                    value: _,
                    description,
                } in variants
                {
                    links.apply(description);
                }
            }
        }
    }
}

fn fields_links(fields: &mut [Field], links: &DocLinks) {
    for Field {
        wire: _,
        ident: _,
        ty: _,
        required: _,
        description,
        secret: _,
        max_length: _,
        example: _,
    } in fields
    {
        links.apply(description);
    }
}

fn errors_links(errors: &mut [ErrorCase], links: &DocLinks) {
    for ErrorCase {
        code: _,
        variant: _,
        message: _,
        hint,
        http_status: _,
        retryable: _,
    } in errors
    {
        links.apply(hint);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn feishu() -> DocLinks {
        DocLinks {
            relative: "/ssl:ttdoc/".to_owned(),
            absolute: "https://open.feishu.cn/document/".to_owned(),
        }
    }

    #[test]
    fn relative_link_targets_become_absolute_and_nothing_else_changes() {
        let links = feishu();
        assert_eq!(
            links.rewrite(
                "继续调用[查询导出任务结果](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/get)接口，参考[常见问题 3](/ssl:ttdoc/ukTMukTMukTM/uczNzUjL3czM14yN3MTN#16c6475a)。"
            ),
            "继续调用[查询导出任务结果](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/get)接口，参考[常见问题 3](https://open.feishu.cn/document/ukTMukTMukTM/uczNzUjL3czM14yN3MTN#16c6475a)。"
        );
        assert_eq!(
            links.rewrite("see [a](</ssl:ttdoc/x y>)"),
            "see [a](<https://open.feishu.cn/document/x y>)"
        );
        for unchanged in [
            "请联系[技术支持](https://applink.feishu.cn/client/helpdesk/open)",
            "[elsewhere](/other/ssl:ttdoc/x) and [anchor](#ssl) and [](",
            "the prefix /ssl:ttdoc/ outside a link, `](` alone, ](/ssl:ttdoc without the slash",
            "no links at all: 导出任务 ID。",
            "",
        ] {
            assert_eq!(links.rewrite(unchanged), unchanged);
        }
    }

    #[test]
    fn the_feishu_model_holds_absolute_links_wherever_the_specs_have_relative_ones() {
        // The checkout this test runs in (cargo sets the variable at run time), one up from
        // `codegen/`; `workspace_root` sits outside the model's layer.
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap();
        let root = std::path::Path::new(&manifest).parent().unwrap();
        let (set, problems) = crate::load::load(root, "specs");
        assert!(problems.is_empty(), "{problems}");
        let model = build(&set);
        let feishu = model.providers.iter().find(|p| p.key == "feishu").unwrap();
        assert_eq!(feishu.doc_links, Some(self::feishu()));
        let get = feishu
            .endpoints
            .iter()
            .find(|e| e.id == "feishu.drive.export_task.get")
            .unwrap();
        assert!(get.description.contains(
            "[创建导出任务](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/create)"
        ));
        let mut texts = Vec::new();
        for e in &feishu.endpoints {
            texts.extend([&e.summary, &e.description]);
            texts.extend(e.params.iter().flat_map(|p| [&p.description, &p.summary]));
            texts.extend(e.errors.iter().map(|c| &c.hint));
            texts.extend(
                e.body
                    .iter()
                    .flat_map(|b| b.leaves.iter().map(|l| &l.description)),
            );
            for ty in &e.types {
                match ty {
                    TypeDef::Struct(s) => texts.extend(s.fields.iter().map(|f| &f.description)),
                    TypeDef::Enum(en) => texts.extend(en.variants.iter().map(|v| &v.description)),
                }
            }
        }
        assert!(
            texts
                .iter()
                .any(|t| t.contains("](https://open.feishu.cn/document/"))
        );
        for text in texts {
            assert!(!text.contains("](/ssl:ttdoc/"), "left relative: {text}");
        }
    }
}
