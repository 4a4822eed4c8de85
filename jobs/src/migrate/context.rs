//! What the steps of a migration share: the client, the record, the target, the progress
//! callback, and how long to wait.

use super::event::Event;
use crate::record::{Record, RecordError};
use crate::step::{Stop, blocking};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use taskapi::feishu::FeishuClient;

/// What [`Migrate::on_event`](super::Migrate::on_event) calls.
pub(super) type Report = Arc<dyn Fn(&Event) + Send + Sync>;

/// Where a run puts things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    /// A Drive folder: each directory becomes a Drive folder, each file goes into its own.
    Drive,
    /// A wiki space: each directory becomes a wiki node (a document holding its children);
    /// each file is imported or uploaded into `staging`, a Drive folder of the run's own,
    /// then moved under its directory's node.
    Wiki { space_id: String, staging: String },
}

/// What the steps of a run share.
pub(super) struct Context {
    pub(super) client: FeishuClient,
    pub(super) place: Place,
    /// The local folder migrated.
    pub(super) dir: PathBuf,
    pub(super) record: Arc<Record>,
    pub(super) on_event: Option<Report>,
    /// How long one import task may run.
    pub(super) import_wait: Duration,
    /// The first poll of an import task after this long.
    pub(super) poll_delay: Duration,
    /// How long after an import create whose reply was lost the folder is watched for its
    /// document before the import is started again.
    pub(super) reconcile_wait: Duration,
}

impl Context {
    /// The Drive folder an entry's file goes into first: its own folder's (`folder`) in a
    /// Drive, the staging folder in a wiki.
    pub(super) fn drive_folder<'a>(&'a self, folder: &'a str) -> &'a str {
        match &self.place {
            Place::Drive => folder,
            Place::Wiki { staging, .. } => staging,
        }
    }

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
}
