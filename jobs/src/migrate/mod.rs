//! A local folder moved into a Drive folder or a wiki space: directories become folders (or
//! nodes), files are imported as documents (or uploaded as they are), and nothing is made
//! twice, even after a crash.
//!
//! `run.rs`: [`Migrate`], a run from the record's lock to its summary; `context.rs`: what
//! its steps share; `scan.rs`: the local folder walked, each entry planned; `entry.rs`: an
//! entry and its states; `entries.rs`: entries in and out of the record; `steps.rs`: one
//! entry taken to its end (`files.rs`: uploads; `imports.rs`: import tasks; `wiki.rs`: nodes
//! for directories, staged files moved under them); `outcome.rs`: what each step records,
//! with `failed.rs`, a create's failure, and `reconcile.rs`, a create's unknown outcome found
//! by listing; `event.rs`: progress and the summary.

mod context;
mod entries;
mod entry;
mod event;
mod failed;
mod files;
mod imports;
mod outcome;
mod reconcile;
mod run;
mod scan;
mod steps;
mod wiki;

pub use crate::step::JobError;
pub use entries::EntryCounts;
pub use entry::{Entry, EntryState, Route};
pub use event::{Event, Summary};
pub use run::{DEFAULT_WORKERS, Migrate};

/// `migrate status`'s reading of a record: every entry, and the counts.
pub fn read_record(
    dir: &std::path::Path,
) -> Result<(Option<String>, EntryCounts, Vec<Entry>), crate::record::RecordError> {
    let record = crate::record::Record::open_to_read(dir, crate::record::Job::Migrate)?;
    Ok((
        record.source_key()?,
        entries::counts(&record)?,
        entries::all(&record)?,
    ))
}
