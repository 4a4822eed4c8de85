//! A complete reply that is not what the spec describes: [`DecodeError`], with the start
//! of the body, credentials masked.

use super::api::write_attempts;
use crate::redact::redact;
use std::fmt;
use std::time::Duration;

/// A complete reply that is not what the spec describes: an HTML error page, truncated
/// JSON, a field of the wrong type. Keeps the status and the start of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    http_status: u16,
    request_id: Option<String>,
    reason: String,
    excerpt: String,
    retry_after: Option<Duration>,
    pub(super) attempts: u32,
    /// See `TransportError::outcome_unknown`.
    outcome_unknown: bool,
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
            outcome_unknown: false,
        }
    }

    /// A download endpoint's reply that is JSON and a success: no file.
    pub(crate) fn json_instead_of_file() -> Self {
        DecodeError::new(
            0,
            None,
            "expected a file, got a JSON reply that is not an error",
            b"",
            &[],
        )
    }

    /// A JSON call that got a file (cannot happen: only downloads ask for one).
    pub(crate) fn not_json_reply() -> Self {
        DecodeError::new(0, None, "expected a JSON reply, got a file", b"", &[])
    }

    /// Whether the request may have reached the server of a call that is not idempotent.
    pub fn outcome_unknown(&self) -> bool {
        self.outcome_unknown
    }

    pub(crate) fn mark_outcome_unknown(&mut self) {
        self.outcome_unknown = true;
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
        write_attempts(f, self.attempts)?;
        if self.outcome_unknown {
            f.write_str(super::transport::OUTCOME_UNKNOWN)?;
        }
        Ok(())
    }
}

/// No source: the decoder's own error (serde's) can quote values of the reply, which may
/// be credentials; its text is kept in [`reason`](Self::reason), masked, instead.
impl std::error::Error for DecodeError {}

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
