//! [`Migrate`]: a run from the record's lock to its summary: scan, folders level by level,
//! then every file, `workers` at a time.

use super::context::{Context, Place, Report};
use super::entries::{self, record_scan};
use super::entry::Entry;
use super::event::{Event, Summary};
use super::outcome::Did;
use super::scan::{Plan, scan};
use super::steps::finish;
use crate::record::{Job, Record, Remote};
use crate::step::{JobError, Stop, blocking, each_pending};
use crate::upload::Spreadsheets;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use taskapi::feishu::FeishuClient;

/// Entries in work at once by default. The uploads' 5 per second set the pace; a few
/// workers keep that pace while others wait for their import tasks.
pub const DEFAULT_WORKERS: usize = 8;

/// A local folder moved into a Drive folder or a wiki space: its directories created as
/// folders (or wiki nodes), each file imported as the document its extension makes (or
/// uploaded as it is). Run it again on
/// the same folder to continue it: nothing it made is made twice.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use taskapi_jobs::migrate::Migrate;
/// use taskapi_jobs::record::Remote;
///
/// let client = taskapi::feishu::FeishuClient::new("t-your-tenant-token")?;
/// let target = Remote::Folder { token: "fldcnFolderToken".into() };
/// let summary = Migrate::new(client, "documents".into(), target)
///     .on_event(|event| println!("{event:?}"))
///     .run()
///     .await?;
/// println!("complete: {}", summary.complete());
/// # Ok(()) }
/// ```
pub struct Migrate {
    client: FeishuClient,
    dir: PathBuf,
    target: Remote,
    plan: Plan,
    update: bool,
    workers: usize,
    retry_failed: bool,
    import_wait: Duration,
    poll_delay: Duration,
    reconcile_wait: Duration,
    on_event: Option<Report>,
}

impl std::fmt::Debug for Migrate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrate")
            .field("dir", &self.dir)
            .field("target", &self.target)
            .field("workers", &self.workers)
            .finish_non_exhaustive()
    }
}

impl Migrate {
    /// A migration of `dir` into `target`, with the client's rate limits and tokens.
    pub fn new(client: FeishuClient, dir: PathBuf, target: Remote) -> Self {
        Migrate {
            client,
            dir,
            target,
            plan: Plan::default(),
            update: false,
            workers: DEFAULT_WORKERS,
            retry_failed: false,
            import_wait: Duration::from_secs(30 * 60),
            poll_delay: Duration::from_millis(500),
            reconcile_wait: Duration::from_secs(60),
            on_event: None,
        }
    }

    /// What xlsx and csv files become (default: sheets). Kept in the record: a folder is
    /// migrated with the same choice throughout.
    pub fn spreadsheets(mut self, spreadsheets: Spreadsheets) -> Self {
        self.plan.spreadsheets = spreadsheets;
        self
    }

    /// Files no import takes are left out (recorded skipped) instead of uploaded as they are.
    pub fn imports_only(mut self, only: bool) -> Self {
        self.plan.imports_only = only;
        self
    }

    /// A file changed since it was migrated is imported again (its new document replaces
    /// the old one in the record; the old one stays in the target).
    pub fn update(mut self, update: bool) -> Self {
        self.update = update;
        self
    }

    /// Entries in work at once (at least 1).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Only the entries recorded failed are tried again, without scanning.
    pub fn retry_failed(mut self, retry: bool) -> Self {
        self.retry_failed = retry;
        self
    }

    /// How long one import task may run (default 30 minutes).
    pub fn import_wait(mut self, wait: Duration) -> Self {
        self.import_wait = wait;
        self
    }

    /// How long after an import create whose reply was lost the target folder is watched
    /// for its document before the import is started again (default 60 s).
    pub fn reconcile_wait(mut self, wait: Duration) -> Self {
        self.reconcile_wait = wait;
        self
    }

