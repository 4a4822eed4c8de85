//! Exports through the generated client: create, poll until ready, download what
//! `export_content` says; expiry, touched documents, injected failures, plain files.

use super::{FakeTree, TreeOptions, code, serve};
use crate::fake::Source;
use std::time::Duration;
use taskapi::feishu::{
    DownloadExportFileError, ExportDocumentType, ExportFileExtension, ExportJobStatus,
    ExportTaskResult, FeishuClient,
};

/// A document of `kind` (not a shortcut) of `source`, by its object token.
fn document(tree: &FakeTree, source: Source, kind: &str) -> String {
    let items = tree.items();
    let item = items
        .iter()
        .find(|i| i.source == source && i.kind == kind && !i.shortcut);
    item.expect("a document of that kind").obj_token.clone()
}

/// Creates an export and polls it until it succeeds: (ticket, polls, the result).
async fn export(
    client: &FeishuClient,
    token: &str,
    extension: ExportFileExtension,
    kind: ExportDocumentType,
) -> (String, usize, ExportTaskResult) {
    let created = client
        .create_export_task(extension, token, kind)
        .send()
        .await;
    let ticket = created.expect("created").ticket.expect("ticket");
    for polls in 1..200 {
        let data = client
            .get_export_task(&ticket, token)
            .send()
            .await
            .expect("polled");
        let result = data.result.expect("result");
        match result.job_status {
            Some(ExportJobStatus::Success) => return (ticket, polls, result),
            Some(ExportJobStatus::Processing) => {
                assert_eq!(result.file_token.as_deref(), Some(""));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => panic!("job_status {other:?}"),
        }
    }
    panic!("the export never finished");
}

/// The exported file's bytes.
async fn download(
    client: &FeishuClient,
    file_token: &str,
) -> Result<Vec<u8>, DownloadExportFileError> {
    let mut bytes = Vec::new();
    client
        .download_export_file(file_token)
        .to_writer(&mut bytes)
        .await?;
    Ok(bytes)
}

#[tokio::test]
async fn an_export_polls_until_ready_then_downloads_its_content() {
    let options = TreeOptions {
        export_ready: Duration::from_millis(300),
        ..TreeOptions::default()
    };
    let (_server, tree, client) = serve(options).await;
    for (source, kind, extension, export_kind) in [
        (
            Source::Drive,
            "docx",
            ExportFileExtension::Pdf,
            ExportDocumentType::Docx,
        ),
        (
            Source::Drive,
            "sheet",
            ExportFileExtension::Xlsx,
            ExportDocumentType::Sheet,
        ),
        (
            Source::Wiki,
            "doc",
            ExportFileExtension::Docx,
            ExportDocumentType::Doc,
        ),
        (
            Source::Wiki,
            "bitable",
            ExportFileExtension::Xlsx,
            ExportDocumentType::Bitable,
        ),
    ] {
        let token = document(&tree, source, kind);
        let (ticket, polls, result) = export(&client, &token, extension.clone(), export_kind).await;
        assert!(polls >= 2, "processing at first, {polls} polls");
        let file_token = result.file_token.expect("file_token");
        assert_eq!(tree.export_file_token_of(&ticket), Some(file_token.clone()));
        let bytes = download(&client, &file_token).await.expect("downloaded");
        let ext = result.file_extension.expect("file_extension");
        assert_eq!(Some(&bytes), tree.export_content(&token, &ext).as_ref());
        assert_eq!(result.file_size, Some(bytes.len() as i64));
        let title = tree
            .items()
            .into_iter()
            .find(|i| i.obj_token == token)
            .unwrap()
            .title;
        assert_eq!(result.file_name, Some(title));
        assert_eq!(
            (tree.creates(&token), tree.export_downloads(&file_token)),
            (1, 1)
        );
    }
    assert_eq!((tree.total_creates(), tree.total_downloads()), (4, 4));
}

#[tokio::test]
async fn exported_files_expire() {
    let options = TreeOptions {
        export_ready: Duration::ZERO,
        export_expiry: Duration::from_secs(1),
        ..TreeOptions::default()
    };
    let (_server, tree, client) = serve(options).await;
    let token = document(&tree, Source::Drive, "docx");
    let (_, _, result) = export(
        &client,
        &token,
        ExportFileExtension::Docx,
        ExportDocumentType::Docx,
    )
    .await;
    let file_token = result.file_token.unwrap();
    assert!(download(&client, &file_token).await.is_ok());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let error = download(&client, &file_token).await.expect_err("expired");
    assert_eq!(code(&error), Some(1060001));

    tree.set_export_ready(Duration::from_millis(50));
    let (_, _, result) = export(
        &client,
        &token,
        ExportFileExtension::Pdf,
        ExportDocumentType::Docx,
    )
    .await;
    let file_token = result.file_token.unwrap();
    assert!(download(&client, &file_token).await.is_ok());
    tree.expire_exports();
    let error = download(&client, &file_token).await.expect_err("expired");
    assert_eq!(code(&error), Some(1060001));
    assert_eq!(tree.export_downloads(&file_token), 1);
}

#[tokio::test]
async fn touch_changes_what_a_new_export_downloads() {
    let options = TreeOptions {
        export_ready: Duration::ZERO,
        ..TreeOptions::default()
    };
    let (_server, tree, client) = serve(options).await;
    let token = document(&tree, Source::Wiki, "docx");
    let (_, _, before) = export(
        &client,
        &token,
        ExportFileExtension::Pdf,
        ExportDocumentType::Docx,
    )
    .await;
    let old_file = before.file_token.unwrap();
    let old = download(&client, &old_file).await.unwrap();
    let modified = |t: &FakeTree| {
        t.items()
            .into_iter()
            .find(|i| i.obj_token == token)
            .unwrap()
            .modified
    };
    let was = modified(&tree);
    let mut touched = tree.touch(Source::Drive, usize::MAX);
    touched.extend(tree.touch(Source::Wiki, usize::MAX));
    assert!(touched.contains(&token));
    assert_ne!(modified(&tree), was);
    let (_, _, after) = export(
        &client,
        &token,
        ExportFileExtension::Pdf,
        ExportDocumentType::Docx,
    )
    .await;
    let new = download(&client, &after.file_token.unwrap()).await.unwrap();
    assert_ne!(new, old);
    assert_eq!(Some(new), tree.export_content(&token, "pdf"));
    // The earlier export keeps the bytes it made.
    assert_eq!(download(&client, &old_file).await.unwrap(), old);
    // Deterministic: the same tree touches the same documents.
    let again = FakeTree::new(TreeOptions::default());
    assert_eq!(
        again.touch(Source::Drive, 3),
        FakeTree::new(TreeOptions::default()).touch(Source::Drive, 3)
    );
}

#[tokio::test]
async fn failing_exports_answer_an_internal_error_until_turned_off() {
    let options = TreeOptions {
        export_ready: Duration::ZERO,
        ..TreeOptions::default()
    };
    let (_server, tree, client) = serve(options).await;
    let token = document(&tree, Source::Drive, "doc");
    tree.fail_exports(&token, true);
    // The create is retried by the client (a second export is harmless): count attempts.
    let mut sent = 0;
    for _ in 0..2 {
        let created = client
            .create_export_task(ExportFileExtension::Docx, &token, ExportDocumentType::Doc)
            .send()
            .await;
        let error = created.expect_err("failing");
        assert_eq!(code(&error), Some(1069901));
        assert_eq!(taskapi::ErrorDetails::http_status(&error), Some(500));
        sent += taskapi::ErrorDetails::attempts(&error) as usize;
    }
    assert_eq!(tree.creates(&token), sent);
    tree.fail_exports(&token, false);
    export(
        &client,
        &token,
        ExportFileExtension::Docx,
        ExportDocumentType::Doc,
    )
    .await;
    assert_eq!(tree.creates(&token), sent + 1);
}

#[tokio::test]
async fn plain_files_download_their_content() {
    let (_server, tree, client) = serve(TreeOptions::default()).await;
    for source in [Source::Drive, Source::Wiki] {
        let token = document(&tree, source, "file");
        let mut bytes = Vec::new();
        client
            .download_file(&token)
            .to_writer(&mut bytes)
            .await
            .expect("downloaded");
        assert_eq!(Some(bytes), tree.file_content(&token));
        assert_eq!(tree.file_downloads(&token), 1);
    }
    assert_eq!(tree.total_downloads(), 2);
    assert_eq!(
        tree.file_content(&document(&tree, Source::Drive, "docx")),
        None
    );
}
