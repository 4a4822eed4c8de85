//! Items in and out of the record. Every change is committed (and synced) before the call
//! returns, in a group commit with the changes other threads make at the same time.

use super::error::RecordError;
use super::open::Record;
use super::state::{Item, State};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension as _, Row, params};
use serde::Serialize;
use std::collections::HashMap;

/// An item as a listing found it, with the names it was given if it is new.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Listed {
    /// See [`Item::id`].
    pub id: String,
    /// See [`Item::parent`].
    pub parent: Option<String>,
    /// See [`Item::kind`].
    pub kind: String,
    /// See [`Item::obj_token`].
    pub obj_token: String,
    /// See [`Item::title`].
    pub title: String,
    /// See [`Item::modified`].
    pub modified: Option<String>,
    /// Its file, for a new item (a recorded item keeps its own).
    pub path: Option<String>,
    /// Its directory, for a new item.
    pub dir: Option<String>,
    /// [`State::Listed`], [`State::Folder`] or [`State::Skipped`].
    pub state: State,
    /// Why it is skipped.
    pub reason: Option<String>,
}

impl Listed {
    /// An item found by a listing.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        parent: Option<String>,
        kind: String,
        obj_token: String,
        title: String,
        modified: Option<String>,
        state: State,
        reason: Option<String>,
    ) -> Self {
        Listed {
            id,
            parent,
            kind,
            obj_token,
            title,
            modified,
            path: None,
            dir: None,
            state,
            reason,
        }
    }
}

/// The names a recorded item was given under the job's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// Its file.
    pub path: Option<String>,
    /// Its directory.
    pub dir: Option<String>,
}

/// How many items are in each state, and how many the last listing no longer had.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StateCounts {
    /// Items per state name ([`State::as_str`]), every state present; removed items not
    /// counted.
    pub states: std::collections::BTreeMap<&'static str, u64>,
    /// Items removed at the source (kept on disk).
    pub removed: u64,
    /// Bytes on disk, of the items done.
    pub bytes: u64,
}

impl StateCounts {
    /// The count of one state.
    pub fn get(&self, state: State) -> u64 {
        self.states.get(state.as_str()).copied().unwrap_or(0)
    }

    /// Items with work left (in a state that [`is_pending`](State::is_pending)).
    pub fn pending(&self) -> u64 {
        State::ALL
            .iter()
            .filter(|s| s.is_pending())
            .map(|s| self.get(*s))
            .sum()
    }
}

const COLUMNS: &str = "id, parent, kind, obj_token, title, path, dir, modified, state, ticket, \
                       file_token, exported_at, bytes, done_modified, reason, restarts, removed";

fn item(row: &Row<'_>) -> rusqlite::Result<Item> {
    let state: String = row.get(8)?;
    Ok(Item {
        id: row.get(0)?,
        parent: row.get(1)?,
        kind: row.get(2)?,
        obj_token: row.get(3)?,
        title: row.get(4)?,
        path: row.get(5)?,
        dir: row.get(6)?,
        modified: row.get(7)?,
        // A state this version does not know is one to redo.
        state: State::parse(&state).unwrap_or(State::Listed),
        ticket: row.get(9)?,
        file_token: row.get(10)?,
        exported_at: row.get(11)?,
        bytes: row.get(12)?,
        done_modified: row.get(13)?,
        reason: row.get(14)?,
        restarts: row.get(15)?,
        removed: row.get::<_, i64>(16)? != 0,
    })
}

impl Record {
    /// Starts a run: its number, by which a listing marks what it saw.
    pub fn begin_run(&self, now: i64) -> Result<i64, RecordError> {
        self.write(move |db| {
            db.execute("INSERT INTO runs (started) VALUES (?1)", [now])?;
            Ok(db.last_insert_rowid())
        })
    }

    /// The recorded items among `ids`, with the names they were given.
    pub fn names_of(&self, ids: &[&str]) -> Result<HashMap<String, Names>, RecordError> {
        let db = self.lock();
        let mut query = db.prepare_cached("SELECT path, dir FROM items WHERE id = ?1")?;
        let mut found = HashMap::new();
        for id in ids {
            if let Some(names) = query
                .query_row([id], |r| {
                    Ok(Names {
                        path: r.get(0)?,
                        dir: r.get(1)?,
                    })
                })
                .optional()?
            {
                found.insert((*id).to_owned(), names);
            }
        }
        Ok(found)
    }

