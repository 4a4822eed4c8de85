//! What writing to the fake Drive leaves behind, as plain data: the content of each item an
//! upload or import made, the import sources (media) waiting for an import, import tasks and
//! wiki moves with their due times, injected failures and the counters tests assert on. The
//! routes and `place.rs` change it; `due.rs` ends the tasks whose time has come.

use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// What an item made by an upload or an import holds: a plain file's bytes, or those of the
/// media a document was imported from. Kept as a hash and a length, so that a test compares
/// it with the local file without the fake holding the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// Length in bytes.
    pub len: u64,
    /// SHA-256 of the bytes.
    pub sha256: [u8; 32],
    /// Parts the bytes came in; 0 for one request.
    pub parts: u64,
    /// An imported document's source extension (the `file_extension` it was imported
    /// from); `None` for a plain file.
    pub extension: Option<String>,
}

/// A file uploaded as an import's source (`parent_type` `ccm_import_open`): not listed
/// anywhere, named by its file token in an import task's create.
#[derive(Debug, Clone)]
pub(crate) struct Media {
    pub name: String,
    pub content: Content,
    /// The `extra`'s `obj_type` and `file_extension`, when it had them.
    pub obj_type: Option<String>,
    pub extension: Option<String>,
}

/// One import task, its outcome decided at create (an injected failure, a mismatch, a
/// folder that does not exist) and reported once it is due (`Writes::due`).
#[derive(Debug, Clone)]
pub(crate) struct Import {
    pub source: String,
    pub extension: String,
    pub kind: &'static str,
    /// The document's title: `file_name`, or the source's name without its extension.
    pub title: String,
    pub mount: String,
    pub content: Content,
    /// Unix seconds, on the wall clock, of when it is due: the document's created time.
    pub done_unix: u64,
    /// Polls of its ticket (the first is told `1`, initialising; later ones `2`).
    pub polls: u32,
    /// A `job_status` the task ends with instead of success.
    pub fails_with: Option<i64>,
    /// Once ended: the document's token, or the failing `job_status`.
    pub ended: Option<Result<String, i64>>,
}

/// One move of a Drive document into the wiki that runs as a task.
#[derive(Debug, Clone)]
pub(crate) struct Move {
    pub obj_token: String,
    /// The wiki node it goes under; `None`: the top level.
    pub parent: Option<String>,
    /// Unix seconds, on the wall clock, of when it is due: the node's created time.
    pub done_unix: u64,
    /// Once ended: the node's index, or why the move failed (`status_msg`).
    pub ended: Option<Result<usize, &'static str>>,
}

/// A task that ends by itself: by its ticket or task id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Due {
    Import(String),
    Move(String),
}

/// Everything writes add to the model.
#[derive(Debug)]
pub(crate) struct Writes {
    /// Items made by uploads and imports, by object token.
    pub contents: HashMap<String, Content>,
    /// Import sources, by file token.
    pub media: HashMap<String, Media>,
    /// Import sources past their 5 minutes (`expire_import_sources`): a create names them
    /// in vain (1069913).
    pub expired_media: std::collections::HashSet<String>,
    /// Import tasks, by ticket.
    pub imports: HashMap<String, Import>,
    /// Wiki move tasks, by task id.
    pub moves: HashMap<String, Move>,
    /// Tasks not ended yet, each with when it ends.
    pub due: Vec<(Instant, Due)>,
    /// Markers of `fail_imports`, each with the `job_status` its imports end with.
    pub failing_imports: Vec<(String, i64)>,
    /// How long a wiki move answered with a task takes.
    pub move_ready: Duration,
    /// Tickets and task ids made so far.
    pub next_task: u64,
    pub folder_creates: usize,
    pub file_creates: usize,
    pub import_creates: usize,
    pub wiki_moves: usize,
    pub wiki_node_creates: usize,
    /// Successful replies to lose, by route (`lose_replies`).
    pub lose: HashMap<String, u32>,
}

impl Default for Writes {
    fn default() -> Self {
        Writes {
            contents: HashMap::new(),
            media: HashMap::new(),
            imports: HashMap::new(),
            moves: HashMap::new(),
            due: Vec::new(),
            failing_imports: Vec::new(),
            move_ready: Duration::from_millis(100),
            next_task: 0,
            folder_creates: 0,
            file_creates: 0,
            import_creates: 0,
            wiki_moves: 0,
            wiki_node_creates: 0,
            lose: HashMap::new(),
            expired_media: Default::default(),
        }
    }
}
