//! Chained endpoints: start a task, wait for it, and fetch its file. The generated request
//! types of start endpoints implement [`StartsTask`], pollers that name a file implement
//! [`FeedsDownload`], download endpoints implement [`Download`]; a [`Workflow`] runs them.

use crate::client::{DownloadTarget, Downloaded, TransferOptions, TransferProgressFn};
use crate::error::EndpointError;
use crate::future::BoxFuture;
use crate::waiter::{Clock, Pollable, Progress, WaitDefaults, WaitError, WaitOutcome, Waiter};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWrite;

/// A request that starts a task another endpoint polls (its spec's `starts`).
pub trait StartsTask: Clone + Send + Sync {
    /// The start reply.
    type Started: Send + Sync;
    /// The start endpoint's error.
    type Error: EndpointError;
    /// The poll request.
    type Poll: Pollable;
    /// The poller's waiting defaults.
    const WAIT_DEFAULTS: WaitDefaults;
    /// Sends the start request once (with the client's retry rules for it).
    fn start(&self) -> BoxFuture<'_, Result<Self::Started, Self::Error>>;
    /// The poll request for the task `started` reports; `None` when the work was done at
    /// once (no task id in the reply, or its async flag false).
    fn poller(&self, started: &Self::Started) -> Option<Self::Poll>;
}

/// A poll request whose successful result names a file (its spec's `download`).
pub trait FeedsDownload: Pollable {
    /// The download request.
    type Download: Download;
    /// The download for the file `data` names; `None` when the reply names none.
    fn download(&self, data: &Self::Data) -> Option<Self::Download>;
    /// The file's size as the task reported it, when it does.
    fn file_size(data: &Self::Data) -> Option<u64>;
}

/// A download endpoint's request (`response: {content: binary}`).
pub trait Download: Clone + Send + Sync {
    /// The download endpoint's error.
    type Error: crate::error::DownloadError;
    /// Streams the file into `target` with `transfer`'s settings: its length, and where it
    /// went for a folder.
    fn fetch<'a>(
        self,
        target: DownloadTarget<'a>,
        transfer: TransferOptions,
    ) -> BoxFuture<'a, Result<Downloaded, Self::Error>>;
}

/// What a chain without a download ends with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Finished<S, T, St> {
    /// The start reply.
    pub started: S,
    /// How the task ended; `None` when the start reply says the work was done at once.
    pub task: Option<WaitOutcome<T, St>>,
}

/// What a chain that ends in a download ends with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Fetched<S, T> {
    /// The start reply.
    pub started: S,
    /// The final poll reply (the task's success).
    pub task: T,
    /// Bytes written.
    pub bytes: u64,
    /// The file written, for [`Workflow::to_file`] and [`Workflow::to_dir`].
    pub path: Option<PathBuf>,
}

/// Why a chain ended without its result.
#[derive(Debug)]
#[non_exhaustive]
pub enum WorkflowError<SE, PE, DE> {
    /// The start request failed. For a call that creates something, the error says when
    /// the server may have acted on it anyway.
    Start(SE),
    /// Waiting failed (an error retrying cannot fix) or ran out of time.
    Wait(WaitError<PE>),
    /// The task ended without success, so there is no file.
    TaskFailed {
        /// The terminal status, as text.
        status: String,
        /// The reply's failure message, if any.
        message: Option<String>,
    },
    /// The start reply says the work was done at once: there is no task and no file.
    NoTask,
    /// The task succeeded but its reply names no file.
    NoFile,
    /// The download failed.
    Download(DE),
}

impl<SE: fmt::Display, PE: fmt::Display, DE: fmt::Display> fmt::Display
    for WorkflowError<SE, PE, DE>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkflowError::Start(e) => write!(f, "starting the task failed: {e}"),
            WorkflowError::Wait(e) => write!(f, "waiting for the task failed: {e}"),
            WorkflowError::TaskFailed { status, message } => {
                write!(f, "the task failed with status {status}")?;
                match message.as_deref().filter(|m| !m.is_empty()) {
                    Some(message) => write!(f, ": {message}"),
                    None => Ok(()),
                }
            }
            WorkflowError::NoTask => f.write_str(
                "the start reply says the work was done at once: there is no file to fetch",
            ),
            WorkflowError::NoFile => f.write_str("the task succeeded but names no file"),
            WorkflowError::Download(e) => write!(f, "downloading the file failed: {e}"),
        }
    }
}

