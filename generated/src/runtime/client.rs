//! The HTTP core every generated client wraps: one connection pool, the base URL, where
//! tokens come from, and how calls are retried and timed out.

use super::auth::{AppCredentials, ManagedToken, StaticToken, TokenApi, TokenContext, TokenSource};
use super::decode::{self, Reply};
use super::error::{EndpointError, ErrorCode, Failed, Failure, TokenError};
use super::http;
use super::retry::RetryPolicy;
use super::token::AccessToken;
use super::url::{self as url_builder, PathPart};
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;
use tracing::field::Empty;

/// How a provider wraps replies (from `envelope.style` in its provider spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// `build()` was called without a token, credentials or token source.
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
    /// Plain `http://` to a host that is not loopback would send the token in clear text;
    /// allow it with [`ClientBuilder::allow_insecure_http`].
    InsecureBaseUrl {
        /// The URL as given.
        url: String,
    },
    /// The HTTP client could not be set up (e.g. TLS initialisation failed).
    Http(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingAccessToken => {
                f.write_str("no access token, app credentials or token source given")
            }
            BuildError::InvalidAccessToken => {
                f.write_str("the access token has characters an HTTP header cannot carry")
            }
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            BuildError::InsecureBaseUrl { url } => write!(
                f,
                "refusing to send a token over plain http to {url:?}: use https, or allow insecure http explicitly"
            ),
            BuildError::Http(reason) => write!(f, "cannot set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for one attempt, from connecting to the last byte of the body.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest reply body read. Task-status replies are a few hundred bytes.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 4 * 1024 * 1024;

/// Configures a provider client: `FeishuClient::builder().access_token("t-...").build()`.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    token: Option<Arc<dyn TokenSource>>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    max_reply_bytes: usize,
    allow_insecure_http: bool,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl<C: ProviderClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            token: None,
            http: None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            allow_insecure_http: false,
            client: std::marker::PhantomData,
        }
    }
}

impl<C: ProviderClient> ClientBuilder<C> {
    /// A static access token sent with every request.
    pub fn access_token(self, token: impl Into<AccessToken>) -> Self {
        self.token_source(Arc::new(StaticToken(token.into())))
    }

    /// Any source of tokens, e.g. your own [`TokenSource`].
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token = Some(source);
        self
    }

    /// Overrides the provider's default host, e.g. for Lark, a proxy or a local test server.
    /// A path prefix is kept (`https://proxy/feishu` + `/open-apis/...`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Shares an existing `reqwest::Client` (and its connection pool). Its own connect
    /// timeout then applies instead of [`connect_timeout`](Self::connect_timeout).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How calls are retried (default: 3 attempts).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time for one attempt, from connecting to the last byte (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The largest reply body to read (default 4 MiB). A larger one is refused with a
    /// [`TransportErrorKind::TooLarge`](super::TransportErrorKind::TooLarge) error, unread.
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply_bytes = limit;
        self
    }

    /// Allows plain `http://` to hosts that are not loopback. Tokens then cross the network
    /// in clear text: only for trusted networks.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client. Fails on a missing or unsendable token, or a bad or insecure base URL.
    pub fn build(self) -> Result<C, BuildError> {
        let provider = C::PROVIDER;
        let token = self.token.ok_or(BuildError::MissingAccessToken)?;
        let base_url = normalise_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(provider.default_base_url),
            self.allow_insecure_http,
        )?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| BuildError::Http(e.to_string()))?,
        };
        Ok(C::from_core(Core {
            context: TokenContext {
                http,
                base_url,
                timeout: self.attempt_timeout,
                max_reply_bytes: self.max_reply_bytes,
            },
            token,
            retry: self.retry,
            provider,
        }))
    }
}

impl<C: TokenApi> ClientBuilder<C> {
    /// Managed tokens from app credentials: fetched from the provider's token endpoint,
    /// cached, refreshed ahead of expiry, and fetched again when the provider refuses one.
    pub fn app_credentials(self, credentials: AppCredentials) -> Self {
        self.token_source(Arc::new(ManagedToken::<C>::new(credentials)))
    }
}

