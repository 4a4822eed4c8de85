//! Typed clients for the long-running jobs of Feishu/Lark and DingTalk: start a task
//! (export a document, import a file, move a folder, copy a doc, export meeting data), wait
//! for it, and fetch its file.
//!
//! Generated from the YAML specs in `specs/` by `cargo xtask gen`: each endpoint has a
//! request builder that cannot be sent without its required parameters, reply types whose
//! statuses are enums (with an `Unknown` variant that keeps unlisted values), and an error
//! enum with one variant per documented code.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use taskapi::ErrorDetails; // `is_retryable`, `code`, `hint`, ... on every endpoint error
//! use taskapi::feishu::{ExportJobStatus, FeishuClient, GetExportTaskError};
//!
//! let client = FeishuClient::new("t-your-tenant-token")?;
//! match client.get_export_task("ticket", "doc-token").send().await {
//!     // Reply fields may be absent: each one is an `Option`.
//!     Ok(data) => match data.result {
//!         Some(result) if result.job_status == Some(ExportJobStatus::Success) => {
//!             println!("file token: {:?}", result.file_token)
//!         }
//!         _ => println!("not done yet"),
//!     },
//!     Err(GetExportTaskError::DocsDeleted(e)) => println!("gone: {e}"),
//!     Err(e) => println!("{e} (retryable: {})", e.is_retryable()),
//! }
//! # Ok(()) }
//! ```
//!
//! The client is a cheap handle (an `Arc` inside) and a request owns what it needs, so a
//! request's future can be handed to another task as it is:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = taskapi::feishu::FeishuClient::new("t-your-tenant-token")?;
//! let reply = tokio::spawn(client.get_export_task("ticket", "doc-token").send());
//! let waited = tokio::spawn(client.wait_export_task("ticket", "doc-token").into_future());
//! println!("{:?} {:?}", reply.await?.is_ok(), waited.await?.is_ok());
//! # Ok(()) }
//! ```
//!
//! Each provider and each API family is a Cargo feature (`feishu`, `feishu-drive`,
//! `feishu-vc`, `dingtalk-doc`, ...), all on by default: an app that needs one family turns
//! the defaults off and names it, and compiles nothing else.
//!
//! The crate root only wires modules: everything in `api/` is generated (never edit it by
//! hand); the hand-written runtime it calls is the `taskapi-runtime` crate, re-exported as
//! [`runtime`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Formatted by the generator (prettyplease); rustfmt would fight the drift check.
#[rustfmt::skip]
mod api;

pub use taskapi_runtime as runtime;

/// The accessors every endpoint error has (`code`, `hint`, `is_retryable`, ...): one trait
/// for all of them, so bring it into scope once.
pub use taskapi_runtime::ErrorDetails;

// One module per provider, each behind its feature (and its API families behind theirs:
// `feishu-drive`, `feishu-vc`, ...; all on by default), plus `cli` and `testing` behind
// theirs: whatever `api/mod.rs` declares.
#[allow(
    unused_imports,
    reason = "with no feature on, there is nothing to re-export"
)]
pub use api::*;