    /// Calls `report` with each [`Event`] as it happens (keep it short).
    pub fn on_event(mut self, report: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(report));
        self
    }

    /// Runs the migration: locks the folder's record, scans the folder (unless retrying
    /// the failed), creates the folders a level at a time, then takes every file to its
    /// end.
    pub async fn run(self) -> Result<Summary, JobError> {
        let started = Instant::now();
        let root = match &self.target {
            Remote::Folder { token } => token.clone(),
            Remote::Wiki { parent_node, .. } => parent_node.clone().unwrap_or_default(),
        };
        let (dir, target) = (self.dir.clone(), self.target.clone());
        let record = blocking(move || Record::open_for_job(&dir, Job::Migrate, &target))
            .await
            .map_err(JobError::Record)?;
        let mut cx = Context {
            client: self.client,
            place: Place::Drive,
            dir: self.dir,
            record: Arc::new(record),
            on_event: self.on_event,
            import_wait: self.import_wait,
            poll_delay: self.poll_delay,
            reconcile_wait: self.reconcile_wait,
        };
        if let Remote::Wiki { space_id, .. } = &self.target {
            let staging = staging_folder(&cx, &self.target).await?;
            cx.place = Place::Wiki {
                space_id: space_id.clone(),
                staging,
            };
        }
        let spreadsheets = format!("{:?}", self.plan.spreadsheets).to_lowercase();
        cx.record(move |r| r.keep_setting("--as", &spreadsheets))
            .await?;
        if self.retry_failed {
            cx.record(entries::retry_failed).await?;
        } else {
            let (dir, plan) = (cx.dir.clone(), self.plan);
            let found = blocking(move || scan(&dir, plan))
                .await
                .map_err(|e| JobError::Local(format!("cannot read {}: {e}", cx.dir.display())))?;
            let count = found.len() as u64;
            let update = self.update;
            let changes = cx.record(move |r| record_scan(r, found, update)).await?;
            for (path, token) in changes.replacing {
                cx.emit(Event::Replacing { path, token });
            }
            cx.emit(Event::Scanned {
                entries: count,
                changed: changes.changed,
            });
        }
        let pending = cx.record(|r| Ok(entries::counts(r)?.pending())).await?;
        cx.emit(Event::Pending { entries: pending });
        let mut total = Did::default();
        let mut folders: HashMap<String, String> = HashMap::new();
        let blocked = Mutex::new(0u64);
        for folders_first in [true, false] {
            // A folder is made once its parent is: each pass makes those whose parent
            // exists (a folder comes before its subfolders in id order, so most in one
            // pass), and passes go on while one makes progress; then the files.
            loop {
                folders.extend(cx.record(entries::folder_tokens).await?);
                let did = work(&cx, &root, &folders, folders_first, self.workers, &blocked).await?;
                let progressed = did.creates > 0 || did.reconciled > 0;
                add(&mut total, did);
                if !folders_first || !progressed {
                    break;
                }
            }
        }
        let record = cx.record(entries::counts).await?;
        let blocked = blocked.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok(Summary {
            record,
            creates: total.creates,
            uploaded_bytes: total.uploaded_bytes,
            reconciled: total.reconciled,
            blocked,
            elapsed: started.elapsed(),
        })
    }
}

/// The Drive folder a wiki migration stages its files in before it moves them: made once
/// at the top of the app's space and kept in the record. Its name is the record's own (a
/// hash of the local folder and the target), so a run killed after the create finds the
/// folder by listing instead of making a second.
async fn staging_folder(cx: &Context, target: &Remote) -> Result<String, Stop> {
    if let Some(token) = cx.record(|r| r.setting("staging")).await? {
        return Ok(token);
    }
    use sha2::{Digest as _, Sha256};
    let dir = std::fs::canonicalize(&cx.dir).unwrap_or_else(|_| cx.dir.clone());
    let hash = Sha256::digest(format!("{}\n{target:?}", dir.display()).as_bytes());
    let hex: String = hash[..6].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("taskapi migrate staging {hex}");
    let mut listed = cx.client.list_files().items();
    let mut token = None;
    while let Some(item) = listed.next().await {
        let item = item.map_err(Stop::from_page)?;
        let folder = item.type_.as_ref().is_some_and(|t| t.value() == "folder");
        if folder && item.name.as_deref() == Some(name.as_str()) {
            token = item.token;
            break;
        }
    }
    let token = match token {
        Some(token) => token,
        None => cx
            .client
            .create_folder(name.as_str(), "")
            .send()
            .await
            .map_err(Stop::from_error)?
            .token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Stop::Item("the staging folder's reply has no token".into()))?,
    };
    let kept = token.clone();
    cx.record(move |r| r.keep_setting("staging", &kept)).await?;
    Ok(token)
}

fn add(total: &mut Did, did: Did) {
    total.creates += did.creates;
    total.uploaded_bytes += did.uploaded_bytes;
    total.reconciled += did.reconciled;
}

/// One pass over the entries with work left (folders, or files), `workers` at once, those
/// whose folder exists; read from the record a batch at a time. The first failure that
/// stops the run lets the entries in work finish their step, and is returned.
async fn work(
    cx: &Context,
    root: &str,
    folders: &HashMap<String, String>,
    folders_only: bool,
    workers: usize,
    blocked: &Mutex<u64>,
) -> Result<Did, Stop> {
    let total = Mutex::new(Did::default());
    each_pending(
        |after| cx.record(move |r| entries::pending(r, folders_only, after, 256)),
        |entry: &Entry| entry.id,
        workers,
        |entry: Entry| async {
            let folder = match &entry.parent {
                None => root,
                Some(parent) => match folders.get(parent) {
                    Some(token) => token.as_str(),
                    None => {
                        if !folders_only {
                            *blocked.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                        }
                        return Ok(());
                    }
                },
            };
            let did = finish(cx, folder, entry).await?;
            add(&mut total.lock().unwrap_or_else(|p| p.into_inner()), did);
            Ok(())
        },
    )
    .await?;
    Ok(total.into_inner().unwrap_or_else(|p| p.into_inner()))
}
