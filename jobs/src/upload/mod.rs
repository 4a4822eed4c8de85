//! A local file uploaded, into a Drive folder as it is or as the source of an import: in
//! one request up to the one-request limit (20 MB), in parts above it (prepare, each part,
//! finish), streamed from the file either way: memory holds one part at most, whatever the
//! file's size.
//!
//! `parts.rs`: the part upload (blocks read one at a time, each retried alone) and what both
//! kinds share; `file.rs`: [`upload_file`], into a folder; `media.rs`:
//! [`upload_import_source`], for an import task; `imports.rs`: what a local file imports to
//! ([`placement`]), by its extension and size.

mod file;
mod imports;
mod media;
mod parts;

pub use file::{ONE_REQUEST_MAX, upload_file, upload_file_with};
pub use imports::{Placement, Spreadsheets, import_limit, placement};
pub use media::{ImportAs, upload_import_source};
pub use parts::{BeforeCreate, PART_ATTEMPTS, UploadError, Uploaded};
