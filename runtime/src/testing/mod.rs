//! The engine of the fake Feishu/DingTalk server, for testing code that calls or waits on
//! these APIs without reaching either (feature `testing`).
//!
//! It knows no endpoint: the routes (paths, envelopes, documented error codes, example
//! replies) are data generated from the specs, and `taskapi::testing::FakeServer` starts
//! this engine with them and adds one typed scripting method per endpoint. Use that one.

// `route.rs`: the generated route table's types; `reply.rs`: faults and reply bodies;
// `state.rs`: what the fake keeps between requests; `recorded.rs`: a request as received; `respond.rs`: answering one request;
// `server.rs`: `FakeServer` and its scripting; `responder.rs`: routes answered by a test's
// own model of the provider's data;
// `called.rs`: describing calls made by endpoint id; `list.rs`: paginated lists; `download.rs`: binary downloads
// (content made on the fly, ranges, cuts); `stats.rs`: what the server saw (arrival times,
// throttled replies, tokens issued), also served at `GET /_fake/stats`.
mod called;
mod download;
mod list;
mod listed;
mod recorded;
mod reply;
mod respond;
mod responder;
mod route;
mod server;
mod state;
mod stats;

pub use called::{Called, CalledError, ClientSettings};
#[cfg(test)]
pub(crate) use download::binary_reply;
pub use download::{content, content_byte};
pub use list::{FAILED_PAGE_CODE, FAILED_PAGE_CODE_STR, ListPlan, list_item};
pub use listed::{Listed, ListedError};
pub use recorded::Recorded;
pub use reply::{Fault, FaultBody};
pub use responder::{Responded, Responder};
pub use route::{CodeRef, DocumentedError, ListShape, RateLimitShape, Route, RouteKind, TaskShape};
pub use server::{EndpointScript, FAKE_ACCESS_TOKEN, FakeServer};
pub use stats::{FakeStats, MAX_ARRIVALS, STATS_PATH};

/// A writer that throws away what it is given: a download's target when only the call's
/// outcome matters (as in `call_by_id`).
pub fn discard() -> tokio::io::Sink {
    tokio::io::sink()
}

/// Runs `call` as its own tokio task and returns its output: `call_by_id` sends every
/// request this way, so each endpoint's request future is shown to be `Send + 'static`
/// (owning its client handle, borrowing nothing), as `tokio::spawn` demands.
///
/// # Panics
/// When the task panicked (the panic is carried on) or the runtime is shutting down.
pub async fn spawned<T: Send + 'static>(
    call: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    match tokio::spawn(call).await {
        Ok(output) => output,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the spawned call did not finish: {e}"),
    }
}
