//! The engine of the fake Feishu/DingTalk server, for testing code that calls or waits on
//! these APIs without reaching either (feature `testing`).
//!
//! It knows no endpoint: the routes (paths, envelopes, documented error codes, example
//! replies) are data generated from the specs, and `taskapi::testing::FakeServer` starts
//! this engine with them and adds one typed scripting method per endpoint. Use that one.

// `route.rs`: the generated route table's types; `reply.rs`: faults and reply bodies;
// `respond.rs`: answering one request; `server.rs`: `FakeServer` and its scripting;
// `called.rs`: describing calls made by endpoint id.
mod called;
mod reply;
mod respond;
mod route;
mod server;

pub use called::{Called, CalledError, ClientSettings};
pub use reply::{Fault, FaultBody};
pub use route::{CodeRef, DocumentedError, RateLimitShape, Route, RouteKind};
pub use server::{EndpointScript, FAKE_ACCESS_TOKEN, FakeServer};
