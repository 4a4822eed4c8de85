//! A file arriving: a form's file part checked against its stated size and Adler-32
//! checksum, as the real server checks them, and an upload in parts put together in order.

use super::multipart::text;
use super::written::Content;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Where an upload goes and what it says of itself (the form's or the prepare body's
/// fields).
#[derive(Debug, Clone, Default)]
pub(crate) struct Stated {
    pub name: String,
    /// Its `parent_node`: a folder, a document, or empty (an import source).
    pub folder: String,
    pub parent_type: String,
    pub extra: Option<String>,
    pub size: u64,
}

/// An upload in progress. Parts are hashed as they arrive in order (one that arrives ahead
/// of its turn waits), so the fake holds no more of a large file than the client sends out
/// of order; a part sent again must be the same bytes.
#[derive(Default)]
pub(crate) struct Upload {
    pub stated: Stated,
    hash: Sha256,
    /// Parts hashed: the next one in order.
    hashed: i64,
    len: u64,
    /// Parts that arrived ahead of their turn.
    waiting: BTreeMap<i64, Vec<u8>>,
    /// Each part's checksum, to compare a part sent again with the first.
    sums: HashMap<i64, u32>,
    /// A part was sent again with other bytes.
    corrupt: bool,
}

impl Upload {
    pub fn new(stated: Stated) -> Self {
        Upload {
            stated,
            ..Upload::default()
        }
    }

    /// Takes part `seq` (0 for a file sent whole).
    pub fn take(&mut self, seq: i64, part: Vec<u8>) {
        let sum = adler2::adler32_slice(&part);
        if let Some(first) = self.sums.insert(seq, sum) {
            self.corrupt |= first != sum;
            return;
        }
        self.waiting.insert(seq, part);
        while let Some(next) = self.waiting.remove(&self.hashed) {
            self.hash.update(&next);
            self.len += next.len() as u64;
            self.hashed += 1;
        }
    }

    /// Whether all `count` parts arrived, each once or again the same, making the stated
    /// size.
    pub fn complete(&self, count: i64) -> bool {
        !self.corrupt
            && self.hashed == count
            && self.waiting.is_empty()
            && self.len == self.stated.size
    }

    /// What arrived, once complete: its hash and length, in `parts` parts.
    pub fn content(self, parts: u64) -> (Stated, Content) {
        let content = Content {
            len: self.len,
            sha256: self.hash.finalize().into(),
            parts,
            extension: None,
        };
        (self.stated, content)
    }
}

/// The form's file, if its stated size and checksum are its own.
pub(crate) fn checked(form: &HashMap<String, Vec<u8>>) -> Option<Vec<u8>> {
    let file = form.get("file")?.clone();
    let size: u64 = text(form, "size")?.trim().parse().ok()?;
    if size != file.len() as u64 {
        return None;
    }
    if let Some(checksum) = text(form, "checksum") {
        let stated: u32 = checksum.trim().parse().ok()?;
        if stated != adler2::adler32_slice(&file) {
            return None;
        }
    }
    Some(file)
}
