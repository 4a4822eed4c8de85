//! No complete reply: [`TransportError`], its [`TransportErrorKind`], and how a reply
//! that is not HTTP is told from a reset connection.

use super::api::write_attempts;
use std::fmt;
use std::sync::Arc;

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
    pub(super) attempts: u32,
    /// Set on a call that is not idempotent when the request may have reached the server:
    /// the text then says that what it creates may exist.
    outcome_unknown: bool,
    /// Set when an upload failed before its file was sent whole: the server cannot have
    /// acted on a form it never received.
    body_unsent: bool,
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
            outcome_unknown: false,
            body_unsent: false,
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
            outcome_unknown: false,
            body_unsent: false,
            cause: None,
        }
    }

    /// The call's time limit ran out during an attempt (see `CallOptions::time_limit`; an
    /// upload's default is the transfer policy's).
    pub(crate) fn time_limit(limit: Option<std::time::Duration>) -> Self {
        let message = match limit {
            Some(limit) => format!(
                "the call's time limit of {:.1}s ran out",
                limit.as_secs_f64()
            ),
            None => "the call's time limit ran out".to_owned(),
        };
        TransportError {
            kind: TransportErrorKind::Timeout,
            http_status: None,
            message,
            attempts: 1,
            outcome_unknown: false,
            body_unsent: false,
            cause: None,
        }
    }

    pub(crate) fn too_large(http_status: u16, limit: usize) -> Self {
        TransportError {
            kind: TransportErrorKind::TooLarge,
            http_status: Some(http_status),
            message: format!("the reply is larger than the {limit}-byte limit; not read"),
            attempts: 1,
            outcome_unknown: false,
            body_unsent: false,
            cause: None,
        }
    }

    /// A download whose size (announced, or counted so far) passes the caller's limit.
    pub(crate) fn download_too_large(http_status: u16, limit: u64) -> Self {
        Self::own(
            TransportErrorKind::TooLarge,
            http_status,
            format!("the download is larger than the {limit}-byte limit; stopped"),
        )
    }

    /// A body that ended before the length its reply announced (`Content-Length`, or the
    /// total of a `Content-Range`).
    pub(crate) fn body_ended(http_status: u16, received: u64, announced: u64) -> Self {
        Self::own(
            TransportErrorKind::Body,
            http_status,
            format!("the body ended after {received} of {announced} bytes"),
        )
    }

    /// A body longer than the length its reply announced.
    pub(crate) fn body_overran(http_status: u16, announced: u64) -> Self {
        Self::own(
            TransportErrorKind::Body,
            http_status,
            format!("the body ran past the {announced} bytes its reply announced"),
        )
    }

    /// A download whose length (`sent`: counted, or announced before any byte came) is not
    /// the one the task reported for the file.
    pub(crate) fn length_differs(
        http_status: u16,
        sent: u64,
        announced: bool,
        expected: u64,
    ) -> Self {
        let verb = if announced { "announced" } else { "sent" };
        Self::own(
            TransportErrorKind::Body,
            http_status,
            format!("the server {verb} {sent} bytes but the task reported {expected}"),
        )
    }

    /// A resumed download whose reply does not continue the same content where it stopped
    /// (another range, another total, another entity tag).
    pub(crate) fn resume_refused(http_status: u16, why: &str) -> Self {
        Self::own(
            TransportErrorKind::Body,
            http_status,
            format!("the download could not be resumed: {why}"),
        )
    }

    /// An error the runtime found itself: no reqwest cause.
    fn own(kind: TransportErrorKind, http_status: u16, message: String) -> Self {
        TransportError {
            kind,
            http_status: Some(http_status),
            message,
            attempts: 1,
            outcome_unknown: false,
            body_unsent: false,
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
        write_attempts(f, self.attempts)?;
        if self.outcome_unknown {
            f.write_str(OUTCOME_UNKNOWN)?;
        }
        Ok(())
    }
}

/// The text above already is reqwest's; its source is what lies below it.
impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().and_then(std::error::Error::source)
    }
}

/// What a failed call that is not idempotent says when the server may have acted on it.
pub(super) const OUTCOME_UNKNOWN: &str = "; the request may have reached the server, which \
     may or may not have acted on it (e.g. created the task): check before sending it again";

impl TransportError {
    /// Whether the request may have reached the server of a call that is not idempotent
    /// (set by the retry loop, which then does not send it again).
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    pub(crate) fn mark_outcome_unknown(&mut self) {
        self.outcome_unknown = true;
    }

    /// Whether the request surely never reached the server whole: the connection was not
    /// made, or an upload's file was cut before its last byte.
    pub(crate) fn never_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect || self.body_unsent
    }

    /// Notes that the upload's file was not sent whole.
    pub(crate) fn mark_body_unsent(&mut self) {
        self.body_unsent = true;
    }

    /// A redirect for a request whose body is streamed once (an upload).
    pub(crate) fn not_resendable() -> Self {
        Self::own(
            TransportErrorKind::Redirect,
            0,
            "a redirect asked to send an upload again; its body is streamed once".to_owned(),
        )
        .without_status()
    }

    /// A transfer whose window carried less than its policy's floor; `http_status` is the
    /// reply's for a download, `None` for an upload.
    pub(crate) fn stalled(http_status: Option<u16>, what_was_seen: String) -> Self {
        let mut error = Self::own(TransportErrorKind::Timeout, 0, what_was_seen);
        error.http_status = http_status;
        error
    }

    /// A transfer that ran past its time limit after `bytes` bytes; `http_status` as for
    /// [`stalled`](Self::stalled).
    pub(crate) fn transfer_time_limit(
        http_status: Option<u16>,
        limit: std::time::Duration,
        bytes: u64,
    ) -> Self {
        let mut error = Self::own(
            TransportErrorKind::Timeout,
            0,
            format!(
                "the transfer's time limit of {:.1}s ran out after {bytes} bytes",
                limit.as_secs_f64()
            ),
        );
        error.http_status = http_status;
        error
    }

    /// A download's reply head did not come within the attempt's timeout.
    pub(crate) fn attempt_timed_out() -> Self {
        Self::own(
            TransportErrorKind::Timeout,
            0,
            "no reply within the attempt's timeout".to_owned(),
        )
        .without_status()
    }

    /// Stands in for an endpoint error carried beside the transfer loop (see
    /// `Core::download`); never shown.
    pub(crate) fn placeholder() -> Self {
        Self::own(TransportErrorKind::Other, 0, String::new()).without_status()
    }

    fn without_status(mut self) -> Self {
        self.http_status = None;
        self
    }
}
