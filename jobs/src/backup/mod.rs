//! A Drive folder tree or a wiki space backed up to a folder on disk.
//!
//! `run.rs`: [`Backup`], a run from the record's lock to its summary; `context.rs`: what
//! its steps share; `listing.rs`: the
//! source walked into the record, names on disk given; `work.rs`: one item taken to done;
//! `formats.rs`: what becomes of each type; `event.rs`: progress and the summary.

mod context;
mod event;
mod formats;
mod listing;
mod run;
mod work;

pub use crate::step::JobError;
pub use event::{Event, Summary};
pub use formats::{Formats, Plan};
pub use run::{Backup, DEFAULT_WORKERS};
