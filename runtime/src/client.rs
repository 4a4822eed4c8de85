//! The HTTP core every generated client wraps: one connection pool, the base URL, where
//! tokens come from, and how calls are retried and timed out.

use super::auth::{AppCredentials, ManagedToken, StaticToken, TokenApi, TokenContext, TokenSource};
use super::decode::{self, Reply};
use super::error::{
    EndpointError, ErrorCode, Failed, Failure, InvalidRequest, TokenError, TransportError,
    TransportErrorKind,
};
use super::http::{self, ReplyHeaders};
use super::options::CallOptions;
use super::retry::RetryPolicy;
use super::token::AccessToken;
use super::url::{self as url_builder, BaseUrl, PathPart};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

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
#[non_exhaustive]
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
    Http(HttpSetupError),
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
            BuildError::Http(_) => f.write_str("cannot set up the HTTP client"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(&*e.0),
            _ => None,
        }
    }
}

/// Why reqwest could not build its client (e.g. TLS initialisation failed): the source of
/// [`BuildError::Http`].
#[derive(Debug, Clone)]
pub struct HttpSetupError(Arc<reqwest::Error>);

/// Compares the text: reqwest errors have no equality of their own.
impl PartialEq for HttpSetupError {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for HttpSetupError {}

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
    /// The token given to `access_token`, whose header is then built once per client.
    static_token: Option<AccessToken>,
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
            static_token: None,
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
    pub fn access_token(self, token: impl Into<AccessToken>) -> Self {
        let token = token.into();
        let unsendable = !is_sendable(&token);
        let mut builder = self.token_source(Arc::new(StaticToken(token.clone())));
        builder.unsendable_token = unsendable;
        builder.static_token = Some(token);
        builder
    }

