//! A migration's entries in and out of its record. Every change is committed (and synced)
//! before the call returns, in a group commit with what other workers write at the time.

use super::entry::{Entry, EntryState, Route};
use crate::record::{Record, RecordError};
use crate::upload::PartsDone;
use rusqlite::{Connection, OptionalExtension as _, Row, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// A local entry as a scan found it, with the plan made for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Scanned {
    pub path: String,
    pub parent: Option<String>,
    pub depth: i64,
    pub name: String,
    pub route: Route,
    pub obj_type: Option<String>,
    pub extension: Option<String>,
    pub size: u64,
    pub modified: i64,
    /// Why it is skipped, or (for a plain file) why it is not imported.
    pub reason: Option<String>,
}

/// What a scan changed in the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ScanChanges {
    /// Done entries whose file changed, left as they are (no `--update`).
    pub changed: u64,
    /// Done entries whose file changed, to be imported again (`--update`): path, and the
    /// token of what the new one replaces.
    pub replacing: Vec<(String, String)>,
}

/// How many entries are in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EntryCounts {
    /// Entries per state name ([`EntryState::as_str`]), every state present.
    pub states: BTreeMap<&'static str, u64>,
    /// Bytes of the files done.
    pub bytes: u64,
}

impl EntryCounts {
    /// The count of one state.
    pub fn get(&self, state: EntryState) -> u64 {
        self.states.get(state.as_str()).copied().unwrap_or(0)
    }

    /// Entries with work left.
    pub fn pending(&self) -> u64 {
        EntryState::ALL
            .iter()
            .filter(|s| s.is_pending())
            .map(|s| self.get(*s))
            .sum()
    }
}

const COLUMNS: &str = "id, path, parent, name, route, obj_type, extension, size, modified, state, \
                       sent_at, source_token, ticket, token, url, reason, replaces, attempts, parts";

fn entry(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let route: String = row.get(4)?;
    let state: String = row.get(9)?;
    Ok(Entry {
        id: row.get(0)?,
        path: row.get(1)?,
        parent: row.get(2)?,
        name: row.get(3)?,
        route: Route::parse(&route).unwrap_or(Route::Skip),
        obj_type: row.get(5)?,
        extension: row.get(6)?,
        size: row.get::<_, i64>(7)? as u64,
        modified: row.get(8)?,
        // A state this version does not know is failed: retried on request, never lost.
        state: EntryState::parse(&state).unwrap_or(EntryState::Failed),
        sent_at: row.get(10)?,
        source_token: row.get(11)?,
        ticket: row.get(12)?,
        token: row.get(13)?,
        url: row.get(14)?,
        reason: row.get(15)?,
        replaces: row.get(16)?,
        attempts: row.get(17)?,
        parts: row
            .get::<_, Option<String>>(18)?
            .and_then(|json| serde_json::from_str(&json).ok()),
    })
}

/// Records a scan: new entries are added; a done entry whose file changed is marked
/// changed, or with `update` made to be imported again; an entry nothing was sent for yet
/// takes the new plan. Entries with work in flight keep theirs. One transaction.
pub(super) fn record_scan(
    record: &Record,
    scanned: Vec<Scanned>,
    update: bool,
) -> Result<ScanChanges, RecordError> {
    record.write(move |db| {
        let mut changes = ScanChanges::default();
        for s in &scanned {
            let known: Option<(String, i64, i64, Option<String>, String)> = db
                .query_row(
                    "SELECT state, size, modified, token, route FROM entries WHERE path = ?1",
                    [&s.path],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let Some((state, size, modified, token, route)) = known else {
                insert(db, s)?;
                continue;
            };
            let same = size as u64 == s.size && modified == s.modified;
            match EntryState::parse(&state) {
                // Unchanged: nothing to write (a file changed back is done again).
                Some(EntryState::Done) if s.route == Route::Folder || same => {}
                Some(EntryState::Changed) if same => {
                    db.execute(
                        "UPDATE entries SET state = 'done' WHERE path = ?1",
                        [&s.path],
                    )?;
                }
                Some(EntryState::Done | EntryState::Changed) if update => {
                    replan(db, s, "found")?;
                    db.execute(
                        "UPDATE entries SET replaces = token, token = NULL, url = NULL
                         WHERE path = ?1",
                        [&s.path],
                    )?;
                    changes
                        .replacing
                        .push((s.path.clone(), token.unwrap_or_default()));
                }
                Some(EntryState::Done | EntryState::Changed) => {
                    db.execute(
                        "UPDATE entries SET state = 'changed' WHERE path = ?1",
                        [&s.path],
                    )?;
                    changes.changed += 1;
                }
                // Nothing changed: what is recorded stays (a part upload under way among it).
                Some(EntryState::Found | EntryState::Skipped | EntryState::Failed)
                    if same && route == s.route.as_str() => {}
                Some(EntryState::Found | EntryState::Skipped) | None => {
                    let state = if s.route == Route::Skip {
                        "skipped"
                    } else {
                        "found"
                    };
                    replan(db, s, state)?;
                }
                // Failed keeps its state (for --retry-failed) but takes the new plan; work in
                // flight keeps everything.
                Some(EntryState::Failed) => replan(db, s, "failed")?,
                Some(_) => {}
            }
        }
        Ok(changes)
    })
}

fn insert(db: &Connection, s: &Scanned) -> Result<(), RecordError> {
    let state = if s.route == Route::Skip {
        "skipped"
    } else {
        "found"
    };
    db.execute(
        "INSERT INTO entries (path, parent, depth, name, route, obj_type, extension, size,
                              modified, state, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            s.path,
            s.parent,
            s.depth,
            s.name,
            s.route.as_str(),
            s.obj_type,
            s.extension,
            s.size as i64,
            s.modified,
            state,
            s.reason
        ],
    )?;
    Ok(())
}

