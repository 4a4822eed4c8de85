//! A workflow that uploads first (`starts.before`): `import_file` takes a file on disk to a
//! new document in one call, against the fake server. The upload carries the file's bytes
//! and the fields the spec fixes or builds; the import is created with the token the
//! upload's reply gave; the wait returns the poller's typed result. Each step keeps its
//! typed error: a failed upload (or one refused before sending) creates no import.

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;
use taskapi::cli::{EXIT_API, EXIT_OK, EXIT_USAGE};
use taskapi::feishu::{
    CreateImportTaskError, FeishuClient, ImportDocumentType, ImportMountType, ImportPoint,
    UploadMediaError,
};
use taskapi::runtime::{UploadThenError, WaitOutcome, WorkflowError, with_causes};
use taskapi::testing::{FakeServer, Recorded};

use common::{multipart_parts, part};

const UPLOAD: &str = "feishu.drive.media.upload_all";
const CREATE: &str = "feishu.drive.import_task.create";
const POLL: &str = "feishu.drive.import_task.get";
/// The token the scripted upload answers with: not the doc example's, so that finding it
/// in the import's body proves the reply fed it.
const UPLOADED_TOKEN: &str = "boxcnUploadedByThisTest0001";
const CONTENT: &[u8] = b"# Q3\n\nA \"quoted\" line, and one more.\n";

/// A file named `name` holding [`CONTENT`], in a fresh folder.
fn file(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, CONTENT).unwrap();
    (dir, path)
}

fn point() -> ImportPoint {
    ImportPoint::new(ImportMountType::CloudSpace, "fldTargetFolder")
}

/// The fake and a client of it.
async fn fake() -> (FakeServer, FeishuClient) {
    let fake = FakeServer::start().await.unwrap();
    let client = fake.client().build().unwrap();
    (fake, client)
}

/// The fake's next upload answers with `token`.
fn upload_answers(fake: &FakeServer, token: &str) {
    let upload = fake.upload_media();
    let mut reply = upload.example();
    reply.file_token = Some(token.to_owned());
    upload.reply(&reply);
}

/// The recorded upload's text parts and file part.
fn upload_parts(got: &Recorded) -> Vec<(String, Vec<u8>)> {
    multipart_parts(&got.body, got.header("content-type").unwrap())
}

