//! The HTTP core every generated client wraps: one connection pool, the base URL, where
//! tokens come from, and how calls are retried and timed out.
//!
//! `provider.rs` holds a provider's and an endpoint's generated description, `builder.rs`
//! configures a client, `request.rs` is what a call sends, `download.rs` streams a download, `send.rs` is the [`Core`] and its
//! retry loop.

mod builder;
mod download;
mod request;
mod send;

pub use builder::{
    BuildError, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_REPLY_BYTES, HttpSetupError, ProviderClient,
};
pub use download::{
    DownloadTarget, Downloaded, TransferOptions, TransferProgressFn, bytes_written,
};
pub use request::{FileFact, FromFile, MaxSize, Outgoing, RequestBody};
pub use send::Core;
