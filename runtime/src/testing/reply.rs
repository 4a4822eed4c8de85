//! What the fake answers with besides a route's example: scripted replies, the [`Fault`]s,
//! error bodies in a provider's shape, and [`FaultBody`], a body that can fail mid-reply.

use super::route::{CodeRef, Route};
use crate::{Envelope, ErrorCode};
use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Something other than a normal reply, to see how the code under test copes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// An HTML error page with this status (what gateways send).
    Html(u16),
    /// This status with an empty body.
    Empty(u16),
    /// The example reply cut in half, with HTTP 200.
    TruncatedJson,
    /// The provider's throttling reply (HTTP status and code from its spec) asking to wait
    /// this many seconds.
    RateLimited {
        /// Seconds until the window resets.
        reset_seconds: u32,
    },
    /// The example reply, after this delay.
    Slow(Duration),
    /// The status line, headers and part of the body, then the connection drops.
    ResetMidReply,
    /// A body of this many bytes; `chunked` sends no `Content-Length`.
    Oversized {
        /// Body size.
        bytes: usize,
        /// Stream it without a length.
        chunked: bool,
    },
    /// A download's reply whose body breaks off after this many bytes (of the part asked
    /// for), announcing its full length.
    CutDownload {
        /// Bytes sent before the connection drops.
        after: u64,
    },
    /// A download's reply that sends this many bytes (of the part asked for) at once, then
    /// one byte every `every` (a half-dead proxy): every read arrives in time, the body
    /// never ends.
    DripDownload {
        /// Bytes sent at once.
        after: u64,
        /// The pause before each later byte.
        every: Duration,
    },
}

