//! The failures every endpoint shares. Each endpoint's generated error enum wraps these:
//! one variant per documented code (an [`ApiError`]), the provider's common codes,
//! `Unknown`, and the non-API failures below.

use super::redact::redact;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// An error code as the provider sends it: Feishu's are integers, DingTalk's strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A numeric code (Feishu).
    Int(i64),
    /// A string code (DingTalk).
    Str(String),
}

impl ErrorCode {
    /// The code as an integer, if it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ErrorCode::Int(n) => Some(*n),
            ErrorCode::Str(_) => None,
        }
    }

    /// The code as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ErrorCode::Str(s) => Some(s),
            ErrorCode::Int(_) => None,
        }
    }
}

impl From<i64> for ErrorCode {
    fn from(code: i64) -> Self {
        ErrorCode::Int(code)
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        ErrorCode::Str(code.to_owned())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Int(n) => write!(f, "{n}"),
            ErrorCode::Str(s) => f.write_str(s),
        }
    }
}

/// The provider answered with an error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    http_status: u16,
    code: ErrorCode,
    message: String,
    request_id: Option<String>,
    hint: Option<&'static str>,
    retryable: bool,
    retry_after: Option<Duration>,
    attempts: u32,
}

impl ApiError {
    /// An error as read off the wire, before the endpoint has classified its code.
    pub fn new(
        http_status: u16,
        code: ErrorCode,
        message: String,
        request_id: Option<String>,
    ) -> Self {
        ApiError {
            http_status,
            code,
            message,
            request_id,
            hint: None,
            retryable: false,
            retry_after: None,
            attempts: 1,
        }
    }

    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// How long the server asked us to wait (`Retry-After`, `x-ogw-ratelimit-reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many requests were sent before giving up (retries included).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Attaches what the spec documents for this code (used by generated code).
    pub fn documented(mut self, hint: &'static str, retryable: bool) -> Self {
        self.hint = (!hint.is_empty()).then_some(hint);
        self.retryable = retryable;
        self
    }

    /// The HTTP status the error came with (not always 4xx/5xx: see the provider notes).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The provider's error code.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }

    /// The message the provider sent (not the documented one).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `X-Tt-Logid` (Feishu) or `requestid` (DingTalk): quote it in support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The documentation's troubleshooting hint (排查建议) for this code, if it lists one.
    pub fn hint(&self) -> Option<&'static str> {
        self.hint
    }

    /// Whether the spec marks this code as worth retrying (internal errors, rate limits).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "API error {} ({}), HTTP {}",
            self.code, self.message, self.http_status
        )?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        write_attempts(f, self.attempts)
    }
}

/// The provider's answer is the whole story: no cause below it.
impl std::error::Error for ApiError {}

fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}

/// What went wrong below the API: the request never got a complete reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made.
    Connect,
    /// No reply in time.
    Timeout,
    /// The connection broke while the request or the reply's head was on the wire
    /// (reset, closed early).
    Reset,
    /// The reply started but its body could not be read (e.g. connection reset).
    Body,
    /// The reply's body is larger than the client's limit; it was not read.
    TooLarge,
    /// The server redirected to another origin, or a token endpoint redirected at all:
    /// not followed, so that no credential leaves the base URL's origin.
    Redirect,
    /// The reply is not HTTP (garbage on the connection, a malformed status line or
    /// header). Retried once: a broken connection in a pool can cause it, a wrong port can too.
    Protocol,
    /// Anything else reqwest reports (TLS, bad certificates).
    Other,
}

/// The request did not get a complete reply.
///
/// Its text is reqwest's own (or the runtime's, for refusals it makes); `source()` goes on
/// to the causes below reqwest (hyper, the connector, the `io::Error`).
#[derive(Debug, Clone)]
pub struct TransportError {
    kind: TransportErrorKind,
    http_status: Option<u16>,
    message: String,
    attempts: u32,
    /// What reqwest reported, for its causes. Shared: errors are cloned into every report.
    cause: Option<Arc<reqwest::Error>>,
}

/// Compares what the error says, not the identity of its cause.
impl PartialEq for TransportError {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, self.http_status, &self.message, self.attempts)
            == (
                other.kind,
                other.http_status,
                &other.message,
                other.attempts,
            )
    }
}

impl Eq for TransportError {}

impl TransportError {
    pub(crate) fn from_reqwest(error: reqwest::Error, http_status: Option<u16>) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if is_protocol_error(&error) {
            TransportErrorKind::Protocol
        } else if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_body() || error.is_decode() {
            TransportErrorKind::Body
        } else if error.is_request() {
            TransportErrorKind::Reset
        } else {
            TransportErrorKind::Other
        };
        // The URL is dropped: query strings can carry document tokens.
        let error = error.without_url();
        TransportError {
            kind,
            http_status,
            message: error.to_string(),
            attempts: 1,
            cause: Some(Arc::new(error)),
        }
    }

    /// How many requests were sent before giving up (retries included).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// A redirect that was not followed. The target is named without user info, query or
    /// fragment: those can carry tokens.
    pub(crate) fn redirect_refused(http_status: u16, target: &url::Url) -> Self {
        let mut shown = target.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        TransportError {
            kind: TransportErrorKind::Redirect,
            http_status: Some(http_status),
            message: format!(
                "HTTP {http_status} redirect to {shown} not followed: credentials are only sent \
                 to the base URL's origin, and token endpoints are never redirected"
            ),
            attempts: 1,
            cause: None,
        }
    }

    /// The call's time limit ran out during an attempt (see `CallOptions::time_limit`).
    pub(crate) fn time_limit() -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            http_status: None,
            message: "the call's time limit ran out".to_owned(),
            attempts: 1,
            cause: None,
        }
    }

    pub(crate) fn too_large(http_status: u16, limit: usize) -> Self {
        TransportError {
            kind: TransportErrorKind::TooLarge,
            http_status: Some(http_status),
            message: format!("the reply is larger than the {limit}-byte limit; not read"),
            attempts: 1,
            cause: None,
        }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Set when the headers arrived but the body did not.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// Connection failures, timeouts and broken replies may succeed on a second try (a
    /// protocol error once only: see [`TransportErrorKind::Protocol`]).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect
                | TransportErrorKind::Timeout
                | TransportErrorKind::Reset
                | TransportErrorKind::Body
                | TransportErrorKind::Protocol
        )
    }
}

