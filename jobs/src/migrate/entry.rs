//! An entry of a migration (a local folder or file) and the states it moves through.

use serde::Serialize;

/// What becomes of a local entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Route {
    /// A directory: a Drive folder (or a wiki node) is created for it.
    Folder,
    /// A file imported as a document (`obj_type`), from its upload as an import source.
    Import,
    /// A file uploaded as it is.
    File,
    /// Left out, for the reason recorded (a link, an empty file, `--imports-only`).
    Skip,
}

impl Route {
    /// The name stored in the record.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Folder => "folder",
            Route::Import => "import",
            Route::File => "file",
            Route::Skip => "skip",
        }
    }

    /// The route stored as `name`.
    pub fn parse(name: &str) -> Option<Route> {
        Some(match name {
            "folder" => Route::Folder,
            "import" => Route::Import,
            "file" => Route::File,
            "skip" => Route::Skip,
            _ => return None,
        })
    }
}

/// Where an entry is. Each state is recorded before anything that depends on it: above
/// all [`Sending`](EntryState::Sending) before a request that creates something, so that a
/// run killed with the reply in flight looks for what it made before making it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntryState {
    /// Found on disk; nothing sent yet (or to be sent again).
    Found,
    /// An import's source is uploaded: its token is recorded (an upload nobody sees, so
    /// one lost to a crash is only uploaded again).
    Uploaded,
    /// A create (a folder, an import task, a file's last request) was sent, or is about to
    /// be, and its outcome is unknown: the target folder is listed before it is sent again.
    Sending,
    /// An import task was started: its ticket is recorded, so it is polled, never started
    /// again.
    Importing,
    /// A wiki migration's file in the staging folder, its token recorded: moved under its
    /// node next (a move makes nothing new, so it is sent again as needed).
    Staged,
    /// In the target: its token is recorded.
    Done,
    /// Done, and the local file changed since: imported again only with `--update`.
    Changed,
    /// Left out, for the reason recorded.
    Skipped,
    /// Failed, with the error recorded; `--retry-failed` tries it again.
    Failed,
}

impl EntryState {
    /// Every state, in the order an import goes through them.
    pub const ALL: [EntryState; 9] = [
        EntryState::Found,
        EntryState::Uploaded,
        EntryState::Sending,
        EntryState::Importing,
        EntryState::Staged,
        EntryState::Done,
        EntryState::Changed,
        EntryState::Skipped,
        EntryState::Failed,
    ];

    /// The name stored in the record and printed by `migrate status`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Found => "found",
            EntryState::Uploaded => "uploaded",
            EntryState::Sending => "sending",
            EntryState::Importing => "importing",
            EntryState::Staged => "staged",
            EntryState::Done => "done",
            EntryState::Changed => "changed",
            EntryState::Skipped => "skipped",
            EntryState::Failed => "failed",
        }
    }

    /// The state stored as `name`.
    pub fn parse(name: &str) -> Option<EntryState> {
        EntryState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether a run still has something to do for an entry in this state.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            EntryState::Found
                | EntryState::Uploaded
                | EntryState::Sending
                | EntryState::Importing
                | EntryState::Staged
        )
    }
}

/// One entry of the record, as `migrate status` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// Its number in the order found: a folder's is below its entries'.
    pub id: i64,
    /// Its path under the migrated folder, `/`-separated.
    pub path: String,
    /// Its folder's path; `None` at the top (the target itself).
    pub parent: Option<String>,
    /// The name it has (or gets) in the target: a folder's or file's own name; an import's
    /// name without its extension (with it when a sibling imports to the same name).
    pub name: String,
    /// What becomes of it.
    pub route: Route,
    /// An import's document type (`docx`, `sheet`, `bitable`).
    pub obj_type: Option<String>,
    /// An import's extension, as the file has it.
    pub extension: Option<String>,
    /// Its size when found.
    pub size: u64,
    /// Its modified time when found (nanoseconds since the Unix epoch).
    pub modified: i64,
    /// Its state.
    pub state: EntryState,
    /// When its last create was sent (Unix seconds), while sending.
    pub sent_at: Option<i64>,
    /// An import source's upload token.
    pub source_token: Option<String>,
    /// An import task's ticket.
    pub ticket: Option<String>,
    /// What the target holds for it: a folder's, document's or file's token (in a wiki: its
    /// node's; while staged, the document's or file's in the staging folder).
    pub token: Option<String>,
    /// Its link, when the reply gave one.
    pub url: Option<String>,
    /// Why it was skipped, or its last error.
    pub reason: Option<String>,
    /// With `--update`: the token of the document the new import replaces.
    pub replaces: Option<String>,
    /// Uploads started again after the server lost a source (an expired upload).
    pub attempts: i64,
    /// How far its part upload got, while one is under way.
    pub parts: Option<crate::upload::PartsDone>,
}

impl Entry {
    /// The type a Drive folder lists it as: `folder`, `file`, or the imported document's
    /// type.
    pub fn remote_kind(&self) -> &str {
        match self.route {
            Route::Folder => "folder",
            Route::Import => self.obj_type.as_deref().unwrap_or("docx"),
            Route::File | Route::Skip => "file",
        }
    }
}
