//! One HTTP exchange: send, follow a redirect only where credentials may go, read the
//! status, the headers the runtime cares about, and the body (bounded). Shared by API calls
//! and token fetches.
//!
//! The `reqwest::Client` is built with redirects off: reqwest would re-send custom headers
//! (DingTalk's token header) and POST bodies (app secrets) to any host a 30x names. Here a
//! redirect is followed only when the caller allows it and it stays on the request's origin
//! (same scheme, host and port); anything else is an error naming the target.

use super::error::TransportError;
use super::provider::ProviderInfo;
use reqwest::header::{HeaderMap, HeaderName};
use std::time::Duration;
use tokio::time::Instant;

/// Redirects followed in one exchange at most; more is a loop or a misconfiguration.
const MAX_REDIRECTS: usize = 5;

/// What came back from one request.
pub(crate) struct Exchanged {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: bytes::Bytes,
}

/// The reply headers the runtime reads, as header names parsed once per client rather than
/// once per call.
#[derive(Debug, Clone)]
pub(crate) struct ReplyHeaders {
    /// The provider's request-id headers, in order of preference.
    request_id: Vec<HeaderName>,
    /// `Retry-After` and the provider's rate-limit reset header: the longest wait wins.
    wait: Vec<HeaderName>,
}

impl ReplyHeaders {
    /// A name a header cannot have is skipped: no reply can carry it.
    pub(crate) fn new(provider: &ProviderInfo) -> Self {
        let parse = |name: &str| HeaderName::from_bytes(name.as_bytes()).ok();
        ReplyHeaders {
            request_id: provider
                .request_id_headers
                .iter()
                .filter_map(|name| parse(name))
                .collect(),
            wait: std::iter::once(reqwest::header::RETRY_AFTER)
                .chain(provider.rate_limit_reset_header.and_then(parse))
                .collect(),
        }
    }

    fn read(&self, headers: &HeaderMap) -> (Option<String>, Option<Duration>) {
        let text = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let request_id = self.request_id.iter().find_map(text).map(str::to_owned);
        let retry_after = self
            .wait
            .iter()
            .filter_map(|name| seconds(text(name)?))
            .max();
        (request_id, retry_after)
    }
}

/// Builds the request again for a redirect's target; `None` where redirects are never
/// followed (token endpoints: a redirect there has no legitimate use and would re-post the
/// app secret). Rebuilding, rather than cloning every request up front, keeps the common
/// case (no redirect) free of copies.
pub(crate) type Rebuild<'a> = Option<&'a (dyn Fn(url::Url) -> reqwest::Request + Sync)>;

/// Sends `request` and reads the reply, refusing a body over `max_body` bytes without
/// buffering it. The request's timeout bounds the whole exchange, redirects included.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    request: reqwest::Request,
    rebuild: Rebuild<'_>,
    provider: &ProviderInfo,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let headers = ReplyHeaders::new(provider);
    let (timeout, started) = (request.timeout().copied(), Instant::now());
    let response = http
        .execute(request)
        .await
        .map_err(|e| TransportError::from_reqwest(e, None))?;
    let response = match rebuild {
        Some(rebuild) => {
            let rebuild = |url| Some(rebuild(url));
            follow(http, response, &rebuild, timeout, started).await?
        }
        None => match redirect_target(&response) {
            Some(target) => {
                let status = response.status().as_u16();
                return Err(TransportError::redirect_refused(status, &target));
            }
            None => response,
        },
    };
    read(response, &headers, max_body).await
}

/// Builds an API call's request for a URL (the first, or a redirect's target); `None` when
/// it cannot be sent again (an upload read from a stream).
pub(crate) type Build<'a> = &'a (dyn Fn(url::Url) -> Option<reqwest::Request> + Sync);

/// [`exchange`] for API calls: the request built by `build` for `url`, the reply's header
/// names parsed beforehand, redirects within the origin followed.
///
/// Written to keep its future small: the request is built where it is sent rather than held
/// in a variable (the future of every call is moved as a whole, on each level).
pub(crate) async fn exchange_with(
    http: &reqwest::Client,
    url: &url::Url,
    build: Build<'_>,
    timeout: Duration,
    headers: &ReplyHeaders,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let response = open(http, url, build, Some(timeout)).await?;
    read(response, headers, max_body).await
}

