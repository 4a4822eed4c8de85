//! The tree as a writable Drive: [`FakeTree::install_writable`] adds to the six routes a
//! backup reads the routes a migration writes with (uploads, folders, imports, wiki
//! moves), all landing in the same tree, and the handles tests inspect them by: counters,
//! each new item's [`Content`], failures to inject. Methods of [`FakeTree`] and
//! [`FakeUploads`] kept here, apart from `tree.rs`'s read side, so that neither of those
//! files needs the other.

use super::state::{Shared, lock};
use super::tree::FakeTree;
use super::uploads::FakeUploads;
use super::written::Content;
use std::sync::Arc;
use std::time::Duration;
use taskapi::runtime::testing::{Recorded, Responded, Responder};

impl FakeUploads {
    /// Uploads that write to `tree`: a file finished into a folder (`parent_type`
    /// `explorer`) must name a folder of it (else `1061044`, parent node not exist, or
    /// `1061041` for a deleted one) and is then listed there as a `file`, made now; an
    /// import source (`ccm_import_open`) is kept, unlisted, for its import tasks. Install
    /// it with [`install`](Self::install); [`FakeTree::install_writable`] does both.
    pub fn for_tree(tree: &FakeTree) -> Self {
        FakeUploads::writing_to(tree.model.clone())
    }
}

impl FakeTree {
    /// Answers, from this tree, the six routes [`install`](Self::install) answers, and
    /// those that write: the eight upload routes (through the returned [`FakeUploads`],
    /// [`for_tree`](FakeUploads::for_tree)), `create_folder`, import task create and get,
    /// `move_docs_to_wiki` and wiki task get. The server's responders keep the tree alive.
    pub fn install_writable(&self, server: &taskapi::runtime::testing::FakeServer) -> FakeUploads {
        self.install(server);
        let writers = super::folder_routes::responders(&self.model)
            .into_iter()
            .chain(super::import_routes::responders(&self.model))
            .chain(super::wiki_routes::responders(&self.model));
        for (route, responder) in writers {
            let responder = losing(&self.model, route, responder);
            let installed = server.set_responder(route, responder);
            debug_assert!(installed, "no route {route}");
        }
        let uploads = FakeUploads::for_tree(self);
        uploads.install(server);
        uploads
    }

    /// The time from an import task's create to its end, for tasks created from now on
    /// (default [`TreeOptions::import_ready`](super::TreeOptions::import_ready), 200 ms).
    pub fn set_import_ready(&self, ready: Duration) {
        self.lock().options.import_ready = ready;
    }

    /// The time a wiki move answered with a task takes, for moves from now on (default
    /// 100 ms).
    pub fn set_wiki_move_ready(&self, ready: Duration) {
        self.lock().writes.move_ready = ready;
    }

    /// Every import created from now on whose source's name contains `marker` ends with
    /// `job_status` (a failure status of the get page, e.g. `112`, format unsupported) and
    /// makes no document. The first marker added that matches wins; `0` takes the marker
    /// away.
    pub fn fail_imports(&self, marker: &str, job_status: i64) {
        let failing = &mut self.lock().writes.failing_imports;
        failing.retain(|(m, _)| m != marker);
        // 0 is success: the marker's imports succeed again.
        if job_status != 0 {
            failing.push((marker.to_owned(), job_status));
        }
    }

    /// Every import source uploaded so far expires, as the real ones do 5 minutes after
    /// their upload: a create that names one is refused with 1069913.
    pub fn expire_import_sources(&self) {
        let mut model = self.lock();
        let tokens: Vec<String> = model.writes.media.keys().cloned().collect();
        model.writes.expired_media.extend(tokens);
    }

    /// Wiki nodes made by `create_wiki_node`.
    pub fn wiki_node_creates(&self) -> usize {
        self.lock().writes.wiki_node_creates
    }

    /// The next `n` requests of `route` (one of the writing routes: `create_folder`, import
    /// task create, wiki node create, the move) that succeed are acted on, then answered
    /// with a gateway's 504 page: the reply is lost on its way, as when a connection breaks
    /// after the server acted.
    pub fn lose_replies(&self, route: &str, n: u32) {
        self.lock().writes.lose.insert(route.to_owned(), n);
    }

    /// Import tasks created (a ticket given, whatever their end); a create refused at once
    /// is not one (the server's request count has those).
    pub fn import_creates(&self) -> usize {
        self.lock().writes.import_creates
    }

    /// Folders made by `create_folder`.
    pub fn folder_creates(&self) -> usize {
        self.lock().writes.folder_creates
    }

    /// Plain files finished into folders (in one request or by a part upload's finish).
    pub fn file_creates(&self) -> usize {
        self.lock().writes.file_creates
    }

    /// Drive documents moved (or being moved) into the wiki: `move_docs_to_wiki` requests
    /// that moved one at once or started a task; one already in the wiki is not counted.
    pub fn wiki_moves(&self) -> usize {
        self.lock().writes.wiki_moves
    }

    /// What the item `token` (a Drive token, a wiki node token or an object token) was made
    /// of, when an upload or an import made it: a plain file's bytes, or an imported
    /// document's source's (with its extension). `None` for generated items and import
    /// sources. A download of an uploaded file serves generated bytes of its length: the
    /// fake keeps hashes, not bytes.
    pub fn content_of(&self, token: &str) -> Option<Content> {
        let model = self.lock();
        let obj_token = match model.by_token.get(token) {
            Some(&i) => model.nodes[i].obj_token.as_str(),
            None => token,
        };
        model.writes.contents.get(obj_token).cloned()
    }
}

/// `responder`, whose successful replies are lost while [`FakeTree::lose_replies`] says so.
fn losing(model: &Shared, route: &'static str, responder: Responder) -> Responder {
    let model = model.clone();
    Arc::new(move |request: &Recorded| {
        let answer = responder(request)?;
        let mut model = lock(&model);
        match model.writes.lose.get_mut(route) {
            Some(left) if *left > 0 && answer.status == 200 => {
                *left -= 1;
                Some(Responded::json(
                    504,
                    "<html><body>504 Gateway Time-out</body></html>",
                ))
            }
            _ => Some(answer),
        }
    })
}
