//! One attempt of a call: its token, its request built (again for a redirect's target) and
//! sent, and its reply decoded or, for a download, handed over unread.
//!
//! Apart from the loop around it (`send.rs`), which decides whether there is another: an
//! attempt knows nothing of retries, deadlines or rate limits beyond the timeout it is
//! given.

use super::core::Core;
use super::reply::is_file_reply;
use super::request::{Outgoing, RequestBody};
use super::upload::{FormOnce, open_form};
use crate::error::{Failed, TransportError};
use crate::http;
use crate::options::CallOptions;
use crate::provider::EndpointInfo;
use crate::token::AccessToken;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::time::Instant;

/// What a call reads from a successful reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// The JSON data, decoded.
    Data,
    /// The reply itself with its body unread (a download), when it is a file.
    Stream,
}

/// What a call got.
pub(super) enum Got<T> {
    Data(T),
    Stream(reqwest::Response),
}

impl Core {
    /// One attempt: get a token, send, then decode the reply or, for a download, hand it
    /// over unread. Returns the token used, for invalidation.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn attempt<T: DeserializeOwned>(
        &self,
        span: &tracing::Span,
        endpoint: &EndpointInfo,
        url: &url::Url,
        request: &Outgoing,
        options: &CallOptions,
        timeout: Duration,
        want: Want,
    ) -> (Option<AccessToken>, Result<Got<T>, Failed>) {
        let credential = match self.credential(options).await {
            Ok(credential) => credential,
            Err(failed) => return (None, Err(failed)),
        };
        let (token, auth) = credential.parts();
        // A form's file is opened per attempt, streamed, and sent once: a redirect cannot
        // send it again.
        let (form, meter) = match open_form(&request.body).await {
            Ok(Some((form, meter))) => (Some(form), Some(meter)),
            Ok(None) => (None, None),
            Err(failed) => return (credential.into_fetched(), Err(failed)),
        };
        // A download's body, or an upload's, may take longer than an attempt: its pace is
        // watched instead (see `transfer`).
        let request_timeout = (want == Want::Data && meter.is_none()).then_some(timeout);
        let build = |url: url::Url| {
            self.build_request(
                endpoint,
                request,
                auth,
                form.as_deref(),
                request_timeout,
                url,
            )
        };
        let started = (!span.is_disabled()).then(Instant::now);
        let result = match want {
            Want::Data => {
                let exchange = http::exchange_with(
                    &self.context.http,
                    url,
                    &build,
                    timeout,
                    &self.prepared.reply_headers,
                    self.context.max_reply_bytes,
                );
                let exchanged = match &meter {
                    None => exchange.await,
                    Some(meter) => Box::pin(self.upload(exchange, meter, timeout)).await,
                };
                self.decode(span, started, exchanged, token, options)
                    .map(Got::Data)
            }
            // Awaited here rather than in a helper of its own, which would hold a second
            // copy of the attempt's parts in the future of every call.
            Want::Stream => {
                let opened = tokio::time::timeout(
                    timeout,
                    http::open(&self.context.http, url, &build, Some(timeout)),
                )
                .await
                .unwrap_or_else(|_| Err(TransportError::attempt_timed_out()));
                match opened {
                    Ok(response) if is_file_reply(&response) => Ok(Got::Stream(response)),
                    Ok(response) => {
                        let exchanged = http::read_reply(
                            response,
                            &self.prepared.reply_headers,
                            self.context.max_reply_bytes,
                        )
                        .await;
                        self.decode(span, started, exchanged, token, options)
                            .map(Got::Data)
                    }
                    Err(e) => Err(Failed::Transport(e)),
                }
            }
        };
        (credential.into_fetched(), result)
    }

    /// The attempt's request for `url` (the first, or a redirect's target), bounded by
    /// `timeout` when there is one; `None` when it cannot be sent (again).
    fn build_request(
        &self,
        endpoint: &EndpointInfo,
        request: &Outgoing,
        auth: &HeaderValue,
        form: Option<&FormOnce>,
        timeout: Option<Duration>,
        url: url::Url,
    ) -> Option<reqwest::Request> {
        // Built field by field rather than through `RequestBuilder`: this runs for every
        // call, and a poll (no body, no header parameters) needs three assignments.
        let mut built = match (&request.body, form) {
            // reqwest writes a form's boundary and content type itself.
            (RequestBody::Multipart { .. }, Some(form)) => {
                let form = form.take()?;
                self.context
                    .http
                    .request(endpoint.method.clone(), url)
                    .multipart(form)
                    .build()
                    .ok()?
            }
            _ => reqwest::Request::new(endpoint.method.clone(), url),
        };
        let headers = built.headers_mut();
        headers.insert(self.prepared.auth_header.clone(), auth.clone());
        for (name, value) in &request.headers {
            // Checked when the call was prepared.
            let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
            headers.insert(name, HeaderValue::from_str(value).ok()?);
        }
        if let RequestBody::Json(bytes) = &request.body {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            *built.body_mut() = Some(bytes.clone().into());
        }
        if let Some(timeout) = timeout {
            *built.timeout_mut() = Some(timeout);
        }
        Some(built)
    }
}
