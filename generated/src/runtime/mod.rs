//! The hand-written runtime the generated code calls: HTTP, retries, tokens, URL building,
//! reply decoding and errors. Generated modules hold no logic beyond what the specs say.

mod auth;
mod client;
mod decode;
mod error;
mod http;
mod retry;
mod token;
mod url;
mod waiter;

pub use auth::{
    AppCredentials, BoxFuture, DEFAULT_REFRESH_MARGIN, ManagedToken, StaticToken, TokenApi,
    TokenContext, TokenSource,
};
pub use client::{
    BuildError, ClientBuilder, Core, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_REPLY_BYTES, EndpointInfo, Envelope, ProviderClient, ProviderInfo,
};
pub use error::{
    ApiError, DecodeError, EXCERPT_BYTES, EndpointError, ErrorCode, Failure, InvalidRequest,
    TokenError, TransportError, TransportErrorKind,
};
pub use retry::RetryPolicy;
pub use token::AccessToken;
pub use url::PathPart;
pub use waiter::{
    Clock, GROWTH, JITTER, Observation, Pollable, Progress, TokioClock, WaitDefaults, WaitError,
    WaitOutcome, WaitResult, WaitState, Waiter,
};
