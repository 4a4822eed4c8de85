//! A workflow with a step before its start: a local file uploaded first, the upload's reply
//! feeding the start request (a spec's `starts.before`), so that "file on disk -> new
//! document" is one call. The generated start request implements [`StartsAfterUpload`]
//! (how its upload is built and what the reply gives it); an [`UploadThen`] runs upload,
//! start, wait, and for a chain that ends in a file, the download.

use super::chain::{
    Download, FeedsDownload, Fetched, Finished, PollData, PollError, StartsTask, Status, Workflow,
    WorkflowError,
};
use crate::error::EndpointError;
use crate::future::BoxFuture;
use crate::waiter::{Clock, Progress};
use std::convert::Infallible;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWrite;

/// A start request that an upload's reply completes (its spec's `starts.before`): the
/// upload is built from it and the path, and the upload's reply fills what it lacks (the
/// uploaded file's token).
pub trait StartsAfterUpload: StartsTask {
    /// The upload request.
    type Upload: Send;
    /// The upload's reply.
    type Uploaded: Send + Sync;
    /// The upload endpoint's error.
    type UploadError: EndpointError;
    /// The upload endpoint's id, for [`UploadThenError::NotFed`].
    const UPLOAD_ID: &'static str;
    /// The upload of the file at `path`, its fields set as the spec says: fixed values,
    /// values built from this request's fields (read now, so a change made with
    /// [`UploadThen::map_start`] reaches it), facts of the path.
    fn upload(&self, path: &Path) -> Self::Upload;
    /// Sends the upload once (with the client's retry rules for it).
    fn send_upload(
        upload: Self::Upload,
    ) -> BoxFuture<'static, Result<Self::Uploaded, Self::UploadError>>;
    /// This request with what the upload's reply feeds it, or the reply field that is
    /// absent or empty.
    fn fed(&self, uploaded: &Self::Uploaded) -> Result<Self, &'static str>;
}

/// What a workflow with an upload before its start ends with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AfterUpload<U, T> {
    /// The upload's reply (the file token the start took).
    pub uploaded: U,
    /// What followed: the start reply ([`UploadThen::start_only`]), a [`Finished`]
    /// (awaited) or a [`Fetched`] (`to_file`, `to_dir`, `to_writer`).
    pub then: T,
}

/// Why a workflow with an upload before its start ended without its result.
///
/// Each step keeps its typed error. The upload's is this error's `source()`, so an error
/// reporter (or [`with_causes`](crate::with_causes)) prints the step, then the upload
/// endpoint's error and its causes; what follows the upload is [`Then`](Self::Then),
/// shown as itself (a [`WorkflowError`] says whether the start, the wait or the download
/// failed).
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadThenError<UE, TE> {
    /// The upload failed, so nothing was started. A file over the upload's documented
    /// maximum is refused before anything is sent (an `InvalidRequest` with what the page
    /// says to use instead).
    Upload(UE),
    /// The upload succeeded but its reply lacks `field`, which the start needs: nothing
    /// was started.
    NotFed {
        /// The upload endpoint's id.
        upload: &'static str,
        /// The reply field.
        field: &'static str,
    },
    /// After the upload: the start failed ([`UploadThen::start_only`]), or the workflow
    /// did (its [`WorkflowError`]).
    Then(TE),
}

impl<UE, TE: fmt::Display> fmt::Display for UploadThenError<UE, TE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadThenError::Upload(_) => {
                f.write_str("uploading the file failed, so nothing was started")
            }
            UploadThenError::NotFed { upload, field } => write!(
                f,
                "the reply of `{upload}` has no `{field}`, which the start needs: nothing was started"
            ),
            UploadThenError::Then(e) => e.fmt(f),
        }
    }
}

/// The upload's error is the cause; `Then` is transparent (its text is this error's).
impl<UE, TE> std::error::Error for UploadThenError<UE, TE>
where
    UE: std::error::Error + 'static,
    TE: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadThenError::Upload(e) => Some(e),
            UploadThenError::NotFed { .. } => None,
            UploadThenError::Then(e) => e.source(),
        }
    }
}

type Uploaded<S> = <S as StartsAfterUpload>::Uploaded;
type UploadError<S> = <S as StartsAfterUpload>::UploadError;
type DownloadError<S> = <<<S as StartsTask>::Poll as FeedsDownload>::Download as Download>::Error;

/// What awaiting an [`UploadThen`] gives.
pub type UploadThenResult<S> = Result<
    AfterUpload<Uploaded<S>, Finished<<S as StartsTask>::Started, PollData<S>, Status<S>>>,
    UploadThenError<
        UploadError<S>,
        WorkflowError<<S as StartsTask>::Error, PollError<S>, Infallible>,
    >,
>;

/// What [`UploadThen::start_only`] gives.
pub type UploadThenStartResult<S> = Result<
    AfterUpload<Uploaded<S>, <S as StartsTask>::Started>,
    UploadThenError<UploadError<S>, <S as StartsTask>::Error>,
>;

/// What [`UploadThen::to_file`], [`to_dir`](UploadThen::to_dir) and
/// [`to_writer`](UploadThen::to_writer) give.
pub type UploadThenFetchResult<S> = Result<
    AfterUpload<Uploaded<S>, Fetched<<S as StartsTask>::Started, PollData<S>>>,
    UploadThenError<
        UploadError<S>,
        WorkflowError<<S as StartsTask>::Error, PollError<S>, DownloadError<S>>,
    >,
>;

/// Uploads a file, starts the task with what the upload's reply gives, waits for it with
/// the poller's waiter, and (for pollers that name a file) fetches the file. Configure the
/// wait like a [`Workflow`], change the start request with [`map_start`](Self::map_start),
/// then `.await` it.
#[must_use = "a workflow does nothing until it is awaited"]
pub struct UploadThen<'c, S: StartsAfterUpload> {
    path: PathBuf,
    workflow: Workflow<'c, S>,
}

