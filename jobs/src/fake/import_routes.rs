//! Import tasks: `feishu.drive.import_task.create` (a source uploaded as media, or a file
//! uploaded into a folder, checked; a ticket) and `.get` (initialising, processing, then
//! the new document or the failure). A task ends `import_ready` after its create whether or
//! not it is polled (`due.rs`): a client that dies after the create still gets a document.

use super::list_routes::url;
use super::model::Model;
use super::place::{self, Refusal};
use super::state::{self, Shared, lock};
use super::wire::{self, error, ok};
use super::written::{Content, Due, Import};
use serde_json::{Value, json};
use taskapi::runtime::testing::{Recorded, Responded, Responder};
use tokio::time::Instant;

/// The responders of both routes.
pub(crate) fn responders(tree: &Shared) -> Vec<(&'static str, Responder)> {
    state::responders(
        tree,
        &[
            ("feishu.drive.import_task.create", create),
            ("feishu.drive.import_task.get", get),
        ],
    )
}

/// `1069904` (invalid param, 400): what a request the fake cannot read gets.
fn invalid_param() -> Responded {
    error(400, 1069904, "invalid param")
}

/// What an import reads of its source: name, bytes, and what the upload said it becomes.
struct Source {
    name: String,
    content: Content,
    obj_type: Option<String>,
    extension: Option<String>,
}

/// The source `file_token` names: an import source (media), or a file uploaded into a
/// folder (the page accepts either), whose extension is its name's.
fn source(model: &Model, file_token: &str) -> Option<Source> {
    if let Some(media) = model.writes.media.get(file_token) {
        return Some(Source {
            name: media.name.clone(),
            content: media.content.clone(),
            obj_type: media.obj_type.clone(),
            extension: media.extension.clone(),
        });
    }
    let content = model.writes.contents.get(file_token)?;
    let node = model.object(file_token).filter(|n| n.kind == "file")?;
    Some(Source {
        name: node.title.clone(),
        content: content.clone(),
        obj_type: None,
        extension: node.title.rsplit_once('.').map(|(_, e)| e.to_owned()),
    })
}

/// The `job_status` an import of `source` as `kind` from `extension` into `mount` ends
/// with, decided at create: an injected failure first, then the source's
/// extension, its type, the folder; `None`: success.
fn failure(
    model: &Model,
    source: &Source,
    extension: &str,
    kind: &str,
    mount: &str,
) -> Option<i64> {
    let mut injected = model.writes.failing_imports.iter();
    if let Some((_, status)) = injected.find(|(marker, _)| source.name.contains(marker.as_str())) {
        return Some(*status);
    }
    if source.extension.as_deref().is_some_and(|e| e != extension) {
        return Some(118);
    }
    if source.obj_type.as_deref().is_some_and(|t| t != kind) {
        return Some(120);
    }
    match place::folder(model, mount) {
        Ok(_) => None,
        Err(Refusal::Deleted) => Some(117),
        Err(Refusal::Full) => Some(105),
        Err(Refusal::Missing | Refusal::NotFolder) => Some(119),
    }
}

/// A name without its extension (`notes.md` is `notes`; `.md` stays `.md`).
fn stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// `POST /open-apis/drive/v1/import_tasks`: a ticket. Refused at once: a body without the
/// strings and the point, a `type` other than docx, sheet or bitable, a `mount_type` other
/// than 1, an empty or over-long token: `1069904`; a token naming no source: `1069907`
/// (404); an expired source (`expire_import_sources`): `1069913`. Decided now and told when the task ends: an injected failure (`fail_imports`),
/// then `118` (extension not the source's `extra.file_extension`), `120` (type not its
/// `extra.obj_type`), `119` (no such folder, as `mount_key`; empty is the drive's root),
/// `117` (a deleted folder), `105` (a full one).
fn create(tree: &Shared, request: &Recorded) -> Responded {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return invalid_param();
    };
    let field = |name: &str| body.get(name).and_then(Value::as_str);
    let (Some(extension), Some(file_token), Some(kind), Some(mount)) = (
        field("file_extension"),
        field("file_token"),
        field("type"),
        body["point"]["mount_key"].as_str(),
    ) else {
        return invalid_param();
    };
    let kind = match kind {
        "docx" => "docx",
        "sheet" => "sheet",
        "bitable" => "bitable",
        _ => return invalid_param(),
    };
    if body["point"]["mount_type"].as_i64() != Some(1)
        || file_token.is_empty()
        || file_token.chars().count() > 27
    {
        return invalid_param();
    }
    let mut model = lock(tree);
    if model.writes.expired_media.contains(file_token) {
        return error(400, 1069913, "import file token expired");
    }
    let Some(source) = source(&model, file_token) else {
        return error(404, 1069907, "file token not found");
    };
    let fails_with = failure(&model, &source, extension, kind, mount);
    let title = match field("file_name") {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => stem(&source.name).to_owned(),
    };
    let ready = model.options.import_ready;
    model.writes.next_task += 1;
    let ticket = (7_369_583_175_086_912_356u64 + model.writes.next_task).to_string();
    let import = Import {
        source: file_token.to_owned(),
        extension: extension.to_owned(),
        kind,
        title,
        mount: mount.to_owned(),
        content: Content {
            extension: Some(extension.to_owned()),
            ..source.content
        },
        done_unix: place::unix_after(ready),
        polls: 0,
        fails_with,
        ended: None,
    };
    model.writes.imports.insert(ticket.clone(), import);
    let due = (Instant::now() + ready, Due::Import(ticket.clone()));
    model.writes.due.push(due);
    model.writes.import_creates += 1;
    ok(json!({"ticket": ticket}))
}

/// What a failed import's `job_error_msg` says, in the status table's words.
fn failure_message(status: i64) -> &'static str {
    match status {
        105 => "too many folder nodes",
        117 => "target folder deleted",
        118 => "import file extension not match",
        119 => "folder not exist",
        120 => "import file type not match",
        _ => "import failed",
    }
}

/// `GET /open-apis/drive/v1/import_tasks/{ticket}`: `job_status` 1 (initialising) on the
/// first poll and 2 (processing) after, until the task ends: then 0 with the document's
/// `token`, `url` and `type`, or its failing status and message. An unknown ticket:
/// `1069904` (invalid param).
fn get(tree: &Shared, request: &Recorded) -> Responded {
    let Some(ticket) = wire::segment(&request.path, "/open-apis/drive/v1/import_tasks/", "") else {
        return invalid_param();
    };
    let mut model = lock(tree);
    let Some(import) = model.writes.imports.get_mut(&ticket) else {
        return invalid_param();
    };
    import.polls += 1;
    let (status, message, token) = match &import.ended {
        None => (if import.polls == 1 { 1 } else { 2 }, "", ""),
        Some(Ok(token)) => (0, "success", token.as_str()),
        Some(Err(status)) => (*status, failure_message(*status), ""),
    };
    let url = if token.is_empty() {
        String::new()
    } else {
        url(import.kind, token)
    };
    ok(json!({"result": {
        "ticket": ticket,
        "type": import.kind,
        "job_status": status,
        "job_error_msg": message,
        "token": token,
        "url": url,
        "extra": [],
        "file_extension": import.extension,
        "file_token": import.source,
        "file_name": import.title,
        "point": {"mount_type": 1, "mount_key": import.mount},
    }}))
}
