//! Configuring a provider client: [`ClientBuilder`], its defaults, the base URL's checks and
//! why a build fails ([`BuildError`]).

use super::core::Core;
use crate::auth::{AppCredentials, ManagedToken, StaticToken, TokenApi, TokenContext, TokenSource};
use crate::limit::{Limiter, RateLimits};
use crate::provider::{HasProvider, auth_value, is_sendable};
use crate::retry::RetryPolicy;
use crate::shared::{self, SharedState};
use crate::token::AccessToken;
use crate::transfer::TransferPolicy;
use crate::url::BaseUrl;
use reqwest::header::HeaderName;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Makes an app's managed token, with the shared state and the app's scope in it when
/// there is shared state.
type MakeManaged =
    Box<dyn FnOnce(Option<(Arc<dyn SharedState>, String)>) -> Arc<dyn TokenSource> + Send + Sync>;

/// Implemented by each generated provider client, so one builder serves them all.
pub trait ProviderClient: HasProvider + Sized {
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
    rate_limits: RateLimits,
    transfer: TransferPolicy,
    shared_state: Option<Arc<dyn SharedState>>,
    /// From `app_credentials`: the app id, which names the app's shared state (hashed),
    /// and what makes its managed token in `build`, once the shared state is known (the
    /// builder's methods come in any order, and only `app_credentials` knows `TokenApi`).
    app: Option<(String, MakeManaged)>,
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
            .field("rate_limits", &self.rate_limits)
            .field("transfer", &self.transfer)
            .field("shared_state", &self.shared_state)
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
            rate_limits: RateLimits::default(),
            transfer: TransferPolicy::default(),
            shared_state: None,
            app: None,
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
        self.unsendable_token = false;
        self.app = None;
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
    /// [`TransportErrorKind::TooLarge`](crate::TransportErrorKind::TooLarge) error, unread.
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

    /// What the client does with the rate limits the specs document (default: 0.9 of
    /// each): [`RateLimits::off`], another fraction, or explicit numbers. Every attempt of a
    /// call waits for a slot of its endpoint's limit; the wait is not part of the attempt's
    /// timeout.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// How slow and how long a file transfer (an upload's file, a download's body) may be
    /// (default: cut when under 1 KiB/s over 30 s, then resumed or sent again; at most an
    /// hour in all). See [`TransferPolicy`].
    pub fn transfer_policy(mut self, policy: TransferPolicy) -> Self {
        self.transfer = policy;
        self
    }

    /// State shared with the other processes of the app (e.g. `RedisState`, feature
    /// `redis`): rate-limit slots, and with [`app_credentials`](Self::app_credentials) the
    /// token, fetched once per refresh by one process for all. When the store fails, the
    /// client goes on with in-process state.
    pub fn shared_state(mut self, state: Arc<dyn SharedState>) -> Self {
        self.shared_state = Some(state);
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
        if self.token.is_none() && self.app.is_none() {
            return Err(BuildError::MissingAccessToken);
        }
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
        // The app the shared state is kept for: its id, or the static token, and the
        // origin it talks to (hashed into the scope), so that clients of one app pointed at
        // different hosts (a test server, production) never share a token or slots. A
        // custom token source shares under the provider and origin alone.
        let origin = base_url.origin().ascii_serialization();
        let identity = match (&self.app, &static_auth) {
            (Some((id, _)), _) => format!("app:{id}@{origin}"),
            (None, Some((token, _))) => format!("token:{}@{origin}", token.expose()),
            (None, None) => format!("source@{origin}"),
        };
        let shared = self
            .shared_state
            .map(|state| (state, shared::scope(provider.name, &identity)));
        // With shared state, managed tokens are fetched once per refresh for all processes.
        let token = match (self.app, self.token) {
            (Some((_, make)), _) => make(shared.clone()),
            (None, Some(token)) => token,
            (None, None) => return Err(BuildError::MissingAccessToken),
        };
        let limiter = Limiter::new(self.rate_limits, shared);
        Ok(C::from_core(Core::new(
            TokenContext {
                http,
                base_url: base_url.as_str().trim_end_matches('/').to_owned(),
                timeout: self.attempt_timeout,
                max_reply_bytes: self.max_reply_bytes,
            },
            token,
            self.retry,
            provider,
            base,
            auth_header,
            static_auth,
            limiter,
            self.transfer,
        )))
    }
}

impl<C: TokenApi + ProviderClient> ClientBuilder<C> {
    /// Managed tokens from app credentials: fetched from the provider's token endpoint,
    /// cached, refreshed ahead of expiry, and fetched again when the provider refuses one.
    pub fn app_credentials(self, credentials: AppCredentials) -> Self {
        let mut builder = self;
        builder.token = None;
        builder.static_token = None;
        builder.unsendable_token = false;
        let app_id = credentials.id().to_owned();
        let make: MakeManaged = Box::new(move |shared| {
            let managed = ManagedToken::<C>::new(credentials);
            #[cfg(feature = "redis")]
            let managed = match shared {
                Some((state, scope)) => managed.shared(state, scope),
                None => managed,
            };
            #[cfg(not(feature = "redis"))]
            let _ = shared;
            Arc::new(managed)
        });
        builder.app = Some((app_id, make));
        builder
    }
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