impl<S: StartsAfterUpload> fmt::Debug for UploadThen<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadThen")
            .field("path", &self.path)
            .field("workflow", &self.workflow)
            .finish()
    }
}

impl<'c, S: StartsAfterUpload + 'c> UploadThen<'c, S> {
    /// Uploads the file at `path` before sending `start` (which the upload's reply
    /// completes).
    pub fn new(start: S, path: impl Into<PathBuf>) -> Self {
        UploadThen {
            path: path.into(),
            workflow: Workflow::new(start),
        }
    }

    /// Changes the start request before anything is sent: an optional field
    /// (`.map_start(|start| start.file_name("Q3"))`), a user token, or a whole body. What
    /// the upload's reply feeds is set after the upload, whatever the body says, and the
    /// upload's fields built from the start's are read after this change.
    pub fn map_start(mut self, change: impl FnOnce(S) -> S) -> Self {
        self.workflow = self.workflow.map_start(change);
        self
    }

    /// See [`Workflow::min_delay`].
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.workflow = self.workflow.min_delay(delay);
        self
    }

    /// See [`Workflow::max_delay`].
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.workflow = self.workflow.max_delay(delay);
        self
    }

    /// See [`Workflow::max_wait`]: bounds the wait (not the upload, the start or the
    /// download).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.workflow = self.workflow.max_wait(wait);
        self
    }

    /// See [`Workflow::on_progress`].
    pub fn on_progress(mut self, report: impl FnMut(&Progress<'_, Status<S>>) + Send + 'c) -> Self {
        self.workflow = self.workflow.on_progress(report);
        self
    }

    /// See [`Workflow::clock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.workflow = self.workflow.clock(clock);
        self
    }

    /// The workflow's settings changed at once (the CLI's wait flags).
    #[cfg(feature = "cli")]
    pub(crate) fn map_workflow(
        mut self,
        change: impl FnOnce(Workflow<'c, S>) -> Workflow<'c, S>,
    ) -> Self {
        self.workflow = change(self.workflow);
        self
    }

    /// Uploads the file and starts the task, without waiting: the upload's reply and the
    /// start reply (whose task id a poller takes later).
    pub async fn start_only(self) -> UploadThenStartResult<S> {
        let (uploaded, workflow) = self.upload().await?;
        let started = workflow
            .start_request()
            .start()
            .await
            .map_err(UploadThenError::Then)?;
        Ok(AfterUpload {
            uploaded,
            then: started,
        })
    }

    /// Uploads the file, starts the task and waits for it to end.
    pub async fn run(self) -> UploadThenResult<S> {
        let (uploaded, workflow) = self.upload().await?;
        let finished = workflow.run().await.map_err(UploadThenError::Then)?;
        Ok(AfterUpload {
            uploaded,
            then: finished,
        })
    }

    /// The upload, and the workflow with its start request completed by the reply.
    async fn upload<TE>(
        self,
    ) -> Result<(Uploaded<S>, Workflow<'c, S>), UploadThenError<UploadError<S>, TE>> {
        let start = self.workflow.start_request();
        let uploaded = S::send_upload(start.upload(&self.path))
            .await
            .map_err(UploadThenError::Upload)?;
        let fed = start
            .fed(&uploaded)
            .map_err(|field| UploadThenError::NotFed {
                upload: S::UPLOAD_ID,
                field,
            })?;
        Ok((uploaded, self.workflow.map_start(|_| fed)))
    }
}

impl<'c, S> UploadThen<'c, S>
where
    S: StartsAfterUpload + 'c,
    S::Poll: FeedsDownload,
{
    /// See [`Workflow::max_bytes`].
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.workflow = self.workflow.max_bytes(bytes);
        self
    }

    /// See [`Workflow::on_transfer`].
    pub fn on_transfer(
        mut self,
        report: impl Fn(&crate::transfer::TransferProgress) + Send + Sync + 'static,
    ) -> Self {
        self.workflow = self.workflow.on_transfer(report);
        self
    }

    /// Uploads, starts, waits, and writes the task's file to `path` (see
    /// [`Workflow::to_file`]).
    pub async fn to_file(self, path: impl AsRef<Path>) -> UploadThenFetchResult<S> {
        let (uploaded, workflow) = self.upload().await?;
        let fetched = workflow
            .to_file(path)
            .await
            .map_err(UploadThenError::Then)?;
        Ok(AfterUpload {
            uploaded,
            then: fetched,
        })
    }

    /// Uploads, starts, waits, and writes the task's file into the folder `dir` (see
    /// [`Workflow::to_dir`]).
    pub async fn to_dir(self, dir: impl AsRef<Path>) -> UploadThenFetchResult<S> {
        let (uploaded, workflow) = self.upload().await?;
        let fetched = workflow.to_dir(dir).await.map_err(UploadThenError::Then)?;
        Ok(AfterUpload {
            uploaded,
            then: fetched,
        })
    }

    /// Uploads, starts, waits, and streams the task's file into `writer`.
    pub async fn to_writer(
        self,
        writer: &mut (dyn AsyncWrite + Unpin + Send),
    ) -> UploadThenFetchResult<S> {
        let (uploaded, workflow) = self.upload().await?;
        let fetched = workflow
            .to_writer(writer)
            .await
            .map_err(UploadThenError::Then)?;
        Ok(AfterUpload {
            uploaded,
            then: fetched,
        })
    }
}

impl<'c, S: StartsAfterUpload + 'c> IntoFuture for UploadThen<'c, S> {
    type Output = UploadThenResult<S>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
