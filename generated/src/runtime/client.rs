//! The HTTP core every generated client wraps: one connection pool, the base URL, the
//! token, and the provider's reply conventions.

use super::decode;
use super::error::{EndpointError, TransportError};
use super::token::AccessToken;
use super::url::{self as url_builder, PathPart};
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use std::fmt;

/// How a provider wraps replies (from `envelope.style` in its provider spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// `{"code", "msg", "data"}`: `code != 0` is an error whatever the HTTP status.
    CodeMsgData,
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
}

/// Implemented by each generated provider client, so one builder serves them all.
pub trait ProviderClient: Sized {
    /// The provider's conventions.
    const PROVIDER: &'static ProviderInfo;
    /// Wraps a configured core.
    fn from_core(core: Core) -> Self;
}

/// Why a client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// `build()` was called without a token.
    MissingAccessToken,
    /// The token has characters an HTTP header cannot carry. The token itself is not shown.
    InvalidAccessToken,
    /// The base URL is not an `http(s)://` URL without query or fragment.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be set up (e.g. TLS initialisation failed).
    Http(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingAccessToken => f.write_str("no access token given"),
            BuildError::InvalidAccessToken => {
                f.write_str("the access token has characters an HTTP header cannot carry")
            }
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            BuildError::Http(reason) => write!(f, "cannot set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Configures a provider client: `FeishuClient::builder().access_token("t-...").build()`.
#[derive(Debug)]
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    token: Option<AccessToken>,
    http: Option<reqwest::Client>,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C: ProviderClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            token: None,
            http: None,
            client: std::marker::PhantomData,
        }
    }
}

impl<C: ProviderClient> ClientBuilder<C> {
    /// A static access token sent with every request.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Overrides the provider's default host, e.g. for Lark, a proxy or a local test server.
    /// A path prefix is kept (`https://proxy/feishu` + `/open-apis/...`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Shares an existing `reqwest::Client` (and its connection pool).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client. Fails on a missing or unsendable token, or a bad base URL.
    pub fn build(self) -> Result<C, BuildError> {
        let provider = C::PROVIDER;
        let token = self.token.ok_or(BuildError::MissingAccessToken)?;
        let header_text = match provider.auth_scheme {
            Some(scheme) => format!("{scheme} {}", token.expose()),
            None => token.expose().to_owned(),
        };
        let mut auth_value =
            HeaderValue::from_str(&header_text).map_err(|_| BuildError::InvalidAccessToken)?;
        // Marked sensitive so reqwest/hyper never print it.
        auth_value.set_sensitive(true);
        let base_url = normalise_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(provider.default_base_url),
        )?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| BuildError::Http(e.to_string()))?,
        };
        Ok(C::from_core(Core {
            http,
            base_url,
            auth_value,
            provider,
        }))
    }
}

fn normalise_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("expected http or https"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// The shared part of every provider client. Cloning is cheap and shares the pool.
#[derive(Clone)]
pub struct Core {
    http: reqwest::Client,
    base_url: String,
    auth_value: HeaderValue,
    provider: &'static ProviderInfo,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("provider", &self.provider.name)
            .field("base_url", &self.base_url)
            .field("access_token", &"<redacted>")
            .finish()
    }
}

impl Core {
    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends one request and decodes the reply by the provider's conventions.
    pub async fn send<T: DeserializeOwned, E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        path: &[PathPart<'_>],
        query: &[(&'static str, String)],
    ) -> Result<T, E> {
        let url =
            url_builder::build(&self.base_url, path, query).map_err(E::from_invalid_request)?;
        let response = self
            .http
            .request(endpoint.method.clone(), url)
            .header(self.provider.auth_header, self.auth_value.clone())
            .send()
            .await
            .map_err(|e| E::from_transport(TransportError::from_reqwest(e, None)))?;
        let status = response.status().as_u16();
        let request_id = self
            .provider
            .request_id_headers
            .iter()
            .find_map(|name| response.headers().get(*name)?.to_str().ok())
            .map(str::to_owned);
        let body = response
            .bytes()
            .await
            .map_err(|e| E::from_transport(TransportError::from_reqwest(e, Some(status))))?;
        decode::reply(self.provider, status, request_id, &body)
    }
}
