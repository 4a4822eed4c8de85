//! The durable record of a job: every item's state in SQLite under the job's folder, so that
//! a run killed at any moment is continued, never repeated, by the next.
//!
//! `layout.rs`: where its files are, a database per [`Job`]; `schema.rs`: their tables; `error.rs`: `RecordError`; `open.rs`: the folder's
//! lock, the database and its schema; `commit.rs`: writes from many threads committed
//! together; `state.rs`: an item's states; `items.rs`: reading and moving items between
//! states, each write committed and synced before it returns.

mod commit;
mod error;
mod items;
mod layout;
mod open;
mod schema;
mod state;

#[cfg(test)]
mod tests;

pub use error::RecordError;
pub use items::{Listed, Names, StateCounts};
pub use layout::{Job, LOCK_FILE, RECORD_DIR, TEMP_DIR};
pub use open::{Record, Remote};
pub use state::{Item, State};