    /// Every name given in the directory of `parent`'s children, so that a new item does
    /// not take one.
    pub fn names_in(&self, parent: Option<&str>) -> Result<Vec<String>, RecordError> {
        let db = self.lock();
        let mut query = db.prepare_cached("SELECT path, dir FROM items WHERE parent IS ?1")?;
        let rows = query.query_map([parent], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
            ))
        })?;
        let mut names = Vec::new();
        for row in rows {
            let (path, dir) = row?;
            names.extend(
                path.into_iter()
                    .chain(dir)
                    .filter_map(|p| p.rsplit('/').next().map(str::to_owned)),
            );
        }
        Ok(names)
    }

    /// Records what one page of a listing found, in one transaction: new items as they
    /// are; recorded ones seen again (`run`), their title and modified time updated, and
    /// those done whose modified time changed set to be fetched again under the same name.
    pub fn record_listed(&self, run: i64, page: &[Listed]) -> Result<(), RecordError> {
        let page = page.to_vec();
        self.write(move |tx| {
            let mut insert = tx.prepare_cached(
                "INSERT INTO items (id, parent, kind, obj_token, title, path, dir, modified, \
                 state, reason, seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
                 ON CONFLICT (id) DO NOTHING",
            )?;
            let mut seen = tx.prepare_cached(
                "UPDATE items SET seen = ?2, removed = 0, title = ?3, modified = ?4, \
                 state = CASE WHEN state = 'done' AND done_modified IS NOT ?4 \
                 THEN 'listed' ELSE state END \
                 WHERE id = ?1",
            )?;
            for item in &page {
                let inserted = insert.execute(params![
                    item.id,
                    item.parent,
                    item.kind,
                    item.obj_token,
                    item.title,
                    item.path,
                    item.dir,
                    item.modified,
                    item.state.as_str(),
                    item.reason,
                    run
                ])?;
                if inserted == 0 {
                    seen.execute(params![item.id, run, item.title, item.modified])?;
                }
            }
            Ok(())
        })
    }

    /// Ends a complete listing: what it did not see is marked removed (its files stay).
    pub fn finish_listing(&self, run: i64) -> Result<u64, RecordError> {
        self.write(move |db| {
            let removed = db.execute(
                "UPDATE items SET removed = 1 WHERE seen < ?1 AND removed = 0",
                [run],
            )?;
            db.execute("UPDATE runs SET listed = 1 WHERE id = ?1", [run])?;
            Ok(removed as u64)
        })
    }

    /// Up to `limit` items with work left, after the row `after` (0 first), in the order
    /// they were listed, with their row numbers.
    pub fn pending(&self, after: i64, limit: usize) -> Result<Vec<(i64, Item)>, RecordError> {
        let db = self.lock();
        let mut query = db.prepare_cached(&format!(
            "SELECT {COLUMNS}, rowid FROM items WHERE rowid > ?1 AND removed = 0 \
             AND state IN ('listed', 'exporting', 'exported', 'fetched') \
             ORDER BY rowid LIMIT ?2"
        ))?;
        let rows = query.query_map(params![after, limit as i64], |r| {
            Ok((r.get::<_, i64>(17)?, item(r)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of the items in `state`, removed ones included.
    pub fn ids_in(&self, state: State) -> Result<Vec<String>, RecordError> {
        let db = self.lock();
        let mut query = db.prepare_cached("SELECT id FROM items WHERE state = ?1")?;
        let ids = query.query_map([state.as_str()], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// One item.
    pub fn get(&self, id: &str) -> Result<Option<Item>, RecordError> {
        let db = self.lock();
        let mut query = db.prepare_cached(&format!("SELECT {COLUMNS} FROM items WHERE id = ?1"))?;
        Ok(query.query_row([id], item).optional()?)
    }

    /// Calls `each` with every item, in the order they were listed.
    pub fn for_each(&self, mut each: impl FnMut(Item)) -> Result<(), RecordError> {
        let db = self.lock();
        let mut query = db.prepare(&format!("SELECT {COLUMNS} FROM items ORDER BY rowid"))?;
        for row in query.query_map([], item)? {
            each(row?);
        }
        Ok(())
    }

    /// Items per state, removed ones, and bytes on disk.
    pub fn counts(&self) -> Result<StateCounts, RecordError> {
        let db = self.lock();
        let mut counts = StateCounts::default();
        for state in State::ALL {
            counts.states.insert(state.as_str(), 0);
        }
        let mut query = db.prepare_cached(
            "SELECT state, count(*), coalesce(sum(bytes), 0) FROM items WHERE removed = 0 \
             GROUP BY state",
        )?;
        let rows = query.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (state, n, bytes) = row?;
            if let Some(state) = State::parse(&state) {
                counts.states.insert(state.as_str(), n as u64);
                if state == State::Done {
                    counts.bytes = bytes as u64;
                }
            }
        }
        counts.removed = db.query_row("SELECT count(*) FROM items WHERE removed = 1", [], |r| {
            r.get::<_, i64>(0)
        })? as u64;
        Ok(counts)
    }

    /// The failed items made ready to try again; returns how many.
    pub fn retry_failed(&self) -> Result<u64, RecordError> {
        // A failed item's ticket and file token are left as they were: a ticket still
        // polls, a file token still downloads if the export's file is there.
        self.write(|db| {
            let n = db.execute(
                "UPDATE items SET state = CASE \
                     WHEN file_token IS NOT NULL THEN 'exported' \
                     WHEN ticket IS NOT NULL THEN 'exporting' ELSE 'listed' END, \
                 restarts = 0 WHERE state = 'failed'",
                [],
            )?;
            Ok(n as u64)
        })
    }

    /// An export started: its ticket.
    pub fn set_exporting(&self, id: &str, ticket: &str) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'exporting', ticket = ?2, file_token = NULL, \
             reason = NULL WHERE id = ?1",
            vec![text(id), text(ticket)],
        )
    }

    /// An export finished: its file token, and when (Unix seconds).
    pub fn set_exported(&self, id: &str, file_token: &str, at: i64) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'exported', file_token = ?2, exported_at = ?3 WHERE id = ?1",
            vec![text(id), text(file_token), Value::Integer(at)],
        )
    }

    /// The file is complete in the temporary folder.
    pub fn set_fetched(&self, id: &str) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'fetched' WHERE id = ?1",
            vec![text(id)],
        )
    }

    /// The file is in place: its size, and the remote modified time of this version.
    pub fn set_done(
        &self,
        id: &str,
        bytes: u64,
        modified: Option<&str>,
    ) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'done', bytes = ?2, done_modified = ?3, ticket = NULL, \
             reason = NULL WHERE id = ?1",
            vec![
                text(id),
                Value::Integer(bytes as i64),
                modified.map_or(Value::Null, text),
            ],
        )
    }

    /// Skipped, with why.
    pub fn set_skipped(&self, id: &str, reason: &str) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'skipped', reason = ?2 WHERE id = ?1",
            vec![text(id), text(reason)],
        )
    }

    /// Failed, with why.
    pub fn set_failed(&self, id: &str, reason: &str) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'failed', reason = ?2 WHERE id = ?1",
            vec![text(id), text(reason)],
        )
    }

    /// The exported file was gone: the export is to be started again (counted).
    pub fn restart_export(&self, id: &str, reason: &str) -> Result<(), RecordError> {
        self.update(
            "UPDATE items SET state = 'listed', ticket = NULL, file_token = NULL, \
             restarts = restarts + 1, reason = ?2 WHERE id = ?1",
            vec![text(id), text(reason)],
        )
    }

    /// One statement, in the next group commit.
    fn update(&self, sql: &'static str, values: Vec<Value>) -> Result<(), RecordError> {
        self.write(move |db| {
            db.prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(values))?;
            Ok(())
        })
    }
}

/// A text value of a statement.
fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}
