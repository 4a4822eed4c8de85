//! Bulk jobs on top of the generated `taskapi` client, and the `taskapi` command-line tool.
//!
//! - [`backup`]: a Drive folder tree or a wiki space to disk, every document exported and
//!   every file downloaded, at the documented rate limits, resumable after a crash and
//!   incremental on the next run, with a durable record ([`record`]) under the target folder.
//! - [`upload`]: a local file into a Drive folder, in one request or in parts by size,
//!   streamed from the file.
//! - `fake` (feature `testing`): a generated tree served by `taskapi::testing::FakeServer`,
//!   so the whole job runs without an account.
//! - `cli` (feature `cli`): `taskapi backup ...`, added to the generated subcommands.
//!
//! Hand-written, as the runtime is: the generated crate below it owns no file here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod backup;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "testing")]
pub mod fake;
pub mod migrate;
pub mod record;
mod step;

pub use step::{Severity, may_have_acted};
pub mod upload;
