//! Chained endpoints: start a task, wait for it, and fetch its file (`chain.rs`), and the
//! step a workflow may take before its start, an upload whose reply feeds it
//! (`upload_first.rs`, with `fill.rs`: the values the upload's fields are built from).

mod chain;
mod fill;
mod upload_first;

// The CLI reports a chain without a download as one with.
#[cfg(feature = "cli")]
pub(crate) use chain::widen;
pub use chain::{
    Download, FeedsDownload, FetchResult, Fetched, Finished, StartsTask, Workflow, WorkflowError,
    WorkflowResult,
};
pub use fill::{extension_of, file_name_of, json_object_text};
pub use upload_first::{
    AfterUpload, StartsAfterUpload, UploadThen, UploadThenError, UploadThenFetchResult,
    UploadThenResult, UploadThenStartResult,
};
