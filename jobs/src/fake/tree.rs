//! [`FakeTree`]: the handle tests hold: the generated trees, what a download of any of their
//! objects gives, mutations between two runs of a job, and counters of what was asked.

use super::content;
use super::generate;
use super::model::{FakeItem, Model, Source, export_extensions};
use super::options::TreeOptions;
use super::state::Shared;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// The document kinds touched, added and deleted by the mutations: those an export takes.
const DOCUMENTS: [&str; 4] = ["docx", "doc", "sheet", "bitable"];

/// A generated Drive folder tree and wiki space, with exports that finish after a while,
/// exported files that expire, and injected failures; served by a fake server once
/// [`install`](Self::install)ed, or [`install_writable`](Self::install_writable) (see
/// `writable.rs`) to take uploads, folders, imports and wiki moves too. Clones share the same tree: keep one in the test while
/// the server's responders hold others.
#[derive(Clone)]
pub struct FakeTree {
    pub(crate) model: Shared,
}

impl std::fmt::Debug for FakeTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let model = self.lock();
        f.debug_struct("FakeTree")
            .field("options", &model.options)
            .field("nodes", &model.nodes.len())
            .field("exports", &model.exports.len())
            .finish_non_exhaustive()
    }
}

impl FakeTree {
    /// The token of the Drive folder the tree is under (27 characters, as real ones).
    pub const ROOT_FOLDER: &'static str = super::model::ROOT_FOLDER;
    /// The wiki space's id: digits, as real ones (19, beyond 2^53).
    pub const SPACE_ID: &'static str = super::model::SPACE_ID;

    /// Generates both trees from `options`; the same options give the same trees.
    pub fn new(options: TreeOptions) -> Self {
        let mut model = Model::new(options);
        generate::populate(&mut model);
        FakeTree {
            model: Arc::new(Mutex::new(model)),
        }
    }

