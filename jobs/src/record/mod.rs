//! The durable record of a job: every item's state in SQLite under the job's folder, so that
//! a run killed at any moment is continued, never repeated, by the next.
//!
//! `open.rs`: the folder's lock, the database and its schema; `commit.rs`: writes from many
//! threads committed together; `state.rs`: an item's states;
//! `items.rs`: reading and moving items between states, one transaction each.

mod commit;
mod items;
mod open;
mod state;

#[cfg(test)]
mod tests;

pub use items::{Listed, Names, Progressed, StateCounts};
pub use open::{LOCK_FILE, RECORD_DIR, RECORD_FILE, Record, RecordError, Source, TEMP_DIR};
pub use state::{Item, State};
