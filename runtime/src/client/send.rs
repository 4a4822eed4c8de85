//! [`Core`], the HTTP core every generated client wraps, and its retry loop: one call sent
//! by [`Core::send`], attempt by attempt, with a token, a time limit and tracing spans.

use super::request::{Outgoing, RequestBody};
use crate::auth::{TokenContext, TokenSource};
use crate::decode::{self, Reply};
use crate::error::{
    EndpointError, Failed, Failure, InvalidRequest, TokenError, TransportError, TransportErrorKind,
};
use crate::future::BoxFuture;
use crate::http::{self, ReplyHeaders};
use crate::limit::Limiter;
use crate::options::CallOptions;
use crate::provider::{EndpointInfo, ProviderInfo, auth_value, is_sendable};
use crate::retry::RetryPolicy;
use crate::token::AccessToken;
use crate::transfer::{Meter, TransferPolicy, watch_upload};
use crate::url::{self as url_builder, BaseUrl};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

/// The shared part of every provider client: a handle, cheap to clone (one reference
/// count), so that each request owns one and its future can be spawned. Clones share the
/// connection pool, the token cache and the rate-limit slots.
#[derive(Clone)]
pub struct Core(Arc<CoreState>);

/// What a [`Core`] handle shares.
pub struct CoreState {
    pub(super) context: TokenContext,
    token: Arc<dyn TokenSource>,
    retry: RetryPolicy,
    provider: &'static ProviderInfo,
    prepared: Arc<Prepared>,
    /// The slots of the client's rate limits, shared by its clones.
    limiter: Arc<Limiter>,
    /// How slow and how long an upload's file or a download's body may be.
    pub(super) transfer: TransferPolicy,
}

/// What every call would otherwise work out again: computed once, when the client is built.
struct Prepared {
    /// The base URL, parsed.
    base: BaseUrl,
    /// The provider's auth header name.
    auth_header: HeaderName,
    /// The static token given to the builder and its header value.
    static_auth: Option<(AccessToken, HeaderValue)>,
    /// The last token a token source gave and its header value: managed tokens change
    /// rarely, so most calls reuse it.
    last_auth: Mutex<Option<(AccessToken, HeaderValue)>>,
    /// The reply headers read on every call.
    reply_headers: ReplyHeaders,
}

impl std::ops::Deref for Core {
    type Target = CoreState;

    fn deref(&self) -> &CoreState {
        &self.0
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("provider", &self.provider.name)
            .field("base_url", &self.context.base_url)
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// The token an attempt sends and its header value.
enum Credential<'a> {
    /// Prepared when the client was built (a static token).
    Prepared(&'a AccessToken, &'a HeaderValue),
    /// From the token source or the call's user token: kept, for invalidation.
    Fetched(AccessToken, HeaderValue),
}

impl Credential<'_> {
    fn parts(&self) -> (&AccessToken, &HeaderValue) {
        match self {
            Credential::Prepared(token, value) => (token, value),
            Credential::Fetched(token, value) => (token, value),
        }
    }

    /// The token to invalidate when the provider refuses it (never a prepared one: a
    /// static token cannot be refreshed).
    fn into_fetched(self) -> Option<AccessToken> {
        match self {
            Credential::Prepared(..) => None,
            Credential::Fetched(token, _) => Some(token),
        }
    }
}

