//! The HTTP core every generated client wraps: one connection pool, the base URL, where
//! tokens come from, and how calls are retried and timed out.
//!
//! `crate::provider` holds a provider's and an endpoint's generated description;
//! `builder.rs` configures a client, `core.rs` is the [`Core`] handle it builds and what its
//! clones share, `request.rs` is what a call sends, `send.rs` is [`Core::send`] and its
//! retry loop, `attempt.rs` one attempt of it, which takes its token from `credential.rs`,
//! its form and upload watch from `upload.rs`, and reads its reply by `reply.rs`;
//! `download.rs` streams a download.

mod attempt;
mod builder;
mod core;
mod credential;
mod download;
mod reply;
mod request;
mod send;
mod upload;

pub use self::core::Core;
pub use builder::{
    BuildError, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_REPLY_BYTES, HttpSetupError, ProviderClient,
};
pub use download::{
    DownloadTarget, Downloaded, TransferOptions, TransferProgressFn, bytes_written,
};
pub use request::{FileFact, FromFile, MaxSize, Outgoing, RequestBody};
