//! The tree's state behind its lock: every node of both trees, the children of each folder
//! or wiki node in listing order, export tasks, what writes left (`written.rs`) and the
//! counters tests assert on. Plain data and lookups; generating it is `generate.rs`'s
//! business, serving it the routes', sharing it `state.rs`'s.

use super::options::TreeOptions;
use super::written::Writes;
use std::collections::{HashMap, HashSet};
use tokio::time::Instant;

/// The token of the Drive folder the tree is under (27 characters, as real ones).
pub const ROOT_FOLDER: &str = "fldcnFakeTreeRootFolder0001";
/// The wiki space's id: digits, as real ones (19, beyond 2^53).
pub const SPACE_ID: &str = "7034502641455497244";

/// Which tree an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The Drive folder tree under [`FakeTree::ROOT_FOLDER`](super::FakeTree::ROOT_FOLDER).
    Drive,
    /// The wiki space [`FakeTree::SPACE_ID`](super::FakeTree::SPACE_ID).
    Wiki,
}

/// One item of either tree as a test sees it: what a backup should find and write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeItem {
    /// Which tree it is in.
    pub source: Source,
    /// Its token in the listing: a Drive `token`, or a wiki `node_token`.
    pub token: String,
    /// The object exported or downloaded: Drive, the token itself; wiki, the `obj_token`
    /// (a wiki shortcut's is its origin's).
    pub obj_token: String,
    /// The folder (Drive: [`FakeTree::ROOT_FOLDER`](super::FakeTree::ROOT_FOLDER) at the top;
    /// `""` for one created in the drive's root) or parent node (wiki: `None` at the top
    /// level) it is listed under.
    pub parent: Option<String>,
    /// Its `name` (Drive) or `title` (wiki).
    pub title: String,
    /// Its `type` (Drive: `docx`, `folder`, `shortcut`, ...) or `obj_type` (wiki).
    pub kind: String,
    /// A Drive shortcut or a wiki node of `node_type` `shortcut`.
    pub shortcut: bool,
    /// Whether listing it gives anything (a folder or node with children not deleted).
    pub has_children: bool,
    /// Its `modified_time` (Drive) or `obj_edit_time` (wiki): unix seconds.
    pub modified: String,
    /// Removed by [`FakeTree::delete`](super::FakeTree::delete): no longer listed. (A Drive
    /// document moved into the wiki is not deleted: it is this item, now of the wiki.)
    pub deleted: bool,
}

/// A node of either tree, as kept.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub source: Source,
    pub token: String,
    pub obj_token: String,
    /// Drive: the folder's token (`""`: the drive's root); wiki: the parent node's token,
    /// `None` at the top.
    pub parent: Option<String>,
    pub title: String,
    pub kind: &'static str,
    /// Drive: the shortcut's target token; wiki: the shortcut's origin node token.
    pub shortcut: Option<String>,
    pub created: u64,
    pub modified: u64,
    /// Wiki: when the node (not the object) was made.
    pub node_created: u64,
    pub size: u64,
    /// Folders below the root (Drive) or levels below the top (wiki), from 1.
    pub depth: u8,
    pub deleted: bool,
}

/// One export task, with what it exported frozen at create time (a document touched after
/// still downloads the bytes the export made).
#[derive(Debug, Clone)]
pub(crate) struct Export {
    pub obj_token: String,
    pub kind: &'static str,
    pub extension: String,
    pub file_token: String,
    pub file_name: String,
    pub modified: u64,
    pub size: u64,
    pub ready_at: Instant,
    /// Gone by [`FakeTree::expire_exports`](super::FakeTree::expire_exports).
    pub expired: bool,
    /// Its place among all exports, in the order they were created.
    pub seq: u64,
    /// Polls of its ticket.
    pub polls: u32,
}

/// Everything behind the tree's lock.
pub(crate) struct Model {
    pub options: TreeOptions,
    pub nodes: Vec<Node>,
    /// Drive tokens and wiki node tokens.
    pub by_token: HashMap<String, usize>,
    /// Objects that can be exported or downloaded: Drive items but shortcuts and folders,
    /// wiki origin nodes.
    pub by_obj: HashMap<String, usize>,
    /// Children in listing order, by tree and parent (the wiki's top level under `""`): every
    /// node ever placed there, so positions never shift; one moved elsewhere since is skipped
    /// (`listed_in`), as a deleted one is.
    pub children: HashMap<(Source, String), Vec<usize>>,
    /// Item tokens made so far (tokens are made from it, not drawn: see `token`).
    pub next_id: u64,
    /// Export tasks made so far (tickets and file tokens).
    pub next_export: u64,
    /// Choices of the mutations, apart from generation's, so both stay deterministic.
    pub mutate_rng: fastrand::Rng,
    /// Export tasks by ticket.
    pub exports: HashMap<String, Export>,
    /// Exported files' tokens to their tickets.
    pub export_files: HashMap<String, String>,
    /// Documents whose export creates fail (`fail_exports`).
    pub failing: HashSet<String>,
    pub creates: HashMap<String, usize>,
    pub export_downloads: HashMap<String, usize>,
    pub file_downloads: HashMap<String, usize>,
    /// Uploads, folders, imports and wiki moves.
    pub writes: Writes,
}

