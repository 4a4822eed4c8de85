//! What the routes answer to what a real server refuses: the documented codes, with their
//! HTTP statuses, and never a panic on odd input.

use super::{FakeTree, TreeOptions, code, raw, serve};
use crate::fake::Source;
use taskapi::feishu::{ExportDocumentType, ExportFileExtension};

/// An item's object token, by source, kind and whether a shortcut.
fn token_of(tree: &FakeTree, source: Source, kind: &str) -> String {
    let items = tree.items();
    let item = items
        .iter()
        .find(|i| i.source == source && i.kind == kind && !i.shortcut);
    item.expect("an item of that kind").obj_token.clone()
}

#[tokio::test]
async fn export_creates_refuse_what_the_page_documents() {
    let (_server, tree, client) = serve(TreeOptions::default()).await;
    let docx = token_of(&tree, Source::Drive, "docx");
    let sheet = token_of(&tree, Source::Drive, "sheet");
    let mindnote = token_of(&tree, Source::Wiki, "mindnote");
    let deleted = tree.delete(1).remove(0);
    let cases = [
        (
            deleted.as_str(),
            "docx",
            ExportFileExtension::Pdf,
            1069906,
            404,
        ),
        (
            "doxcnNoSuchDocument",
            "docx",
            ExportFileExtension::Pdf,
            1069914,
            404,
        ),
        (
            docx.as_str(),
            "sheet",
            ExportFileExtension::Xlsx,
            1069904,
            400,
        ),
        (
            docx.as_str(),
            "docx",
            ExportFileExtension::Xlsx,
            1069918,
            400,
        ),
        (
            sheet.as_str(),
            "sheet",
            ExportFileExtension::Pdf,
            1069918,
            400,
        ),
        (
            sheet.as_str(),
            "sheet",
            ExportFileExtension::Csv,
            1069904,
            400,
        ),
        (
            mindnote.as_str(),
            "mindnote",
            ExportFileExtension::Pdf,
            1069904,
            400,
        ),
        (
            mindnote.as_str(),
            "docx",
            ExportFileExtension::Pdf,
            1069904,
            400,
        ),
    ];
    for (token, kind, extension, expected, status) in cases {
        let kind = ExportDocumentType::from(kind.to_owned());
        let created = client
            .create_export_task(extension.clone(), token, kind)
            .send()
            .await;
        let error = created.expect_err("refused");
        assert_eq!(code(&error), Some(expected), "{token} {extension:?}");
        assert_eq!(taskapi::ErrorDetails::http_status(&error), Some(status));
    }
    let csv = client
        .create_export_task(ExportFileExtension::Csv, &sheet, ExportDocumentType::Sheet)
        .sub_id("6e5ed3")
        .send()
        .await;
    assert!(csv.is_ok(), "{csv:?}");
    let ticket = csv.unwrap().ticket.unwrap();
    for (ticket, token) in [("1", sheet.as_str()), (ticket.as_str(), docx.as_str())] {
        let error = client
            .get_export_task(ticket, token)
            .send()
            .await
            .expect_err("refused");
        assert_eq!(code(&error), Some(1069904));
    }
}

#[tokio::test]
async fn listings_refuse_unknown_parents_and_bad_pages() {
    let (server, tree, client) = serve(TreeOptions::default()).await;
    let error = client
        .list_files()
        .folder_token("fldcnNoSuchFolder")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&error), Some(1061003));
    let docx = token_of(&tree, Source::Drive, "docx");
    let error = client
        .list_files()
        .folder_token(docx)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&error), Some(1061002));
    let error = client.list_wiki_nodes("123").send().await.unwrap_err();
    assert_eq!(code(&error), Some(131005));
    let nodes = client.list_wiki_nodes(FakeTree::SPACE_ID);
    let error = nodes
        .parent_node_token("wikcnNoSuchNode")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&error), Some(131005));
    let root = client.list_files().send().await.expect("the drive's root");
    let files = root.files.unwrap();
    assert_eq!(files[0].token.as_deref(), Some(FakeTree::ROOT_FOLDER));

    let folder = FakeTree::ROOT_FOLDER;
    let space = FakeTree::SPACE_ID;
    let files = "/open-apis/drive/v1/files";
    for (target, status, expected) in [
        (
            format!("{files}?folder_token={folder}&page_size=201"),
            400,
            "1064001",
        ),
        (
            format!("{files}?folder_token={folder}&page_size=x"),
            400,
            "1061002",
        ),
        (
            format!("{files}?folder_token={folder}&page_token=zz"),
            400,
            "1061002",
        ),
        (
            format!("/open-apis/wiki/v2/spaces/{space}/nodes?page_size=51"),
            400,
            "131002",
        ),
        (
            format!("/open-apis/wiki/v2/spaces/{space}/nodes?page_token=-1"),
            400,
            "131002",
        ),
    ] {
        let (got, body) = raw(&server, "GET", &target, "").await;
        assert_eq!(got, status, "{target}: {body}");
        assert!(body.contains(expected), "{target}: {body}");
    }
}

#[tokio::test]
async fn odd_requests_get_documented_errors_not_panics() {
    let (server, tree, _client) = serve(TreeOptions::default()).await;
    let docx = token_of(&tree, Source::Drive, "docx");
    let exports = "/open-apis/drive/v1/export_tasks";
    let downloads = "/open-apis/drive/v1/files";
    let long = "x".repeat(28);
    let cases = [
        ("POST", exports.to_owned(), "{".to_owned(), 400, "1069904"),
        ("POST", exports.to_owned(), String::new(), 400, "1069904"),
        (
            "POST",
            exports.to_owned(),
            "[1,2]".to_owned(),
            400,
            "1069904",
        ),
        (
            "POST",
            exports.to_owned(),
            format!(r#"{{"file_extension":"pdf","type":"docx","token":"{long}"}}"#),
            400,
            "1069904",
        ),
        (
            "POST",
            exports.to_owned(),
            format!(r#"{{"file_extension":"txt","type":"docx","token":"{docx}"}}"#),
            400,
            "1069904",
        ),
        ("GET", format!("{exports}/1"), String::new(), 400, "1069904"),
        (
            "GET",
            format!("{exports}/file/%FF%FE/download"),
            String::new(),
            400,
            "1060001",
        ),
        (
            "GET",
            format!("{downloads}/{docx}/download"),
            String::new(),
            404,
            "1061003",
        ),
        (
            "GET",
            format!("{downloads}/%E9%95%BF/download"),
            String::new(),
            404,
            "1061003",
        ),
    ];
    for (method, target, body, status, expected) in cases {
        let (got, reply) = raw(&server, method, &target, &body).await;
        assert_eq!(got, status, "{method} {target} {body}: {reply}");
        assert!(
            reply.contains(expected),
            "{method} {target} {body}: {reply}"
        );
    }
    let deleted_file = tree
        .items()
        .into_iter()
        .find(|i| i.kind == "file" && !i.shortcut)
        .unwrap();
    // Files are not deleted by `delete` (documents are): delete every document, then check a
    // file still downloads and the server still answers.
    tree.delete(usize::MAX);
    let (got, _) = raw(
        &server,
        "GET",
        &format!("{downloads}/{}/download", deleted_file.obj_token),
        "",
    )
    .await;
    assert_eq!(got, 200);
}