fn normalise_base_url(url: &str, allow_insecure_http: bool) -> Result<String, BuildError> {
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
    let loopback = match parsed.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if parsed.scheme() == "http" && !loopback && !allow_insecure_http {
        return Err(BuildError::InsecureBaseUrl {
            url: url.to_owned(),
        });
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// The shared part of every provider client. Cloning is cheap and shares the pool and the
/// token cache.
#[derive(Clone)]
pub struct Core {
    context: TokenContext,
    token: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    provider: &'static ProviderInfo,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("provider", &self.provider.name)
            .field("base_url", &self.context.base_url)
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.context.base_url
    }

    /// Sends a call, retrying transient failures by the policy, and decodes the reply by the
    /// provider's conventions. `user_token` replaces the client's token for this call.
    ///
    /// A code that means the token was refused makes a refreshable source drop the token and
    /// the call is sent once more with a new one (not counted against the retry budget); a
    /// second refusal is returned.
    pub async fn send<T: DeserializeOwned, E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        path: &[PathPart<'_>],
        query: &[(&'static str, String)],
        user_token: Option<&AccessToken>,
    ) -> Result<T, E> {
        let span = tracing::info_span!(
            "taskapi.call",
            endpoint = endpoint.id,
            attempts = Empty,
            outcome = Empty
        );
        async {
            let url = url_builder::build(&self.context.base_url, path, query)
                .map_err(|e| Failed::InvalidRequest(e).into_endpoint::<E>(0))?;
            let refreshable = user_token.is_none() && self.token.can_refresh();
            let mut refreshed = false;
            let mut attempts = 0;
            let mut retries = 0;
            loop {
                attempts += 1;
                let (token, result) = self.attempt(endpoint, &url, user_token, attempts).await;
                let error = match result {
                    Ok(data) => {
                        record_outcome(attempts, "ok");
                        return Ok(data);
                    }
                    Err(failed) => failed.into_endpoint::<E>(attempts),
                };
                let failure = error.failure();
                if let (Failure::Api(api), Some(token)) = (failure, &token)
                    && refreshable
                    && !refreshed
                    && (self.provider.is_token_invalid)(api.code())
                {
                    tracing::debug!(code = %api.code(), "token refused; fetching a new one and retrying once");
                    self.token.invalidate(token);
                    refreshed = true;
                    continue;
                }
                retries += 1;
                let delay = (failure.is_retryable() && retries < self.retry.attempts())
                    .then(|| self.retry.delay(retries, failure.retry_after()))
                    .flatten();
                let Some(delay) = delay else {
                    record_outcome(attempts, "error");
                    return Err(error);
                };
                tracing::debug!(delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                tokio::time::sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: get a token, send, decode. Returns the token used, for invalidation.
    async fn attempt<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointInfo,
        url: &url::Url,
        user_token: Option<&AccessToken>,
        attempt: u32,
    ) -> (Option<AccessToken>, Result<T, Failed>) {
        let span = tracing::debug_span!(
            "taskapi.attempt",
            attempt,
            http.status = Empty,
            code = Empty,
            request_id = Empty,
            latency_ms = Empty,
        );
        async {
            let token = match user_token {
                Some(token) => token.clone(),
                None => match self.token.token(&self.context).await {
                    Ok(token) => token,
                    Err(e) => return (None, Err(Failed::Token(e))),
                },
            };
            let result = self.exchange(endpoint, url, &token).await;
            (Some(token), result)
        }
        .instrument(span)
        .await
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointInfo,
        url: &url::Url,
        token: &AccessToken,
    ) -> Result<T, Failed> {
        let header = match self.provider.auth_scheme {
            Some(scheme) => format!("{scheme} {}", token.expose()),
            None => token.expose().to_owned(),
        };
        let mut auth = HeaderValue::from_str(&header).map_err(|_| {
            Failed::Token(TokenError::other(
                "the access token has characters an HTTP header cannot carry",
            ))
        })?;
        // Marked sensitive so that reqwest and hyper never print it.
        auth.set_sensitive(true);
        let request = self
            .context
            .http
            .request(endpoint.method.clone(), url.clone())
            .header(self.provider.auth_header, auth)
            .timeout(self.context.timeout);
        let started = tokio::time::Instant::now();
        let exchanged = http::exchange(request, self.provider, self.context.max_reply_bytes).await;
        let span = tracing::Span::current();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let exchanged = exchanged.map_err(Failed::Transport)?;
        span.record("http.status", exchanged.status);
        if let Some(id) = &exchanged.request_id {
            span.record("request_id", id.as_str());
        }
        let reply = Reply {
            status: exchanged.status,
            request_id: exchanged.request_id,
            retry_after: exchanged.retry_after,
            body: &exchanged.body,
        };
        let result = decode::reply(
            self.provider.envelope,
            self.provider.request_id_body_field,
            reply,
        );
        if let Err(Failed::Api(api)) = &result {
            span.record("code", tracing::field::display(api.code()));
            if let Some(id) = api.request_id() {
                span.record("request_id", id);
            }
        }
        result
    }
}

fn record_outcome(attempts: u32, outcome: &'static str) {
    let span = tracing::Span::current();
    span.record("attempts", attempts);
    span.record("outcome", outcome);
}
