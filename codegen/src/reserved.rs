//! Names the generated code, or the runtime it calls, already uses in a namespace that specs
//! also fill. Validation refuses them in specs; kept here, below both validation and the
//! emitters, so that neither has to reach into the other for them.

/// Variants of every endpoint's error enum that a documented error may not be named.
pub const ERROR_VARIANTS: &[&str] = &[
    "Common",
    "Unknown",
    "Transport",
    "Decode",
    "InvalidRequest",
    "Token",
    "Output",
];

/// Methods every generated client has, which no operation or waiter may take.
pub const CLIENT_METHODS: &[&str] = &["builder", "new", "base_url"];

/// Module and file names the generated `api/` tree uses itself: no provider may take them
/// (`api/cli.rs`, `api/testing.rs`, `api/mod.rs`) ...
pub const PROVIDER_MODULES: &[&str] = &["cli", "testing", "mod"];

/// ... and no operation may be `mod` (`api/<provider>/mod.rs` is the provider's module) or
/// `types` (`api/<provider>/types.rs`, its shared types).
pub const OPERATION_MODULES: &[&str] = &["mod", "types"];

/// Methods of `taskapi::testing::FakeServer` itself, which no endpoint's scripting method
/// (named after its operation) may take.
pub const FAKE_SERVER_METHODS: &[&str] = &[
    "start",
    "uri",
    "client",
    "requests",
    "set_token_lifetime",
    "script",
    "endpoint_by_id",
    "last_request",
    "set_download_size",
    "set_accept_ranges",
    "set_pending_polls",
    "set_pending_polls_per_task",
    "set_rate_limit",
    "throttled",
    "tokens_issued",
    "arrivals",
    "elapsed",
    "stats",
    "settings",
];
