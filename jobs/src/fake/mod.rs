//! A generated Drive folder tree and wiki space, served by the fake server, so that a
//! backup runs end to end in tests (and in `taskapi serve-fake --tree`) without an account.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use taskapi_jobs::fake::{FakeTree, TreeOptions};
//!
//! let server = taskapi::testing::FakeServer::start().await?;
//! let tree = FakeTree::new(TreeOptions { items: 200, ..TreeOptions::default() });
//! tree.install(&server);
//! // Back up FakeTree::ROOT_FOLDER or FakeTree::SPACE_ID with a client of `server`,
//! // then compare with tree.items() and tree.export_content(..).
//! # Ok(()) }
//! ```
//!
//! `options.rs`: what a tree is made of; `model.rs`: the state behind the lock;
//! `generate.rs`: making both trees from the seed; `content.rs`: bytes made on demand;
//! `tree.rs`: [`FakeTree`], the tests' handle; `wire.rs`: queries, paths, envelopes, pages;
//! `list_routes.rs` and `export_routes.rs`: the six routes; `serve.rs`: `serve-fake` flags;
//! `uploads.rs` (with `multipart.rs`): [`FakeUploads`], files arriving whole or in parts.

mod content;
mod export_routes;
mod generate;
mod list_routes;
pub mod model;
mod multipart;
pub mod options;
#[cfg(feature = "cli")]
pub mod serve;
pub mod tree;
pub mod uploads;
mod wire;

#[cfg(test)]
mod tests;

pub use model::{FakeItem, Source};
pub use options::TreeOptions;
pub use tree::FakeTree;
pub use uploads::FakeUploads;
