//! [`Backup`]: a run from the record's lock to its summary; the [`Context`] its steps
//! share; [`Stop`], how a step fails.

use super::event::{Event, Summary};
use super::formats::Formats;
use super::listing::walk;
use super::work::{Done, finish};
use crate::record::{Record, RecordError, Source, State};
use futures_util::StreamExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use taskapi::feishu::{FeishuClient, FeishuCommonError};
use taskapi::runtime::{EndpointError, Failure, PageError};

/// Items in work at once by default: enough to keep exports starting at their rate limit
/// while others are polled and downloaded.
pub const DEFAULT_WORKERS: usize = 16;

/// How long one export may run before its item is recorded failed.
const DEFAULT_EXPORT_WAIT: Duration = Duration::from_secs(30 * 60);

/// What [`Backup::on_event`] calls.
type Report = Arc<dyn Fn(&Event) + Send + Sync>;

/// A backup of a Drive folder or a wiki space into a folder on disk. Run it again on the
/// same folder to continue it, or to bring it up to date.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use taskapi_jobs::backup::Backup;
/// use taskapi_jobs::record::Source;
///
/// let client = taskapi::feishu::FeishuClient::new("t-your-tenant-token")?;
/// let source = Source::Folder { token: "fldcnFolderToken".into() };
/// let summary = Backup::new(client, source, "backup".into())
///     .on_event(|event| println!("{event:?}"))
///     .run()
///     .await?;
/// println!("complete: {}", summary.complete());
/// # Ok(()) }
/// ```
pub struct Backup {
    client: FeishuClient,
    source: Source,
    dir: PathBuf,
    formats: Formats,
    workers: usize,
    retry_failed: bool,
    export_wait: Duration,
    poll_delay: Duration,
    on_event: Option<Report>,
}

impl std::fmt::Debug for Backup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backup")
            .field("source", &self.source)
            .field("dir", &self.dir)
            .field("workers", &self.workers)
            .finish_non_exhaustive()
    }
}

impl Backup {
    /// A backup of `source` into `dir`, with the client's rate limits (by default 0.9 of
    /// each endpoint's documented limit) and tokens.
    pub fn new(client: FeishuClient, source: Source, dir: PathBuf) -> Self {
        Backup {
            client,
            source,
            dir,
            formats: Formats::default(),
            workers: DEFAULT_WORKERS,
            retry_failed: false,
            export_wait: DEFAULT_EXPORT_WAIT,
            poll_delay: Duration::from_millis(500),
            on_event: None,
        }
    }

    /// The export format per document type.
    pub fn formats(mut self, formats: Formats) -> Self {
        self.formats = formats;
        self
    }

    /// Items in work at once (at least 1).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Only the items recorded failed are tried again, without listing the source.
    pub fn retry_failed(mut self, retry: bool) -> Self {
        self.retry_failed = retry;
        self
    }

    /// How long one export may run (default 30 minutes).
    pub fn export_wait(mut self, wait: Duration) -> Self {
        self.export_wait = wait;
        self
    }

    /// The first poll of an export after this long, later ones further apart (default
    /// 500 ms): an export's file is downloaded soon after it is ready.
    pub fn poll_delay(mut self, delay: Duration) -> Self {
        self.poll_delay = delay;
        self
    }

    /// Calls `report` with each [`Event`] as it happens (from the run's tasks: keep it
    /// short).
    pub fn on_event(mut self, report: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(report));
        self
    }

    /// Runs the backup: locks the folder's record, lists the source (unless retrying the
    /// failed), then takes every item with work left to done, `workers` at a time.
    pub async fn run(self) -> Result<Summary, BackupError> {
        let started = Instant::now();
        let (dir, source) = (self.dir.clone(), self.source.clone());
        let record = blocking(move || Record::open_for_job(&dir, &source))
            .await
            .map_err(BackupError::Record)?;
        let cx = Context {
            client: self.client,
            source: self.source,
            dir: self.dir,
            formats: self.formats,
            record: Arc::new(record),
            on_event: self.on_event,
            export_wait: self.export_wait,
            poll_delay: self.poll_delay,
        };
        cx.clear_temp().await.map_err(BackupError::from)?;
        let (mut listing_complete, mut list_failures) = (false, 0);
        if self.retry_failed {
            cx.record(|r| r.retry_failed()).await?;
        } else {
            let now = unix_now();
            let run = cx.record(move |r| r.begin_run(now)).await?;
            let walked = walk(&cx, run).await?;
            if walked.failures == 0 {
                cx.record(move |r| r.finish_listing(run)).await?;
                listing_complete = true;
            }
            list_failures = walked.failures;
        }
        let done = work(&cx, self.workers).await?;
        let record = cx.record(|r| r.counts()).await?;
        Ok(Summary {
            record,
            listing_complete,
            exports_started: done.exports_started,
            files_saved: done.files_saved,
            bytes_saved: done.bytes_saved,
            list_failures,
            elapsed: started.elapsed(),
        })
    }
}

