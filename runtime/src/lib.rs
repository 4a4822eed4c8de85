//! The hand-written runtime of the `taskapi` clients: the HTTP core, tokens, retries,
//! waiters, reply decoding and errors, plus the engines of the CLI (feature `cli`) and of
//! the fake server (feature `testing`).
//!
//! Nothing here is generated and nothing here knows an endpoint: the generated crate
//! (`taskapi`) describes endpoints as data and calls in, and re-exports this crate as
//! `taskapi::runtime`. Depend on `taskapi`, not on this crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod batch;
mod client;
mod decode;
mod error;
mod future;
mod http;
mod limit;
mod macros;
mod options;
mod pages;
mod provider;
mod redact;
mod retry;
pub mod shared;
mod token;
mod transfer;
mod url;
mod waiter;
pub mod wire;
mod workflow;

#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod cli;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use auth::{
    AppCredentials, DEFAULT_REFRESH_MARGIN, ManagedToken, StaticToken, TokenApi, TokenContext,
    TokenSource,
};
pub use batch::{BatchSummary, BatchWaiter, DEFAULT_MAX_IN_FLIGHT, EndKind, TaskEnded};
pub use client::{
    BuildError, ClientBuilder, Core, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_REPLY_BYTES, DownloadTarget, Downloaded, FileFact, FromFile, HttpSetupError,
    MaxSize, Outgoing, ProviderClient, RequestBody, TransferOptions, TransferProgressFn,
    bytes_written,
};
pub use error::{
    ApiError, DecodeError, DownloadError, EXCERPT_BYTES, EndpointError, ErrorCode, ErrorDetails,
    Failure, InvalidRequest, OutputError, TokenError, TransportError, TransportErrorKind,
    with_causes,
};
pub use future::BoxFuture;
pub use limit::{DEFAULT_FRACTION, DEFAULT_THROTTLE_PAUSE, RateLimits};
pub use options::{CallOptions, RawInspector};
pub use pages::{Cursor, Items, PageError, Pages, Paginated};
pub use provider::{EndpointInfo, EndpointLimit, Envelope, HasProvider, ProviderInfo, RateLimit};
pub use retry::RetryPolicy;
/// serde, for the generated code's macros (`record_serde!`, `listed_enum!`): the crate that
/// expands them need not name serde itself.
#[doc(hidden)]
pub use serde as __serde;
pub use token::{AccessToken, MAX_TOKEN_LIFETIME};
/// The writer a download streams into (`to_writer`), re-exported from tokio.
pub use tokio::io::AsyncWrite;
pub use transfer::{
    DEFAULT_MIN_RATE, DEFAULT_RATE_WINDOW, DEFAULT_TRANSFER_TIME, DownloadLimits, FolderNames,
    MAX_RESUMPTIONS, TransferPolicy, TransferProgress, UploadFile, safe_file_name, title_file_name,
};
pub use url::{PathPart, check_max_length};
pub use waiter::{
    Clock, GROWTH, JITTER, LAST_POLL_GRACE, Observation, Pollable, Progress, TokioClock,
    WaitDefaults, WaitError, WaitOutcome, WaitResult, WaitState, Waiter,
};
pub use workflow::{
    AfterUpload, Download, FeedsDownload, FetchResult, Fetched, Finished, StartsAfterUpload,
    StartsTask, UploadThen, UploadThenError, UploadThenFetchResult, UploadThenResult,
    UploadThenStartResult, Workflow, WorkflowError, WorkflowResult, extension_of, file_name_of,
    json_object_text,
};