/// Sends the request `build` makes for `url` and follows same-origin redirects: the reply
/// with its body unread (a download streams it). `timeout` bounds the redirects too.
pub(crate) async fn open(
    http: &reqwest::Client,
    url: &url::Url,
    build: Build<'_>,
    timeout: Option<Duration>,
) -> Result<reqwest::Response, TransportError> {
    let started = Instant::now();
    let request = build(url.clone()).ok_or_else(TransportError::not_resendable)?;
    let response = http
        .execute(request)
        .await
        .map_err(|e| TransportError::from_reqwest(e, None))?;
    match redirect_target(&response) {
        None => Ok(response),
        // Rare: boxed, so that its state does not weigh on every call's future.
        Some(_) => Box::pin(follow(http, response, build, timeout, started)).await,
    }
}

/// Reads the reply's status, the headers the runtime uses, and its body, bounded.
pub(crate) async fn read_reply(
    response: reqwest::Response,
    headers: &ReplyHeaders,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    read(response, headers, max_body).await
}

/// Follows same-origin redirects from `response`, at most [`MAX_REDIRECTS`], within the
/// time left of `timeout` since `started`; a redirect elsewhere is an error naming it.
async fn follow(
    http: &reqwest::Client,
    mut response: reqwest::Response,
    rebuild: Build<'_>,
    timeout: Option<Duration>,
    started: Instant,
) -> Result<reqwest::Response, TransportError> {
    let mut hops = 0;
    while let Some(target) = redirect_target(&response) {
        let status = response.status().as_u16();
        // The response's URL is its request's; every hop before it stayed on the first
        // request's origin, so this compares with that origin.
        if hops >= MAX_REDIRECTS || target.origin() != response.url().origin() {
            return Err(TransportError::redirect_refused(status, &target));
        }
        hops += 1;
        let deadline = timeout.and_then(|t| started.checked_add(t));
        let request = rebuild(target).ok_or_else(TransportError::not_resendable)?;
        response = http
            .execute(with_deadline(request, deadline))
            .await
            .map_err(|e| TransportError::from_reqwest(e, None))?;
    }
    Ok(response)
}

/// `request` with its timeout cut to what is left before `deadline`.
fn with_deadline(mut request: reqwest::Request, deadline: Option<Instant>) -> reqwest::Request {
    if let Some(deadline) = deadline {
        *request.timeout_mut() = Some(deadline.saturating_duration_since(Instant::now()));
    }
    request
}

/// Where a 301/302/303/307/308 points, resolved against the request's URL.
fn redirect_target(response: &reqwest::Response) -> Option<url::Url> {
    if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.headers().get(reqwest::header::LOCATION)?;
    response.url().join(location.to_str().ok()?).ok()
}

async fn read(
    mut response: reqwest::Response,
    headers: &ReplyHeaders,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let status = response.status().as_u16();
    let (request_id, retry_after) = headers.read(response.headers());
    let length = response.content_length();
    if length.is_some_and(|len| len > max_body as u64) {
        return Err(TransportError::too_large(status, max_body));
    }
    // Read as it arrives, refused as soon as it passes the limit (a chunked body announces
    // no length). A reply with a length comes in one piece as a rule: that piece is the
    // body, without a copy (what `bytes()` does, with a far smaller future).
    let (mut one, mut many) = (None::<bytes::Bytes>, bytes::BytesMut::new());
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TransportError::from_reqwest(e, Some(status)))?
    {
        let read = one.as_ref().map_or(many.len(), bytes::Bytes::len);
        if read + chunk.len() > max_body {
            return Err(TransportError::too_large(status, max_body));
        }
        match one.take() {
            None if many.is_empty() => one = Some(chunk),
            None => many.extend_from_slice(&chunk),
            Some(piece) => {
                let announced = length.map_or(0, |len| len as usize);
                many.reserve(announced.max(piece.len() + chunk.len()));
                many.extend_from_slice(&piece);
                many.extend_from_slice(&chunk);
            }
        }
    }
    let body = one.unwrap_or_else(|| many.freeze());
    Ok(Exchanged {
        status,
        request_id,
        retry_after,
        body,
    })
}

/// A delay in whole or fractional seconds (`Retry-After: 2`, `x-ogw-ratelimit-reset: 1`).
/// The HTTP-date form of `Retry-After` is not used by these providers and is ignored.
fn seconds(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_parse_as_seconds() {
        assert_eq!(seconds("2"), Some(Duration::from_secs(2)));
        assert_eq!(seconds(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(seconds("-1"), None);
        assert_eq!(seconds("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(seconds("1e400"), None);
    }
}
