//! The lifecycle keys of the spec format (bodies, binary replies, chains) are validated like
//! every other key: each mistake is one error, located at the value that is wrong.

mod common;

use common::{Workspace, file};

const CREATE: &str = "feishu/endpoints/drive_export_task_create.yaml";
const EXPORT: &str = "feishu/endpoints/drive_export_task_get.yaml";
const UPLOAD: &str = "feishu/endpoints/drive_media_upload_all.yaml";

/// The errors after one edit of a fresh copy of the real specs.
fn errors_after(spec: &str, from: &str, to: &str) -> (usize, Vec<String>) {
    let ws = Workspace::new();
    let line = ws.edit(spec, from, to);
    (line, ws.errors())
}

#[test]
fn a_chain_to_an_endpoint_that_does_not_exist_is_located() {
    let (line, errors) = errors_after(
        CREATE,
        "poller: feishu.drive.export_task.get",
        "poller: feishu.drive.export_task.gone",
    );
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:11: starts.poller: no endpoint `feishu.drive.export_task.gone` in feishu",
            file(CREATE)
        )]
    );
}

#[test]
fn a_chain_that_reads_a_missing_reply_field_is_located() {
    let (line, errors) = errors_after(
        CREATE,
        "- {param: ticket, reply: ticket}",
        "- {param: ticket, reply: tikket}",
    );
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:30: starts.params[0].reply: `tikket`: `CreateExportTaskData` has no field `tikket`",
            file(CREATE)
        )]
    );
}

#[test]
fn a_chain_that_leaves_a_required_parameter_unfed_is_reported() {
    let (_, errors) = errors_after(CREATE, "    - {param: token, request: token}\n", "");
    let line = line_of(CREATE, "  poller: ");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:11: starts.poller: required parameter `token` of `feishu.drive.export_task.get` is not fed (add it to `params`)",
            file(CREATE)
        )]
    );
}

#[test]
fn a_download_must_name_an_endpoint_that_answers_with_a_file() {
    let (line, errors) = errors_after(
        EXPORT,
        "endpoint: feishu.drive.export_task.download",
        "endpoint: feishu.drive.import_task.get",
    );
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:13: download.endpoint: `feishu.drive.import_task.get` does not answer with a file (`response: {{content: binary}}`)",
            file(EXPORT)
        )]
    );
}

/// The 1-based line of the first line of a real spec starting with `start`.
fn line_of(spec: &str, start: &str) -> usize {
    let text = std::fs::read_to_string(common::real_specs().join(spec)).unwrap();
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

#[test]
fn a_get_request_cannot_have_a_body() {
    let (_, errors) = errors_after(CREATE, "method: POST", "method: GET");
    let line = line_of(CREATE, "  content: json");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:12: body.content: a GET request has no body",
            file(CREATE)
        )]
    );
}

#[test]
fn a_multipart_body_needs_its_file_part() {
    let (_, errors) = errors_after(
        UPLOAD,
        "  file:\n    name: file\n    description: 文件的二进制内容\n    max_size: 20971520\n",
        "",
    );
    let line = line_of(UPLOAD, "  content: multipart");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:12: body.content: a multipart body needs `file:` (its file part)",
            file(UPLOAD)
        )]
    );
}

/// What only a person can decide is drafted as `TODO` by `cargo xtask docs import`; such a
/// text, or a `TODO` where a boolean belongs, is a located error until it is filled in.
#[test]
fn todo_marks_are_refused_until_filled_in() {
    let ws = Workspace::new();
    let line = ws.edit(
        CREATE,
        "summary: >-\n  Start exporting a document, spreadsheet or bitable to a local file (docx, pdf, xlsx or csv);\n  the reply's ticket is polled with \"get export task\".\n",
        "summary: TODO English summary\n",
    );
    assert_eq!(
        ws.errors(),
        [format!(
            "{}:{line}:10: summary: to fill in: TODO English summary",
            file(CREATE)
        )]
    );
    let ws = Workspace::new();
    let line = ws.edit(CREATE, "    retryable: true\n", "    retryable: TODO\n");
    assert_eq!(
        ws.errors(),
        [format!(
            "{}:{line}:16: errors[0].retryable: to fill in (true or false): TODO",
            file(CREATE)
        )]
    );
}
