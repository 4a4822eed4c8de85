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

pub use api::{dingtalk, feishu};

#[cfg(feature = "cli")]
pub use api::cli;

#[cfg(feature = "testing")]
pub use api::testing;