/// The scan's plan for an entry nothing was sent for. Its name stays: a recorded entry
/// keeps the name it was given (a sibling found later cannot rename it).
fn replan(db: &Connection, s: &Scanned, state: &str) -> Result<(), RecordError> {
    db.execute(
        "UPDATE entries SET route = ?2, obj_type = ?3, extension = ?4, size = ?5, modified = ?6,
                            state = ?7, reason = ?8, sent_at = NULL,
                            source_token = NULL, ticket = NULL, parts = NULL
         WHERE path = ?1",
        params![
            s.path,
            s.route.as_str(),
            s.obj_type,
            s.extension,
            s.size as i64,
            s.modified,
            state,
            s.reason
        ],
    )?;
    Ok(())
}

/// Up to `limit` entries with work left, after id `after`, in id order: folders
/// (`folders`) or the rest.
pub(super) fn pending(
    record: &Record,
    folders: bool,
    after: i64,
    limit: usize,
) -> Result<Vec<Entry>, RecordError> {
    let db = record.lock();
    let route = if folders { "= 'folder'" } else { "<> 'folder'" };
    let mut statement = db.prepare(&format!(
        "SELECT {COLUMNS} FROM entries
         WHERE id > ?1 AND route {route}
           AND state IN ('found', 'uploaded', 'sending', 'importing', 'staged')
         ORDER BY id LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![after, limit as i64], entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tokens of the folders made so far, by path.
pub(super) fn folder_tokens(record: &Record) -> Result<Vec<(String, String)>, RecordError> {
    let db = record.lock();
    let mut statement = db.prepare(
        "SELECT path, token FROM entries
         WHERE route = 'folder' AND state = 'done' AND token IS NOT NULL",
    )?;
    let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether some entry already holds `token`: a listing's item that is taken cannot be
/// another entry's result.
pub(super) fn is_taken(record: &Record, token: &str) -> Result<bool, RecordError> {
    Ok(record
        .lock()
        .query_row(
            "SELECT 1 FROM entries WHERE token = ?1",
            [token],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Moves entry `id` to `state`, setting the named columns (others kept).
pub(super) fn set(
    record: &Record,
    id: i64,
    state: EntryState,
    columns: Vec<(&'static str, Option<String>)>,
) -> Result<(), RecordError> {
    record.write(move |db| {
        let mut sql = String::from("UPDATE entries SET state = ?1");
        let mut values: Vec<rusqlite::types::Value> = vec![state.as_str().to_owned().into()];
        for (column, value) in &columns {
            values.push(
                value
                    .clone()
                    .map_or(rusqlite::types::Value::Null, Into::into),
            );
            sql.push_str(&format!(", {column} = ?{}", values.len()));
        }
        values.push(id.into());
        sql.push_str(&format!(" WHERE id = ?{}", values.len()));
        db.execute(&sql, rusqlite::params_from_iter(values))?;
        Ok(())
    })
}

/// Records how far entry `id`'s part upload got (its state unchanged).
pub(super) fn set_parts(record: &Record, id: i64, parts: &PartsDone) -> Result<(), RecordError> {
    let json = serde_json::to_string(parts).unwrap_or_default();
    record.write(move |db| {
        db.execute(
            "UPDATE entries SET parts = ?2 WHERE id = ?1",
            params![id, json],
        )?;
        Ok(())
    })
}

/// Entry `id` as recorded.
pub(super) fn get(record: &Record, id: i64) -> Result<Entry, RecordError> {
    Ok(record.lock().query_row(
        &format!("SELECT {COLUMNS} FROM entries WHERE id = ?1"),
        [id],
        entry,
    )?)
}

/// Failed entries made to be tried again.
pub(super) fn retry_failed(record: &Record) -> Result<u64, RecordError> {
    record.write(|db| {
        // What was sent before the failure is looked for again, never sent blindly: an
        // entry with a create sent goes back to sending.
        let n = db.execute(
            "UPDATE entries SET state = CASE
                 WHEN sent_at IS NOT NULL THEN 'sending'
                 WHEN token IS NOT NULL THEN 'staged'
                 WHEN source_token IS NOT NULL THEN 'uploaded'
                 ELSE 'found' END
             WHERE state = 'failed'",
            [],
        )?;
        Ok(n as u64)
    })
}

/// Counts per state, and bytes done.
pub(super) fn counts(record: &Record) -> Result<EntryCounts, RecordError> {
    let db = record.lock();
    let mut counts = EntryCounts::default();
    for state in EntryState::ALL {
        counts.states.insert(state.as_str(), 0);
    }
    let mut statement = db.prepare("SELECT state, COUNT(*) FROM entries GROUP BY state")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        if let Some(state) = EntryState::parse(&state) {
            counts.states.insert(state.as_str(), n as u64);
        }
    }
    counts.bytes = db.query_row(
        "SELECT COALESCE(SUM(size), 0) FROM entries WHERE state = 'done' AND route <> 'folder'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    Ok(counts)
}

/// Every entry, in id order.
pub(super) fn all(record: &Record) -> Result<Vec<Entry>, RecordError> {
    let db = record.lock();
    let mut statement = db.prepare(&format!("SELECT {COLUMNS} FROM entries ORDER BY id"))?;
    let rows = statement.query_map([], entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
