//! What every endpoint's error has in common: the [`Failure`] view, the [`TokenError`]
//! (which wraps a failure and shows as one), the runtime's own `Failed` and the
//! [`EndpointError`] trait that turns it into an endpoint's error. They refer to one another,
//! so they share a file.

use super::api::{ApiError, ErrorCode};
use super::decode::DecodeError;
use super::invalid::InvalidRequest;
use super::output::OutputError;
use super::transport::{TransportError, TransportErrorKind};
use std::fmt;
use std::time::Duration;

/// A borrowed view of any endpoint's error, for code that handles all endpoints alike
/// (the CLI, logging, retry decisions).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Failure<'a> {
    /// The provider answered with an error code.
    Api(&'a ApiError),
    /// No complete reply.
    Transport(&'a TransportError),
    /// A reply that is not what the spec describes.
    Decode(&'a DecodeError),
    /// Refused before sending.
    InvalidRequest(&'a InvalidRequest),
    /// No access token could be had.
    Token(&'a TokenError),
    /// A download arrived but could not be written where it was asked to go.
    Output(&'a OutputError),
}

impl<'a> Failure<'a> {
    /// The API error, if the provider answered with a code.
    pub fn api_error(self) -> Option<&'a ApiError> {
        match self {
            Failure::Api(e) => Some(e),
            Failure::Token(e) => e.api_error(),
            _ => None,
        }
    }

    /// How many requests were sent before giving up.
    pub fn attempts(self) -> u32 {
        match self {
            Failure::Api(e) => e.attempts(),
            Failure::Transport(e) => e.attempts(),
            Failure::Decode(e) => e.attempts(),
            Failure::InvalidRequest(_) => 0,
            Failure::Token(e) => e.attempts(),
            Failure::Output(e) => e.attempts(),
        }
    }

    /// How long the server asked us to wait before trying again.
    pub fn retry_after(self) -> Option<Duration> {
        match self {
            Failure::Api(e) => e.retry_after(),
            Failure::Decode(e) => e.retry_after(),
            Failure::Token(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The HTTP status, when a reply (or its headers) arrived.
    pub fn http_status(self) -> Option<u16> {
        match self {
            Failure::Api(e) => Some(e.http_status()),
            Failure::Transport(e) => e.http_status(),
            Failure::Decode(e) => Some(e.http_status()),
            Failure::InvalidRequest(_) | Failure::Output(_) => None,
            Failure::Token(e) => e.as_failure().and_then(Failure::http_status),
        }
    }

    /// The provider's error code, when it sent one.
    pub fn code(self) -> Option<&'a ErrorCode> {
        self.api_error().map(ApiError::code)
    }

    /// The request id to quote in support tickets.
    pub fn request_id(self) -> Option<&'a str> {
        match self {
            Failure::Api(e) => e.request_id(),
            Failure::Decode(e) => e.request_id(),
            Failure::Token(e) => e.as_failure().and_then(Failure::request_id),
            _ => None,
        }
    }

    /// The cause below this failure, for `std::error::Error::source` of the errors that
    /// wrap it (their text already includes this failure's): reqwest's causes for a
    /// transport failure, down to the `io::Error`. For an output failure, whose text ends
    /// with the `io::Error`'s, what lies below that one (reach the `io::Error` itself through
    /// [`OutputError::io_error`]).
    pub fn source(self) -> Option<&'a (dyn std::error::Error + 'static)> {
        match self {
            Failure::Transport(e) => std::error::Error::source(e),
            Failure::Token(e) => std::error::Error::source(e),
            Failure::Output(e) => std::error::Error::source(e.io_error()),
            Failure::Api(_) | Failure::Decode(_) | Failure::InvalidRequest(_) => None,
        }
    }

    /// Whether trying again may succeed.
    pub fn is_retryable(self) -> bool {
        match self {
            Failure::Api(e) => e.is_retryable(),
            Failure::Transport(e) => e.is_retryable(),
            Failure::Decode(e) => e.is_retryable(),
            Failure::InvalidRequest(_) | Failure::Output(_) => false,
            Failure::Token(e) => e.is_retryable(),
        }
    }
}

impl fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Api(e) => e.fmt(f),
            Failure::Transport(e) => e.fmt(f),
            Failure::Decode(e) => e.fmt(f),
            Failure::InvalidRequest(e) => e.fmt(f),
            Failure::Token(e) => e.fmt(f),
            Failure::Output(e) => e.fmt(f),
        }
    }
}

/// Why no access token could be had: the token endpoint's own failure (a wrong secret is
/// an [`ApiError`] with the provider's code, e.g. Feishu 99991543), or a custom source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// Boxed: token failures are rare, and every endpoint error enum carries this one.
    kind: Box<TokenErrorKind>,
    /// Set while the token source backs off after this failure: no new fetch before then.
    retry_after: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenErrorKind {
    Api(ApiError),
    Transport(TransportError),
    Decode(DecodeError),
    Other(String),
}

impl TokenError {
    /// A failure of a custom [`TokenSource`](crate::TokenSource), described in words.
    /// Do not put the secret or a token in the message.
    pub fn other(message: impl Into<String>) -> Self {
        TokenError {
            kind: Box::new(TokenErrorKind::Other(message.into())),
            retry_after: None,
        }
    }

    pub(crate) fn from_failed(failed: Failed) -> Self {
        let kind = match failed {
            Failed::Api(e) => TokenErrorKind::Api(e),
            Failed::Transport(e) => TokenErrorKind::Transport(e),
            Failed::Decode(e) => TokenErrorKind::Decode(e),
            Failed::InvalidRequest(e) => TokenErrorKind::Other(e.to_string()),
            Failed::Token(e) => return e,
        };
        TokenError {
            kind: Box::new(kind),
            retry_after: None,
        }
    }

    /// The same failure, telling callers not to ask for a token again for `wait`.
    pub(crate) fn with_retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// How long until a new token fetch will be made (after a failed fetch), or how long
    /// the token endpoint asked to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
            .or_else(|| self.as_failure().and_then(Failure::retry_after))
    }

    /// The token endpoint's failure, when it was an HTTP exchange.
    pub fn as_failure(&self) -> Option<Failure<'_>> {
        match self.kind.as_ref() {
            TokenErrorKind::Api(e) => Some(Failure::Api(e)),
            TokenErrorKind::Transport(e) => Some(Failure::Transport(e)),
            TokenErrorKind::Decode(e) => Some(Failure::Decode(e)),
            TokenErrorKind::Other(_) => None,
        }
    }

    /// The token endpoint's error code, if it answered with one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self.kind.as_ref() {
            TokenErrorKind::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Transport failures and codes the spec marks retryable; never a wrong secret.
    pub fn is_retryable(&self) -> bool {
        self.as_failure().is_some_and(Failure::is_retryable)
    }

    /// How many token requests were sent.
    pub fn attempts(&self) -> u32 {
        self.as_failure().map_or(1, Failure::attempts)
    }

    fn set_attempts(&mut self, attempts: u32) {
        match self.kind.as_mut() {
            TokenErrorKind::Api(e) => e.attempts = attempts,
            TokenErrorKind::Transport(e) => e.attempts = attempts,
            TokenErrorKind::Decode(e) => e.attempts = attempts,
            TokenErrorKind::Other(_) => {}
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot get an access token: ")?;
        match self.kind.as_ref() {
            TokenErrorKind::Api(e) => e.fmt(f),
            TokenErrorKind::Transport(e) => e.fmt(f),
            TokenErrorKind::Decode(e) => e.fmt(f),
            TokenErrorKind::Other(message) => f.write_str(message),
        }
    }
}

