//! The failures every endpoint shares. Each endpoint's generated error enum wraps these:
//! one variant per documented code (an [`ApiError`]), the provider's common codes,
//! `Unknown`, and the non-API failures of this module.
//!
//! `api.rs` is the provider's answer ([`ApiError`], [`ErrorCode`]), `transport.rs`,
//! `decode.rs` and `invalid.rs` the failures below the API, `output.rs` a download that
//! could not be stored ([`OutputError`]), and `failure.rs` what ties them
//! together: the [`Failure`] view, [`TokenError`], the internal `Failed` and
//! [`EndpointError`].

mod api;
mod chain;
mod decode;
mod failure;
mod invalid;
mod output;
mod transport;

pub use api::{ApiError, ErrorCode};
pub use chain::with_causes;
pub use decode::{DecodeError, EXCERPT_BYTES};
pub use failure::{DownloadError, EndpointError, ErrorDetails, Failure, TokenError};
pub(crate) use failure::{DownloadFailed, Failed};
pub use invalid::InvalidRequest;
pub use output::OutputError;
pub use transport::{TransportError, TransportErrorKind};
