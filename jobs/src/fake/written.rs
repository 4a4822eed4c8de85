//! What writing to the fake Drive leaves behind, as plain data: the content of each item an
//! upload made and the counters tests assert on. The routes and `place.rs` change it.

use std::collections::HashMap;

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

/// Everything writes add to the model.
#[derive(Debug, Default)]
pub(crate) struct Writes {
    /// Items made by uploads, by object token.
    pub contents: HashMap<String, Content>,
    pub folder_creates: usize,
    pub file_creates: usize,
}
