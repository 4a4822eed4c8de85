//! [`Core::download`]: a download endpoint's call, its body streamed into a file or a
//! writer (see `transfer`), with the same tokens, retries and error decoding as any call.

use super::core::Core;
use super::request::Outgoing;
use crate::error::{DownloadError, DownloadFailed, Failed, TransportError};
use crate::future::BoxFuture;
use crate::options::CallOptions;
use crate::provider::EndpointInfo;
use crate::transfer::{
    self, DirSink, DownloadLimits, FileSink, Sink, TransferProgress, WriterSink,
};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWrite;
use tokio::time::Instant;

/// A download's future, its output the bytes written (what `to_file` and `to_writer` give).
pub fn bytes_written<'a, E: 'a>(
    download: BoxFuture<'a, Result<Downloaded, E>>,
) -> BoxFuture<'a, Result<u64, E>> {
    Box::pin(async move { download.await.map(|downloaded| downloaded.bytes) })
}

/// Called with a download's progress.
pub type TransferProgressFn = Arc<dyn Fn(&TransferProgress) + Send + Sync>;

/// Where a download goes. Paths are owned, so that a download into a file is a future of
/// its own (`'static`); a writer is borrowed for as long as the download runs.
#[non_exhaustive]
pub enum DownloadTarget<'a> {
    /// A file, written through a temporary file beside it and renamed onto it only once
    /// complete: a failed download leaves nothing under this name.
    Path(PathBuf),
    /// A file in this folder, under the name the server gives (its `Content-Disposition`)
    /// made safe by [`safe_file_name`](crate::safe_file_name), else `download`, as
    /// `curl -OJ` does: written like [`Path`](Self::Path), and never replacing a file that
    /// is there already.
    Dir(PathBuf),
    /// Any writer. A body cut mid-way is resumed by range when the server allows it;
    /// otherwise the download fails (what was written cannot be taken back).
    Writer(&'a mut (dyn AsyncWrite + Unpin + Send)),
}

impl DownloadTarget<'_> {
    /// The same target, borrowed for a shorter while (to hand to a download request).
    pub fn reborrow(&mut self) -> DownloadTarget<'_> {
        match self {
            DownloadTarget::Path(path) => DownloadTarget::Path(path.clone()),
            DownloadTarget::Dir(dir) => DownloadTarget::Dir(dir.clone()),
            DownloadTarget::Writer(writer) => DownloadTarget::Writer(&mut **writer),
        }
    }
}

impl fmt::Debug for DownloadTarget<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadTarget::Path(path) => f.debug_tuple("Path").field(path).finish(),
            DownloadTarget::Dir(dir) => f.debug_tuple("Dir").field(dir).finish(),
            DownloadTarget::Writer(_) => f.write_str("Writer(..)"),
        }
    }
}

/// What a download wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// The file's length.
    pub bytes: u64,
    /// The file written, for a download into a folder ([`DownloadTarget::Dir`]); `None`
    /// for the other targets.
    pub path: Option<PathBuf>,
}

/// A download's settings besides the request: limits and a progress callback.
#[derive(Clone, Default)]
pub struct TransferOptions {
    pub(crate) limits: DownloadLimits,
    pub(crate) progress: Option<TransferProgressFn>,
}

impl TransferOptions {
    /// Refuses a body larger than `bytes` (default: no limit; the cap on JSON replies
    /// does not apply to files).
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.limits = self.limits.max_bytes(bytes);
        self
    }

    /// Requires a body of exactly `len` bytes (a workflow sets the size the task reported).
    pub fn expected_len(mut self, len: u64) -> Self {
        self.limits = self.limits.expected_len(len);
        self
    }

    /// Calls `report` as the body arrives (every 64 KiB or so, and at the end).
    pub fn on_progress(mut self, report: TransferProgressFn) -> Self {
        self.progress = Some(report);
        self
    }
}

impl fmt::Debug for TransferOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransferOptions")
            .field("limits", &self.limits)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Core {
    /// Sends a download endpoint's request and streams the file into `target`. A JSON
    /// reply is the endpoint's error; a body cut mid-way, or slower than the client's
    /// [`TransferPolicy`](crate::TransferPolicy) allows, is resumed with a `Range` request
    /// when the server accepts ranges, else started again (files only). The download as a
    /// whole, resumptions included, is bounded by the call's time limit, else the policy's.
    ///
    /// The future owns a handle on this core and the request (see [`Core::send`]); it lives
    /// as long as the target it writes to.
    pub fn download<'a, E: DownloadError>(
        &self,
        endpoint: &'static EndpointInfo,
        request: Result<Outgoing, E>,
        options: CallOptions,
        target: DownloadTarget<'a>,
        transfer: TransferOptions,
    ) -> BoxFuture<'a, Result<Downloaded, E>> {
        let core = self.clone();
        Box::pin(async move {
            core.download_now(endpoint, request?, &options, target, &transfer)
                .await
        })
    }

    async fn download_now<E: DownloadError>(
        &self,
        endpoint: &EndpointInfo,
        request: Outgoing,
        options: &CallOptions,
        target: DownloadTarget<'_>,
        transfer: &TransferOptions,
    ) -> Result<Downloaded, E> {
        let limit = options.time_limit.unwrap_or(self.transfer.time_limit);
        let deadline = Instant::now().checked_add(limit);
        let mut file;
        let mut dir = None;
        let mut writer;
        let sink: &mut dyn Sink = match target {
            DownloadTarget::Path(path) => {
                file = FileSink::create(&path)
                    .await
                    .map_err(|e| DownloadFailed::Output(e).into_endpoint::<E>(0))?;
                &mut file
            }
            DownloadTarget::Dir(path) => dir.insert(DirSink::new(&path)),
            DownloadTarget::Writer(w) => {
                writer = WriterSink::new(w);
                &mut writer
            }
        };
        // The transfer loop speaks `Failed`; a request's failure is already the endpoint's
        // error (classified, attempts counted), so it is kept here and returned as is.
        let call_error: Mutex<Option<E>> = Mutex::new(None);
        let fetch = |offset: u64| -> BoxFuture<'_, Result<reqwest::Response, Failed>> {
            let call_error = &call_error;
            let request = &request;
            Box::pin(async move {
                let mut ranged = request.clone();
                if offset > 0 {
                    ranged.headers.push(("range", format!("bytes={offset}-")));
                }
                // Each request (a resumption's too) gets what is left of the download's time.
                let mut options = options.clone();
                options.time_limit =
                    deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
                match self.open_download::<E>(endpoint, &ranged, &options).await {
                    Ok(response) => Ok(response),
                    Err(error) => {
                        *call_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
                        Err(Failed::Transport(TransportError::placeholder()))
                    }
                }
            })
        };
        // The body is bounded by its pace and the deadline, not by the attempt's timeout.
        let mut limits = transfer.limits;
        limits.policy = self.transfer;
        limits.deadline = deadline.map(|deadline| (deadline, limit));
        let result = match &transfer.progress {
            Some(report) => {
                let mut report = |p: &TransferProgress| report(p);
                transfer::download(&fetch, sink, &limits, Some(&mut report)).await
            }
            None => transfer::download(&fetch, sink, &limits, None).await,
        };
        let bytes = result.map_err(|failed| {
            match call_error.lock().unwrap_or_else(|p| p.into_inner()).take() {
                Some(error) => error,
                None => failed.into_endpoint(1),
            }
        })?;
        let path = dir.as_ref().and_then(DirSink::path).map(Path::to_owned);
        Ok(Downloaded { bytes, path })
    }
}
