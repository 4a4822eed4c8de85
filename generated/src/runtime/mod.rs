//! The hand-written runtime the generated code calls: HTTP, retries, tokens, URL building,
//! reply decoding and errors. Generated modules hold no logic beyond what the specs say.

mod auth;
mod client;
mod decode;
mod error;
mod http;
mod options;
mod redact;
mod retry;
mod token;
mod url;
mod waiter;

pub use auth::{
    AppCredentials, BoxFuture, DEFAULT_REFRESH_MARGIN, MAX_TOKEN_LIFETIME, ManagedToken,
    StaticToken, TokenApi, TokenContext, TokenSource,
};
pub use client::{
    BuildError, ClientBuilder, Core, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_REPLY_BYTES, EndpointInfo, Envelope, ProviderClient, ProviderInfo,
};
pub use error::{
    ApiError, DecodeError, EXCERPT_BYTES, EndpointError, ErrorCode, Failure, InvalidRequest,
    TokenError, TransportError, TransportErrorKind,
};
pub use options::{CallOptions, RawInspector};
pub use retry::RetryPolicy;
pub use token::AccessToken;
pub use url::{PathPart, check_max_length};
pub use waiter::{
    Clock, GROWTH, JITTER, LAST_POLL_GRACE, Observation, Pollable, Progress, TokioClock,
    WaitDefaults, WaitError, WaitOutcome, WaitResult, WaitState, Waiter,
};
