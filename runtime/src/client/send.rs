//! [`Core::send`] and its retry loop: one call sent attempt by attempt, each after a
//! rate-limit slot, with a token, within the call's time limit and in tracing spans, until
//! it succeeds or its failure may not or need not be sent again.
//!
//! One attempt is `attempt.rs`; what is here decides whether there is another.

use super::attempt::{Got, Want};
use super::core::Core;
use super::request::{Outgoing, RequestBody};
use crate::error::{
    EndpointError, Failed, Failure, InvalidRequest, TransportError, TransportErrorKind,
};
use crate::future::BoxFuture;
use crate::options::CallOptions;
use crate::provider::{EndpointInfo, is_sendable};
use crate::token::AccessToken;
use crate::url::{self as url_builder, BaseUrl};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

impl Core {
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

    /// The retry loop, in the call's span: a slot, an attempt, and on failure either a new
    /// token, a delay and another attempt, or the error.
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
        let limit = self.time_limit(request, options);
        let deadline = limit.and_then(|limit| Instant::now().checked_add(limit));
        let mut progress = Progress::new(options.user_token.is_none() && self.token.can_refresh());
        loop {
            progress.attempts += 1;
            // A slot after the deadline ends the call at once.
            if !self.take_slot(endpoint, deadline).await {
                record_outcome(span, progress.attempts - 1, "error");
                return Err(progress.last_error.unwrap_or_else(|| {
                    Failed::Transport(TransportError::time_limit(limit)).into_endpoint::<E>(0)
                }));
            }
            let attempt_span = attempt_span(progress.attempts);
            // One attempt, the token fetch included, cut off at the deadline when there is
            // one, in its span when a subscriber wants it. Each variant is awaited here, not
            // through a helper: the attempt's future is moved whole into every level that
            // awaits it.
            let timeout = self.attempt_timeout(deadline);
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
            let failed = match result {
                Ok(data) => {
                    record_outcome(span, progress.attempts, "ok");
                    return Ok(data);
                }
                Err(failed) => failed,
            };
            let judged = self.judge::<E>(endpoint, request, failed, progress.attempts);
            if self.drop_refused_token(&judged.error, token.as_ref(), &mut progress, deadline) {
                progress.last_error = Some(judged.error);
                continue;
            }
            let failure = judged.error.failure();
            if judged.throttled {
                // Every call of this limit waits out the reset, not only this one; a reset
                // longer than the retry policy would wait for is not believed either.
                let reset = failure
                    .retry_after()
                    .map(|reset| reset.min(self.retry.server_wait_cap()));
                Box::pin(self.limiter.throttled(endpoint, reset)).await;
            }
            let Some(delay) = self.next_delay(&mut progress, failure, judged.resendable, deadline)
            else {
                record_outcome(span, progress.attempts, "error");
                return Err(judged.error);
            };
            tracing::debug!(delay_ms = delay.as_millis() as u64, error = %judged.error, "retrying");
            tokio::time::sleep(delay).await;
            progress.last_error = Some(judged.error);
        }
    }

    /// Waits for a slot of the endpoint's rate limit, which every attempt takes; `false`
    /// when there is none before `deadline`. The wait is not part of the attempt's
    /// timeout, but a deadline the caller set bounds it.
    async fn take_slot(&self, endpoint: &EndpointInfo, deadline: Option<Instant>) -> bool {
        match self.limiter.slot_of(endpoint) {
            // Boxed: only limited endpoints pay for the waiting's state, and polls of those
            // are spaced far apart anyway.
            Some(slot) => Box::pin(self.limiter.acquire(slot, deadline)).await.is_ok(),
            None => true,
        }
    }

    /// The call's time limit: the caller's, else an upload's from the transfer policy.
    fn time_limit(&self, request: &Outgoing, options: &CallOptions) -> Option<Duration> {
        // An upload is a transfer: without a time limit of its own, the transfer policy's
        // bounds the call, retries included.
        options.time_limit.or_else(|| {
            matches!(request.body, RequestBody::Multipart { .. })
                .then_some(self.transfer.time_limit)
        })
    }

    /// An attempt's timeout: the client's, or the time left before the call's deadline
    /// when that is shorter.
    fn attempt_timeout(&self, deadline: Option<Instant>) -> Duration {
        match deadline {
            Some(deadline) => self
                .context
                .timeout
                .min(deadline.saturating_duration_since(Instant::now())),
            None => self.context.timeout,
        }
    }

    /// A failed attempt as the endpoint's error, marked when the server may have acted on
    /// it, and what may follow it.
    fn judge<E: EndpointError>(
        &self,
        endpoint: &EndpointInfo,
        request: &Outgoing,
        mut failed: Failed,
        attempts: u32,
    ) -> Judged<E> {
        let may_have_acted =
            !endpoint.idempotent && !failed.proves_nothing_was_done(self.provider.is_rate_limited);
        if may_have_acted {
            failed.mark_outcome_unknown();
        }
        let resendable = !may_have_acted && request.body.can_send_again();
        let throttled = failed.was_throttled(self.provider.is_rate_limited);
        Judged {
            error: failed.into_endpoint::<E>(attempts),
            resendable,
            throttled,
        }
    }

    /// Whether `error` is the provider refusing `token` and the call may be sent once more
    /// with a new one: then the token source drops it. Once per call, for a source that can
    /// refresh, while the call has time left.
    fn drop_refused_token<E: EndpointError>(
        &self,
        error: &E,
        token: Option<&AccessToken>,
        progress: &mut Progress<E>,
        deadline: Option<Instant>,
    ) -> bool {
        let time_left = deadline.is_none_or(|d| Instant::now() < d);
        if let (Failure::Api(api), Some(token)) = (error.failure(), token)
            && progress.refreshable
            && !progress.refreshed
            && time_left
            && (self.provider.is_token_invalid)(api.code())
        {
            tracing::debug!(code = %api.code(), "token refused; fetching a new one and retrying once");
            self.token.invalidate(token);
            progress.refreshed = true;
            return true;
        }
        false
    }

    /// The wait before the next attempt, counting this failure against the retry budget;
    /// `None` when there is none: the failure is not retryable, the request may not be sent
    /// again, the budget is spent, the protocol failed twice, or the wait would end after
    /// the deadline.
    fn next_delay<E>(
        &self,
        progress: &mut Progress<E>,
        failure: Failure<'_>,
        resendable: bool,
        deadline: Option<Instant>,
    ) -> Option<Duration> {
        progress.retries += 1;
        if let Failure::Transport(e) = failure
            && e.kind() == TransportErrorKind::Protocol
        {
            progress.protocol_errors += 1;
        }
        (resendable
            && failure.is_retryable()
            && progress.retries < self.retry.attempts()
            && progress.protocol_errors < 2)
            .then(|| self.retry.delay(progress.retries, failure.retry_after()))
            .flatten()
            // No retry that could not start before the deadline.
            .filter(|delay| deadline.is_none_or(|d| Instant::now() + *delay < d))
    }
}

