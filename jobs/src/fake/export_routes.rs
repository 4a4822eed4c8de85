//! Exports and downloads: `feishu.drive.export_task.create` (checks the document and the
//! format, starts a task), `.get` (processing until `export_ready` has passed, then the
//! file's token), `.download` (the bytes, until the file expires) and
//! `feishu.drive.file.download` (a plain file's bytes). Each error is a code the endpoint's
//! page documents, with its HTTP status.

use super::content;
use super::model::{Export, export_extensions};
use super::state::{self, Shared, lock};
use super::wire::{self, error, ok};
use serde_json::{Value, json};
use taskapi::runtime::testing::{Recorded, Responded, Responder};
use tokio::time::Instant;

/// The responders of the four routes.
pub(crate) fn responders(tree: &Shared) -> Vec<(&'static str, Responder)> {
    state::responders(
        tree,
        &[
            ("feishu.drive.export_task.create", create),
            ("feishu.drive.export_task.get", get),
            ("feishu.drive.export_task.download", download_export),
            ("feishu.drive.file.download", download_file),
        ],
    )
}

/// `1069904` (invalid param, HTTP 400) of the export pages: what a request the fake cannot
/// read gets.
fn invalid_param() -> Responded {
    error(400, 1069904, "invalid param")
}

/// `POST /open-apis/drive/v1/export_tasks`. In order: a body without the three strings, or
/// a token over 27 characters: `1069904`; the document failing (`fail_exports`): `1069901`
/// (500); no such document: `1069914` (invalid file token, 404); deleted: `1069906` (404);
/// a `type` that is no exportable kind or not the document's, or an extension not in the
/// enum: `1069904`; an extension the kind does not export to: `1069918` (400); `csv` without
/// `sub_id`: `1069904` (its hint: pass the sheet's id for CSV). Every create naming a token
/// is counted.
fn create(tree: &Shared, request: &Recorded) -> Responded {
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return invalid_param();
    };
    let field = |name: &str| body.get(name).and_then(Value::as_str);
    let (Some(extension), Some(token), Some(kind)) =
        (field("file_extension"), field("token"), field("type"))
    else {
        return invalid_param();
    };
    if token.is_empty() || token.chars().count() > 27 {
        return invalid_param();
    }
    let mut model = lock(tree);
    *model.creates.entry(token.to_owned()).or_default() += 1;
    if model.failing.contains(token) {
        return error(500, 1069901, "internal error");
    }
    let Some(&i) = model.by_obj.get(token) else {
        return error(404, 1069914, "invalid file token");
    };
    let node = &model.nodes[i];
    if node.deleted {
        return error(404, 1069906, "docs deleted");
    }
    if export_extensions(kind).is_empty() || kind != node.kind {
        return invalid_param();
    }
    if !["docx", "pdf", "xlsx", "csv"].contains(&extension) {
        return invalid_param();
    }
    if !export_extensions(node.kind).contains(&extension) {
        return error(400, 1069918, "file extension and type mismatch");
    }
    if extension == "csv" && field("sub_id").is_none_or(str::is_empty) {
        return invalid_param();
    }
    let (kind, file_name, modified, size) =
        (node.kind, node.title.clone(), node.modified, node.size);
    model.next_export += 1;
    let n = model.next_export;
    let ticket = (6_933_093_124_755_423_251u64 + n).to_string();
    let file_token = model.token("boxcn", 1_000_000_000 + n);
    let export = Export {
        obj_token: token.to_owned(),
        kind,
        extension: extension.to_owned(),
        file_token: file_token.clone(),
        file_name,
        modified,
        size,
        ready_at: Instant::now() + model.options.export_ready,
        expired: false,
        seq: model.next_export,
        polls: 0,
    };
    model.exports.insert(ticket.clone(), export);
    model.export_files.insert(file_token, ticket.clone());
    ok(json!({"ticket": ticket}))
}

/// `GET /open-apis/drive/v1/export_tasks/{ticket}?token=`: `job_status` 2 (processing)
/// until `export_ready` has passed since the create, then 0 with the file. An unknown
/// ticket, or a `token` that is not the exported document's: `1069904` (invalid param).
fn get(tree: &Shared, request: &Recorded) -> Responded {
    let Some(ticket) = wire::segment(&request.path, "/open-apis/drive/v1/export_tasks/", "") else {
        return invalid_param();
    };
    let query = wire::query(request);
    let mut model = lock(tree);
    let Some(export) = model.exports.get_mut(&ticket) else {
        return invalid_param();
    };
    if query.get("token") != Some(&export.obj_token) {
        return invalid_param();
    }
    export.polls += 1;
    let mut result = json!({
        "file_extension": export.extension,
        "type": export.kind,
        "token": export.obj_token,
    });
    if Instant::now() < export.ready_at {
        result["job_status"] = json!(2);
        result["job_error_msg"] = json!("");
        result["file_token"] = json!("");
    } else {
        result["job_status"] = json!(0);
        result["job_error_msg"] = json!("success");
        result["file_token"] = json!(export.file_token);
        result["file_size"] = json!(export.size);
        result["file_name"] = json!(export.file_name);
    }
    ok(json!({"result": result}))
}

/// `GET /open-apis/drive/v1/export_tasks/file/{file_token}/download`: the exported bytes;
/// an unknown file, one not done yet, or one expired (`export_expiry` after success, or
/// `expire_exports`): `1060001` (param is invalid, 400), the page's only code.
fn download_export(tree: &Shared, request: &Recorded) -> Responded {
    let gone = || error(400, 1060001, "param is invalid");
    let path = "/open-apis/drive/v1/export_tasks/file/";
    let Some(file_token) = wire::segment(&request.path, path, "/download") else {
        return gone();
    };
    let (seed, export) = {
        let mut model = lock(tree);
        let Some(export) = model
            .export_files
            .get(&file_token)
            .and_then(|ticket| model.exports.get(ticket))
            .cloned()
        else {
            return gone();
        };
        let now = Instant::now();
        if now < export.ready_at
            || export.expired
            || now >= export.ready_at + model.options.export_expiry
        {
            return gone();
        }
        *model.export_downloads.entry(file_token).or_default() += 1;
        (model.options.seed, export)
    };
    Responded::file(content::bytes(
        seed,
        &export.obj_token,
        &export.extension,
        export.modified,
        export.size,
    ))
}

/// `GET /open-apis/drive/v1/files/{file_token}/download`: a file's bytes. The page has
/// statuses only (404: unknown or deleted): `1061003` (not found, 404) for a token that is
/// no file, `1061007` (file has been delete, 404) for a deleted one, the drive pages'
/// codes for those statuses.
fn download_file(tree: &Shared, request: &Recorded) -> Responded {
    let not_found = || error(404, 1061003, "not found.");
    let path = "/open-apis/drive/v1/files/";
    let Some(token) = wire::segment(&request.path, path, "/download") else {
        return not_found();
    };
    let (seed, modified, size) = {
        let mut model = lock(tree);
        let Some(node) = model.by_obj.get(&token).map(|&i| &model.nodes[i]) else {
            return not_found();
        };
        if node.kind != "file" {
            return not_found();
        }
        if node.deleted {
            return error(404, 1061007, "file has been delete.");
        }
        let found = (model.options.seed, node.modified, node.size);
        *model.file_downloads.entry(token.clone()).or_default() += 1;
        found
    };
    Responded::file(content::bytes(seed, &token, "file", modified, size))
}
