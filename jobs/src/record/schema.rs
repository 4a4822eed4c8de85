//! The tables of each job's record. Both start with `meta` (the remote, the settings that
//! decide names, the schema's version); `items.state` and `entries.state` take the names
//! of [`State`](super::State) and `migrate::EntryState`.

/// Version 1 of a backup's record: an item per remote id.
pub(super) const BACKUP: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS items (
        id TEXT PRIMARY KEY,
        parent TEXT,
        kind TEXT NOT NULL,
        obj_token TEXT NOT NULL,
        title TEXT NOT NULL,
        path TEXT,
        dir TEXT,
        modified TEXT,
        state TEXT NOT NULL,
        ticket TEXT,
        file_token TEXT,
        exported_at INTEGER,
        bytes INTEGER,
        done_modified TEXT,
        reason TEXT,
        restarts INTEGER NOT NULL DEFAULT 0,
        seen INTEGER NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS items_parent ON items (parent);
    CREATE INDEX IF NOT EXISTS items_state ON items (state);
    CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        started INTEGER NOT NULL,
        listed INTEGER NOT NULL DEFAULT 0,
        finished INTEGER
    );
    INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1');";

/// Version 1 of a migration's record: an entry per local path (`/`-separated, relative to
/// the migrated folder), numbered in the order found, so a folder comes before what is in
/// it. `token` is what the remote side made for it (a folder, a document, a file): a token
/// recorded for one entry is never taken as another's when an unknown outcome is
/// reconciled by listing. `parts` is a part upload's progress (JSON of
/// `upload::PartsDone`), so a rerun continues a large file.
pub(super) const MIGRATE: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        parent TEXT,
        depth INTEGER NOT NULL,
        name TEXT NOT NULL,
        route TEXT NOT NULL,
        obj_type TEXT,
        extension TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        modified INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        sent_at INTEGER,
        source_token TEXT,
        ticket TEXT,
        token TEXT,
        url TEXT,
        reason TEXT,
        replaces TEXT,
        parts TEXT,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS entries_state ON entries (state);
    CREATE INDEX IF NOT EXISTS entries_token ON entries (token);
    INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1');";