/// The wrapped error's text is part of this one's, so `source` goes on to its cause.
impl<SE, PE, DE> std::error::Error for WorkflowError<SE, PE, DE>
where
    SE: std::error::Error + 'static,
    PE: std::error::Error + 'static,
    DE: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WorkflowError::Start(e) => e.source(),
            WorkflowError::Wait(e) => e.source(),
            WorkflowError::Download(e) => e.source(),
            _ => None,
        }
    }
}

pub(crate) type Status<S> = <<S as StartsTask>::Poll as Pollable>::Status;
pub(crate) type PollData<S> = <<S as StartsTask>::Poll as Pollable>::Data;
pub(crate) type PollError<S> = <<S as StartsTask>::Poll as Pollable>::Error;
type ProgressFn<'c, S> = Box<dyn FnMut(&Progress<'_, Status<S>>) + Send + 'c>;

/// What awaiting a [`Workflow`] gives.
pub type WorkflowResult<S> = Result<
    Finished<<S as StartsTask>::Started, PollData<S>, Status<S>>,
    WorkflowError<<S as StartsTask>::Error, PollError<S>, std::convert::Infallible>,
>;

/// What [`Workflow::to_file`] and [`Workflow::to_writer`] give.
pub type FetchResult<S> = Result<
    Fetched<<S as StartsTask>::Started, PollData<S>>,
    WorkflowError<
        <S as StartsTask>::Error,
        PollError<S>,
        <<<S as StartsTask>::Poll as FeedsDownload>::Download as Download>::Error,
    >,
>;

/// Starts a task, waits for it with the poller's waiter, and (for pollers that name a
/// file) fetches the file. Configure the wait like a [`Waiter`], then `.await` it, or call
/// [`to_file`](Self::to_file) / [`to_writer`](Self::to_writer).
#[must_use = "a workflow does nothing until it is awaited"]
pub struct Workflow<'c, S: StartsTask> {
    start: S,
    min_delay: Option<Duration>,
    max_delay: Option<Duration>,
    max_wait: Option<Duration>,
    on_progress: Option<ProgressFn<'c, S>>,
    clock: Option<Arc<dyn Clock>>,
    transfer: TransferOptions,
}

impl<S: StartsTask> fmt::Debug for Workflow<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workflow")
            .field("max_wait", &self.max_wait)
            .field("transfer", &self.transfer)
            .finish_non_exhaustive()
    }
}

impl<'c, S: StartsTask + 'c> Workflow<'c, S> {
    /// A workflow for a start request.
    pub fn new(start: S) -> Self {
        Workflow {
            start,
            min_delay: None,
            max_delay: None,
            max_wait: None,
            on_progress: None,
            clock: None,
            transfer: TransferOptions::default(),
        }
    }

    /// See [`Waiter::min_delay`].
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = Some(delay);
        self
    }

    /// See [`Waiter::max_delay`].
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = Some(delay);
        self
    }

    /// See [`Waiter::max_wait`]: bounds the wait (not the start or the download).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = Some(wait);
        self
    }

    /// See [`Waiter::on_progress`].
    pub fn on_progress(mut self, report: impl FnMut(&Progress<'_, Status<S>>) + Send + 'c) -> Self {
        self.on_progress = Some(Box::new(report));
        self
    }

    /// See [`Waiter::clock`].
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The start request, for a step before it that reads its fields.
    pub(crate) fn start_request(&self) -> &S {
        &self.start
    }

    /// The same workflow with its start request changed (by the caller, or completed by a
    /// step before it), its settings kept.
    pub(crate) fn map_start(mut self, change: impl FnOnce(S) -> S) -> Self {
        self.start = change(self.start);
        self
    }

    /// Starts the task and waits for it to end.
    pub async fn run(self) -> WorkflowResult<S> {
        let (started, outcome, _) = self.start_and_wait().await?;
        Ok(Finished {
            started,
            task: outcome.map(|(_, outcome)| outcome),
        })
    }

    /// Starts, waits, and hands back the parts: the start reply, how the task ended, and
    /// the transfer settings.
    async fn start_and_wait(
        self,
    ) -> Result<
        (
            S::Started,
            Option<(S::Poll, WaitOutcome<PollData<S>, Status<S>>)>,
            TransferOptions,
        ),
        WorkflowError<S::Error, PollError<S>, std::convert::Infallible>,
    > {
        let started = self.start.start().await.map_err(WorkflowError::Start)?;
        let Some(poll) = self.start.poller(&started) else {
            return Ok((started, None, self.transfer));
        };
        // Kept: the download is made from the poll request (its client, its parameters).
        let mut waiter = Waiter::new(poll.clone(), S::WAIT_DEFAULTS);
        if let Some(delay) = self.min_delay {
            waiter = waiter.min_delay(delay);
        }
        if let Some(delay) = self.max_delay {
            waiter = waiter.max_delay(delay);
        }
        if let Some(wait) = self.max_wait {
            waiter = waiter.max_wait(wait);
        }
        if let Some(report) = self.on_progress {
            waiter = waiter.on_progress(report);
        }
        if let Some(clock) = self.clock {
            waiter = waiter.clock(clock);
        }
        let outcome = waiter.run().await.map_err(WorkflowError::Wait)?;
        Ok((started, Some((poll, outcome)), self.transfer))
    }
}

