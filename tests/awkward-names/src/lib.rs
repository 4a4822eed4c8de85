//! Generated from `specs/` by the build script: a provider module named `type` with a client
//! named `Result`, operations named `api`, `endpoint`, `std`, `core`, `type`, `runtime` and
//! `lock`, reply and enum types named after prelude and runtime items. That it compiles, and
//! that `tests/awkward.rs` can call it, is the point.

#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/api.rs"));

pub use api::r#type;
