//! The spec format: what a person writes in `specs/**.yaml`, read field by field.
//!
//! One `provider.yaml` per provider directory ([`ProviderSpec`], in `provider.rs`) and one
//! file per endpoint under its `endpoints/` directory ([`EndpointSpec`], in `endpoint.rs`).
//! Both use `object.rs` (reply and token objects, fields, enums), `errors.rs` (error tables)
//! and `value.rs` (codes, methods, path templates); `shared.rs` what a provider declares
//! once for its endpoints (named types, error tables); `chain.rs` the chains between
//! endpoints, with `before.rs` for the upload a start may take first; `waiter_path.rs`
//! resolves a waiter's status path, the one kind of path that may step into an array's
//! elements. Field meanings are documented in README.md ("Spec format").

mod before;
mod chain;
mod endpoint;
mod errors;
mod object;
mod pagination;
mod provider;
mod request;
mod shared;
mod value;
mod waiter_path;

pub use before::{
    BeforeSpec, JsonMemberSpec, PathFact, StartFeedSpec, StartSource, StepFieldSpec, StepSource,
};
pub use chain::{DownloadSpec, FeedSource, FeedSpec, FixedValue, StartsSpec};
pub use endpoint::{EndpointSpec, OverrideSpec, RateLimitSpec, ScopeSpec, WaitState, WaiterSpec};
pub use errors::ErrorSpec;
pub use object::{
    EnumSpec, EnumValueSpec, FieldRole, FieldSpec, FieldType, ObjectSpec, StringFormat,
};
pub use pagination::PaginationSpec;
pub use provider::{
    AuthSpec, EnvelopeSpec, EnvelopeStyle, HostSpec, ProviderRateLimit, ProviderSpec,
    RequestIdSpec, TokenEndpointSpec,
};
pub use request::{
    BodyContent, BodySpec, FileFactKind, FilePartSpec, FromFileSpec, ParamIn, ParamSpec,
    ResponseSpec,
};
pub use shared::{ErrorTableSpec, SharedType};
pub use value::{Code, CodeType, Method, Scalar, TextSource};
pub use waiter_path::WaiterStep;
