//! A local file uploaded, into a Drive folder as it is or as the source of an import: in
//! one request up to the one-request limit (20 MB), in parts above it (prepare, each part,
//! finish), streamed from the file either way: memory holds one part at most, whatever the
//! file's size.
//!
//! `error.rs`: [`UploadError`], [`Uploaded`]; `parts.rs`: the part upload (blocks read one at a time, each retried alone, continued
//! from where an earlier run stopped) and what both kinds share; `hooks.rs`: what a job adds
//! (a hook before the create, the part upload's progress); `file.rs`: [`upload_file`],
//! into a folder; `media.rs`: [`upload_import_source`], for an import task; `imports.rs`:
//! what a local file imports to ([`placement`]), by its extension and size.

mod error;
mod file;
mod hooks;
mod imports;
mod media;
mod parts;

pub use error::{UploadError, Uploaded};
pub use file::{ONE_REQUEST_MAX, upload_file, upload_file_with};
pub use hooks::{BeforeCreate, Hooks, OnPart, PartsDone};
pub use imports::{Placement, Spreadsheets, import_limit, placement};
pub use media::{ImportAs, upload_import_source, upload_import_source_with};
pub use parts::PART_ATTEMPTS;