#[derive(Debug, Clone)]
pub(super) enum Scripted {
    Json {
        status: u16,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    Fault(Fault),
    /// A download's normal reply (to follow a fault, since the last script repeats).
    File,
}

pub(super) fn error_reply(
    envelope: Envelope,
    status: u16,
    code: &ErrorCode,
    message: &str,
) -> Scripted {
    Scripted::Json {
        status,
        body: error_body(envelope, code, message),
        headers: Vec::new(),
    }
}

/// An error body in the provider's shape.
fn error_body(envelope: Envelope, code: &ErrorCode, message: &str) -> String {
    let body = match (envelope, code) {
        (Envelope::CodeMsgData | Envelope::CodeMsgFlat, ErrorCode::Int(n)) => {
            serde_json::json!({"code": n, "msg": message})
        }
        (Envelope::CodeMsgData | Envelope::CodeMsgFlat, ErrorCode::Str(s)) => {
            serde_json::json!({"code": s, "msg": message})
        }
        (Envelope::Bare, code) => {
            serde_json::json!({"code": code.to_string(), "message": message, "requestid": "fake-request-id"})
        }
    };
    body.to_string()
}

/// About the first half of `text`, cut where a character starts (examples quote pages in
/// Chinese: a cut inside a character would panic).
fn first_half(text: &str) -> String {
    let mut end = text.len() / 2;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

pub(super) async fn fault_reply(route: &Route, fault: Fault) -> hyper::Response<FaultBody> {
    match fault {
        Fault::Html(status) => plain(
            status,
            "text/html",
            format!(
                "<html><head><title>{status}</title></head><body><h1>{status}</h1><hr>fake gateway</body></html>"
            ),
        ),
        Fault::Empty(status) => plain(status, "text/plain", String::new()),
        Fault::TruncatedJson => plain(200, "application/json", first_half(route.example)),
        Fault::RateLimited { reset_seconds } => throttled_reply(route, reset_seconds, 100),
        Fault::Slow(delay) => {
            tokio::time::sleep(delay).await;
            plain(200, "application/json", route.example.to_owned())
        }
        Fault::ResetMidReply => {
            let head =
                Bytes::copy_from_slice(&route.example.as_bytes()[..route.example.len().min(16)]);
            response(
                200,
                "application/json",
                FaultBody::new(vec![head], Some(4096), true),
            )
        }
        // Served by the responder, which knows the download's size and range.
        Fault::CutDownload { .. } | Fault::DripDownload { .. } => {
            plain(500, "text/plain", String::new())
        }
        Fault::Oversized { bytes, chunked } => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let mut chunks: Vec<Bytes> = std::iter::repeat_n(chunk, bytes / (64 * 1024)).collect();
            chunks.push(Bytes::from(vec![b' '; bytes % (64 * 1024)]));
            let length = (!chunked).then_some(bytes as u64);
            response(
                200,
                "application/json",
                FaultBody::new(chunks, length, false),
            )
        }
    }
}

/// The provider's throttling reply for `route` (HTTP status and code from its spec's
/// `rate_limit`), asking to wait `reset_seconds` in its reset header (`Retry-After` when
/// the provider documents none) and naming `limit` in its limit header, when it has one.
/// HTTP 429 with `Retry-After` for a route whose provider documents no throttling reply.
pub(super) fn throttled_reply(
    route: &Route,
    reset_seconds: u32,
    limit: u32,
) -> hyper::Response<FaultBody> {
    let mut response = match route.rate_limit {
        Some(shape) => {
            let code = match shape.code {
                CodeRef::Int(n) => ErrorCode::Int(n),
                CodeRef::Str(s) => ErrorCode::Str(s.to_owned()),
            };
            let body = error_body(route.envelope, &code, "rate limited");
            let mut response = plain(shape.http_status, "application/json", body);
            if let (Some(name), Ok(value)) = (shape.limit_header, limit.to_string().parse()) {
                response.headers_mut().insert(name, value);
            }
            response
        }
        None => plain(429, "text/plain", String::new()),
    };
    let header = route
        .rate_limit
        .and_then(|shape| shape.reset_header)
        .unwrap_or("retry-after");
    if let Ok(value) = reset_seconds.to_string().parse() {
        response.headers_mut().insert(header, value);
    }
    response
}

pub(super) fn plain(status: u16, content_type: &str, body: String) -> hyper::Response<FaultBody> {
    whole(status, content_type, Bytes::from(body))
}

/// A reply whose body goes out whole, with its length.
pub(super) fn whole(status: u16, content_type: &str, body: Bytes) -> hyper::Response<FaultBody> {
    let length = body.len() as u64;
    response(
        status,
        content_type,
        FaultBody::new(vec![body], Some(length), false),
    )
}

pub(super) fn response(
    status: u16,
    content_type: &str,
    body: FaultBody,
) -> hyper::Response<FaultBody> {
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = content_type.parse() {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}

/// A response body that can announce a length it will not deliver and then fail, which
/// makes hyper drop the connection mid-reply.
#[doc(hidden)]
pub struct FaultBody {
    chunks: VecDeque<Bytes>,
    /// Sent after `chunks`: content made as it is sent, for large bodies.
    generated: Option<Generated>,
    length: Option<u64>,
    fail: bool,
}

/// Bytes `next..end` of a content that `fill` writes, a chunk at a time: memory stays
/// bounded by a chunk whatever the body's size.
struct Generated {
    next: u64,
    end: u64,
    fill: fn(u64, &mut [u8]),
    /// Armed once the bytes are out, before failing.
    settle: Option<Pin<Box<tokio::time::Sleep>>>,
    /// From this offset on, one byte per pause.
    drip: Option<Drip>,
}

/// The slow tail of a dripping body: from `from`, a byte after each pause of `every`.
struct Drip {
    from: u64,
    every: Duration,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The size of a generated body's chunks.
const GENERATED_CHUNK: u64 = 64 * 1024;

/// How long a generated body that fails waits after its last byte: enough for hyper to
/// flush its buffer (at most a few hundred KiB) to a local socket.
const SETTLE: Duration = Duration::from_millis(50);

impl FaultBody {
    fn new(chunks: Vec<Bytes>, length: Option<u64>, fail: bool) -> Self {
        FaultBody {
            chunks: chunks.into(),
            generated: None,
            length,
            fail,
        }
    }

    /// Bytes `range` of the content `fill` writes (`fill(offset, buf)` writes the bytes from
    /// `offset` into `buf`), announcing `length`, then failing if `fail`.
    pub(super) fn generated(
        range: Range<u64>,
        fill: fn(u64, &mut [u8]),
        length: Option<u64>,
        fail: bool,
    ) -> Self {
        FaultBody {
            chunks: VecDeque::new(),
            generated: Some(Generated {
                next: range.start,
                end: range.end,
                fill,
                settle: None,
                drip: None,
            }),
            length,
            fail,
        }
    }

    /// After its first `after` bytes, the body sends one byte after each pause of `every`.
    pub(super) fn dripping(mut self, after: u64, every: Duration) -> Self {
        if let Some(generated) = self.generated.as_mut() {
            generated.drip = Some(Drip {
                from: generated.next.saturating_add(after),
                every,
                pause: None,
            });
        }
        self
    }

    /// The pause before a dripping body's next byte: `Pending` until it is over.
    fn drip_pause(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(generated) = self.generated.as_mut() else {
            return Poll::Ready(());
        };
        let (next, end) = (generated.next, generated.end);
        let Some(drip) = generated
            .drip
            .as_mut()
            .filter(|d| next >= d.from && next < end)
        else {
            return Poll::Ready(());
        };
        let every = drip.every;
        let pause = drip
            .pause
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(every)));
        std::task::ready!(pause.as_mut().poll(cx));
        drip.pause = None;
        Poll::Ready(())
    }

    fn next_generated(&mut self) -> Option<Bytes> {
        let generated = self.generated.as_mut()?;
        let mut len = generated
            .end
            .checked_sub(generated.next)?
            .min(GENERATED_CHUNK);
        if let Some(drip) = &generated.drip {
            // Up to the drip's start at once, then a byte at a time.
            len = match drip.from.checked_sub(generated.next) {
                Some(before) if before > 0 => len.min(before),
                _ => len.min(1),
            };
        }
        if len == 0 {
            return None;
        }
        let mut chunk = vec![0; len as usize];
        (generated.fill)(generated.next, &mut chunk);
        generated.next += len;
        Some(Bytes::from(chunk))
    }
}

impl Body for FaultBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.chunks.is_empty() {
            std::task::ready!(self.drip_pause(cx));
        }
        match self.chunks.pop_front().or_else(|| self.next_generated()) {
            Some(chunk) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
            None if self.fail => {
                // hyper drops the connection on a body error without flushing what it
                // buffered: a generated body gives it time to send its bytes first, so
                // that exactly the promised part of the body arrives.
                if let Some(generated) = self.generated.as_mut() {
                    let settle = generated
                        .settle
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(SETTLE)));
                    std::task::ready!(settle.as_mut().poll(cx));
                }
                self.fail = false;
                Poll::Ready(Some(Err(std::io::Error::other(
                    "fault: connection reset mid-reply",
                ))))
            }
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
            && self.generated.as_ref().is_none_or(|g| g.next >= g.end)
            && !self.fail
    }

    fn size_hint(&self) -> SizeHint {
        self.length
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

#[cfg(test)]
mod tests {
    use super::first_half;

    #[test]
    fn a_truncated_example_is_cut_between_characters() {
        // 知 is three bytes; half of 9 bytes falls inside the second character.
        assert_eq!(first_half("知识空"), "知");
        assert_eq!(first_half("{\"a\": 1}"), "{\"a\"");
        assert_eq!(first_half(""), "");
    }
}
