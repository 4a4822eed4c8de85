//! Calling any endpoint by its id and describing the outcome without its types: what
//! spec-driven tests need to walk every endpoint with no per-endpoint code of their own.
//! The generated `taskapi::testing::call_by_id` makes the calls; this module describes them.

use super::server::{FAKE_ACCESS_TOKEN, FakeServer};
use crate::shared::SharedState;
use crate::{
    ApiError, BuildError, ClientBuilder, EndpointError, ErrorCode, Failure, ProviderClient,
    RateLimits, RetryPolicy, TransportErrorKind,
};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// How to build a client for [`Called`]-style test helpers that call any endpoint by id:
/// where to send, which static token, and the client settings a test wants.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    base_url: String,
    access_token: String,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    max_reply_bytes: Option<usize>,
    rate_limits: RateLimits,
    shared_state: Option<Arc<dyn SharedState>>,
}

impl ClientSettings {
    /// Clients for `base_url` with a static `access_token`, default settings otherwise.
    pub fn new(base_url: impl Into<String>, access_token: impl Into<String>) -> Self {
        ClientSettings {
            base_url: base_url.into(),
            access_token: access_token.into(),
            retry: RetryPolicy::default(),
            attempt_timeout: None,
            max_reply_bytes: None,
            rate_limits: RateLimits::off(),
            shared_state: None,
        }
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The time for one attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The largest reply read.
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply_bytes = Some(limit);
        self
    }

    /// The client-side rate limits (default [`RateLimits::off`]: most tests check
    /// something other than how calls are spaced).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// State the clients share (see [`ClientBuilder::shared_state`]): every client built
    /// from these settings (each call of `call_by_id` builds one) then takes its rate-limit
    /// slots from it, as the clones of one client do.
    pub fn shared_state(mut self, state: Arc<dyn SharedState>) -> Self {
        self.shared_state = Some(state);
        self
    }

    /// A builder for provider `C` with these settings.
    pub fn builder<C: ProviderClient>(&self) -> ClientBuilder<C> {
        let mut builder = ClientBuilder::<C>::default()
            .base_url(self.base_url.clone())
            .access_token(self.access_token.as_str())
            .retry(self.retry.clone())
            .rate_limits(self.rate_limits.clone());
        if let Some(state) = &self.shared_state {
            builder = builder.shared_state(state.clone());
        }
        if let Some(timeout) = self.attempt_timeout {
            builder = builder.attempt_timeout(timeout);
        }
        if let Some(limit) = self.max_reply_bytes {
            builder = builder.max_reply_bytes(limit);
        }
        builder
    }
}

impl FakeServer {
    /// [`ClientSettings`] for this server and its fake token.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings::new(self.uri(), FAKE_ACCESS_TOKEN)
    }
}

/// What one call came to, whatever the endpoint: for tests that walk every spec (the
/// generated `call_by_id` makes one per endpoint id).
#[derive(Debug)]
#[non_exhaustive]
pub enum Called {
    /// The decoded data, as JSON with wire names.
    Ok(serde_json::Value),
    /// The endpoint's error, described.
    Err(CalledError),
    /// The client could not be built from the settings.
    NotBuilt(BuildError),
}

/// An endpoint error, described without its type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CalledError {
    /// `Debug` of the error: starts with the variant's name (`DocsDeleted(ApiError { ..`).
    pub debug: String,
    /// `Display` of the error.
    pub display: String,
    /// The provider's code, when it sent one.
    pub code: Option<ErrorCode>,
    /// The documentation's hint for the code.
    pub hint: Option<&'static str>,
    /// Whether the failure is retryable.
    pub retryable: bool,
    /// The HTTP status, when a reply arrived.
    pub http_status: Option<u16>,
    /// The request id, when the reply carried one.
    pub request_id: Option<String>,
    /// Requests sent.
    pub attempts: u32,
    /// The transport failure's kind, for a transport failure.
    pub transport: Option<TransportErrorKind>,
}

impl CalledError {
    /// Describes an endpoint error.
    pub(super) fn of<E: EndpointError + std::fmt::Debug>(error: &E) -> Self {
        let failure = error.failure();
        CalledError {
            debug: format!("{error:?}"),
            display: error.to_string(),
            code: failure.code().cloned(),
            hint: failure.api_error().and_then(ApiError::hint),
            retryable: failure.is_retryable(),
            http_status: failure.http_status(),
            request_id: failure.request_id().map(str::to_owned),
            attempts: failure.attempts(),
            transport: match failure {
                Failure::Transport(t) => Some(t.kind()),
                _ => None,
            },
        }
    }

    /// The error variant's name (`DocsDeleted`, `Common`, `Transport`, ...).
    pub fn variant(&self) -> &str {
        let end = self
            .debug
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(self.debug.len());
        &self.debug[..end]
    }
}

impl Called {
    /// Describes a call's result.
    pub fn of<T: Serialize, E: EndpointError + std::fmt::Debug>(result: Result<T, E>) -> Self {
        match result {
            Ok(data) => match serde_json::to_value(&data) {
                Ok(value) => Called::Ok(value),
                Err(e) => Called::Ok(serde_json::Value::String(format!("unprintable data: {e}"))),
            },
            Err(error) => Called::Err(CalledError::of(&error)),
        }
    }
}
