//! The HTTP core every generated client wraps: one connection pool, the base URL, where
//! tokens come from, and how calls are retried and timed out.

use super::auth::{AppCredentials, ManagedToken, StaticToken, TokenApi, TokenContext, TokenSource};
use super::decode::{self, Reply};
use super::error::{
    EndpointError, ErrorCode, Failed, Failure, InvalidRequest, TokenError, TransportError,
    TransportErrorKind,
};
use super::http;
use super::options::CallOptions;
use super::retry::RetryPolicy;
use super::token::AccessToken;
use super::url::{self as url_builder, PathPart};
use reqwest::header::HeaderValue;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
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
    /// The token is empty or has characters an HTTP header cannot carry (e.g. a line
    /// break). The token itself is not shown.
    InvalidAccessToken,
    /// The base URL is not an `http(s)://` URL without user info, query or fragment.
    InvalidBaseUrl {
        /// The URL as given, any user info (`user:password@`) masked.
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
            BuildError::InvalidAccessToken => f.write_str(
                "the access token is empty or has characters an HTTP header cannot carry",
            ),
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
    /// Set by `access_token` for a token no header can carry; reported by `build`.
    unsendable_token: bool,
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
            unsendable_token: false,
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
    /// A static access token sent with every request. An empty token, or one with
    /// characters a header cannot carry, makes [`build`](Self::build) fail.
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        let token = token.into();
        self.unsendable_token = !is_sendable(&token);
        self.token_source(Arc::new(StaticToken(token)))
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
    ///
    /// The HTTP client follows no redirects by itself (the runtime follows same-origin ones,
    /// see `http.rs`), and a loopback base URL bypasses proxies from the environment
    /// (`http_proxy`, `ALL_PROXY`): a token for a local server must not travel to a proxy,
    /// in clear text at that.
    pub fn build(self) -> Result<C, BuildError> {
        let provider = C::PROVIDER;
        let token = self.token.ok_or(BuildError::MissingAccessToken)?;
        if self.unsendable_token {
            return Err(BuildError::InvalidAccessToken);
        }
        let (base_url, loopback) = normalise_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(provider.default_base_url),
            self.allow_insecure_http,
        )?;
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            http = http.no_proxy();
        }
        let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
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

/// Whether a token can be sent in a header: not empty, no control characters.
fn is_sendable(token: &AccessToken) -> bool {
    !token.expose().is_empty() && HeaderValue::from_str(token.expose()).is_ok()
}

/// The base URL without a trailing slash, and whether its host is loopback.
fn normalise_base_url(url: &str, allow_insecure_http: bool) -> Result<(String, bool), BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: without_user_info(url),
        reason: reason.to_owned(),
    };
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("expected http or https"));
    }
    // reqwest would send them as a Basic header beside the token.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "a base URL cannot carry a user name or password; the client authenticates with its token",
        ));
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
    Ok((parsed.as_str().trim_end_matches('/').to_owned(), loopback))
}

