//! What the generated code describes, as data: a provider's conventions ([`ProviderInfo`],
//! [`Envelope`]), an endpoint's identity ([`EndpointInfo`]) with its documented rate limit
//! ([`RateLimit`]), the type that speaks for a provider ([`HasProvider`]), and the auth
//! header they give a token.
//!
//! A leaf below the modules that read it (`auth`, `decode`, `http`, `limit`, `client`): it
//! uses only the error codes and the token type.

use crate::error::ErrorCode;
use crate::token::AccessToken;
use reqwest::header::HeaderValue;
use std::time::Duration;

/// A type that speaks for one provider: its generated client (see
/// [`ProviderClient`](crate::ProviderClient) and [`TokenApi`](crate::TokenApi)).
pub trait HasProvider {
    /// The provider's conventions.
    const PROVIDER: &'static ProviderInfo;
}

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

/// A rate limit as a doc page states it: calls per second, per minute, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Calls allowed per second.
    pub per_second: Option<u32>,
    /// Calls allowed per minute.
    pub per_minute: Option<u32>,
}

impl RateLimit {
    /// `n` calls per second.
    pub const fn per_second(n: u32) -> Self {
        RateLimit {
            per_second: Some(n),
            per_minute: None,
        }
    }

    /// `n` calls per minute.
    pub const fn per_minute(n: u32) -> Self {
        RateLimit {
            per_second: None,
            per_minute: Some(n),
        }
    }

    /// The spacing between two calls that keeps every window within `fraction` of its
    /// limit: the longest `window / (limit × fraction)`. `None` when no window limits
    /// anything (no window, or a fraction that is not a positive number).
    pub fn interval(&self, fraction: f64) -> Option<Duration> {
        if !(fraction.is_finite() && fraction > 0.0) {
            return None;
        }
        [(self.per_second, 1.0), (self.per_minute, 60.0)]
            .into_iter()
            .filter_map(|(limit, window)| {
                let allowed = f64::from(limit?) * fraction;
                (allowed > 0.0).then(|| Duration::try_from_secs_f64(window / allowed).ok())?
            })
            .max()
    }
}

/// An endpoint's documented limit and the key its slots are counted under: the endpoint
/// id, or the limit group its spec names when several endpoints share one limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointLimit {
    /// The limit.
    pub limit: RateLimit,
    /// The endpoint id or the spec's `rate_limit.group`.
    pub key: &'static str,
}

/// Whether a token can be sent in a header: not empty, no control characters.
pub(crate) fn is_sendable(token: &AccessToken) -> bool {
    !token.expose().is_empty() && HeaderValue::from_str(token.expose()).is_ok()
}

/// The auth header's value for `token` (marked sensitive, so that reqwest and hyper never
/// print it), or `None` when no header can carry it.
pub(crate) fn auth_value(provider: &ProviderInfo, token: &AccessToken) -> Option<HeaderValue> {
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