/// Whether hyper could not parse the reply as HTTP (reqwest reports that as a request error,
/// which would otherwise read as a reset connection).
fn is_protocol_error(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>()
            && hyper.is_parse()
        {
            return true;
        }
        source = cause.source();
    }
    false
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({:?}): {}", self.kind, self.message)?;
        write_attempts(f, self.attempts)
    }
}

/// The text above already is reqwest's; its source is what lies below it.
impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().and_then(std::error::Error::source)
    }
}

/// A complete reply that is not what the spec describes: an HTML error page, truncated
/// JSON, a field of the wrong type. Keeps the status and the start of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    http_status: u16,
    request_id: Option<String>,
    reason: String,
    excerpt: String,
    retry_after: Option<Duration>,
    attempts: u32,
}

/// How much of an undecodable body is kept: enough to recognise an HTML page or a JSON
/// error, small enough for a log line.
pub const EXCERPT_BYTES: usize = 200;

impl DecodeError {
    /// `known` are the credentials the request carried: they are masked in the reason and
    /// the excerpt, as are values under credential-like JSON keys (see `redact`).
    pub(crate) fn new(
        http_status: u16,
        request_id: Option<String>,
        reason: &str,
        body: &[u8],
        known: &[&str],
    ) -> Self {
        DecodeError {
            http_status,
            request_id,
            reason: redact(reason, known),
            excerpt: excerpt(body, known),
            retry_after: None,
            attempts: 1,
        }
    }

    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }

    /// How long the server asked us to wait (`Retry-After`, `x-ogw-ratelimit-reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many requests were sent before giving up (retries included).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The reply's HTTP status.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The request id, if the reply's headers carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Why the body could not be decoded.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The first bytes of the body (at most [`EXCERPT_BYTES`], cut at a character boundary).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// Gateways answer 429/502/503/504 with pages that are not the API's JSON: worth a retry.
    pub fn is_retryable(&self) -> bool {
        matches!(self.http_status, 429 | 502 | 503 | 504)
    }
}

/// The start of the body, credentials masked, at most [`EXCERPT_BYTES`], one line.
fn excerpt(body: &[u8], known: &[&str]) -> String {
    // Mask on a window long enough that a credential starting inside the excerpt is
    // masked whole, then cut.
    let longest = known.iter().map(|s| s.len()).max().unwrap_or(0);
    let window = &body[..body.len().min(EXCERPT_BYTES + longest)];
    let masked = redact(&String::from_utf8_lossy(window), known);
    let mut end = masked.len().min(EXCERPT_BYTES);
    while !masked.is_char_boundary(end) {
        end -= 1;
    }
    // A cut through a multi-byte character of the body leaves a replacement char: drop it.
    let text = masked[..end].trim_end_matches('\u{FFFD}');
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "undecodable reply (HTTP {}): {}; body starts: {:?}",
            self.http_status, self.reason, self.excerpt
        )?;
        write_attempts(f, self.attempts)
    }
}

/// The request was refused before sending: a parameter cannot be sent as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    param: &'static str,
    reason: String,
}

impl InvalidRequest {
    pub(crate) fn new(param: &'static str, reason: impl Into<String>) -> Self {
        InvalidRequest {
            param,
            reason: reason.into(),
        }
    }

    /// The parameter's wire name.
    pub fn param(&self) -> &'static str {
        self.param
    }
}

/// No source: the decoder's own error (serde's) can quote values of the reply, which may
/// be credentials; its text is kept in [`reason`](Self::reason), masked, instead.
impl std::error::Error for DecodeError {}

impl std::error::Error for InvalidRequest {}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.param, self.reason)
    }
}

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
            Failure::InvalidRequest(_) => None,
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
    /// transport failure, down to the `io::Error`.
    pub fn source(self) -> Option<&'a (dyn std::error::Error + 'static)> {
        match self {
            Failure::Transport(e) => std::error::Error::source(e),
            Failure::Token(e) => std::error::Error::source(e),
            Failure::Api(_) | Failure::Decode(_) | Failure::InvalidRequest(_) => None,
        }
    }

    /// Whether trying again may succeed.
    pub fn is_retryable(self) -> bool {
        match self {
            Failure::Api(e) => e.is_retryable(),
            Failure::Transport(e) => e.is_retryable(),
            Failure::Decode(e) => e.is_retryable(),
            Failure::InvalidRequest(_) => false,
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
    /// A failure of a custom [`TokenSource`](super::TokenSource), described in words.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_cut_on_a_character_boundary() {
        let body = "错".repeat(100); // 300 bytes, 3 per char
        let e = DecodeError::new(502, None, "x", body.as_bytes(), &[]);
        assert!(e.excerpt().len() <= EXCERPT_BYTES);
        assert_eq!(e.excerpt(), "错".repeat(66));
        let html = DecodeError::new(502, None, "x", b"<html>\n<body>Bad Gateway</body>", &[]);
        assert_eq!(html.excerpt(), "<html> <body>Bad Gateway</body>");
        assert!(html.is_retryable());
    }
}