/// `url` with anything between `://` and an `@` in its authority masked, for messages.
/// Works on text that does not parse as a URL too.
fn without_user_info(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let authority_len = url[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - authority_start);
    let authority = &url[authority_start..authority_start + authority_len];
    match authority.rfind('@') {
        Some(at) => format!(
            "{}***@{}",
            &url[..authority_start],
            &url[authority_start + at + 1..]
        ),
        None => url.to_owned(),
    }
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
    /// provider's conventions, within `options` (user token, time limit, raw inspection).
    ///
    /// A code that means the token was refused makes a refreshable source drop the token and
    /// the call is sent once more with a new one (not counted against the retry budget); a
    /// second refusal is returned.
    pub async fn send<T: DeserializeOwned, E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        path: &[PathPart<'_>],
        query: &[(&'static str, String)],
        options: &CallOptions,
    ) -> Result<T, E> {
        let span = tracing::info_span!(
            "taskapi.call",
            endpoint = endpoint.id,
            attempts = Empty,
            outcome = Empty
        );
        async {
            let url = prepare(&self.context.base_url, path, query, options)
                .map_err(|e| Failed::InvalidRequest(e).into_endpoint::<E>(0))?;
            let deadline = options
                .time_limit
                .and_then(|limit| Instant::now().checked_add(limit));
            let refreshable = options.user_token.is_none() && self.token.can_refresh();
            let mut refreshed = false;
            let mut attempts = 0;
            let mut retries = 0;
            let mut protocol_errors = 0;
            loop {
                attempts += 1;
                let (token, result) =
                    self.bounded_attempt(endpoint, &url, options, attempts, deadline).await;
                let error = match result {
                    Ok(data) => {
                        record_outcome(attempts, "ok");
                        return Ok(data);
                    }
                    Err(failed) => failed.into_endpoint::<E>(attempts),
                };
                let failure = error.failure();
                let time_left = deadline.is_none_or(|d| Instant::now() < d);
                if let (Failure::Api(api), Some(token)) = (failure, &token)
                    && refreshable
                    && !refreshed
                    && time_left
                    && (self.provider.is_token_invalid)(api.code())
                {
                    tracing::debug!(code = %api.code(), "token refused; fetching a new one and retrying once");
                    self.token.invalidate(token);
                    refreshed = true;
                    continue;
                }
                retries += 1;
                if let Failure::Transport(e) = failure
                    && e.kind() == TransportErrorKind::Protocol
                {
                    protocol_errors += 1;
                }
                let delay = (failure.is_retryable()
                    && retries < self.retry.attempts()
                    && protocol_errors < 2)
                    .then(|| self.retry.delay(retries, failure.retry_after()))
                    .flatten()
                    // No retry that could not start before the deadline.
                    .filter(|delay| deadline.is_none_or(|d| Instant::now() + *delay < d));
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

    /// One attempt, the token fetch included, cut off at the deadline when there is one.
    async fn bounded_attempt<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointInfo,
        url: &url::Url,
        options: &CallOptions,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> (Option<AccessToken>, Result<T, Failed>) {
        let Some(deadline) = deadline else {
            return self
                .attempt(endpoint, url, options, attempt, self.context.timeout)
                .await;
        };
        let timeout = self
            .context
            .timeout
            .min(deadline.saturating_duration_since(Instant::now()));
        let attempt = self.attempt(endpoint, url, options, attempt, timeout);
        tokio::time::timeout_at(deadline, attempt)
            .await
            .unwrap_or_else(|_| (None, Err(Failed::Transport(TransportError::time_limit()))))
    }

    /// One attempt: get a token, send, decode. Returns the token used, for invalidation.
    async fn attempt<T: DeserializeOwned>(
        &self,
        endpoint: &EndpointInfo,
        url: &url::Url,
        options: &CallOptions,
        attempt: u32,
        timeout: Duration,
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
            let token = match &options.user_token {
                Some(token) => token.clone(),
                None => match self.token.token(&self.context).await {
                    Ok(token) => token,
                    Err(e) => return (None, Err(Failed::Token(e))),
                },
            };
            let result = self.exchange(endpoint, url, &token, options, timeout).await;
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
        options: &CallOptions,
        timeout: Duration,
    ) -> Result<T, Failed> {
        let mut auth = self.auth_header(token).ok_or_else(|| {
            Failed::Token(TokenError::other(
                "the token source gave a token that is empty or has characters an HTTP header cannot carry",
            ))
        })?;
        // Marked sensitive so that reqwest and hyper never print it.
        auth.set_sensitive(true);
        let build = |url: url::Url| {
            let mut request = reqwest::Request::new(endpoint.method.clone(), url);
            request
                .headers_mut()
                .insert(self.provider.auth_header, auth.clone());
            *request.timeout_mut() = Some(timeout);
            request
        };
        let started = Instant::now();
        let exchanged = http::exchange(
            &self.context.http,
            build(url.clone()),
            Some(&build),
            self.provider,
            self.context.max_reply_bytes,
        )
        .await;
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
            known_secrets: &[token.expose()],
        };
        let result = decode::reply(
            self.provider.envelope,
            self.provider.request_id_body_field,
            &reply,
        );
        match result {
            Ok(decoded) => {
                if let Some(inspect) = &options.inspect_raw {
                    inspect(decoded.raw);
                }
                Ok(decoded.data)
            }
            Err(failed) => {
                if let Failed::Api(api) = &failed {
                    span.record("code", tracing::field::display(api.code()));
                    if let Some(id) = api.request_id() {
                        span.record("request_id", id);
                    }
                }
                Err(failed)
            }
        }
    }

    /// The auth header's value for `token`, or `None` when no header can carry it.
    fn auth_header(&self, token: &AccessToken) -> Option<HeaderValue> {
        if token.expose().is_empty() {
            return None;
        }
        let value = match self.provider.auth_scheme {
            Some(scheme) => HeaderValue::from_str(&format!("{scheme} {}", token.expose())),
            None => HeaderValue::from_str(token.expose()),
        };
        value.ok()
    }
}

/// Everything checked before any traffic: the URL (parameters, length) and a per-call
/// user token.
fn prepare(
    base_url: &str,
    path: &[PathPart<'_>],
    query: &[(&'static str, String)],
    options: &CallOptions,
) -> Result<url::Url, InvalidRequest> {
    if let Some(token) = &options.user_token
        && !is_sendable(token)
    {
        return Err(InvalidRequest::new(
            "user_access_token",
            "empty or has characters an HTTP header cannot carry",
        ));
    }
    url_builder::build(base_url, path, query)
}

fn record_outcome(attempts: u32, outcome: &'static str) {
    let span = tracing::Span::current();
    span.record("attempts", attempts);
    span.record("outcome", outcome);
}