    /// The lock, with every task due by now ended (see `state::lock`).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Model> {
        super::state::lock(&self.model)
    }

    /// The options it was made with (with the current `export_ready` and `import_ready`).
    pub fn options(&self) -> TreeOptions {
        self.lock().options.clone()
    }

    /// Every item of both trees, deleted ones included (flagged), Drive first, each tree in
    /// the order it was made.
    pub fn items(&self) -> Vec<FakeItem> {
        let model = self.lock();
        (0..model.nodes.len()).map(|i| model.item(i)).collect()
    }

    /// What an export of the document `obj_token` to `extension` downloads now: `None` when
    /// no such document is (deleted, not a document, or not to that extension).
    pub fn export_content(&self, obj_token: &str, extension: &str) -> Option<Vec<u8>> {
        let (seed, modified, size) = {
            let model = self.lock();
            let node = model.object(obj_token)?;
            if !export_extensions(node.kind).contains(&extension) {
                return None;
            }
            (model.options.seed, node.modified, node.size)
        };
        Some(content::bytes(seed, obj_token, extension, modified, size))
    }

    /// A plain file's bytes (`feishu.drive.file.download`): `None` when `obj_token` is no
    /// file, or a deleted one.
    pub fn file_content(&self, obj_token: &str) -> Option<Vec<u8>> {
        let (seed, modified, size) = {
            let model = self.lock();
            let node = model.object(obj_token).filter(|n| n.kind == "file")?;
            (model.options.seed, node.modified, node.size)
        };
        Some(content::bytes(seed, obj_token, "file", modified, size))
    }

    /// Documents (not deleted, not shortcuts) of the kinds an export takes, in tree order.
    fn documents(model: &Model, leaves_only: bool) -> Vec<usize> {
        (0..model.nodes.len())
            .filter(|&i| {
                let node = &model.nodes[i];
                !node.deleted
                    && node.shortcut.is_none()
                    && DOCUMENTS.contains(&node.kind)
                    && !(leaves_only && model.has_children(i))
            })
            .collect()
    }

    /// Bumps the modified time of `n` documents of `source` (docx, doc, sheet, bitable;
    /// fewer if there are fewer), chosen deterministically; their exports now give other
    /// bytes (and a new size, never below 8 bytes unless `max_size` is). Returns their
    /// object tokens.
    pub fn touch(&self, source: Source, n: usize) -> Vec<String> {
        let mut model = self.lock();
        let mut chosen = Self::documents(&model, false);
        chosen.retain(|&i| model.nodes[i].source == source);
        model.mutate_rng.shuffle(&mut chosen);
        chosen.truncate(n);
        let max = model.options.max_size;
        chosen
            .into_iter()
            .map(|i| {
                let later = model.mutate_rng.u64(60..86_400);
                let size = model.mutate_rng.u64(max.min(8)..=max);
                let node = &mut model.nodes[i];
                node.modified += later;
                node.size = size;
                node.obj_token.clone()
            })
            .collect()
    }

    /// Adds `n` new docx documents to `source`, each in an existing folder of the Drive
    /// tree or under an existing node (or at the top) of the wiki space, chosen
    /// deterministically; they are listed last among their siblings. Returns their object
    /// tokens.
    pub fn add_documents(&self, source: Source, n: usize) -> Vec<String> {
        let mut model = self.lock();
        let top = match source {
            Source::Drive => Some(Self::ROOT_FOLDER.to_owned()),
            Source::Wiki => None,
        };
        let mut parents: Vec<(Source, Option<String>, u8)> = vec![(source, top, 1)];
        for node in model
            .nodes
            .iter()
            .filter(|n| !n.deleted && n.depth < 4 && n.source == source)
        {
            let takes = match node.source {
                Source::Drive => node.kind == "folder",
                Source::Wiki => node.shortcut.is_none(),
            };
            if takes {
                parents.push((node.source, Some(node.token.clone()), node.depth + 1));
            }
        }
        let mut rng = std::mem::replace(&mut model.mutate_rng, fastrand::Rng::with_seed(0));
        let added = (0..n)
            .map(|_| {
                let (source, parent, depth) = parents[rng.usize(0..parents.len())].clone();
                let node = generate::node(&mut model, &mut rng, source, "docx", parent, depth);
                let token = node.obj_token.clone();
                model.push(node);
                token
            })
            .collect();
        model.mutate_rng = rng;
        added
    }

    /// Removes `n` documents (docx, doc, sheet, bitable; wiki ones without children) from
    /// the listings, chosen deterministically: an export create of one answers `1069906`
    /// (docs deleted). Shortcuts to them stay listed. Returns their object tokens.
    pub fn delete(&self, n: usize) -> Vec<String> {
        let mut model = self.lock();
        let mut chosen = Self::documents(&model, true);
        model.mutate_rng.shuffle(&mut chosen);
        chosen.truncate(n);
        chosen
            .into_iter()
            .map(|i| {
                model.nodes[i].deleted = true;
                model.nodes[i].obj_token.clone()
            })
            .collect()
    }

    /// While `on`, every export create of `obj_token` answers the documented HTTP 500
    /// `1069901` (internal error).
    pub fn fail_exports(&self, obj_token: &str, on: bool) {
        let mut model = self.lock();
        if on {
            model.failing.insert(obj_token.to_owned());
        } else {
            model.failing.remove(obj_token);
        }
    }

    /// Every export finished so far has its file gone: downloads of it fail, as they do
    /// `export_expiry` after success. Exports still running are not affected.
    pub fn expire_exports(&self) {
        let now = Instant::now();
        let mut model = self.lock();
        for export in model.exports.values_mut() {
            if export.ready_at <= now {
                export.expired = true;
            }
        }
    }

    /// The time from create to success of exports created from now on.
    pub fn set_export_ready(&self, ready: Duration) {
        self.lock().options.export_ready = ready;
    }

    /// Export creates received for `obj_token` (failed ones included).
    pub fn creates(&self, obj_token: &str) -> usize {
        self.lock().creates.get(obj_token).copied().unwrap_or(0)
    }

    /// The polls of each export task of `obj_token`, in the order they were created: a
    /// task polled and then replaced by another was known to its caller and started again.
    pub fn export_polls(&self, obj_token: &str) -> Vec<u32> {
        let model = self.lock();
        let mut exports: Vec<_> = model
            .exports
            .values()
            .filter(|e| e.obj_token == obj_token)
            .map(|e| (e.seq, e.polls))
            .collect();
        exports.sort_unstable();
        exports.into_iter().map(|(_, polls)| polls).collect()
    }

    /// Export creates received, for any document.
    pub fn total_creates(&self) -> usize {
        self.lock().creates.values().sum()
    }

    /// Downloads of the exported file `file_token` served whole (errors not counted).
    pub fn export_downloads(&self, file_token: &str) -> usize {
        self.lock()
            .export_downloads
            .get(file_token)
            .copied()
            .unwrap_or(0)
    }

    /// Downloads of the plain file `obj_token` served whole (errors not counted).
    pub fn file_downloads(&self, obj_token: &str) -> usize {
        self.lock()
            .file_downloads
            .get(obj_token)
            .copied()
            .unwrap_or(0)
    }

    /// Downloads served whole, exported files and plain files together.
    pub fn total_downloads(&self) -> usize {
        let model = self.lock();
        model.export_downloads.values().sum::<usize>()
            + model.file_downloads.values().sum::<usize>()
    }

    /// The file token the export task `ticket` gives once done (`None`: no such ticket).
    pub fn export_file_token_of(&self, ticket: &str) -> Option<String> {
        self.lock()
            .exports
            .get(ticket)
            .map(|e| e.file_token.clone())
    }

    /// Answers the six routes a backup calls from this tree (list a folder, list wiki
    /// nodes, create, poll and download an export, download a file). The server's
    /// responders keep the tree alive; other routes keep their default replies.
    pub fn install(&self, server: &taskapi::runtime::testing::FakeServer) {
        for (route, responder) in super::list_routes::responders(&self.model)
            .into_iter()
            .chain(super::export_routes::responders(&self.model))
        {
            let installed = server.set_responder(route, responder);
            debug_assert!(installed, "no route {route}");
        }
    }
}
