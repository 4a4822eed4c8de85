//! [`FakeUploads`]: a Drive that takes files, into a folder or as import sources (media), in
//! one request or in parts, and keeps what arrived (its hash and length) so a test can
//! compare it with the file sent. Each part's stated size and Adler-32 checksum are checked
//! against its bytes, as the real server does.
//!
//! Alone ([`FakeUploads::default`]) it takes a file into any folder and keeps it to itself.
//! Writing to a tree ([`FakeUploads::for_tree`](super::FakeUploads::for_tree), or
//! [`FakeTree::install_writable`](super::FakeTree::install_writable)) a file into a folder
//! must name a folder of the tree and is listed there once finished, and an import source
//! is kept for the tree's import tasks.

use super::incoming::{Stated, Upload, checked};
use super::landing;
use super::multipart::{parts, text};
use super::state::Shared;
use super::wire::{error, ok};
use super::written::Content;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use taskapi::runtime::testing::{Recorded, Responded, Responder};

/// The block size the prepare step gives (the pages' 4 MB).
pub const BLOCK_SIZE: u64 = 4 * 1024 * 1024;

/// A file that arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived {
    /// Its token.
    pub token: String,
    /// Its name.
    pub name: String,
    /// The folder it went to (its `parent_node`; empty for an import source).
    pub folder: String,
    /// Its `parent_type` (`explorer`, `ccm_import_open`, ...).
    pub parent_type: String,
    /// Its `extra`, if any (an import source's `{"obj_type", "file_extension"}`).
    pub extra: Option<String>,
    /// Its length.
    pub len: u64,
    /// The SHA-256 of its bytes.
    pub sha256: [u8; 32],
    /// Parts it came in; 0 for one request.
    pub parts: u64,
}

#[derive(Default)]
struct Model {
    next: u64,
    uploads: HashMap<String, Upload>,
    arrived: Vec<Arrived>,
    /// Part numbers to fail, each with the failures left.
    failing_parts: HashMap<i64, u32>,
    /// Part requests per part number.
    part_requests: HashMap<i64, usize>,
}

/// The fake Drive's uploads; install it on a fake server. Cheap to clone.
#[derive(Clone, Default)]
pub struct FakeUploads {
    model: Arc<Mutex<Model>>,
    /// The tree files land in, if any.
    tree: Option<Shared>,
}

impl std::fmt::Debug for FakeUploads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeUploads")
            .field("writes_to_a_tree", &self.tree.is_some())
            .finish_non_exhaustive()
    }
}

impl FakeUploads {
    /// Uploads that land in `tree`'s model.
    pub(crate) fn writing_to(tree: Shared) -> Self {
        FakeUploads {
            model: Arc::default(),
            tree: Some(tree),
        }
    }

    /// Answers the upload routes of `server`: files into folders, and media (import
    /// sources), alike.
    pub fn install(&self, server: &taskapi::runtime::testing::FakeServer) {
        type Answer = fn(&FakeUploads, &Recorded) -> Responded;
        let routes: [(&str, Answer); 8] = [
            ("feishu.drive.file.upload_all", upload_all),
            ("feishu.drive.file.upload_prepare", prepare),
            ("feishu.drive.file.upload_part", part),
            ("feishu.drive.file.upload_finish", finish),
            ("feishu.drive.media.upload_all", upload_all),
            ("feishu.drive.media.upload_prepare", prepare),
            ("feishu.drive.media.upload_part", part),
            ("feishu.drive.media.upload_finish", finish),
        ];
        for (route, answer) in routes {
            let uploads = self.clone();
            let responder: Responder = Arc::new(move |request| Some(answer(&uploads, request)));
            let installed = server.set_responder(route, responder);
            debug_assert!(installed, "no route {route}");
        }
    }

    /// The files that arrived, in order.
    pub fn arrived(&self) -> Vec<Arrived> {
        self.lock().arrived.clone()
    }

    /// The next `times` requests of part `seq` (of any upload) fail with the documented,
    /// retryable `1061001` (internal error).
    pub fn fail_part(&self, seq: i64, times: u32) {
        self.lock().failing_parts.insert(seq, times);
    }

    /// Requests of part `seq`, of any upload.
    pub fn part_requests(&self, seq: i64) -> usize {
        self.lock().part_requests.get(&seq).copied().unwrap_or(0)
    }