/// Where a call stands between its attempts.
struct Progress<E> {
    /// Attempts made, counting the one under way.
    attempts: u32,
    /// Failures counted against the retry budget (a refused token is not).
    retries: u32,
    /// Failures of the protocol itself: a second one ends the call.
    protocol_errors: u32,
    /// Whether a refused token can be replaced: no user token, and a source that refreshes.
    refreshable: bool,
    /// A refused token was replaced already: a second refusal is returned.
    refreshed: bool,
    /// The error of the attempt before, returned if the next one cannot be made.
    last_error: Option<E>,
}

impl<E> Progress<E> {
    fn new(refreshable: bool) -> Self {
        Progress {
            attempts: 0,
            retries: 0,
            protocol_errors: 0,
            refreshable,
            refreshed: false,
            last_error: None,
        }
    }
}

/// A failed attempt, judged by [`Core::judge`].
struct Judged<E> {
    /// The failure as the endpoint's error.
    error: E,
    /// The request may be sent again: the server cannot have acted on it, and its body
    /// can be sent twice.
    resendable: bool,
    /// The provider throttled it.
    throttled: bool,
}

/// The span of one attempt; the exchange fills in its fields.
fn attempt_span(attempt: u32) -> tracing::Span {
    tracing::debug_span!(
        "taskapi.attempt",
        attempt = attempt,
        http.status = Empty,
        code = Empty,
        request_id = Empty,
        latency_ms = Empty,
    )
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