impl Core {
    /// A core for `provider`, with what every call would otherwise work out again computed
    /// now (`Prepared`). Called by the builder once it has checked the parts.
    // One call site, the builder, which names every part.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        context: TokenContext,
        token: Arc<dyn TokenSource>,
        retry: RetryPolicy,
        provider: &'static ProviderInfo,
        base: BaseUrl,
        auth_header: HeaderName,
        static_auth: Option<(AccessToken, HeaderValue)>,
        limiter: Limiter,
        transfer: TransferPolicy,
    ) -> Self {
        Core(Arc::new(CoreState {
            context,
            token,
            retry,
            provider,
            limiter: Arc::new(limiter),
            transfer,
            prepared: Arc::new(Prepared {
                base,
                auth_header,
                static_auth,
                last_auth: Mutex::new(None),
                reply_headers: ReplyHeaders::new(provider),
            }),
        }))
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.context.base_url
    }

    /// Sends a call, retrying transient failures by the policy, and decodes the reply by the
    /// provider's conventions, within `options` (user token, time limit, raw inspection).
    ///
    /// A code that means the token was refused makes a refreshable source drop the token and
    /// the call is sent once more with a new one (not counted against the retry budget); a
    /// second refusal is returned.
    ///
    /// A call that is not idempotent (a POST that creates something) is sent again only
    /// when the failure proves the server did not act on it: the connection was never made,
    /// its upload's file was not sent whole, or the provider throttled it. Any other
    /// failure ends it, and the error says the server may or may not have acted.
    ///
    /// A form's file is measured first, before anything is sent (see [`RequestBody`]): its
    /// size and checksum fill the fields that state them, and a file over the endpoint's
    /// maximum is refused. Its upload is bounded by the client's
    /// [`TransferPolicy`](crate::TransferPolicy) rather than the attempt timeout, which then
    /// bounds the wait for the reply.
    ///
    /// The future owns a handle on this core, the request and the options: it is `'static`
    /// and can be spawned. `request` is what the generated builder made of its parameters,
    /// or why it could not (a value over its `max_length`), returned as the call's error.
    /// One generic future serves every endpoint: the generated code builds the request and
    /// holds no `async` code of its own.
    pub fn send<T, E>(
        &self,
        endpoint: &'static EndpointInfo,
        request: Result<Outgoing, E>,
        options: CallOptions,
    ) -> BoxFuture<'static, Result<T, E>>
    where
        T: DeserializeOwned + Send + 'static,
        E: EndpointError,
    {
        let core = self.clone();
        Box::pin(async move { core.send_now(endpoint, request?, &options).await })
    }

    async fn send_now<T: DeserializeOwned, E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        request: Outgoing,
        options: &CallOptions,
    ) -> Result<T, E> {
        // Boxed, and for forms only: other calls carry none of its state.
        let request = match request.body {
            RequestBody::Multipart { .. } => Box::pin(request.with_file_facts())
                .await
                .map_err(|e| Failed::InvalidRequest(e).into_endpoint::<E>(0))?,
            _ => request,
        };
        match self.call(endpoint, &request, options, Want::Data).await? {
            Got::Data(data) => Ok(data),
            // Only asked for by `open_download`.
            Got::Stream(_) => {
                Err(Failed::Decode(crate::error::DecodeError::not_json_reply()).into_endpoint(1))
            }
        }
    }

    /// Sends a download's request (with the same retries as any call) and returns the reply
    /// with its body unread, once it is a 2xx that is not JSON. An error reply (JSON) is
    /// decoded into the endpoint's error; a JSON success is a decode error (no file).
    pub(crate) async fn open_download<E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        request: &Outgoing,
        options: &CallOptions,
    ) -> Result<reqwest::Response, E> {
        match self
            .call::<serde::de::IgnoredAny, E>(endpoint, request, options, Want::Stream)
            .await?
        {
            Got::Stream(response) => Ok(response),
            Got::Data(_) => Err(
                Failed::Decode(crate::error::DecodeError::json_instead_of_file()).into_endpoint(1),
            ),
        }
    }

    async fn call<T: DeserializeOwned, E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        request: &Outgoing,
        options: &CallOptions,
        want: Want,
    ) -> Result<Got<T>, E> {
        let span = tracing::info_span!(
            "taskapi.call",
            endpoint = endpoint.id,
            attempts = Empty,
            outcome = Empty
        );
        // A disabled span (no subscriber wants it) is not entered and left on every poll.
        // Both branches build the future in place: a future passed through a generic
        // wrapper would be stored twice, and it is large.
        if span.is_disabled() {
            self.send_in(&span, endpoint, request, options, want).await
        } else {
            self.send_in(&span, endpoint, request, options, want)
                .instrument(span.clone())
                .await
        }
    }

    async fn send_in<T: DeserializeOwned, E: EndpointError>(
        &self,
        span: &tracing::Span,
        endpoint: &EndpointInfo,
        request: &Outgoing,
        options: &CallOptions,
        want: Want,
    ) -> Result<Got<T>, E> {
        let url = prepare(&self.prepared.base, request, options)
            .map_err(|e| Failed::InvalidRequest(e).into_endpoint::<E>(0))?;
        // An upload is a transfer: without a time limit of its own, the transfer policy's
        // bounds the call, retries included.
        let limit = options.time_limit.or_else(|| {
            matches!(request.body, RequestBody::Multipart { .. })
                .then_some(self.transfer.time_limit)
        });
        let deadline = limit.and_then(|limit| Instant::now().checked_add(limit));
        let refreshable = options.user_token.is_none() && self.token.can_refresh();
        let mut refreshed = false;
        let mut attempts = 0;
        let mut retries = 0;
        let mut protocol_errors = 0;
        // The error of the attempt before, returned if the next one cannot be made.
        let mut last_error: Option<E> = None;
        loop {
            attempts += 1;
            // Every attempt takes a slot of the endpoint's rate limit. The wait is not part
            // of the attempt's timeout, but a deadline the caller set bounds it: a slot
            // after the deadline ends the call at once.
            // Boxed: only limited endpoints pay for the waiting's state, and polls of those
            // are spaced far apart anyway.
            if let Some(slot) = self.limiter.slot_of(endpoint)
                && Box::pin(self.limiter.acquire(slot, deadline))
                    .await
                    .is_err()
            {
                record_outcome(span, attempts - 1, "error");
                return Err(last_error.unwrap_or_else(|| {
                    Failed::Transport(TransportError::time_limit(limit)).into_endpoint::<E>(0)
                }));
            }
            let attempt_span = tracing::debug_span!(
                "taskapi.attempt",
                attempt = attempts,
                http.status = Empty,
                code = Empty,
                request_id = Empty,
                latency_ms = Empty,
            );
            // One attempt, the token fetch included, cut off at the deadline when there is
            // one, in its span when a subscriber wants it. Each variant is awaited here, not
            // through a helper: the attempt's future is moved whole into every level that
            // awaits it.
            let timeout = match deadline {
                Some(deadline) => self
                    .context
                    .timeout
                    .min(deadline.saturating_duration_since(Instant::now())),
                None => self.context.timeout,
            };
            let attempt = || {
                self.attempt(
                    &attempt_span,
                    endpoint,
                    &url,
                    request,
                    options,
                    timeout,
                    want,
                )
            };
            let (token, result) = match (deadline, attempt_span.is_disabled()) {
                (None, true) => attempt().await,
                (None, false) => attempt().instrument(attempt_span.clone()).await,
                (Some(deadline), true) => tokio::time::timeout_at(deadline, attempt())
                    .await
                    .unwrap_or_else(|_| time_limit_reached(limit)),
                (Some(deadline), false) => {
                    tokio::time::timeout_at(deadline, attempt().instrument(attempt_span.clone()))
                        .await
                        .unwrap_or_else(|_| time_limit_reached(limit))
                }
            };
            let mut failed = match result {
                Ok(data) => {
                    record_outcome(span, attempts, "ok");
                    return Ok(data);
                }
                Err(failed) => failed,
            };
            let may_have_acted = !endpoint.idempotent
                && !failed.proves_nothing_was_done(self.provider.is_rate_limited);
            if may_have_acted {
                failed.mark_outcome_unknown();
            }
            let resendable = !may_have_acted && request.body.can_send_again();
            let throttled = failed.was_throttled(self.provider.is_rate_limited);
            let error = failed.into_endpoint::<E>(attempts);
            let failure = error.failure();
            let time_left = deadline.is_none_or(|d| Instant::now() < d);
            if let (Failure::Api(api), Some(token)) = (failure, &token)
                && refreshable
                && !refreshed
                && time_left
                && (self.provider.is_token_invalid)(api.code())
            {
                tracing::debug!(code = %api.code(), "token refused; fetching a new one and retrying once");
                self.token.invalidate(token);
                refreshed = true;
                last_error = Some(error);
                continue;
            }
            if throttled {
                // Every call of this limit waits out the reset, not only this one; a reset
                // longer than the retry policy would wait for is not believed either.
                let reset = failure
                    .retry_after()
                    .map(|reset| reset.min(self.retry.server_wait_cap()));
                Box::pin(self.limiter.throttled(endpoint, reset)).await;
            }
            retries += 1;
            if let Failure::Transport(e) = failure
                && e.kind() == TransportErrorKind::Protocol
            {
                protocol_errors += 1;
            }
            let delay = (resendable
                && failure.is_retryable()
                && retries < self.retry.attempts()
                && protocol_errors < 2)
                .then(|| self.retry.delay(retries, failure.retry_after()))
                .flatten()
                // No retry that could not start before the deadline.
                .filter(|delay| deadline.is_none_or(|d| Instant::now() + *delay < d));
            let Some(delay) = delay else {
                record_outcome(span, attempts, "error");
                return Err(error);
            };
            tracing::debug!(delay_ms = delay.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(delay).await;
            last_error = Some(error);
        }
    }

    /// One attempt: get a token, send, then decode the reply or, for a download, hand it
    /// over unread. Returns the token used, for invalidation.
    #[allow(clippy::too_many_arguments)]
    async fn attempt<T: DeserializeOwned>(
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
        // send it again. Boxed, like the opening of the file, so that uploads add a pointer
        // to the state of every call's future, not a form.
        let (form, meter) = match &request.body {
            RequestBody::Multipart {
                fields,
                file_part,
                file,
                ..
            } => match Box::pin(file.part()).await {
                Ok((part, meter)) => {
                    let form = fields
                        .iter()
                        .fold(reqwest::multipart::Form::new(), |form, (name, value)| {
                            form.text(*name, value.clone())
                        })
                        .part(*file_part, part);
                    (Some(Box::new(Mutex::new(Some(form)))), Some(meter))
                }
                Err(failed) => return (credential.into_fetched(), Err(failed)),
            },
            _ => (None, None),
        };
        let build = |url: url::Url| {
            // Built field by field rather than through `RequestBuilder`: this runs for every
            // call, and a poll (no body, no header parameters) needs three assignments.
            let mut built = match (&request.body, &form) {
                // reqwest writes a form's boundary and content type itself.
                (RequestBody::Multipart { .. }, Some(form)) => {
                    let form = form
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .take()?;
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
            if want == Want::Data && meter.is_none() {
                // A download's body, or an upload's, may take longer than an attempt: its
                // pace is watched instead (see `transfer`).
                *built.timeout_mut() = Some(timeout);
            }
            Some(built)
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

    /// An upload's exchange, cut when its file's pace falls under the transfer policy's
    /// floor, or when no reply comes within `timeout` of its last byte. A failure before
    /// the file was sent whole proves the server did not act on it.
    async fn upload(
        &self,
        exchange: impl std::future::Future<Output = Result<http::Exchanged, TransportError>>,
        meter: &Meter,
        timeout: Duration,
    ) -> Result<http::Exchanged, TransportError> {
        let watch = watch_upload(meter, self.transfer, timeout);
        let result =
            match futures_util::future::select(std::pin::pin!(exchange), std::pin::pin!(watch))
                .await
            {
                futures_util::future::Either::Left((exchanged, _)) => exchanged,
                futures_util::future::Either::Right((cut, _)) => Err(cut),
            };
        result.map_err(|mut error| {
            if !meter.is_done() {
                error.mark_body_unsent();
            }
            error
        })
    }

    /// The token for an attempt and its header value: the call's user token, the prepared
    /// static token, or the token source's (its header value reused while it is the same).
    async fn credential(&self, options: &CallOptions) -> Result<Credential<'_>, Failed> {
        let unsendable = || {
            Failed::Token(TokenError::other(
                "the token source gave a token that is empty or has characters an HTTP header cannot carry",
            ))
        };
        if let Some(token) = &options.user_token {
            let value = auth_value(self.provider, token).ok_or_else(unsendable)?;
            return Ok(Credential::Fetched(token.clone(), value));
        }
        if let Some((token, value)) = &self.prepared.static_auth {
            return Ok(Credential::Prepared(token, value));
        }
        let token = self
            .token
            .token(&self.context)
            .await
            .map_err(Failed::Token)?;
        let mut last = self
            .prepared
            .last_auth
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let value = match &*last {
            Some((cached, value)) if *cached == token => value.clone(),
            _ => {
                let value = auth_value(self.provider, &token).ok_or_else(unsendable)?;
                *last = Some((token.clone(), value.clone()));
                value
            }
        };
        drop(last);
        Ok(Credential::Fetched(token, value))
    }

    /// Records the exchange on the attempt's span and decodes the reply.
    fn decode<T: DeserializeOwned>(
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

/// What a call reads from a successful reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    /// The JSON data, decoded.
    Data,
    /// The reply itself with its body unread (a download), when it is a file.
    Stream,
}

/// What a call got.
enum Got<T> {
    Data(T),
    Stream(reqwest::Response),
}

/// A 2xx that is not JSON: the file. Errors come back as JSON (any status), so a JSON reply
/// is decoded instead.
fn is_file_reply(response: &reqwest::Response) -> bool {
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

/// Everything checked before any traffic: the URL (parameters, length) and a per-call
/// user token.
fn prepare(
    base_url: &BaseUrl,
    request: &Outgoing,
    options: &CallOptions,
) -> Result<url::Url, InvalidRequest> {
    let (path, query) = (&request.path, &request.query);
    for (name, value) in &request.headers {
        if HeaderName::from_bytes(name.as_bytes()).is_err() || HeaderValue::from_str(value).is_err()
        {
            return Err(InvalidRequest::new(
                name,
                "has characters an HTTP header cannot carry",
            ));
        }
    }
    if let Some(token) = &options.user_token
        && !is_sendable(token)
    {
        return Err(InvalidRequest::new(
            "user_access_token",
            "empty or has characters an HTTP header cannot carry",
        ));
    }
    url_builder::build(base_url, path, query)
}

/// An attempt cut off by the call's time limit.
fn time_limit_reached<T>(limit: Option<Duration>) -> (Option<AccessToken>, Result<T, Failed>) {
    (
        None,
        Err(Failed::Transport(TransportError::time_limit(limit))),
    )
}

fn record_outcome(span: &tracing::Span, attempts: u32, outcome: &'static str) {
    span.record("attempts", attempts);
    span.record("outcome", outcome);
}