/// Every item with work left taken to its end, `workers` at once, read from the record a
/// batch at a time (memory stays bounded whatever the size of the tree). The first
/// failure that stops the run lets the items in work finish their step, and is returned.
async fn work(cx: &Context, workers: usize) -> Result<Done, Stop> {
    let pending = cx
        .record(|r| {
            let counts = r.counts()?;
            Ok(State::ALL
                .iter()
                .filter(|s| s.is_pending())
                .map(|s| counts.get(*s))
                .sum::<u64>())
        })
        .await?;
    cx.emit(Event::Pending { items: pending });
    let stop: Mutex<Option<Stop>> = Mutex::new(None);
    let total = Mutex::new(Done::default());
    let batches = futures_util::stream::unfold(0i64, |after| async move {
        let batch = cx.record(move |r| r.pending(after, 256)).await.ok()?;
        let last = batch.last()?.0;
        Some((futures_util::stream::iter(batch), last))
    })
    .flatten();
    batches
        .take_while(|_| std::future::ready(stop.lock().map(|s| s.is_none()).unwrap_or(false)))
        .for_each_concurrent(workers, |(_, item)| async {
            match finish(cx, item).await {
                Ok(done) => {
                    let mut total = total.lock().unwrap_or_else(|p| p.into_inner());
                    total.exports_started += done.exports_started;
                    total.files_saved += done.files_saved;
                    total.bytes_saved += done.bytes_saved;
                }
                Err(e) => {
                    stop.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_or_insert(e);
                }
            }
        })
        .await;
    match stop.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(stop) => Err(stop),
        None => Ok(total.into_inner().unwrap_or_else(|p| p.into_inner())),
    }
}

/// What the steps of a run share.
pub(super) struct Context {
    pub(super) client: FeishuClient,
    pub(super) source: Source,
    pub(super) dir: PathBuf,
    pub(super) formats: Formats,
    pub(super) record: Arc<Record>,
    on_event: Option<Report>,
    pub(super) export_wait: Duration,
    pub(super) poll_delay: Duration,
}

impl Context {
    pub(super) fn emit(&self, event: Event) {
        if let Some(report) = &self.on_event {
            report(&event);
        }
    }

    /// Runs `op` on the record off the async threads (a commit waits for the disk).
    pub(super) async fn record<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Record) -> Result<T, RecordError> + Send + 'static,
    ) -> Result<T, Stop> {
        let record = Arc::clone(&self.record);
        blocking(move || op(&record)).await.map_err(Stop::Record)
    }

    /// Where `id`'s file is completed: named by a hash of the id, never by the server.
    pub(super) fn temp_file(&self, id: &str) -> PathBuf {
        use sha2::{Digest, Sha256};
        let hash = Sha256::digest(id.as_bytes());
        let name: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.record.temp_dir().join(name)
    }

    /// Removes what a killed run left in the temporary folder, except the complete files
    /// of fetched items, which are moved into place next.
    async fn clear_temp(&self) -> Result<(), Stop> {
        let keep: Vec<PathBuf> = self
            .record(|r| {
                let mut fetched = Vec::new();
                r.for_each(|item| {
                    if item.state == State::Fetched {
                        fetched.push(item.id);
                    }
                })?;
                Ok(fetched)
            })
            .await?
            .iter()
            .map(|id| self.temp_file(id))
            .collect();
        let temp = self.record.temp_dir();
        blocking(move || clear_dir(&temp, &keep))
            .await
            .map_err(|e| Stop::Local(format!("cannot clear the temporary folder: {e}")))
    }
}

fn clear_dir(dir: &Path, keep: &[PathBuf]) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !keep.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

async fn blocking<T: Send + 'static, E: Send + 'static>(
    op: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    match tokio::task::spawn_blocking(op).await {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Seconds since the Unix epoch.
pub(super) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How a step failed: the item alone, or the run.
#[derive(Debug)]
pub(super) enum Stop {
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

impl Stop {
    /// An endpoint's error: provider-wide codes (but throttling) and token failures stop
    /// the run, transport failures too; any other is the item's.
    pub(super) fn from_error<E: EndpointError>(error: E) -> Stop {
        match error.failure() {
            Failure::Api(api)
                if FeishuCommonError::from_code(api.code())
                    .is_some_and(|c| c != FeishuCommonError::RateLimited) =>
            {
                Stop::Api(Box::new(error))
            }
            Failure::Token(_) => Stop::Api(Box::new(error)),
            Failure::Transport(_) => Stop::Network(Box::new(error)),
            Failure::Output(e) => Stop::Local(with_causes(e)),
            _ => Stop::Item(with_causes(&error)),
        }
    }

    /// A listing's error: its failed page's, or a cursor that cannot be followed (the
    /// folder's).
    pub(super) fn from_page<E: EndpointError>(error: PageError<E>) -> Stop {
        match error {
            PageError::Call { error, .. } => Stop::from_error(error),
            other => Stop::Item(other.to_string()),
        }
    }
}

/// An error and its causes on one line.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Why a backup could not run to its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum BackupError {
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

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::Record(e) => e.fmt(f),
            BackupError::Api(_) => f.write_str("the provider refused the app"),
            BackupError::Network(_) => f.write_str("the provider could not be reached"),
            BackupError::Local(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for BackupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BackupError::Record(e) => e.source(),
            BackupError::Api(e) | BackupError::Network(e) => Some(e.as_ref()),
            BackupError::Local(_) => None,
        }
    }
}

impl From<Stop> for BackupError {
    fn from(stop: Stop) -> Self {
        match stop {
            // An item's failure is recorded, never returned; a listing's of the top is.
            Stop::Item(message) => BackupError::Local(message),
            Stop::Api(e) => BackupError::Api(e),
            Stop::Network(e) => BackupError::Network(e),
            Stop::Local(message) => BackupError::Local(message),
            Stop::Record(e) => BackupError::Record(e),
        }
    }
}
