//! A generated Drive folder tree and wiki space, served by the fake server, so that a
//! backup runs end to end in tests (and in `taskapi serve-fake --tree`) without an account;
//! and, installed writable, a Drive that a migration writes into and a test reads back.
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
//! **Writable.** [`FakeTree::install_writable`] installs the same routes and those that
//! write, all into this one tree: uploads (it returns their [`FakeUploads`], made with
//! [`FakeUploads::for_tree`]; a file finished into a folder is listed there, an import
//! source is kept for imports), `create_folder`, import tasks (the document appears in its
//! folder when the task is due, `import_ready` after its create, polled or not) and wiki
//! moves. A test then reads what arrived where from the listing ([`FakeTree::items`], or
//! the list routes), each new item's [`Content`] ([`FakeTree::content_of`]: length,
//! SHA-256, parts, an import's source extension) and the counters
//! ([`FakeTree::folder_creates`], [`file_creates`](FakeTree::file_creates),
//! [`import_creates`](FakeTree::import_creates), [`wiki_moves`](FakeTree::wiki_moves)).
//! `FakeUploads::default()` stays apart from any tree: it takes a file into any folder and
//! only records it ([`FakeUploads::arrived`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use taskapi_jobs::fake::{FakeTree, TreeOptions};
//!
//! let server = taskapi::testing::FakeServer::start().await?;
//! let tree = FakeTree::new(TreeOptions { items: 0, ..TreeOptions::default() }); // empty
//! let uploads = tree.install_writable(&server);
//! // Migrate a local directory into FakeTree::ROOT_FOLDER with a client of `server`, then
//! // check each file once in its folder: tree.items(), tree.content_of(..), the counters;
//! // uploads.fail_part(..) and tree.fail_imports(..) inject failures.
//! # Ok(()) }
//! ```
//!
//! `options.rs`: what a tree is made of; `model.rs`: the state behind the lock, with what
//! writes add to it in `written.rs`; `state.rs`: the lock, which first ends the tasks due
//! (`due.rs`); `generate.rs`: making both trees from the seed; `content.rs`: bytes made on
//! demand; `tree.rs`: [`FakeTree`], the tests' handle, and `writable.rs` its writing side;
//! `wire.rs`: queries, paths, envelopes, pages; `list_routes.rs` and `export_routes.rs`: the
//! six routes a backup reads; `place.rs`: new items into folders, documents into the wiki;
//! `folder_routes.rs`, `import_routes.rs`, `wiki_routes.rs`: the routes that write;
//! `serve.rs`: `serve-fake` flags; `uploads.rs` (with `incoming.rs`, parts put together,
//! `multipart.rs`, forms read, and `landing.rs`, where a finished upload goes in a tree):
//! [`FakeUploads`], files arriving whole or in parts.

mod content;
mod due;
mod export_routes;
mod folder_routes;
mod generate;
mod import_routes;
mod incoming;
mod landing;
mod list_routes;
pub mod model;
mod multipart;
pub mod options;
mod place;
#[cfg(feature = "cli")]
pub mod serve;
mod state;
pub mod tree;
pub mod uploads;
mod wiki_routes;
mod wire;
mod writable;
mod written;

#[cfg(test)]
mod tests;

pub use model::{FakeItem, Source};
pub use options::TreeOptions;
pub use tree::FakeTree;
pub use uploads::FakeUploads;
pub use written::Content;
