//! What a backup reports as it goes, and at its end.

use crate::record::{State, StateCounts};
use serde::Serialize;
use std::time::Duration;

/// A step of a backup, given to [`Backup::on_event`](super::Backup::on_event) as it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A folder was listed: the items and folders listed so far in this run.
    Listed {
        /// Items listed so far.
        items: u64,
        /// Folders (or wiki nodes with children) listed so far.
        folders: u64,
    },
    /// A folder could not be listed; the run goes on without it, and marks nothing removed.
    ListFailed {
        /// The folder's id.
        id: String,
        /// Why.
        error: String,
    },
    /// The listing is over; this many items have work left.
    Pending {
        /// Items to export, download or finish.
        items: u64,
    },
    /// An export was started.
    ExportStarted {
        /// The item's id.
        id: String,
    },
    /// An export finished; its file is to be downloaded.
    Exported {
        /// The item's id.
        id: String,
    },
    /// An exported file was gone (expired): the export is started again.
    ExportRestarted {
        /// The item's id.
        id: String,
    },
    /// A file is in place.
    Saved {
        /// The item's id.
        id: String,
        /// Its path under the backup's folder.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// An item failed after its retries; the run goes on.
    Failed {
        /// The item's id.
        id: String,
        /// Why.
        error: String,
    },
}

/// What a run did, and what the record holds at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Items per state in the record, removed ones, bytes on disk.
    pub record: StateCounts,
    /// Whether this run listed the whole source (not with `--retry-failed`, nor when a
    /// folder could not be listed).
    pub listing_complete: bool,
    /// Exports started by this run.
    pub exports_started: u64,
    /// Files put in place by this run.
    pub files_saved: u64,
    /// Their bytes.
    pub bytes_saved: u64,
    /// Folders that could not be listed in this run.
    pub list_failures: u64,
    /// How long the run took.
    #[serde(serialize_with = "crate::step::seconds")]
    pub elapsed: Duration,
}

impl Summary {
    /// Whether everything listed is backed up or skipped with a reason: no item failed,
    /// none is left half done, and every folder was listed.
    pub fn complete(&self) -> bool {
        self.list_failures == 0 && self.record.get(State::Failed) == 0 && self.record.pending() == 0
    }
}
