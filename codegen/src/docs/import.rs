//! `cargo xtask docs import <page>`: a draft endpoint spec from a doc page ([`draft`], made in
//! `docs::draft`); for an endpoint that already has a spec, where it and the page disagree
//! ([`differences`]: the page comparison of `docs::compare`, listed), and the spec updated in
//! place from the page ([`write_into`]: the comparison's differences written in, the parts
//! a person wrote kept).
//!
//! Files: `differences` (the comparison in words), `write` (`write_into`: the top-level
//! values, then `errors:` from `errors`), `layout` (where a spec's keys and list items are,
//! line by line).

mod differences;
mod errors;
mod layout;
mod write;

pub use crate::docs::draft::{ImportRequest, TODO_RETRYABLE, draft};
pub use differences::differences;
pub use write::write_into;
