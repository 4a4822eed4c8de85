//! Import tasks write into the tree: the document appears in its folder when the task is
//! due, polled or not; the get reply follows the page's shape; injected failures,
//! mismatches and missing folders end the task with their status and no document.

use super::{FakeTree, code, empty, listed, unix_now};
use crate::fake::Source;
use crate::upload::{ImportAs, upload_import_source};
use sha2::{Digest as _, Sha256};
use std::time::Duration;
use taskapi::feishu::{
    FeishuClient, ImportDocumentType, ImportJobStatus, ImportMountType, ImportPoint,
};

/// Uploads `text` as the import source `name`, stating `obj_type` and `extension`: its
/// file token and SHA-256.
async fn source(
    client: &FeishuClient,
    name: &str,
    text: &str,
    obj_type: &str,
    extension: &str,
) -> (String, [u8; 32]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("source");
    std::fs::write(&path, text).unwrap();
    let import_as = ImportAs {
        obj_type: obj_type.into(),
        extension: extension.into(),
    };
    let uploaded = upload_import_source(client, &path, name, &import_as).await;
    (
        uploaded.expect("uploaded").file_token,
        Sha256::digest(text).into(),
    )
}

/// Creates an import of `file_token` into `folder`: its ticket.
async fn create(
    client: &FeishuClient,
    file_token: &str,
    extension: &str,
    kind: ImportDocumentType,
    folder: &str,
) -> String {
    let point = ImportPoint::new(ImportMountType::CloudSpace, folder);
    let created = client
        .create_import_task(extension, file_token, kind, point)
        .send()
        .await;
    created.expect("created").ticket.expect("ticket")
}

/// The import's status and result now.
async fn get(client: &FeishuClient, ticket: &str) -> taskapi::feishu::ImportTaskResult {
    let data = client.get_import_task(ticket).send().await.expect("polled");
    data.result.expect("result")
}

#[tokio::test]
async fn the_document_appears_when_due_even_without_polls() {
    let (server, tree, _uploads, client) = empty().await;
    tree.set_import_ready(Duration::from_millis(300));
    let (file_token, sha) = source(&client, "Meeting notes.md", "# Notes\n", "docx", "md").await;
    let created_at = unix_now();
    let ticket = create(
        &client,
        &file_token,
        "md",
        ImportDocumentType::Docx,
        FakeTree::ROOT_FOLDER,
    )
    .await;
    assert_eq!(tree.import_creates(), 1);
    assert!(
        listed(&client, FakeTree::ROOT_FOLDER).await.is_empty(),
        "listed before due"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let files = listed(&client, FakeTree::ROOT_FOLDER).await;
    assert_eq!(server.requests("feishu.drive.import_task.get"), 0);
    assert_eq!(files.len(), 1);
    let doc = &files[0];
    assert_eq!(
        doc.name.as_deref(),
        Some("Meeting notes"),
        "the source's name without .md"
    );
    assert_eq!(doc.type_.as_ref().map(|t| t.value()), Some("docx"));
    let created: u64 = doc.created_time.as_deref().unwrap().parse().unwrap();
    assert!((created_at..=unix_now()).contains(&created), "{created}");
    let token = doc.token.clone().unwrap();
    let content = tree.content_of(&token).expect("content");
    assert_eq!(
        (content.sha256, content.len, content.extension.as_deref()),
        (sha, 8, Some("md"))
    );
    let item = tree.items().into_iter().find(|i| i.token == token).unwrap();
    assert_eq!(
        (item.source, item.kind.as_str(), item.parent.as_deref()),
        (Source::Drive, "docx", Some(FakeTree::ROOT_FOLDER))
    );

    let result = get(&client, &ticket).await;
    assert_eq!(result.job_status, Some(ImportJobStatus::Success));
    assert_eq!(result.token.as_deref(), Some(token.as_str()));
    assert_eq!(result.type_.as_deref(), Some("docx"));
    assert!(result.url.unwrap().ends_with(&token));
    assert_eq!(result.file_token.as_deref(), Some(file_token.as_str()));
}

#[tokio::test]
async fn a_pending_task_initialises_then_processes_then_names_its_document() {
    let (_server, tree, _uploads, client) = empty().await;
    tree.set_import_ready(Duration::from_millis(200));
    let folder = client
        .create_folder("Sheets", FakeTree::ROOT_FOLDER)
        .send()
        .await;
    let folder = folder.expect("created").token.expect("token");
    let (file_token, _) = source(&client, "q.xlsx", "not really xlsx", "sheet", "xlsx").await;
    let point = ImportPoint::new(ImportMountType::CloudSpace, folder.as_str());
    let created = client
        .create_import_task(
            "xlsx",
            file_token.as_str(),
            ImportDocumentType::Sheet,
            point,
        )
        .file_name("Quarterly")
        .send()
        .await;
    let ticket = created.expect("created").ticket.expect("ticket");
    let first = get(&client, &ticket).await;
    assert_eq!(
        (first.job_status, first.token.as_deref()),
        (Some(ImportJobStatus::Initialising), Some(""))
    );
    let second = get(&client, &ticket).await;
    assert_eq!(second.job_status, Some(ImportJobStatus::Processing));
    tokio::time::sleep(Duration::from_millis(250)).await;
    let done = get(&client, &ticket).await;
    assert_eq!(done.job_status, Some(ImportJobStatus::Success));
    let files = listed(&client, &folder).await;
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].name.as_deref(),
        Some("Quarterly"),
        "file_name given"
    );
    assert_eq!(files[0].type_.as_ref().map(|t| t.value()), Some("sheet"));
    assert_eq!(files[0].token, done.token);
}

