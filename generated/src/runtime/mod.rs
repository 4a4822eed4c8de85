//! The hand-written runtime the generated code calls: HTTP, URL building, reply decoding,
//! errors and tokens. Generated modules hold no logic of their own beyond what the specs say.

mod client;
mod decode;
mod error;
mod token;
mod url;

pub use client::{
    BuildError, ClientBuilder, Core, EndpointInfo, Envelope, ProviderClient, ProviderInfo,
};
pub use error::{
    ApiError, DecodeError, EXCERPT_BYTES, EndpointError, ErrorCode, Failure, InvalidRequest,
    TransportError, TransportErrorKind,
};
pub use token::AccessToken;
pub use url::PathPart;