/// The wrapped failure's text is part of this one's; its source is passed on.
impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.as_failure().and_then(Failure::source)
    }
}

/// A failure inside the runtime before it becomes an endpoint's error type.
#[derive(Debug)]
pub(crate) enum Failed {
    Api(ApiError),
    Transport(TransportError),
    Decode(DecodeError),
    InvalidRequest(InvalidRequest),
    Token(TokenError),
}

impl Failed {
    /// Converts to the endpoint's error type (classifying API codes), stamping the attempt count.
    pub(crate) fn into_endpoint<E: EndpointError>(self, attempts: u32) -> E {
        match self {
            Failed::Api(mut e) => {
                e.attempts = attempts;
                E::from_api(e)
            }
            Failed::Transport(mut e) => {
                e.attempts = attempts;
                E::from_transport(e)
            }
            Failed::Decode(mut e) => {
                e.attempts = attempts;
                E::from_decode(e)
            }
            Failed::InvalidRequest(e) => E::from_invalid_request(e),
            Failed::Token(mut e) => {
                e.set_attempts(attempts);
                E::from_token(e)
            }
        }
    }
}

/// A download's failure: its request's, or its file's (the only place one is written).
#[derive(Debug)]
pub(crate) enum DownloadFailed {
    Call(Failed),
    Output(OutputError),
}

impl From<Failed> for DownloadFailed {
    fn from(failed: Failed) -> Self {
        DownloadFailed::Call(failed)
    }
}

impl DownloadFailed {
    /// Converts to the download endpoint's error type, stamping the attempt count.
    pub(crate) fn into_endpoint<E: DownloadError>(self, attempts: u32) -> E {
        match self {
            DownloadFailed::Call(failed) => failed.into_endpoint(attempts),
            DownloadFailed::Output(mut e) => {
                e.attempts = attempts;
                E::from_output(e)
            }
        }
    }
}

