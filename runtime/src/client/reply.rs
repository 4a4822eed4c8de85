//! What an attempt makes of a reply: a file to stream (a download's 2xx that is not JSON),
//! or JSON decoded by the provider's envelope, recorded on the attempt's span.
//!
//! Apart from the attempt because a reply is read the same way whether it came from an
//! exchange (the body read whole) or from a download's opened response.

use super::core::Core;
use crate::decode::{self, Reply};
use crate::error::{Failed, TransportError};
use crate::http;
use crate::options::CallOptions;
use crate::token::AccessToken;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

impl Core {
    /// Records the exchange on the attempt's span and decodes the reply.
    pub(super) fn decode<T: DeserializeOwned>(
        &self,
        span: &tracing::Span,
        started: Option<Instant>,
        exchanged: Result<http::Exchanged, TransportError>,
        token: &AccessToken,
        options: &CallOptions,
    ) -> Result<T, Failed> {
        if let Some(started) = started {
            span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        let exchanged = exchanged.map_err(Failed::Transport)?;
        if !span.is_disabled() {
            span.record("http.status", exchanged.status);
            if let Some(id) = &exchanged.request_id {
                span.record("request_id", id.as_str());
            }
        }
        let reply = Reply {
            status: exchanged.status,
            request_id: exchanged.request_id,
            retry_after: exchanged.retry_after,
            body: &exchanged.body,
            known_secrets: &[token.expose()],
        };
        let result = match &options.inspect_raw {
            // The raw text is kept for the inspector: decoded as the envelope, then the data.
            Some(inspect) => decode::reply(
                self.provider.envelope,
                self.provider.request_id_body_field,
                &reply,
            )
            .map(|decoded| {
                inspect(decoded.raw);
                decoded.data
            }),
            None => decode::data(
                self.provider.envelope,
                self.provider.request_id_body_field,
                &reply,
            ),
        };
        if let Err(Failed::Api(api)) = &result
            && !span.is_disabled()
        {
            span.record("code", tracing::field::display(api.code()));
            if let Some(id) = api.request_id() {
                span.record("request_id", id);
            }
        }
        result
    }
}

/// A 2xx that is not JSON: the file. Errors come back as JSON (any status), so a JSON reply
/// is decoded instead.
pub(super) fn is_file_reply(response: &reqwest::Response) -> bool {
    let json = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
    response.status().is_success() && !json
}
