//! A local file uploaded into a Drive folder as it is: in one request up to the one-request
//! limit (20 MB), in parts above it (prepare, each part, finish), streamed from the file
//! either way: memory holds one part at most, whatever the file's size.
//!
//! `parts.rs`: the part upload (blocks read one at a time, each retried alone);
//! `file.rs`: [`upload_file`], which picks one request or parts.

mod file;
mod parts;

pub use file::{ONE_REQUEST_MAX, Uploaded, upload_file};
pub use parts::{PART_ATTEMPTS, UploadError};