#[tokio::test]
async fn failures_end_the_task_with_their_status_and_no_document() {
    let (_server, tree, _uploads, client) = empty().await;
    tree.fail_imports("broken", 112);
    let root = FakeTree::ROOT_FOLDER;
    let (broken, _) = source(&client, "a broken file.md", "x", "docx", "md").await;
    let (md, _) = source(&client, "b.md", "x", "docx", "md").await;
    let cases = [
        create(&client, &broken, "md", ImportDocumentType::Docx, root).await,
        create(&client, &md, "markdown", ImportDocumentType::Docx, root).await,
        create(&client, &md, "md", ImportDocumentType::Sheet, root).await,
        create(
            &client,
            &md,
            "md",
            ImportDocumentType::Docx,
            "fldcnNoSuchFolder",
        )
        .await,
    ];
    assert_eq!(tree.import_creates(), 4);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let statuses = [
        ImportJobStatus::FormatUnsupported,
        ImportJobStatus::ExtensionMismatch,
        ImportJobStatus::FileTypeMismatch,
        ImportJobStatus::TargetFolderNotFound,
    ];
    for (ticket, status) in cases.iter().zip(statuses) {
        let result = get(&client, ticket).await;
        assert_eq!(result.job_status, Some(status), "{ticket}");
        assert_eq!(result.token.as_deref(), Some(""));
        assert!(!result.job_error_msg.unwrap_or_default().is_empty());
    }
    assert!(listed(&client, root).await.is_empty());
    assert!(tree.items().is_empty());
    // The same source imported rightly still works: a failed task used nothing up.
    create(&client, &md, "md", ImportDocumentType::Docx, root).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(listed(&client, root).await.len(), 1);
}

#[tokio::test]
async fn creates_that_cannot_start_are_refused_at_once() {
    let (server, tree, _uploads, client) = empty().await;
    let point = || ImportPoint::new(ImportMountType::CloudSpace, FakeTree::ROOT_FOLDER);
    let unknown = client
        .create_import_task("md", "boxcnNoSuchSource", ImportDocumentType::Docx, point())
        .send()
        .await;
    assert_eq!(code(&unknown.unwrap_err()), Some(1069907));
    let bad = [
        r#"{"file_extension":"md","file_token":"x","type":"slides","point":{"mount_type":1,"mount_key":""}}"#,
        r#"{"file_extension":"md","file_token":"x","type":"docx","point":{"mount_type":2,"mount_key":""}}"#,
        r#"{"file_extension":"md","file_token":"x","type":"docx"}"#,
        "not json",
    ];
    for body in bad {
        let (status, reply) =
            super::raw(&server, "POST", "/open-apis/drive/v1/import_tasks", body).await;
        assert_eq!(
            (status, reply.contains("1069904")),
            (400, true),
            "{body}: {reply}"
        );
    }
    let missing = client.get_import_task("123").send().await;
    assert_eq!(code(&missing.unwrap_err()), Some(1069904));
    assert_eq!(tree.import_creates(), 0);
}

#[tokio::test]
async fn a_file_uploaded_into_a_folder_imports_too() {
    let (_server, tree, _uploads, client) = empty().await;
    let file = taskapi::runtime::UploadFile::bytes(b"a,b\n1,2\n".to_vec());
    let uploaded = client
        .upload_file(
            "t.csv",
            taskapi::feishu::UploadFileParentType::Explorer,
            FakeTree::ROOT_FOLDER,
            file,
        )
        .send()
        .await;
    let file_token = uploaded.expect("uploaded").file_token.expect("token");
    let ticket = create(
        &client,
        &file_token,
        "xlsx",
        ImportDocumentType::Sheet,
        FakeTree::ROOT_FOLDER,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        get(&client, &ticket).await.job_status,
        Some(ImportJobStatus::ExtensionMismatch)
    );
    let ticket = create(
        &client,
        &file_token,
        "csv",
        ImportDocumentType::Bitable,
        FakeTree::ROOT_FOLDER,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let done = get(&client, &ticket).await;
    assert_eq!(done.job_status, Some(ImportJobStatus::Success));
    let kinds: Vec<_> = tree
        .items()
        .into_iter()
        .map(|i| (i.title, i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("t.csv".to_owned(), "file".to_owned()),
            ("t".to_owned(), "bitable".to_owned())
        ]
    );
}
