//! Where the record's files are, inside the job's folder, and which database each job keeps.

use super::schema;

/// The hidden folder of the record inside the job's folder. A title never becomes a
/// name with a leading dot, so no item can land there; a migration never uploads it.
pub const RECORD_DIR: &str = ".taskapi";
/// The file a running job holds locked, in [`RECORD_DIR`]: one job at a time per folder,
/// of either kind.
pub const LOCK_FILE: &str = "lock";
/// Where files are completed before they are moved into place, in [`RECORD_DIR`]: on the
/// same filesystem as the tree, so the move is a rename.
pub const TEMP_DIR: &str = "tmp";

/// Which job a record is of. Each keeps its own database in [`RECORD_DIR`], with its own
/// tables: a backup's items and a migration's entries move through different states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Job {
    /// `taskapi backup`: remote items to files.
    Backup,
    /// `taskapi migrate`: local files to remote items.
    Migrate,
}

impl Job {
    /// The database's file name in [`RECORD_DIR`].
    pub fn file(self) -> &'static str {
        match self {
            Job::Backup => "backup.sqlite3",
            Job::Migrate => "migrate.sqlite3",
        }
    }

    /// The statements that create the job's tables when they are missing.
    pub(super) fn schema(self) -> &'static str {
        match self {
            Job::Backup => schema::BACKUP,
            Job::Migrate => schema::MIGRATE,
        }
    }
}
