//! [`Backup`]: a run from the record's lock to its summary.

use super::context::{Context, Report};
use super::event::{Event, Summary};
use super::formats::Formats;
use super::listing::walk;
use super::work::{Done, finish};
use crate::record::{Job, Record, Remote};
use crate::step::{JobError, Stop, blocking, each_pending, unix_now};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use taskapi::feishu::FeishuClient;

/// Items in work at once by default: enough to keep exports starting at their rate limit
/// while others are polled and downloaded.
pub const DEFAULT_WORKERS: usize = 16;

/// How long one export may run before its item is recorded failed.
const DEFAULT_EXPORT_WAIT: Duration = Duration::from_secs(30 * 60);

/// A backup of a Drive folder or a wiki space into a folder on disk. Run it again on the
/// same folder to continue it, or to bring it up to date.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use taskapi_jobs::backup::Backup;
/// use taskapi_jobs::record::Remote;
///
/// let client = taskapi::feishu::FeishuClient::new("t-your-tenant-token")?;
/// let source = Remote::Folder { token: "fldcnFolderToken".into() };
/// let summary = Backup::new(client, source, "backup".into())
///     .on_event(|event| println!("{event:?}"))
///     .run()
///     .await?;
/// println!("complete: {}", summary.complete());
/// # Ok(()) }
/// ```
pub struct Backup {
    client: FeishuClient,
    source: Remote,
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
    pub fn new(client: FeishuClient, source: Remote, dir: PathBuf) -> Self {
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
    pub async fn run(self) -> Result<Summary, JobError> {
        let started = Instant::now();
        let (dir, source) = (self.dir.clone(), self.source.clone());
        let record = blocking(move || Record::open_for_job(&dir, Job::Backup, &source))
            .await
            .map_err(JobError::Record)?;
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
        let formats = cx.formats.key();
        cx.record(move |r| r.keep_setting("--format", &formats))
            .await?;
        cx.clear_temp().await.map_err(JobError::from)?;
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
    let pending = cx.record(|r| Ok(r.counts()?.pending())).await?;
    cx.emit(Event::Pending { items: pending });
    let total = Mutex::new(Done::default());
    each_pending(
        |after| cx.record(move |r| r.pending(after, 256)),
        |(place, _)| *place,
        workers,
        |(_, item)| async {
            let done = finish(cx, item).await?;
            let mut total = total.lock().unwrap_or_else(|p| p.into_inner());
            total.exports_started += done.exports_started;
            total.files_saved += done.files_saved;
            total.bytes_saved += done.bytes_saved;
            Ok(())
        },
    )
    .await?;
    Ok(total.into_inner().unwrap_or_else(|p| p.into_inner()))
}
