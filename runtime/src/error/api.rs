//! The provider's own answer: its [`ErrorCode`] and the [`ApiError`] carrying it.

use std::fmt;
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
    pub(super) attempts: u32,
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

pub(super) fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " (after {attempts} attempts)")?;
    }
    Ok(())
}