/// Implemented by every generated endpoint error enum; the runtime builds errors through it.
pub trait EndpointError: std::error::Error + Send + Sync + Sized + 'static {
    /// Classifies an API error by its code: a documented variant, a common code, or `Unknown`.
    fn from_api(error: ApiError) -> Self;
    /// Wraps a transport failure.
    fn from_transport(error: TransportError) -> Self;
    /// Wraps an undecodable reply.
    fn from_decode(error: DecodeError) -> Self;
    /// Wraps a request refused before sending.
    fn from_invalid_request(error: InvalidRequest) -> Self;
    /// Wraps a failure to get an access token.
    fn from_token(error: TokenError) -> Self;
    /// A uniform view of this error.
    fn failure(&self) -> Failure<'_>;
}

/// What every endpoint error can say about itself, whatever its variant: the provider's
/// code and hint, the HTTP status, the request id, the attempts, whether to try again.
///
/// Implemented for every [`EndpointError`], so each generated error enum has these methods
/// once in the runtime rather than a copy per endpoint (what a thousand endpoints would cost
/// to compile). Bring it into scope with `use taskapi::ErrorDetails;`.
pub trait ErrorDetails {
    /// The API error, when the provider answered with a code.
    fn api_error(&self) -> Option<&ApiError>;
    /// The HTTP status, when a reply arrived.
    fn http_status(&self) -> Option<u16>;
    /// The provider's error code, when it sent one.
    fn code(&self) -> Option<&ErrorCode>;
    /// The request id to quote in support tickets, when the reply carried one.
    fn request_id(&self) -> Option<&str>;
    /// How many requests were sent before giving up (retries included).
    fn attempts(&self) -> u32;
    /// The documentation's troubleshooting hint (排查建议) for this code.
    fn hint(&self) -> Option<&'static str>;
    /// Whether trying again may succeed: codes the spec marks retryable, timeouts,
    /// connection failures, gateway errors.
    fn is_retryable(&self) -> bool;
}

impl<E: EndpointError> ErrorDetails for E {
    fn api_error(&self) -> Option<&ApiError> {
        self.failure().api_error()
    }
    fn http_status(&self) -> Option<u16> {
        self.failure().http_status()
    }
    fn code(&self) -> Option<&ErrorCode> {
        self.failure().code()
    }
    fn request_id(&self) -> Option<&str> {
        self.failure().request_id()
    }
    fn attempts(&self) -> u32 {
        self.failure().attempts()
    }
    fn hint(&self) -> Option<&'static str> {
        self.failure().api_error().and_then(ApiError::hint)
    }
    fn is_retryable(&self) -> bool {
        self.failure().is_retryable()
    }
}

/// The error of a download endpoint: it can also fail to write its file, which no other
/// endpoint can (so only theirs has an `Output` variant).
pub trait DownloadError: EndpointError {
    /// Wraps a download that could not be written to its file or writer.
    fn from_output(error: OutputError) -> Self;
}

impl Failed {
    /// Whether the failure proves the server did not act on the request, so that a call
    /// that is not idempotent may be sent again: the connection was never made, no token
    /// could be had (nothing was sent), or the provider throttled it (its rate-limit code,
    /// or HTTP 429).
    pub(crate) fn proves_nothing_was_done(&self, is_rate_limited: fn(&ErrorCode) -> bool) -> bool {
        match self {
            Failed::Transport(e) => e.never_sent(),
            Failed::Api(_) | Failed::Decode(_) => self.was_throttled(is_rate_limited),
            Failed::Token(_) | Failed::InvalidRequest(_) => true,
        }
    }

    /// Whether the provider throttled the call: its rate-limit code, or HTTP 429.
    pub(crate) fn was_throttled(&self, is_rate_limited: fn(&ErrorCode) -> bool) -> bool {
        match self {
            Failed::Api(e) => e.http_status() == 429 || is_rate_limited(e.code()),
            Failed::Decode(e) => e.http_status() == 429,
            _ => false,
        }
    }

    /// Notes, on a failure after which the request may have been acted on, that it may
    /// have been: a reply that did not come whole (timeout, reset) or could not be read
    /// (a gateway's HTML page, cut JSON). A provider's error code is an answer: not noted.
    pub(crate) fn mark_outcome_unknown(&mut self) {
        match self {
            Failed::Transport(e)
                if !matches!(
                    e.kind(),
                    TransportErrorKind::Connect | TransportErrorKind::Redirect
                ) =>
            {
                e.mark_outcome_unknown()
            }
            Failed::Decode(e) => e.mark_outcome_unknown(),
            _ => {}
        }
    }
}