    /// Any source of tokens, e.g. your own [`TokenSource`].
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token = Some(source);
        self.static_token = None;
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
        // Generated from the provider spec, which the generator checks: as before, when it
        // was parsed on each call, an invalid name is a bug that panics.
        let auth_header = HeaderName::from_bytes(provider.auth_header.as_bytes())
            .expect("the provider spec's auth header is a valid header name");
        let static_auth = match self.static_token {
            Some(token) => {
                let value = auth_value(provider, &token).ok_or(BuildError::InvalidAccessToken)?;
                Some((token, value))
            }
            None => None,
        };
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            http = http.no_proxy();
        }
        if base_url.scheme() == "http" {
            // Redirects are followed within the origin only, so this client never speaks
            // TLS: skip loading the system's root certificates (most of a CLI run's CPU).
            // Any https connection it were asked to make would fail to verify.
            http = http.tls_certs_only(std::iter::empty());
        }
        let http = http
            .build()
            .map_err(|e| BuildError::Http(HttpSetupError(Arc::new(e))))?;
        let base = BaseUrl::new(base_url.clone());
        Ok(C::from_core(Core {
            context: TokenContext {
                http,
                base_url: base_url.as_str().trim_end_matches('/').to_owned(),
                timeout: self.attempt_timeout,
                max_reply_bytes: self.max_reply_bytes,
            },
            token,
            retry: self.retry,
            provider,
            prepared: Arc::new(Prepared {
                base,
                auth_header,
                static_auth,
                last_auth: Mutex::new(None),
                reply_headers: ReplyHeaders::new(provider),
            }),
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

/// The auth header's value for `token` (marked sensitive, so that reqwest and hyper never
/// print it), or `None` when no header can carry it.
fn auth_value(provider: &ProviderInfo, token: &AccessToken) -> Option<HeaderValue> {
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

/// The base URL, parsed, and whether its host is loopback.
fn normalise_base_url(
    url: &str,
    allow_insecure_http: bool,
) -> Result<(url::Url, bool), BuildError> {
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
    Ok((parsed, loopback))
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
    prepared: Arc<Prepared>,
}

/// What every call would otherwise work out again: computed once, when the client is built.
struct Prepared {
    /// The base URL, parsed.
    base: BaseUrl,
    /// The provider's auth header name.
    auth_header: HeaderName,
    /// The static token given to the builder and its header value.
    static_auth: Option<(AccessToken, HeaderValue)>,
    /// The last token a token source gave and its header value: managed tokens change
    /// rarely, so most calls reuse it.
    last_auth: Mutex<Option<(AccessToken, HeaderValue)>>,
    /// The reply headers read on every call.
    reply_headers: ReplyHeaders,
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

/// The token an attempt sends and its header value.
enum Credential<'a> {
    /// Prepared when the client was built (a static token).
    Prepared(&'a AccessToken, &'a HeaderValue),
    /// From the token source or the call's user token: kept, for invalidation.
    Fetched(AccessToken, HeaderValue),
}

impl Credential<'_> {
    fn parts(&self) -> (&AccessToken, &HeaderValue) {
        match self {
            Credential::Prepared(token, value) => (token, value),
            Credential::Fetched(token, value) => (token, value),
        }
    }

    /// The token to invalidate when the provider refuses it (never a prepared one: a
    /// static token cannot be refreshed).
    fn into_fetched(self) -> Option<AccessToken> {
        match self {
            Credential::Prepared(..) => None,
            Credential::Fetched(token, _) => Some(token),
        }
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
        // A disabled span (no subscriber wants it) is not entered and left on every poll.
        // Both branches build the future in place: a future passed through a generic
        // wrapper would be stored twice, and it is large.
        if span.is_disabled() {
            self.send_in(&span, endpoint, path, query, options).await
        } else {
            self.send_in(&span, endpoint, path, query, options)
                .instrument(span.clone())
                .await
        }
    }

    async fn send_in<T: DeserializeOwned, E: EndpointError>(
        &self,
        span: &tracing::Span,
        endpoint: &EndpointInfo,
        path: &[PathPart<'_>],
        query: &[(&'static str, String)],
        options: &CallOptions,
    ) -> Result<T, E> {
        let url = prepare(&self.prepared.base, path, query, options)
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
            let attempt_span = tracing::debug_span!(
                "taskapi.attempt",
                attempt = attempts,
                http.status = Empty,
                code = Empty,
                request_id = Empty,
                latency_ms = Empty,
            );
            // One attempt, the token fetch included, cut off at the deadline when there is
            // one, in its span when a subscriber wants it. Each variant is awaited here, not
            // through a helper: the attempt's future is moved whole into every level that
            // awaits it.
            let timeout = match deadline {
                Some(deadline) => self
                    .context
                    .timeout
                    .min(deadline.saturating_duration_since(Instant::now())),
                None => self.context.timeout,
            };
            let attempt = || self.attempt(&attempt_span, endpoint, &url, options, timeout);
            let (token, result) = match (deadline, attempt_span.is_disabled()) {
                (None, true) => attempt().await,
                (None, false) => attempt().instrument(attempt_span.clone()).await,
                (Some(deadline), true) => tokio::time::timeout_at(deadline, attempt())
                    .await
                    .unwrap_or_else(|_| time_limit_reached()),
                (Some(deadline), false) => {
                    tokio::time::timeout_at(deadline, attempt().instrument(attempt_span.clone()))
                        .await
                        .unwrap_or_else(|_| time_limit_reached())
                }
            };
            let error = match result {
                Ok(data) => {
                    record_outcome(span, attempts, "ok");
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
            let delay =
                (failure.is_retryable() && retries < self.retry.attempts() && protocol_errors < 2)
                    .then(|| self.retry.delay(retries, failure.retry_after()))
                    .flatten()
                    // No retry that could not start before the deadline.
                    .filter(|delay| deadline.is_none_or(|d| Instant::now() + *delay < d));
            let Some(delay) = delay else {
                record_outcome(span, attempts, "error");
                return Err(error);
            };
            tracing::debug!(delay_ms = delay.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: get a token, send, decode. Returns the token used, for invalidation.
    async fn attempt<T: DeserializeOwned>(
        &self,
        span: &tracing::Span,
        endpoint: &EndpointInfo,
        url: &url::Url,
        options: &CallOptions,
        timeout: Duration,
    ) -> (Option<AccessToken>, Result<T, Failed>) {
        let credential = match self.credential(options).await {
            Ok(credential) => credential,
            Err(failed) => return (None, Err(failed)),
        };
        let (token, auth) = credential.parts();
        let build = |url: url::Url| {
            let mut request = reqwest::Request::new(endpoint.method.clone(), url);
            request
                .headers_mut()
                .insert(self.prepared.auth_header.clone(), auth.clone());
            *request.timeout_mut() = Some(timeout);
            request
        };
        let started = (!span.is_disabled()).then(Instant::now);
        let exchanged = http::exchange_with(
            &self.context.http,
            url,
            &build,
            timeout,
            &self.prepared.reply_headers,
            self.context.max_reply_bytes,
        )
        .await;
        let result = self.decode(span, started, exchanged, token, options);
        (credential.into_fetched(), result)
    }

    /// The token for an attempt and its header value: the call's user token, the prepared
    /// static token, or the token source's (its header value reused while it is the same).
    async fn credential(&self, options: &CallOptions) -> Result<Credential<'_>, Failed> {
        let unsendable = || {
            Failed::Token(TokenError::other(
                "the token source gave a token that is empty or has characters an HTTP header cannot carry",
            ))
        };
        if let Some(token) = &options.user_token {
            let value = auth_value(self.provider, token).ok_or_else(unsendable)?;
            return Ok(Credential::Fetched(token.clone(), value));
        }
        if let Some((token, value)) = &self.prepared.static_auth {
            return Ok(Credential::Prepared(token, value));
        }
        let token = self
            .token
            .token(&self.context)
            .await
            .map_err(Failed::Token)?;
        let mut last = self
            .prepared
            .last_auth
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let value = match &*last {
            Some((cached, value)) if *cached == token => value.clone(),
            _ => {
                let value = auth_value(self.provider, &token).ok_or_else(unsendable)?;
                *last = Some((token.clone(), value.clone()));
                value
            }
        };
        drop(last);
        Ok(Credential::Fetched(token, value))
    }

    /// Records the exchange on the attempt's span and decodes the reply.
    fn decode<T: DeserializeOwned>(
        &self,
        span: &tracing::Span,
        started: Option<Instant>,
        exchanged: Result<http::Exchanged, TransportError>,
        token: &AccessToken,
        options: &CallOptions,
    ) -> Result<T, Failed> {
        if let Some(started) = started {
            span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        let exchanged = exchanged.map_err(Failed::Transport)?;
        if !span.is_disabled() {
            span.record("http.status", exchanged.status);
            if let Some(id) = &exchanged.request_id {
                span.record("request_id", id.as_str());
            }
        }
        let reply = Reply {
            status: exchanged.status,
            request_id: exchanged.request_id,
            retry_after: exchanged.retry_after,
            body: &exchanged.body,
            known_secrets: &[token.expose()],
        };
        let result = match &options.inspect_raw {
            // The raw text is kept for the inspector: decoded as the envelope, then the data.
            Some(inspect) => decode::reply(
                self.provider.envelope,
                self.provider.request_id_body_field,
                &reply,
            )
            .map(|decoded| {
                inspect(decoded.raw);
                decoded.data
            }),
            None => decode::data(
                self.provider.envelope,
                self.provider.request_id_body_field,
                &reply,
            ),
        };
        if let Err(Failed::Api(api)) = &result
            && !span.is_disabled()
        {
            span.record("code", tracing::field::display(api.code()));
            if let Some(id) = api.request_id() {
                span.record("request_id", id);
            }
        }
        result
    }
}

/// Everything checked before any traffic: the URL (parameters, length) and a per-call
/// user token.
fn prepare(
    base_url: &BaseUrl,
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

/// An attempt cut off by the call's time limit.
fn time_limit_reached<T>() -> (Option<AccessToken>, Result<T, Failed>) {
    (None, Err(Failed::Transport(TransportError::time_limit())))
}

fn record_outcome(span: &tracing::Span, attempts: u32, outcome: &'static str) {
    span.record("attempts", attempts);
    span.record("outcome", outcome);
}
