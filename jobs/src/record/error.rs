//! [`RecordError`]: why the record cannot be opened or written.

use super::layout::{LOCK_FILE, RECORD_DIR};
use std::path::PathBuf;

/// Why the record cannot be opened or written.
#[derive(Debug)]
#[non_exhaustive]
pub enum RecordError {
    /// Another process runs a job on this folder.
    Busy {
        /// The folder.
        dir: PathBuf,
    },
    /// The folder holds the record of another source.
    OtherSource {
        /// The folder.
        dir: PathBuf,
        /// What it holds.
        recorded: String,
        /// What was asked for.
        asked: String,
    },
    /// The folder's record was made with another setting (e.g. export formats).
    OtherSetting {
        /// The folder.
        dir: PathBuf,
        /// The setting.
        name: &'static str,
        /// What the record holds.
        recorded: String,
        /// What was asked for.
        asked: String,
    },
    /// The folder has no record (`backup status` on a folder never backed up).
    Missing {
        /// The folder.
        dir: PathBuf,
    },
    /// A file of the record could not be created, read or written.
    Io {
        /// What was being done.
        doing: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The database refused an operation.
    Database(rusqlite::Error),
    /// A write could not be committed (also: the record was opened to read only).
    Write(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Busy { dir } => write!(
                f,
                "another process is running a job on {}; wait for it to end (its lock is {})",
                dir.display(),
                dir.join(RECORD_DIR).join(LOCK_FILE).display()
            ),
            RecordError::OtherSource {
                dir,
                recorded,
                asked,
            } => write!(
                f,
                "{}'s record is of {recorded}, not of {asked}: use another folder",
                dir.display()
            ),
            RecordError::OtherSetting {
                dir,
                name,
                recorded,
                asked,
            } => write!(
                f,
                "{}'s record was made with {name} {recorded}, not {asked}: use the same, or another folder",
                dir.display()
            ),
            RecordError::Missing { dir } => {
                write!(f, "{} has no record of this job", dir.display())
            }
            RecordError::Io { doing, .. } => write!(f, "cannot {doing}"),
            RecordError::Database(_) => f.write_str("the record's database failed"),
            RecordError::Write(why) => write!(f, "the record could not be written: {why}"),
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecordError::Io { source, .. } => Some(source),
            RecordError::Database(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for RecordError {
    fn from(e: rusqlite::Error) -> Self {
        RecordError::Database(e)
    }
}
