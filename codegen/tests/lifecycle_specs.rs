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

/// The upload spec's whole `file:` block, up to the reply.
fn file_block() -> String {
    let text = std::fs::read_to_string(common::real_specs().join(UPLOAD)).unwrap();
    let start = text.find("\n  file:\n").unwrap() + 1;
    let end = text.find("\nresponse:").unwrap() + 1;
    text[start..end].to_owned()
}

#[test]
fn a_multipart_body_needs_its_file_part() {
    let (_, errors) = errors_after(UPLOAD, &file_block(), "");
    let line = line_of(UPLOAD, "  content: multipart");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:12: body.content: a multipart body needs `file:` (its file part)",
            file(UPLOAD)
        )]
    );
}

#[test]
fn a_maximum_size_needs_what_to_do_with_larger_files_and_only_goes_with_it() {
    let block = file_block();
    let larger_at = block.find("    larger:").unwrap();
    let from_file_at = block.find("    from_file:").unwrap();
    let larger = &block[larger_at..from_file_at];
    let (_, errors) = errors_after(UPLOAD, larger, "");
    let line = line_of(UPLOAD, "    max_size:");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:15: body.file.max_size: a file over `max_size` is refused with what to use instead: add `larger:` (what the page says to do with larger files)",
            file(UPLOAD)
        )]
    );
    let (_, errors) = errors_after(UPLOAD, "    max_size: 20971520\n", "");
    // A folded text is located at its first line, which follows the key (one line up
    // once `max_size` is gone).
    let line = line_of(UPLOAD, "    larger:");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:7: body.file.larger: `larger:` says what to do beyond `max_size`, which is not set",
            file(UPLOAD)
        )]
    );
}

#[test]
fn a_fact_of_the_file_must_name_a_text_part_of_its_type() {
    let (line, errors) = errors_after(UPLOAD, "      size: size\n", "      size: sise\n");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:13: body.file.from_file.size: no text part of the form is named `sise`",
            file(UPLOAD)
        )]
    );
    let (line, errors) = errors_after(UPLOAD, "      size: size\n", "      size: extra\n");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:13: body.file.from_file.size: `extra` is a `string` part; this fact needs an `integer` part",
            file(UPLOAD)
        )]
    );
    let (line, errors) = errors_after(UPLOAD, "      adler32: checksum\n", "      md5: checksum\n");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:7: body.file.from_file.md5: unknown field; expected one of: size, adler32",
            file(UPLOAD)
        )]
    );
}

#[test]
fn a_server_error_code_must_say_whether_trying_again_helps() {
    // The export poller's first error is its own 500 (not a shared table's).
    const POLLER: &str = "feishu/endpoints/drive_export_task_get.yaml";
    let (_, errors) = errors_after(
        POLLER,
        "docs-overview#51f94b41)\n    retryable: true\n",
        "docs-overview#51f94b41)\n",
    );
    let line = line_of(POLLER, "  - http_status: 500");
    assert_eq!(
        errors,
        [format!(
            "{}:{line}:18: errors[0].http_status: a 5xx code must say whether trying again can help: add `retryable: true` (a passing fault) or `retryable: false` (an answer that will not change)",
            file(POLLER)
        )]
    );
    // Saying no is an answer.
    let ws = Workspace::new();
    ws.edit(POLLER, "    retryable: true\n", "    retryable: false\n");
    let errors = ws.errors_or_none();
    assert!(errors.is_empty(), "{errors:?}");
}

/// A spec copied for a new endpoint under a new id and operation generates; one whose path
/// was left as it was is refused at the path, naming the endpoint that has it.
#[test]
fn a_copied_spec_needs_its_own_method_and_path() {
    const DOWNLOAD: &str = "feishu/endpoints/vc_export_download.yaml";
    const COPY: &str = "feishu/endpoints/vc_export_download_again.yaml";
    let ws = Workspace::new();
    let copied = ws
        .read(DOWNLOAD)
        .replace(
            "id: feishu.vc.export.download\n",
            "id: feishu.vc.export.download_again\n",
        )
        .replace(
            "operation: download_meeting_export\n",
            "operation: download_meeting_export_again\n",
        );
    std::fs::write(ws.path(COPY), &copied).unwrap();
    let line = copied
        .lines()
        .position(|l| l.starts_with("path: "))
        .unwrap()
        + 1;
    assert_eq!(
        ws.errors(),
        [format!(
            "{}:{line}:7: path: `GET /open-apis/vc/v1/exports/download` is already `feishu.vc.export.download` ({}): two endpoints cannot share a method and path",
            file(COPY),
            file(DOWNLOAD)
        )]
    );
    ws.edit(
        COPY,
        "path: /open-apis/vc/v1/exports/download\n",
        "path: /open-apis/vc/v1/exports/download_again\n",
    );
    assert_eq!(ws.errors_or_none(), Vec::<String>::new());
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
