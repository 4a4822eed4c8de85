//! One HTTP exchange: send, follow a redirect only where credentials may go, read the
//! status, the headers the runtime cares about, and the body (bounded). Shared by API calls
//! and token fetches.
//!
//! The `reqwest::Client` is built with redirects off: reqwest would re-send custom headers
//! (DingTalk's token header) and POST bodies (app secrets) to any host a 30x names. Here a
//! redirect is followed only when the caller allows it and it stays on the request's origin
//! (same scheme, host and port); anything else is an error naming the target.

use super::client::ProviderInfo;
use super::error::TransportError;
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

/// Builds the request again for a redirect's target; `None` where redirects are never
/// followed (token endpoints: a redirect there has no legitimate use and would re-post the
/// app secret). Rebuilding, rather than cloning every request up front, keeps the common
/// case (no redirect) free of copies.
pub(crate) type Rebuild<'a> = Option<&'a (dyn Fn(url::Url) -> reqwest::Request + Sync)>;

/// Sends `request` and reads the reply, refusing a body over `max_body` bytes without
/// buffering it. The request's timeout bounds the whole exchange, redirects included.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    rebuild: Rebuild<'_>,
    provider: &ProviderInfo,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let origin = request.url().origin();
    let deadline = request
        .timeout()
        .and_then(|t| Instant::now().checked_add(*t));
    let mut hops = 0;
    let response = loop {
        let response = http
            .execute(request)
            .await
            .map_err(|e| TransportError::from_reqwest(e, None))?;
        let Some(target) = redirect_target(&response) else {
            break response;
        };
        let status = response.status().as_u16();
        let rebuild = rebuild.filter(|_| target.origin() == origin && hops < MAX_REDIRECTS);
        let Some(rebuild) = rebuild else {
            return Err(TransportError::redirect_refused(status, &target));
        };
        hops += 1;
        request = rebuild(target);
        if let Some(deadline) = deadline {
            *request.timeout_mut() = Some(deadline.saturating_duration_since(Instant::now()));
        }
    };
    read(response, provider, max_body).await
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
    provider: &ProviderInfo,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let status = response.status().as_u16();
    let (request_id, retry_after) = {
        let headers = response.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let request_id = provider
            .request_id_headers
            .iter()
            .find_map(|name| header(name))
            .map(str::to_owned);
        let retry_after = [Some("retry-after"), provider.rate_limit_reset_header]
            .into_iter()
            .flatten()
            .filter_map(|name| seconds(header(name)?))
            .max();
        (request_id, retry_after)
    };
    if response
        .content_length()
        .is_some_and(|len| len > max_body as u64)
    {
        return Err(TransportError::too_large(status, max_body));
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TransportError::from_reqwest(e, Some(status)))?
    {
        if body.len() + chunk.len() > max_body {
            return Err(TransportError::too_large(status, max_body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Exchanged {
        status,
        request_id,
        retry_after,
        body: body.freeze(),
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
