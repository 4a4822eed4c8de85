//! Streamed transfers: downloads written chunk by chunk to a file or a writer, resumed or
//! restarted when the body is cut, and uploads streamed from a file or a reader. Nothing
//! here holds a whole body in memory.
//!
//! `target.rs` is where a download goes (the [`Sink`]s: a file written through a
//! temporary file, or a writer), `download.rs` the streaming loop that feeds one, and
//! `upload.rs` an upload's content ([`UploadFile`]). `Core` sends the requests; this module
//! only reads and writes bodies.

mod download;
mod target;
#[cfg(all(test, feature = "testing"))]
mod tests;
mod upload;

pub(crate) use download::download;
pub use download::{DownloadLimits, TransferProgress};
pub(crate) use target::{FileSink, Sink, WriterSink};
pub use upload::UploadFile;
