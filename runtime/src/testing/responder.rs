//! [`Responder`]: a route answered by code of the test's own, a model of the provider's
//! data (a drive's folder tree, say) that the generated routes cannot describe. The fake
//! still counts, records, paces and throttles the request first, as for any route.

use super::recorded::Recorded;
use bytes::Bytes;
use std::sync::Arc;

/// What a [`Responder`] answers: a status, a content type and a whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Responded {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body, sent whole.
    pub body: Bytes,
}

impl Responded {
    /// A JSON reply (the body as it is, already in the provider's envelope).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Responded {
            status,
            content_type: "application/json",
            body: Bytes::from(body.into()),
        }
    }

    /// A file: `200` with `application/octet-stream`.
    pub fn file(body: impl Into<Bytes>) -> Self {
        Responded {
            status: 200,
            content_type: "application/octet-stream",
            body: body.into(),
        }
    }
}

/// Answers a route's requests; `None` leaves the request to the route's default reply.
/// Called off the server's lock, so it may take its own.
pub type Responder = Arc<dyn Fn(&Recorded) -> Option<Responded> + Send + Sync>;
