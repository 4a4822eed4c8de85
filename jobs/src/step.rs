//! What every job's steps share: how a step fails ([`Stop`]: the item alone, or the run),
//! the error a run ends with ([`JobError`]), and running blocking work (the record's
//! synced commits, files) off the async threads.

use crate::record::RecordError;
use taskapi::ErrorDetails as _;
use taskapi::feishu::FeishuCommonError;
use taskapi::runtime::{EndpointError, Failure, PageError, with_causes};

/// Every item with work left, read `batch(after)` at a time (in order of `place`, each
/// batch after the last one's place; memory stays bounded whatever the size of the job),
/// taken through `work`, `workers` at once. The first stop lets the items in work finish
/// their step, starts no other, and is returned.
pub(crate) async fn each_pending<T, B, W>(
    batch: impl Fn(i64) -> B,
    place: fn(&T) -> i64,
    workers: usize,
    work: impl Fn(T) -> W,
) -> Result<(), Stop>
where
    B: std::future::Future<Output = Result<Vec<T>, Stop>>,
    W: std::future::Future<Output = Result<(), Stop>>,
{
    use futures_util::StreamExt as _;
    let stop: std::sync::Mutex<Option<Stop>> = std::sync::Mutex::new(None);
    let stop_with = |e: Stop| {
        stop.lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(e);
    };
    let stopped = || stop.lock().map_or(true, |s| s.is_some());
    let batch = &batch;
    let batches = futures_util::stream::unfold(0i64, |after| async move {
        let items = match batch(after).await {
            Ok(items) => items,
            Err(e) => {
                stop_with(e);
                return None;
            }
        };
        let last = place(items.last()?);
        Some((futures_util::stream::iter(items), last))
    })
    .flatten();
    batches
        .take_while(|_| std::future::ready(!stopped()))
        .for_each_concurrent(workers, |item| async {
            if let Err(e) = work(item).await {
                stop_with(e);
            }
        })
        .await;
    match stop.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(stop) => Err(stop),
        None => Ok(()),
    }
}

pub(crate) async fn blocking<T: Send + 'static, E: Send + 'static>(
    op: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    match tokio::task::spawn_blocking(op).await {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How a step failed: the item alone, or the run.
#[derive(Debug)]
pub(crate) enum Stop {
    /// This item (or folder) failed after its retries; the run goes on.
    Item(String),
    /// The app cannot go on: credentials, permissions, quota (a provider-wide code).
    Api(Box<dyn std::error::Error + Send + Sync>),
    /// The provider cannot be reached.
    Network(Box<dyn std::error::Error + Send + Sync>),
    /// The disk refused a write.
    Local(String),
    /// The record refused a write.
    Record(RecordError),
}

/// What a failed call means for a job: the item alone fails, or the run cannot go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Severity {
    /// This item's: the run goes on with the others.
    Item,
    /// The provider refused the app: a provider-wide code (but throttling: the client
    /// waits it out), or a token that cannot be had. Every other item would fail alike.
    App,
    /// The provider could not be reached.
    Network,
    /// A local file could not be written.
    Local,
}

impl Severity {
    /// What `error` means for a job.
    pub fn of<E: EndpointError>(error: &E) -> Severity {
        match error.failure() {
            Failure::Api(api)
                if FeishuCommonError::from_code(api.code())
                    .is_some_and(|c| c != FeishuCommonError::RateLimited) =>
            {
                Severity::App
            }
            Failure::Token(_) => Severity::App,
            Failure::Transport(_) => Severity::Network,
            Failure::Output(_) => Severity::Local,
            _ => Severity::Item,
        }
    }
}

/// Whether the server may have acted on a failed call that creates something: no complete
/// reply (the request may have reached it), a reply not understood (a gateway's page), or a
/// server error. A refusal (a client error's code, a request refused before it was sent, no
/// token) made nothing.
pub fn may_have_acted<E: EndpointError>(error: &E) -> bool {
    match error.failure() {
        Failure::Transport(e) => e.outcome_unknown(),
        Failure::Decode(_) => true,
        Failure::Api(api) => api.http_status() >= 500 || error.is_retryable(),
        _ => false,
    }
}

impl Stop {
    /// An endpoint's error: provider-wide codes (but throttling) and token failures stop
    /// the run, transport failures too; any other is the item's.
    pub(crate) fn from_error<E: EndpointError>(error: E) -> Stop {
        Stop::with(Severity::of(&error), error)
    }

    /// `error`, which means `severity`.
    pub(crate) fn with(
        severity: Severity,
        error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Stop {
        let error = error.into();
        match severity {
            Severity::App => Stop::Api(error),
            Severity::Network => Stop::Network(error),
            Severity::Local => Stop::Local(with_causes(error.as_ref())),
            Severity::Item => Stop::Item(with_causes(error.as_ref())),
        }
    }

    /// A listing's error: its failed page's, or a cursor that cannot be followed (the
    /// folder's).
    pub(crate) fn from_page<E: EndpointError>(error: PageError<E>) -> Stop {
        match error {
            PageError::Call { error, .. } => Stop::from_error(error),
            other => Stop::Item(other.to_string()),
        }
    }
}

/// Why a job (a backup, a migration) could not run to its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum JobError {
    /// The record could not be opened (another job holds it, it is another source's) or
    /// written.
    Record(RecordError),
    /// The provider refused the app (credentials, permissions, quota).
    Api(Box<dyn std::error::Error + Send + Sync>),
    /// The provider could not be reached.
    Network(Box<dyn std::error::Error + Send + Sync>),
    /// A file could not be written.
    Local(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Record(e) => e.fmt(f),
            JobError::Api(_) => f.write_str("the provider refused the app"),
            JobError::Network(_) => f.write_str("the provider could not be reached"),
            JobError::Local(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for JobError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JobError::Record(e) => e.source(),
            JobError::Api(e) | JobError::Network(e) => Some(e.as_ref()),
            JobError::Local(_) => None,
        }
    }
}

impl From<Stop> for JobError {
    fn from(stop: Stop) -> Self {
        match stop {
            // An item's failure is recorded, never returned; a listing's of the top is.
            Stop::Item(message) => JobError::Local(message),
            Stop::Api(e) => JobError::Api(e),
            Stop::Network(e) => JobError::Network(e),
            Stop::Local(message) => JobError::Local(message),
            Stop::Record(e) => JobError::Record(e),
        }
    }
}

/// A duration as seconds, to the millisecond: how summaries say how long a run took.
pub(crate) fn seconds<S: serde::Serializer>(
    d: &std::time::Duration,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}
