//! What a migration reports as it goes, and at its end.

use super::entries::EntryCounts;
use super::entry::EntryState;
use serde::Serialize;
use std::time::Duration;

/// A step of a migration, given to [`Migrate::on_event`](super::Migrate::on_event).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The local folder was scanned.
    Scanned {
        /// Entries found (folders and files, the skipped included).
        entries: u64,
        /// Done entries whose file changed since, left as they are (no `--update`).
        changed: u64,
    },
    /// With `--update`: a changed file will be imported again; its new document replaces
    /// the one it made before (which stays, for the user to remove).
    Replacing {
        /// The file's path.
        path: String,
        /// The token of what it made before.
        token: String,
    },
    /// This many entries have work left.
    Pending {
        /// Entries to create, upload or import.
        entries: u64,
    },
    /// A file's bytes went up (as an import's source or as the file itself).
    Uploaded {
        /// Its path.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// An import task was started.
    ImportStarted {
        /// The file's path.
        path: String,
    },
    /// An import task ended with its document.
    Imported {
        /// The file's path.
        path: String,
    },
    /// A create's unknown outcome was looked for in the target folder.
    Reconciled {
        /// The entry's path.
        path: String,
        /// Whether its item was there (else it is sent again).
        found: bool,
    },
    /// An entry is in the target.
    Done {
        /// Its path.
        path: String,
        /// Its token in the target.
        token: String,
    },
    /// An entry failed; the run goes on.
    Failed {
        /// Its path.
        path: String,
        /// Why.
        error: String,
    },
}

/// What a run did, and what the record holds at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Entries per state in the record, bytes done.
    pub record: EntryCounts,
    /// Creates sent by this run (folders, import tasks, files).
    pub creates: u64,
    /// Bytes uploaded by this run.
    pub uploaded_bytes: u64,
    /// Unknown outcomes looked for and found in the target by this run.
    pub reconciled: u64,
    /// Entries left waiting because their folder could not be created.
    pub blocked: u64,
    /// How long the run took.
    #[serde(serialize_with = "crate::step::seconds")]
    pub elapsed: Duration,
}

impl Summary {
    /// Whether every entry is in the target or skipped with a reason: none failed, none
    /// left half done.
    pub fn complete(&self) -> bool {
        self.record.get(EntryState::Failed) == 0 && self.record.pending() == 0
    }
}
