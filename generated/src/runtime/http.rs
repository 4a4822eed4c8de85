//! One HTTP exchange: send, read the status, the headers the runtime cares about, and the
//! body (bounded). Shared by API calls and token fetches.

use super::client::ProviderInfo;
use super::error::TransportError;
use std::time::Duration;

/// What came back from one request.
pub(crate) struct Exchanged {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: bytes::Bytes,
}

/// Sends `request` and reads the reply, refusing a body over `max_body` bytes without
/// buffering it: by `Content-Length` when the server sends one, else while reading.
pub(crate) async fn exchange(
    request: reqwest::RequestBuilder,
    provider: &ProviderInfo,
    max_body: usize,
) -> Result<Exchanged, TransportError> {
    let mut response = request
        .send()
        .await
        .map_err(|e| TransportError::from_reqwest(e, None))?;
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