fn text(parts: &[(String, Vec<u8>)], wire: &str) -> String {
    let bytes = part(parts, wire).unwrap_or_else(|| panic!("no part {wire}"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn created_body(fake: &FakeServer) -> Value {
    serde_json::from_slice(&fake.last_request(CREATE).expect("an import created").body).unwrap()
}

#[tokio::test]
async fn import_file_uploads_the_file_then_imports_what_it_uploaded_and_waits() {
    let (fake, client) = fake().await;
    upload_answers(&fake, UPLOADED_TOKEN);
    fake.set_pending_polls(2);
    let (_dir, path) = file("Q3 notes.md");
    let done = client
        .import_file(&path, ImportDocumentType::Docx, point())
        .min_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(10))
        .await
        .unwrap();

    // The upload: the file's bytes, the fixed fields, the name and the extra built from the
    // import's fields (type, and the extension the path gave).
    let got = fake.last_request(UPLOAD).unwrap();
    let parts = upload_parts(&got);
    assert_eq!(part(&parts, "file"), Some(CONTENT));
    assert_eq!(text(&parts, "file_name"), "Q3 notes.md");
    assert_eq!(text(&parts, "parent_type"), "ccm_import_open");
    assert_eq!(text(&parts, "parent_node"), "");
    assert_eq!(
        text(&parts, "extra"),
        r#"{"obj_type":"docx","file_extension":"md"}"#
    );
    assert_eq!(text(&parts, "size"), CONTENT.len().to_string());
    assert_eq!(
        text(&parts, "checksum"),
        adler2::adler32_slice(CONTENT).to_string()
    );

    // The import: the token the upload's reply gave, the path's extension, the arguments.
    assert_eq!(
        created_body(&fake),
        json!({
            "file_extension": "md",
            "file_token": UPLOADED_TOKEN,
            "type": "docx",
            "point": {"mount_type": 1, "mount_key": "fldTargetFolder"},
        })
    );
    assert_eq!(
        (
            fake.requests(UPLOAD),
            fake.requests(CREATE),
            fake.requests(POLL)
        ),
        (1, 1, 3),
        "one upload, one import, polled twice pending then done"
    );

    // What the await gives: the upload's reply, the start reply, the poller's typed end.
    assert_eq!(done.uploaded.file_token.as_deref(), Some(UPLOADED_TOKEN));
    assert_eq!(
        done.then.started.ticket.as_deref(),
        Some("7369583175086912356")
    );
    let Some(WaitOutcome::Succeeded(result)) = done.then.task else {
        panic!("the import did not succeed: {:?}", done.then.task);
    };
    let result = result.result.expect("the import's result");
    assert!(
        result.token.is_some_and(|t| !t.is_empty()),
        "the new document's token"
    );
}

#[tokio::test]
async fn the_start_can_be_changed_and_the_path_s_extension_replaced() {
    let (fake, client) = fake().await;
    upload_answers(&fake, UPLOADED_TOKEN);
    let (_dir, path) = file("notes.markdown");
    client
        .import_file(&path, ImportDocumentType::Docx, point())
        .map_start(|start| start.file_name("Q3 notes"))
        .await
        .unwrap();
    let body = created_body(&fake);
    assert_eq!(body["file_name"], "Q3 notes");
    assert_eq!(body["file_extension"], "markdown");
    assert_eq!(body["file_token"], UPLOADED_TOKEN);
    let parts = upload_parts(&fake.last_request(UPLOAD).unwrap());
    assert_eq!(
        text(&parts, "extra"),
        r#"{"obj_type":"docx","file_extension":"markdown"}"#
    );
}

#[tokio::test]
async fn a_failed_upload_is_the_upload_s_typed_error_and_imports_nothing() {
    let (fake, client) = fake().await;
    fake.upload_media().error(1061044);
    let (_dir, path) = file("report.md");
    let err = client
        .import_file(&path, ImportDocumentType::Docx, point())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            UploadThenError::Upload(UploadMediaError::ParentNodeNotExist(_))
        ),
        "{err:?}"
    );
    // The chain says which step failed, then the upload endpoint's own error.
    let source = std::error::Error::source(&err).expect("the upload's error");
    assert!(source.downcast_ref::<UploadMediaError>().is_some());
    let text = with_causes(&err);
    assert!(
        text.starts_with("uploading the file failed, so nothing was started: feishu.drive.media.upload_all: API error 1061044"),
        "{text}"
    );
    assert_eq!(fake.requests(UPLOAD), 1);
    assert_eq!(fake.requests(CREATE), 0, "no import created");
}

#[tokio::test]
async fn a_file_over_the_upload_s_maximum_is_refused_before_anything_is_sent() {
    let (fake, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.docx");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(20 * 1024 * 1024 + 1).unwrap();
    let err = client
        .import_file(&path, ImportDocumentType::Docx, point())
        .await
        .unwrap_err();
    let UploadThenError::Upload(UploadMediaError::InvalidRequest(refused)) = &err else {
        panic!("expected the upload's InvalidRequest, got {err:?}");
    };
    assert_eq!(refused.param(), "file");
    assert!(
        refused.to_string().contains("part upload"),
        "the page's advice for larger files: {refused}"
    );
    assert_eq!(fake.requests(UPLOAD), 0, "nothing sent");
    assert_eq!(fake.requests(CREATE), 0);
}

#[tokio::test]
async fn an_upload_reply_without_a_token_starts_nothing() {
    let (fake, client) = fake().await;
    upload_answers(&fake, "");
    let (_dir, path) = file("report.md");
    let err = client
        .import_file(&path, ImportDocumentType::Docx, point())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            UploadThenError::NotFed {
                upload: UPLOAD,
                field: "file_token"
            }
        ),
        "{err:?}"
    );
    assert_eq!(fake.requests(CREATE), 0);
}

