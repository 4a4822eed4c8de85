//! An item of a job and the states it moves through.

use serde::Serialize;

/// Where an item is. Each state is recorded before anything that depends on it is done:
/// a ticket before the export is polled, a complete temporary file before it is moved into
/// place, the move before the item is counted done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum State {
    /// Listed; nothing asked of the server yet (or to be done again: a new version).
    Listed,
    /// An export was started: its ticket is recorded, so it is polled, never started again.
    Exporting,
    /// The export finished: its file token and time are recorded.
    Exported,
    /// The file is complete in the record's temporary folder, waiting to be moved into place.
    Fetched,
    /// On disk under its path, as of the remote modified time recorded with it.
    Done,
    /// A folder (or a wiki node's folder): its directory exists.
    Folder,
    /// Not backed up, for the reason recorded (a type that cannot be exported, a shortcut).
    Skipped,
    /// Failed after retries, with the error recorded; `--retry-failed` tries it again.
    Failed,
}

impl State {
    /// The name stored in the record and printed by `backup status`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Listed => "listed",
            State::Exporting => "exporting",
            State::Exported => "exported",
            State::Fetched => "fetched",
            State::Done => "done",
            State::Folder => "folder",
            State::Skipped => "skipped",
            State::Failed => "failed",
        }
    }

    /// The state stored as `name`; `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<State> {
        Some(match name {
            "listed" => State::Listed,
            "exporting" => State::Exporting,
            "exported" => State::Exported,
            "fetched" => State::Fetched,
            "done" => State::Done,
            "folder" => State::Folder,
            "skipped" => State::Skipped,
            "failed" => State::Failed,
            _ => return None,
        })
    }

    /// Every state, in the order a document goes through them.
    pub const ALL: [State; 8] = [
        State::Listed,
        State::Exporting,
        State::Exported,
        State::Fetched,
        State::Done,
        State::Folder,
        State::Skipped,
        State::Failed,
    ];

    /// Whether a run still has something to do for an item in this state.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            State::Listed | State::Exporting | State::Exported | State::Fetched
        )
    }
}

/// One item of the record, as `backup status` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Item {
    /// The id listed: a Drive file's token, or a wiki node's token.
    pub id: String,
    /// The id of the folder or node it was listed in; `None` at the top.
    pub parent: Option<String>,
    /// Its type as listed (`docx`, `sheet`, `file`, `folder`, `mindnote`, ...).
    pub kind: String,
    /// The token of what is exported or downloaded (a wiki node's `obj_token`).
    pub obj_token: String,
    /// Its title as listed.
    pub title: String,
    /// Its file under the job's folder, `/`-separated; `None` when it has no file.
    pub path: Option<String>,
    /// The directory it holds its children in, `/`-separated; `None` when it has none.
    pub dir: Option<String>,
    /// The remote modified time as last listed.
    pub modified: Option<String>,
    /// Its state.
    pub state: State,
    /// The export's ticket, while exporting.
    pub ticket: Option<String>,
    /// The exported file's token.
    pub file_token: Option<String>,
    /// When the export finished (Unix seconds).
    pub exported_at: Option<i64>,
    /// Bytes on disk, once done.
    pub bytes: Option<i64>,
    /// The remote modified time of the version on disk.
    pub done_modified: Option<String>,
    /// Why it was skipped, or the last error.
    pub reason: Option<String>,
    /// Exports started again because the exported file was gone.
    pub restarts: i64,
    /// Whether the last complete listing no longer had it (it stays on disk).
    pub removed: bool,
}