/// The document kinds an export takes, with the extensions each exports to.
pub(crate) fn export_extensions(kind: &str) -> &'static [&'static str] {
    match kind {
        "doc" | "docx" => &["docx", "pdf"],
        "sheet" | "bitable" => &["xlsx", "csv"],
        _ => &[],
    }
}

impl Model {
    /// An empty model; `generate::populate` fills it.
    pub fn new(options: TreeOptions) -> Self {
        Model {
            mutate_rng: fastrand::Rng::with_seed(options.seed ^ 0x6d75_7461_7465),
            options,
            nodes: Vec::new(),
            by_token: HashMap::new(),
            by_obj: HashMap::new(),
            children: HashMap::new(),
            next_id: 0,
            next_export: 0,
            exports: HashMap::new(),
            export_files: HashMap::new(),
            failing: HashSet::new(),
            creates: HashMap::new(),
            export_downloads: HashMap::new(),
            file_downloads: HashMap::new(),
            writes: Writes::default(),
        }
    }

    /// A new token: `prefix`, the id in base 36 (unique), then characters from a hash of the
    /// seed and the id, to 27 (the documented maximum). Made, not drawn from a generator, so
    /// that making one never shifts another random choice.
    pub fn token(&self, prefix: &str, id: u64) -> String {
        const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut token = String::from(prefix);
        let mut n = id;
        let mut digits = Vec::new();
        for _ in 0..6 {
            digits.push(DIGITS[(n % 36) as usize]);
            n /= 36;
        }
        token.extend(digits.iter().rev().map(|&d| d as char));
        let mut h = super::content::hash(&[
            &self.options.seed.to_le_bytes(),
            prefix.as_bytes(),
            &id.to_le_bytes(),
        ]);
        while token.len() < 27 {
            token.push(DIGITS[(h % 62) as usize] as char);
            h = h.rotate_right(7).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1;
        }
        token
    }

    /// Adds a node and indexes it.
    pub fn push(&mut self, node: Node) -> usize {
        let i = self.nodes.len();
        let key = (node.source, node.parent.clone().unwrap_or_default());
        self.children.entry(key).or_default().push(i);
        self.by_token.insert(node.token.clone(), i);
        let object = node.shortcut.is_none() && node.kind != "folder";
        if object {
            self.by_obj.insert(node.obj_token.clone(), i);
        }
        self.nodes.push(node);
        i
    }

    /// Whether node `i` is listed under `parent` of `source` now: not deleted, and not moved
    /// from there (a Drive document moved into the wiki).
    pub fn listed_in(&self, i: usize, source: Source, parent: &str) -> bool {
        let node = &self.nodes[i];
        !node.deleted && node.source == source && node.parent.as_deref().unwrap_or("") == parent
    }

    /// The children of `parent` (the wiki's top level: `""`) listed now, in listing order.
    pub fn live_children(&self, source: Source, parent: &str) -> impl Iterator<Item = usize> + '_ {
        let parent = parent.to_owned();
        self.children
            .get(&(source, parent.clone()))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| self.listed_in(i, source, &parent))
    }

    /// Whether a node has children not deleted.
    pub fn has_children(&self, i: usize) -> bool {
        let node = &self.nodes[i];
        node.shortcut.is_none()
            && self
                .live_children(node.source, &node.token)
                .next()
                .is_some()
    }

    /// The origin a wiki shortcut stands for, or the node itself.
    pub fn origin(&self, i: usize) -> usize {
        match (&self.nodes[i].source, &self.nodes[i].shortcut) {
            (Source::Wiki, Some(origin)) => self.by_token.get(origin).copied().unwrap_or(i),
            _ => i,
        }
    }

    /// A node as a test sees it.
    pub fn item(&self, i: usize) -> FakeItem {
        let node = &self.nodes[i];
        let shown = &self.nodes[self.origin(i)];
        FakeItem {
            source: node.source,
            token: node.token.clone(),
            obj_token: node.obj_token.clone(),
            parent: node.parent.clone(),
            title: shown.title.clone(),
            kind: shown.kind.to_owned(),
            shortcut: node.shortcut.is_some(),
            has_children: self.has_children(i),
            modified: shown.modified.to_string(),
            deleted: node.deleted,
        }
    }

    /// A document that exists, not deleted, by its object token.
    pub fn object(&self, obj_token: &str) -> Option<&Node> {
        self.by_obj
            .get(obj_token)
            .map(|&i| &self.nodes[i])
            .filter(|node| !node.deleted)
    }
}
