//! `provider.yaml`: hosts, authentication, the envelope replies come in, common error codes,
//! the token endpoint, and how the pages' relative links become absolute.

use super::errors::ErrorSpec;
use super::object::ObjectSpec;
use super::shared::{ErrorTableSpec, SharedType};
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
    /// Types the endpoints share, declared once.
    pub types: Vec<SharedType>,
    /// Error tables several endpoints take whole (`errors_from`).
    pub error_tables: Vec<ErrorTableSpec>,
    /// `types` and `error_tables` as written (a mapping of the two, either may be absent):
    /// what the docs check expands a spec's references with, to compare it with its page.
    pub declared: crate::yaml::Node,
    /// How the pages' site-relative links become absolute (`doc_links`).
    pub doc_links: Option<DocLinksSpec>,
}

/// `doc_links`: the pages link to one another by a site-relative path (Feishu's
/// `[text](/ssl:ttdoc/...)`), which leads nowhere in rustdoc or CLI help. Link targets that
/// start with `relative` are rewritten to start with `absolute` in every text the generated
/// code shows (docs, CLI help, hints); the spec keeps them as the page wrote them.
#[derive(Debug, Clone)]
pub struct DocLinksSpec {
    /// The start of a relative link target, e.g. `/ssl:ttdoc/`.
    pub relative: Spanned<String>,
    /// What replaces it, e.g. `https://open.feishu.cn/document/`.
    pub absolute: Spanned<String>,
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
        let types = f.opt(cx, "types").unwrap_or_default();
        let error_tables = f.opt(cx, "error_tables").unwrap_or_default();
        let doc_links = f.with(cx, "doc_links", false, DocLinksSpec::decode);
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
            types,
            error_tables,
            declared: declared(node),
            doc_links,
        })
    }
}

impl DocLinksSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let relative: Option<Spanned<String>> = f.req(cx, "relative");
        let absolute: Option<Spanned<String>> = f.req(cx, "absolute");
        f.finish(cx);
        let (relative, absolute) = (relative?, absolute?);
        let mut ok = true;
        // A link target starting with `/`: anything shorter would rewrite more than links
        // to the provider's pages.
        if relative.value.len() < 2 || !relative.value.starts_with('/') {
            cx.error(
                relative.at,
                &relative.path,
                "must be the start of a site-relative link target, e.g. `/ssl:ttdoc/`",
            );
            ok = false;
        }
        let rest = absolute
            .value
            .strip_prefix("https://")
            .or_else(|| absolute.value.strip_prefix("http://"));
        if rest
            .is_none_or(|r| r.is_empty() || r.starts_with('/') || r.contains(char::is_whitespace))
        {
            cx.error(
                absolute.at,
                &absolute.path,
                "must be an absolute http(s) URL, e.g. `https://open.feishu.cn/document/`",
            );
            ok = false;
        }
        if ok && relative.value.ends_with('/') != absolute.value.ends_with('/') {
            cx.error(
                absolute.at,
                &absolute.path,
                format!(
                    "must end with `/` exactly when `relative` does (`{}`), or the rewritten links lose or double a slash",
                    relative.value
                ),
            );
            ok = false;
        }
        ok.then_some(DocLinksSpec { relative, absolute })
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

/// The mapping of `types` and `error_tables` of a provider file's tree, as written.
fn declared(node: &Node) -> Node {
    let pairs = match &node.value {
        crate::yaml::Value::Map(pairs) => pairs
            .iter()
            .filter(|(k, _)| k.name == "types" || k.name == "error_tables")
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    Node {
        at: node.at,
        value: crate::yaml::Value::Map(pairs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    /// Decodes `doc_links` as a provider file would have it; the problems as printed.
    fn doc_links(yaml: &str) -> (Option<DocLinksSpec>, Vec<String>) {
        let node = crate::yaml::parse(yaml).unwrap().unwrap();
        let mut diags = Diagnostics::default();
        let mut cx = Ctx {
            file: "specs/x/provider.yaml",
            diags: &mut diags,
        };
        let mut f = cx.fields(&node, "").unwrap();
        let links = f.with(&mut cx, "doc_links", false, DocLinksSpec::decode);
        f.finish(&mut cx);
        (links, diags.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn doc_links_are_read_and_their_problems_located() {
        let (links, problems) = doc_links(
            "doc_links:\n  relative: /ssl:ttdoc/\n  absolute: https://open.feishu.cn/document/\n",
        );
        let links = links.unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(links.relative.value, "/ssl:ttdoc/");
        assert_eq!(links.absolute.value, "https://open.feishu.cn/document/");

        assert_eq!(doc_links("other: 1\n").0.map(|l| l.relative.value), None);
        assert_eq!(
            doc_links("doc_links:\n  relative: /a/\n  absolute: https://h/\n  base: x\n").1,
            [
                "specs/x/provider.yaml:4:3: doc_links.base: unknown field; expected one of: relative, absolute"
            ]
        );
        assert_eq!(
            doc_links("doc_links:\n  absolute: https://h/\n").1,
            ["specs/x/provider.yaml:2:3: doc_links.relative: missing required field"]
        );
        let (links, problems) =
            doc_links("doc_links:\n  relative: ssl:ttdoc/\n  absolute: open.feishu.cn/document/\n");
        assert!(links.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("specs/x/provider.yaml:2:13: doc_links.relative: must be"));
        assert!(problems[1].starts_with("specs/x/provider.yaml:3:13: doc_links.absolute: must be"));
        assert!(
            doc_links("doc_links:\n  relative: /ssl:ttdoc/\n  absolute: https://h/doc\n").1[0]
                .contains("doc_links.absolute: must end with `/` exactly when `relative` does")
        );
    }
}