    fn lock(&self) -> MutexGuard<'_, Model> {
        self.model.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn params_error() -> Responded {
    error(400, 1061002, "params error")
}

fn upload_all(uploads: &FakeUploads, request: &Recorded) -> Responded {
    let Some(form) = parts(request) else {
        return params_error();
    };
    let (Some(file), Some(name), Some(parent_type)) = (
        checked(&form),
        text(&form, "file_name"),
        text(&form, "parent_type"),
    ) else {
        return params_error();
    };
    let stated = Stated {
        name,
        folder: text(&form, "parent_node").unwrap_or_default(),
        parent_type,
        extra: text(&form, "extra"),
        size: file.len() as u64,
    };
    let mut upload = Upload::new(stated);
    upload.take(0, file);
    let (stated, content) = upload.content(0);
    let mut model = uploads.lock();
    arrive(uploads, &mut model, stated, content)
}

fn prepare(uploads: &FakeUploads, request: &Recorded) -> Responded {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return params_error();
    };
    let (Some(name), Some(parent_type), Some(size)) = (
        body["file_name"].as_str(),
        body["parent_type"].as_str(),
        body["size"].as_u64(),
    ) else {
        return params_error();
    };
    let stated = Stated {
        name: name.to_owned(),
        folder: body["parent_node"].as_str().unwrap_or_default().to_owned(),
        parent_type: parent_type.to_owned(),
        extra: body["extra"].as_str().map(str::to_owned),
        size,
    };
    if let Err(refused) = landing::admit(uploads.tree.as_ref(), &stated) {
        return refused;
    }
    let mut model = uploads.lock();
    model.next += 1;
    let upload_id = format!("fake-upload-{}", model.next);
    model.uploads.insert(upload_id.clone(), Upload::new(stated));
    ok(json!({
        "upload_id": upload_id,
        "block_size": BLOCK_SIZE,
        "block_num": size.div_ceil(BLOCK_SIZE),
    }))
}

fn part(uploads: &FakeUploads, request: &Recorded) -> Responded {
    let Some(form) = parts(request) else {
        return params_error();
    };
    let (Some(file), Some(upload_id), Some(seq)) = (
        checked(&form),
        text(&form, "upload_id"),
        text(&form, "seq").and_then(|s| s.trim().parse::<i64>().ok()),
    ) else {
        return params_error();
    };
    let mut model = uploads.lock();
    *model.part_requests.entry(seq).or_default() += 1;
    if let Some(left) = model.failing_parts.get_mut(&seq).filter(|left| **left > 0) {
        *left -= 1;
        return error(200, 1061001, "internal error");
    }
    match model.uploads.get_mut(&upload_id) {
        Some(upload) if (file.len() as u64) <= BLOCK_SIZE && seq >= 0 => {
            upload.take(seq, file);
            ok(json!({}))
        }
        _ => params_error(),
    }
}

fn finish(uploads: &FakeUploads, request: &Recorded) -> Responded {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return params_error();
    };
    let (Some(upload_id), Some(count)) = (body["upload_id"].as_str(), body["block_num"].as_i64())
    else {
        return params_error();
    };
    let mut model = uploads.lock();
    let Some(upload) = model.uploads.remove(upload_id) else {
        return params_error();
    };
    if !upload.complete(count) {
        model.uploads.insert(upload_id.to_owned(), upload);
        return params_error();
    }
    let (stated, content) = upload.content(count as u64);
    arrive(uploads, &mut model, stated, content)
}

/// Records a complete upload where it lands (a tree's folder or import sources, else
/// nowhere but here) and answers with its token.
fn arrive(uploads: &FakeUploads, model: &mut Model, stated: Stated, content: Content) -> Responded {
    let token = match landing::land(uploads.tree.as_ref(), &stated, &content) {
        Ok(Some(token)) => token,
        Ok(None) => {
            model.next += 1;
            format!("boxcnFakeUpload{:012}", model.next)
        }
        Err(refused) => return refused,
    };
    model.arrived.push(Arrived {
        token: token.clone(),
        name: stated.name,
        folder: stated.folder,
        parent_type: stated.parent_type,
        extra: stated.extra,
        len: content.len,
        sha256: content.sha256,
        parts: content.parts,
    });
    ok(json!({ "file_token": token }))
}
