//! [`FakeUploads`]: a Drive that takes files, into a folder or as import sources (media), in
//! one request or in parts, and keeps what arrived (its hash and length) so a test can
//! compare it with the file sent. Each part's
//! stated size and Adler-32 checksum are checked against its bytes, as the real server does.

use super::multipart::{parts, text};
use super::wire::{error, ok};
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap};
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

/// An upload in progress. Parts are hashed as they arrive in order (one that arrives ahead
/// of its turn waits), so the fake holds no more of a large file than the client sends out
/// of order; a part sent again must be the same bytes.
#[derive(Default)]
struct Upload {
    name: String,
    folder: String,
    parent_type: String,
    extra: Option<String>,
    size: u64,
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
    fn new(
        name: String,
        folder: String,
        parent_type: String,
        extra: Option<String>,
        size: u64,
    ) -> Self {
        Upload {
            name,
            folder,
            parent_type,
            extra,
            size,
            ..Upload::default()
        }
    }

    fn take(&mut self, seq: i64, part: Vec<u8>) {
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
}

impl std::fmt::Debug for FakeUploads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeUploads").finish_non_exhaustive()
    }
}

impl FakeUploads {
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

/// Whether a form's stated size and checksum are its file's.
fn checked(form: &HashMap<String, Vec<u8>>) -> Option<Vec<u8>> {
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
    let mut upload = Upload::new(
        name,
        text(&form, "parent_node").unwrap_or_default(),
        parent_type,
        text(&form, "extra"),
        file.len() as u64,
    );
    upload.take(0, file);
    let mut model = uploads.lock();
    let token = arrive(&mut model, upload, 0);
    ok(json!({ "file_token": token }))
}

fn prepare(uploads: &FakeUploads, request: &Recorded) -> Responded {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
        return params_error();
    };
    let (Some(name), Some(parent_type), Some(size)) = (
        body["file_name"].as_str(),
        body["parent_type"].as_str(),
        body["size"].as_u64(),
    ) else {
        return params_error();
    };
    let mut model = uploads.lock();
    model.next += 1;
    let upload_id = format!("fake-upload-{}", model.next);
    model.uploads.insert(
        upload_id.clone(),
        Upload::new(
            name.to_owned(),
            body["parent_node"].as_str().unwrap_or_default().to_owned(),
            parent_type.to_owned(),
            body["extra"].as_str().map(str::to_owned),
            size,
        ),
    );
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
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) else {
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
    let complete = !upload.corrupt
        && upload.hashed == count
        && upload.waiting.is_empty()
        && upload.len == upload.size;
    if !complete {
        model.uploads.insert(upload_id.to_owned(), upload);
        return params_error();
    }
    let token = arrive(&mut model, upload, count as u64);
    ok(json!({ "file_token": token }))
}

/// Records `upload`'s file, complete; returns its token.
fn arrive(model: &mut Model, upload: Upload, parts: u64) -> String {
    model.next += 1;
    let token = format!("boxcnFakeUpload{:012}", model.next);
    model.arrived.push(Arrived {
        token: token.clone(),
        name: upload.name,
        folder: upload.folder,
        parent_type: upload.parent_type,
        extra: upload.extra,
        len: upload.len,
        sha256: upload.hash.finalize().into(),
        parts,
    });
    token
}
