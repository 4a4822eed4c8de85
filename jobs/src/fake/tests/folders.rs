//! `create_folder` writes into the tree: the new folder is listed in its parent and listable
//! itself; a second folder of the same name is a second folder; unknown parents get the
//! page's codes.

use super::{FakeTree, code, empty, listed, raw, unix_now};
use crate::fake::Source;

#[tokio::test]
async fn a_new_folder_is_listed_in_its_parent_and_takes_children() {
    let (_server, tree, _uploads, client) = empty().await;
    assert!(tree.items().is_empty(), "items: 0 is an empty tree");
    assert!(listed(&client, FakeTree::ROOT_FOLDER).await.is_empty());
    let before = unix_now();
    let made = client
        .create_folder("Projects", FakeTree::ROOT_FOLDER)
        .send()
        .await
        .expect("created");
    let token = made.token.expect("token");
    assert!(made.url.expect("url").ends_with(&token));
    let inner = client.create_folder("内部", token.as_str()).send().await;
    let inner = inner.expect("created inside").token.expect("token");

    let root = listed(&client, FakeTree::ROOT_FOLDER).await;
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].token.as_deref(), Some(token.as_str()));
    assert_eq!(root[0].name.as_deref(), Some("Projects"));
    assert_eq!(root[0].type_.as_ref().map(|t| t.value()), Some("folder"));
    let created: u64 = root[0].created_time.as_deref().unwrap().parse().unwrap();
    assert!((before..=unix_now()).contains(&created), "{created}");
    let children = listed(&client, &token).await;
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].token.as_deref(), Some(inner.as_str()));
    assert_eq!(children[0].parent_token.as_deref(), Some(token.as_str()));
    assert!(listed(&client, &inner).await.is_empty());

    let items = tree.items();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[1].source,
            items[1].parent.as_deref(),
            items[1].title.as_str()
        ),
        (Source::Drive, Some(token.as_str()), "内部")
    );
    assert!(items[0].has_children && items[1].kind == "folder");
    assert_eq!(tree.folder_creates(), 2);
}

#[tokio::test]
async fn two_folders_of_one_name_in_one_parent_are_two() {
    let (_server, tree, _uploads, client) = empty().await;
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let made = client
            .create_folder("Same", FakeTree::ROOT_FOLDER)
            .send()
            .await;
        tokens.push(made.expect("created").token.expect("token"));
    }
    assert_ne!(tokens[0], tokens[1]);
    let root = listed(&client, FakeTree::ROOT_FOLDER).await;
    let names: Vec<_> = root.iter().map(|f| f.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["Same", "Same"]);
    assert_eq!(tree.folder_creates(), 2);
}

#[tokio::test]
async fn the_drive_root_takes_folders_after_the_tree_root() {
    let (_server, _tree, _uploads, client) = empty().await;
    let made = client.create_folder("At the root", "").send().await;
    let token = made.expect("created").token.expect("token");
    let root = listed(&client, "").await;
    let tokens: Vec<_> = root.iter().map(|f| f.token.clone().unwrap()).collect();
    assert_eq!(tokens, [FakeTree::ROOT_FOLDER.to_owned(), token]);
    assert_eq!(root[1].parent_token.as_deref(), Some(""));
}

#[tokio::test]
async fn unknown_parents_and_bad_names_get_the_pages_codes() {
    let (server, tree, _uploads, client) = empty().await;
    let missing = client.create_folder("x", "fldcnNoSuchFolder").send().await;
    assert_eq!(code(&missing.unwrap_err()), Some(1061003));
    let long = "长".repeat(86); // 258 bytes in 86 characters
    let (status, body) = raw(
        &server,
        "POST",
        "/open-apis/drive/v1/files/create_folder",
        &serde_json::json!({"name": long, "folder_token": FakeTree::ROOT_FOLDER}).to_string(),
    )
    .await;
    assert_eq!((status, body.contains("1061002")), (400, true), "{body}");
    for body in [
        "",
        "{}",
        r#"{"name":"","folder_token":""}"#,
        r#"{"name":1}"#,
    ] {
        let path = "/open-apis/drive/v1/files/create_folder";
        let (status, reply) = raw(&server, "POST", path, body).await;
        assert_eq!(
            (status, reply.contains("1061002")),
            (400, true),
            "{body}: {reply}"
        );
    }
    assert_eq!(tree.folder_creates(), 0);
    assert!(tree.items().is_empty());
}

#[tokio::test]
async fn a_folder_with_1500_children_takes_no_more() {
    let (_server, tree, _uploads, client) = empty().await;
    {
        let mut model = tree.lock();
        for n in 0..crate::fake::place::MAX_SIBLINGS {
            let at = (FakeTree::ROOT_FOLDER, 1);
            crate::fake::place::add(&mut model, "docx", at, format!("d{n}"), 1, 0);
        }
    }
    let full = client
        .create_folder("one more", FakeTree::ROOT_FOLDER)
        .send()
        .await;
    assert_eq!(code(&full.unwrap_err()), Some(1062507));
    let file = taskapi::runtime::UploadFile::bytes(vec![1u8; 4]);
    let parent = taskapi::feishu::UploadFileParentType::Explorer;
    let upload = client
        .upload_file("f", parent, FakeTree::ROOT_FOLDER, file)
        .send()
        .await;
    assert_eq!(code(&upload.unwrap_err()), Some(1062507));
    assert_eq!((tree.folder_creates(), tree.file_creates()), (0, 0));
}
