//! Integration tests live in `tests/`; this crate holds what they need besides the
//! `common` module: a real Redis to share state through ([`redis`]).
#![forbid(unsafe_code)]

pub mod redis;
