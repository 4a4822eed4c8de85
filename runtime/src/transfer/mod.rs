//! Streamed transfers: downloads written chunk by chunk to a file or a writer, resumed or
//! restarted when the body is cut, and uploads streamed from a file or a reader. Nothing
//! here holds a whole body in memory.
//!
//! `target.rs` is where a download goes (the [`Sink`]s: a file written through a
//! temporary file, a folder and the server's file name, or a writer), `download.rs` the
//! streaming loop that feeds one, `upload.rs` an upload's content ([`UploadFile`]),
//! `pace.rs` how slow and how long a transfer may be ([`TransferPolicy`]), `name.rs` the
//! file names servers give ([`safe_file_name`]), `folder_names.rs` the names a mirrored
//! tree's items get in their folder ([`FolderNames`]). `Core` sends the requests; this
//! module only reads and writes bodies.

mod download;
mod folder_names;
mod name;
mod pace;
mod target;
#[cfg(all(test, feature = "testing"))]
mod tests;
mod upload;

pub(crate) use download::download;
pub use download::{DownloadLimits, MAX_RESUMPTIONS, TransferProgress};
pub use folder_names::{FolderNames, title_file_name};
pub use name::safe_file_name;
pub use pace::{DEFAULT_MIN_RATE, DEFAULT_RATE_WINDOW, DEFAULT_TRANSFER_TIME, TransferPolicy};
pub(crate) use pace::{Meter, watch_upload};
pub(crate) use target::{DirSink, FileSink, Sink, WriterSink};
pub use upload::UploadFile;
