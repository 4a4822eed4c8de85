//! A provider's conventions as generated from its provider spec ([`ProviderInfo`],
//! [`Envelope`]), an endpoint's identity ([`EndpointInfo`]), and the auth header they give a
//! token.

use crate::error::ErrorCode;
use crate::limit::EndpointLimit;
use crate::token::AccessToken;
use reqwest::header::HeaderValue;

/// How a provider wraps replies (from `envelope.style` in its provider spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Envelope {
    /// `{"code", "msg", "data"}`: `code != 0` is an error whatever the HTTP status.
    CodeMsgData,
    /// `{"code", "msg", ...fields}`: the same, not wrapped in `data` (Feishu's token reply).
    CodeMsgFlat,
    /// The bare object on 2xx; `{"code", "message", <request id>}` otherwise.
    Bare,
}

/// A provider's conventions, generated from its provider spec.
#[derive(Debug)]
pub struct ProviderInfo {
    /// The provider's key, e.g. `feishu`.
    pub name: &'static str,
    /// Where requests go unless the caller picks another host.
    pub default_base_url: &'static str,
    /// The header that carries the access token.
    pub auth_header: &'static str,
    /// Prefix of the auth header value (`Bearer`); `None` sends the raw token.
    pub auth_scheme: Option<&'static str>,
    /// Where the CLI looks for a token.
    pub token_env: &'static str,
    /// How replies are wrapped.
    pub envelope: Envelope,
    /// Response headers that carry the request id, in order of preference.
    pub request_id_headers: &'static [&'static str],
    /// Error-body field that carries the request id.
    pub request_id_body_field: Option<&'static str>,
    /// Header giving the seconds until a rate-limit window resets.
    pub rate_limit_reset_header: Option<&'static str>,
    /// Whether a code means the access token was refused (expired, invalid).
    pub is_token_invalid: fn(&ErrorCode) -> bool,
    /// Whether a code means the call was throttled (and so was not acted on).
    pub is_rate_limited: fn(&ErrorCode) -> bool,
}

/// An endpoint's identity, generated from its spec.
#[derive(Debug)]
pub struct EndpointInfo {
    /// The stable id, e.g. `feishu.drive.export_task.get`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path template as the spec writes it, e.g. `/open-apis/drive/v1/export_tasks/{ticket}`.
    pub path: &'static str,
    /// Whether sending it twice does no more than sending it once (false for a POST that
    /// creates something): decides which failures are retried.
    pub idempotent: bool,
    /// The documented rate limit and the key its slots are counted under; `None` when the
    /// page states none.
    pub rate_limit: Option<EndpointLimit>,
}

/// Whether a token can be sent in a header: not empty, no control characters.
pub(super) fn is_sendable(token: &AccessToken) -> bool {
    !token.expose().is_empty() && HeaderValue::from_str(token.expose()).is_ok()
}

/// The auth header's value for `token` (marked sensitive, so that reqwest and hyper never
/// print it), or `None` when no header can carry it.
pub(super) fn auth_value(provider: &ProviderInfo, token: &AccessToken) -> Option<HeaderValue> {
    if token.expose().is_empty() {
        return None;
    }
    let value = match provider.auth_scheme {
        Some(scheme) => HeaderValue::from_str(&format!("{scheme} {}", token.expose())),
        None => HeaderValue::from_str(token.expose()),
    };
    let mut value = value.ok()?;
    value.set_sensitive(true);
    Some(value)
}
