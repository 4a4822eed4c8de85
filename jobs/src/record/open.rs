//! The record's files under the job's folder, the lock that keeps a second process out,
//! and the database's schema.

use super::commit::Writer;
use super::error::RecordError;
use super::layout::{Job, LOCK_FILE, RECORD_DIR, TEMP_DIR};
use fs4::{FileExt, TryLockError};
use rusqlite::{Connection, OptionalExtension as _};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The Drive folder or wiki space a job works on: a backup's source, a migration's target.
/// A folder holds the record of one remote only.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remote {
    /// A Drive folder and everything below it.
    Folder {
        /// The folder's token.
        token: String,
    },
    /// A wiki space, or the subtree under one of its nodes.
    Wiki {
        /// The space's id.
        space_id: String,
        /// The node whose children are backed up (or migrated into); `None`: the whole space.
        parent_node: Option<String>,
    },
}

impl Remote {
    /// How the record names it.
    fn key(&self) -> String {
        match self {
            Remote::Folder { token } => format!("folder:{token}"),
            Remote::Wiki {
                space_id,
                parent_node: None,
            } => format!("wiki:{space_id}"),
            Remote::Wiki {
                space_id,
                parent_node: Some(node),
            } => format!("wiki:{space_id}/{node}"),
        }
    }
}

/// The record of one job's folder: its database, and the lock held while a job runs.
/// Reads go through a connection of their own; writes through a writer thread, which
/// commits the writes of many threads together.
pub struct Record {
    pub(super) db: Mutex<Connection>,
    writer: Option<Writer>,
    dir: PathBuf,
    /// Held (locked) for as long as the record is open for a job; `None` for reading.
    _lock: Option<File>,
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record").field("dir", &self.dir).finish()
    }
}

fn io(doing: &'static str) -> impl FnOnce(std::io::Error) -> RecordError {
    move |source| RecordError::Io { doing, source }
}

impl Record {
    /// Opens `dir`'s record of `job` on `source`, creating the folder and the record if
    /// needed, and locks it: a second job on the same folder (of either kind) gets
    /// [`RecordError::Busy`].
    pub fn open_for_job(dir: &Path, job: Job, source: &Remote) -> Result<Record, RecordError> {
        let hidden = dir.join(RECORD_DIR);
        std::fs::create_dir_all(hidden.join(TEMP_DIR)).map_err(io("create the record's folder"))?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(hidden.join(LOCK_FILE))
            .map_err(io("open the record's lock file"))?;
        // Released by the OS when the process ends, however it ends (kill -9 included).
        // fs4's, named: the standard library's `File::try_lock` is newer than our MSRV.
        match FileExt::try_lock(&lock) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(RecordError::Busy {
                    dir: dir.to_owned(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io("lock the record")(e)),
        }
        let file = hidden.join(job.file());
        let db = connect(&file)?;
        db.execute_batch(job.schema())?;
        let asked = source.key();
        let recorded: Option<String> = db
            .query_row("SELECT value FROM meta WHERE key = 'source'", [], |r| {
                r.get(0)
            })
            .optional()?;
        match recorded {
            Some(recorded) if recorded != asked => {
                return Err(RecordError::OtherSource {
                    dir: dir.to_owned(),
                    recorded,
                    asked,
                });
            }
            Some(_) => {}
            None => {
                db.execute(
                    "INSERT INTO meta (key, value) VALUES ('source', ?1)",
                    [&asked],
                )?;
            }
        }
        let writer = Writer::start(db)?;
        Ok(Record {
            db: Mutex::new(connect(&file)?),
            writer: Some(writer),
            dir: dir.to_owned(),
            _lock: Some(lock),
        })
    }

    /// Opens `dir`'s record of `job` to read it, while a job may be running on it.
    pub fn open_to_read(dir: &Path, job: Job) -> Result<Record, RecordError> {
        let file = dir.join(RECORD_DIR).join(job.file());
        if !file.is_file() {
            return Err(RecordError::Missing {
                dir: dir.to_owned(),
            });
        }
        let db = connect(&file)?;
        Ok(Record {
            db: Mutex::new(db),
            writer: None,
            dir: dir.to_owned(),
            _lock: None,
        })
    }

    /// Keeps `value` as the record's setting `name` the first time; later, refuses another
    /// value ([`RecordError::OtherSetting`]): a setting that decides names on disk (the
    /// export formats, say) cannot change under a backup.
    pub fn keep_setting(&self, name: &'static str, value: &str) -> Result<(), RecordError> {
        let key = format!("setting:{name}");
        let recorded: Option<String> = self
            .lock()
            .query_row("SELECT value FROM meta WHERE key = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()?;
        match recorded {
            Some(recorded) if recorded != value => Err(RecordError::OtherSetting {
                dir: self.dir.clone(),
                name,
                recorded,
                asked: value.to_owned(),
            }),
            Some(_) => Ok(()),
            None => {
                let value = value.to_owned();
                self.write(move |db| {
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                        [&key, &value],
                    )?;
                    Ok(())
                })
            }
        }
    }

    /// The record's setting `name`, if kept.
    pub fn setting(&self, name: &str) -> Result<Option<String>, RecordError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [format!("setting:{name}")],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The job's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where files are completed before they are moved into place.
    pub fn temp_dir(&self) -> PathBuf {
        self.dir.join(RECORD_DIR).join(TEMP_DIR)
    }

    /// The source the record was made for, as the record names it.
    pub fn source_key(&self) -> Result<Option<String>, RecordError> {
        Ok(self
            .lock()
            .query_row("SELECT value FROM meta WHERE key = 'source'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Runs `op` in the next group commit; returns once it is synced.
    pub(crate) fn write<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> Result<T, RecordError> + Send + 'static,
    ) -> Result<T, RecordError> {
        match &self.writer {
            Some(writer) => writer.write(op),
            None => Err(RecordError::Write("the record was opened to read".into())),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The database, durable at every commit: write-ahead log, synced on commit (`FULL`).
fn connect(file: &Path) -> Result<Connection, RecordError> {
    let db = Connection::open(file)?;
    db.busy_timeout(std::time::Duration::from_secs(10))?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "FULL")?;
    Ok(db)
}