impl<'c, S> Workflow<'c, S>
where
    S: StartsTask + 'c,
    S::Poll: FeedsDownload,
{
    /// Refuses a file larger than `bytes`.
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.transfer = self.transfer.max_bytes(bytes);
        self
    }

    /// Calls `report` as the file arrives.
    pub fn on_transfer(
        mut self,
        report: impl Fn(&crate::transfer::TransferProgress) + Send + Sync + 'static,
    ) -> Self {
        let report: TransferProgressFn = Arc::new(report);
        self.transfer = self.transfer.on_progress(report);
        self
    }

    /// Starts the task, waits for it, and writes its file to `path` (through a temporary
    /// file beside it, renamed only once complete).
    pub async fn to_file(self, path: impl AsRef<Path>) -> FetchResult<S> {
        let path = path.as_ref();
        let mut fetched = self
            .fetch_into(DownloadTarget::Path(path.to_owned()))
            .await?;
        fetched.path = Some(path.to_owned());
        Ok(fetched)
    }

    /// Starts the task, waits for it, and writes its file into the folder `dir` under the
    /// name the server gives, made safe (see [`DownloadTarget::Dir`]); never replaces a file.
    pub async fn to_dir(self, dir: impl AsRef<Path>) -> FetchResult<S> {
        self.fetch_into(DownloadTarget::Dir(dir.as_ref().to_owned()))
            .await
    }

    /// Starts the task, waits for it, and streams its file into `writer`.
    pub async fn to_writer(self, writer: &mut (dyn AsyncWrite + Unpin + Send)) -> FetchResult<S> {
        self.fetch_into(DownloadTarget::Writer(writer)).await
    }

    async fn fetch_into(self, mut target: DownloadTarget<'_>) -> FetchResult<S> {
        let (started, outcome, mut transfer) = self.start_and_wait().await.map_err(widen)?;
        let (poll, data) = match outcome {
            None => return Err(WorkflowError::NoTask),
            Some((poll, WaitOutcome::Succeeded(data))) => (poll, data),
            Some((
                _,
                WaitOutcome::Failed {
                    status, message, ..
                },
            )) => {
                return Err(WorkflowError::TaskFailed {
                    status: status.map_or_else(|| "none".to_owned(), |s| format!("{s:?}")),
                    message,
                });
            }
        };
        let download = poll.download(&data).ok_or(WorkflowError::NoFile)?;
        if let Some(size) = <S::Poll as FeedsDownload>::file_size(&data) {
            transfer = transfer.expected_len(size);
        }
        let downloaded = download
            .fetch(target.reborrow(), transfer)
            .await
            .map_err(WorkflowError::Download)?;
        Ok(Fetched {
            started,
            task: data,
            bytes: downloaded.bytes,
            path: downloaded.path,
        })
    }
}

/// A start-and-wait error as the error of a chain with a download.
pub(crate) fn widen<SE, PE, DE>(
    e: WorkflowError<SE, PE, std::convert::Infallible>,
) -> WorkflowError<SE, PE, DE> {
    match e {
        WorkflowError::Start(e) => WorkflowError::Start(e),
        WorkflowError::Wait(e) => WorkflowError::Wait(e),
        WorkflowError::TaskFailed { status, message } => {
            WorkflowError::TaskFailed { status, message }
        }
        WorkflowError::NoTask => WorkflowError::NoTask,
        WorkflowError::NoFile => WorkflowError::NoFile,
        WorkflowError::Download(never) => match never {},
    }
}

impl<'c, S: StartsTask + 'c> IntoFuture for Workflow<'c, S> {
    type Output = WorkflowResult<S>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
