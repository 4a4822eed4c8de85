//! The failures every endpoint shares. Each endpoint's generated error enum wraps these:
//! one variant per documented code (an [`ApiError`]), the provider's common codes,
//! `Unknown`, and the non-API failures below.

use std::fmt;

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
        }
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
        Ok(())
    }
}

/// What went wrong below the API: the request never got a complete reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be made.
    Connect,
    /// No reply in time.
    Timeout,
    /// The reply started but its body could not be read (e.g. connection reset).
    Body,
    /// Anything else reqwest reports (TLS, redirects, protocol errors).
    Other,
}

/// The request did not get a complete reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    http_status: Option<u16>,
    message: String,
}

impl TransportError {
    pub(crate) fn from_reqwest(error: reqwest::Error, http_status: Option<u16>) -> Self {
        let kind = if error.is_timeout() {
            TransportErrorKind::Timeout
        } else if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_body() || error.is_decode() {
            TransportErrorKind::Body
        } else {
            TransportErrorKind::Other
        };
        // The URL is dropped: query strings can carry document tokens.
        let error = error.without_url();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        TransportError {
            kind,
            http_status,
            message,
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

    /// Connection failures and timeouts may succeed on a second try.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Body
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({:?}): {}", self.kind, self.message)
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
}

/// How much of an undecodable body is kept: enough to recognise an HTML page or a JSON
/// error, small enough for a log line.
pub const EXCERPT_BYTES: usize = 200;

impl DecodeError {
    pub(crate) fn new(
        http_status: u16,
        request_id: Option<String>,
        reason: String,
        body: &[u8],
    ) -> Self {
        DecodeError {
            http_status,
            request_id,
            reason,
            excerpt: excerpt(body),
        }
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

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    // A cut through a multi-byte character leaves a replacement char at the end: drop it.
    let text = text.trim_end_matches('\u{FFFD}');
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
        )
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

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.param, self.reason)
    }
}

/// A borrowed view of any endpoint's error, for code that handles all endpoints alike
/// (the CLI, logging, retry decisions).
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// The provider answered with an error code.
    Api(&'a ApiError),
    /// No complete reply.
    Transport(&'a TransportError),
    /// A reply that is not what the spec describes.
    Decode(&'a DecodeError),
    /// Refused before sending.
    InvalidRequest(&'a InvalidRequest),
}

impl<'a> Failure<'a> {
    /// The API error, if the provider answered with a code.
    pub fn api_error(self) -> Option<&'a ApiError> {
        match self {
            Failure::Api(e) => Some(e),
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
            _ => None,
        }
    }

    /// Whether trying again may succeed.
    pub fn is_retryable(self) -> bool {
        match self {
            Failure::Api(e) => e.is_retryable(),
            Failure::Transport(e) => e.is_retryable(),
            Failure::Decode(e) => e.is_retryable(),
            Failure::InvalidRequest(_) => false,
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
    /// A uniform view of this error.
    fn failure(&self) -> Failure<'_>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_cut_on_a_character_boundary() {
        let body = "错".repeat(100); // 300 bytes, 3 per char
        let e = DecodeError::new(502, None, "x".into(), body.as_bytes());
        assert!(e.excerpt().len() <= EXCERPT_BYTES);
        assert_eq!(e.excerpt(), "错".repeat(66));
        let html = DecodeError::new(502, None, "x".into(), b"<html>\n<body>Bad Gateway</body>");
        assert_eq!(html.excerpt(), "<html> <body>Bad Gateway</body>");
        assert!(html.is_retryable());
    }
}
