//! Where the record's files are, inside the job's folder.

/// The hidden folder of the record inside the job's folder. A title never becomes a
/// name with a leading dot, so no item can land there.
pub const RECORD_DIR: &str = ".taskapi";
/// The database, in [`RECORD_DIR`].
pub const RECORD_FILE: &str = "backup.sqlite3";
/// The file a running job holds locked, in [`RECORD_DIR`].
pub const LOCK_FILE: &str = "lock";
/// Where files are completed before they are moved into place, in [`RECORD_DIR`]: on the
/// same filesystem as the tree, so the move is a rename.
pub const TEMP_DIR: &str = "tmp";
