//! Where access tokens come from: a static token, app credentials exchanged at the
//! provider's token endpoint (cached, refreshed ahead of expiry, one fetch at a time), or a
//! caller's own [`TokenSource`].

use super::client::{EndpointInfo, Envelope, ProviderClient};
use super::decode::{self, Reply};
use super::error::{ApiError, Failed, TokenError};
use super::http;
use super::token::AccessToken;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// A boxed future, so that [`TokenSource`] can be a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a token source may use to reach the provider: the client's connection pool, base
/// URL and per-attempt timeout.
#[derive(Debug, Clone)]
pub struct TokenContext {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) max_reply_bytes: usize,
}

/// Supplies access tokens to a client. Implement it for a custom source (a vault, a sidecar).
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token to send now.
    fn token<'a>(
        &'a self,
        context: &'a TokenContext,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;

    /// The provider refused `stale`: forget it, if it is still the one cached.
    fn invalidate(&self, _stale: &AccessToken) {}

    /// Whether [`invalidate`](Self::invalidate) can lead to a different token. A call that
    /// failed with an invalid-token code is retried once only when this is true.
    fn can_refresh(&self) -> bool {
        false
    }
}

/// The same token every time.
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenSource for StaticToken {
    fn token<'a>(&'a self, _: &'a TokenContext) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// An app's id and secret. The secret never appears in Debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct AppCredentials {
    id: String,
    secret: AccessToken,
}

impl AppCredentials {
    /// Feishu `app_id` + `app_secret`, or DingTalk `appKey` + `appSecret`.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        AppCredentials {
            id: id.into(),
            secret: AccessToken::new(secret),
        }
    }

    /// The app id (not secret).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The secret, for the token request body only.
    pub fn secret(&self) -> &str {
        self.secret.expose()
    }
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A provider's token endpoint, generated from the `token_endpoint` of its provider spec.
pub trait TokenApi: ProviderClient + 'static {
    /// The JSON body sent.
    type TokenRequest: Serialize;
    /// The reply decoded.
    type TokenReply: DeserializeOwned;
    /// Method and path of the token endpoint.
    const TOKEN_ENDPOINT: &'static EndpointInfo;
    /// How the token reply is wrapped.
    const TOKEN_ENVELOPE: Envelope;
    /// Environment variables holding the app id and secret (for the CLI).
    const CREDENTIALS_ENV: (&'static str, &'static str);
    /// The request body for these credentials.
    fn token_request(credentials: &AppCredentials) -> Self::TokenRequest;
    /// The token and its lifetime in seconds.
    fn token_from_reply(reply: Self::TokenReply) -> (AccessToken, i64);
    /// Attaches the spec's hint and retryability to a token endpoint error (common codes).
    fn document_token_error(error: ApiError) -> ApiError;
}

/// Tokens fetched with app credentials: cached per credentials, refreshed `margin` before
/// they expire, and fetched by one caller at a time (concurrent callers wait for that fetch
/// and share its result, success or failure).
pub struct ManagedToken<A> {
    credentials: AppCredentials,
    margin: Duration,
    cached: Mutex<Option<Cached>>,
    /// Held for the duration of a fetch; remembers the last failure for callers that waited.
    flight: tokio::sync::Mutex<Option<(Instant, TokenError)>>,
    api: PhantomData<fn() -> A>,
}

#[derive(Clone)]
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// Official SDKs treat tokens as expired 3 to 10 minutes early; five minutes sits between.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

impl<A: TokenApi> ManagedToken<A> {
    /// A cache for these credentials, refreshing [`DEFAULT_REFRESH_MARGIN`] ahead of expiry.
    pub fn new(credentials: AppCredentials) -> Self {
        ManagedToken {
            credentials,
            margin: DEFAULT_REFRESH_MARGIN,
            cached: Mutex::new(None),
            flight: tokio::sync::Mutex::new(None),
            api: PhantomData,
        }
    }

    /// How long before expiry a token is replaced. Capped at half the token's lifetime.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    fn fresh(&self) -> Option<AccessToken> {
        let cached = self
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached
            .as_ref()
            .filter(|c| Instant::now() < c.refresh_at)
            .map(|c| c.token.clone())
    }

    async fn fetch(&self, context: &TokenContext) -> Result<(AccessToken, i64), TokenError> {
        let endpoint = A::TOKEN_ENDPOINT;
        let url = format!("{}{}", context.base_url, endpoint.path);
        let body = serde_json::to_vec(&A::token_request(&self.credentials))
            .map_err(|e| TokenError::other(format!("cannot encode the token request: {e}")))?;
        let span = tracing::debug_span!(
            "taskapi.token",
            provider = A::PROVIDER.name,
            endpoint = endpoint.path,
            http.status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let request = context
            .http
            .request(endpoint.method.clone(), url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .timeout(context.timeout);
        let exchanged = http::exchange(request, A::PROVIDER, context.max_reply_bytes).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let exchanged = exchanged.map_err(|e| TokenError::from_failed(Failed::Transport(e)))?;
        span.record("http.status", exchanged.status);
        let reply = Reply {
            status: exchanged.status,
            request_id: exchanged.request_id,
            retry_after: exchanged.retry_after,
            body: &exchanged.body,
        };
        match decode::reply::<A::TokenReply>(
            A::TOKEN_ENVELOPE,
            A::PROVIDER.request_id_body_field,
            reply,
        ) {
            Ok(reply) => Ok(A::token_from_reply(reply)),
            Err(Failed::Api(e)) => Err(TokenError::from_failed(Failed::Api(
                A::document_token_error(e),
            ))),
            Err(other) => Err(TokenError::from_failed(other)),
        }
    }
}

impl<A: TokenApi> TokenSource for ManagedToken<A> {
    fn token<'a>(
        &'a self,
        context: &'a TokenContext,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            if let Some(token) = self.fresh() {
                return Ok(token);
            }
            let asked_at = Instant::now();
            let mut flight = self.flight.lock().await;
            // Whoever held the flight before us may have fetched a token, or failed to.
            if let Some(token) = self.fresh() {
                return Ok(token);
            }
            if let Some((failed_at, error)) = flight.as_ref()
                && *failed_at >= asked_at
            {
                return Err(error.clone());
            }
            match self.fetch(context).await {
                Ok((token, expires_in)) => {
                    let lifetime = Duration::from_secs(expires_in.max(0).unsigned_abs());
                    let refresh_at =
                        Instant::now() + lifetime.saturating_sub(self.margin.min(lifetime / 2));
                    let mut cached = self
                        .cached
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    *cached = Some(Cached {
                        token: token.clone(),
                        refresh_at,
                    });
                    *flight = None;
                    tracing::debug!(
                        provider = A::PROVIDER.name,
                        expires_in,
                        "fetched an access token"
                    );
                    Ok(token)
                }
                Err(error) => {
                    *flight = Some((Instant::now(), error.clone()));
                    Err(error)
                }
            }
        })
    }

    fn invalidate(&self, stale: &AccessToken) {
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cached.as_ref().is_some_and(|c| &c.token == stale) {
            *cached = None;
        }
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

impl<A> fmt::Debug for ManagedToken<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagedToken")
            .field("credentials", &self.credentials)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}