#[tokio::test]
async fn a_failed_start_after_the_upload_is_the_start_s_typed_error() {
    let (fake, client) = fake().await;
    upload_answers(&fake, UPLOADED_TOKEN);
    fake.create_import_task().error(1069910);
    let (_dir, path) = file("report.md");
    let err = client
        .import_file(&path, ImportDocumentType::Docx, point())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            UploadThenError::Then(WorkflowError::Start(
                CreateImportTaskError::ImportFileExtensionNotMatch(_)
            ))
        ),
        "{err:?}"
    );
    assert!(with_causes(&err).starts_with("starting the task failed: "));
    assert_eq!((fake.requests(UPLOAD), fake.requests(POLL)), (1, 0));
}

// ---- the CLI ----

const COMMAND: &str = "feishu.drive.import_file";

async fn cli(fake: &FakeServer, path: &Path, extra: &[&str]) -> taskapi::cli::Outcome {
    let mut argv: Vec<String> = ["taskapi", COMMAND, "--file"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    argv.push(path.display().to_string());
    argv.extend(
        [
            "--type",
            "docx",
            "--point-mount-type",
            "1",
            "--point-mount-key",
            "fldTargetFolder",
            "--base-url",
            &fake.uri(),
        ]
        .map(str::to_owned),
    );
    argv.extend(extra.iter().map(|a| (*a).to_owned()));
    let argv = argv.into_iter().map(Into::into).collect();
    taskapi::cli::run(argv, &|name| {
        (name == "FEISHU_ACCESS_TOKEN").then(|| common::CLI_TOKEN.to_owned())
    })
    .await
}

#[tokio::test]
async fn the_workflow_s_subcommand_uploads_imports_and_waits() {
    let (fake, _) = fake().await;
    upload_answers(&fake, UPLOADED_TOKEN);
    upload_answers(&fake, UPLOADED_TOKEN);
    let (_dir, path) = file("Q3 notes.md");
    let out = cli(
        &fake,
        &path,
        &["--wait", "--min-delay", "0.01", "--max-delay", "0.02"],
    )
    .await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    let printed: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        printed["result"]["job_status"], 0,
        "the final poll: {printed}"
    );
    assert_eq!(created_body(&fake)["file_token"], UPLOADED_TOKEN);
    assert_eq!(created_body(&fake)["file_extension"], "md");
    let parts = upload_parts(&fake.last_request(UPLOAD).unwrap());
    assert_eq!(part(&parts, "file"), Some(CONTENT));

    // Without --wait: upload and start, the start reply printed.
    let out = cli(&fake, &path, &["--file-extension", "markdown"]).await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    let printed: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(printed, json!({"ticket": "7369583175086912356"}));
    assert_eq!(created_body(&fake)["file_extension"], "markdown");
    assert_eq!(fake.requests(POLL), 1, "no poll without --wait");
}

#[tokio::test]
async fn the_subcommand_says_which_step_failed() {
    let (fake, _) = fake().await;
    fake.upload_media().error(1061044);
    let (_dir, path) = file("report.md");
    let out = cli(&fake, &path, &["--wait"]).await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(
        out.stderr.starts_with(
            "error: uploading the file failed, so nothing was started: feishu.drive.media.upload_all: API error 1061044"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(fake.requests(CREATE), 0);

    // A file over the upload's maximum: a usage error naming --file, nothing sent.
    let big = path.with_file_name("big.docx");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(20 * 1024 * 1024 + 1)
        .unwrap();
    let uploads = fake.requests(UPLOAD);
    let out = cli(&fake, &big, &["--wait"]).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(
        out.stderr
            .starts_with("error: uploading the file failed, so nothing was started: ")
            && out.stderr.contains("fix the value of --file"),
        "{}",
        out.stderr
    );
    assert_eq!(fake.requests(UPLOAD), uploads, "nothing sent");

    let missing = path.with_file_name("missing.md");
    let out = cli(&fake, &missing, &["--wait"]).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("--file"), "{}", out.stderr);
}
