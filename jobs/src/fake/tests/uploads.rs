//! Uploads write into the tree: a file finished into a folder, whole or in parts, is listed
//! there with its hash kept; an unknown or deleted folder gets the upload pages' codes; an
//! import source is listed nowhere.

use super::{FakeTree, code, empty, listed, unix_now};
use crate::fake::{Content, Source};
use sha2::{Digest as _, Sha256};
use taskapi::feishu::{PrepareFileParentType, UploadFileParentType};
use taskapi::runtime::UploadFile;

/// `len` bytes that differ from one another, and their SHA-256.
fn bytes(len: usize) -> (Vec<u8>, [u8; 32]) {
    let mut rng = fastrand::Rng::with_seed(len as u64);
    let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
    let sha = Sha256::digest(&bytes).into();
    (bytes, sha)
}

#[tokio::test]
async fn a_file_uploaded_whole_is_listed_in_its_folder_with_its_hash() {
    let (_server, tree, uploads, client) = empty().await;
    let folder = client
        .create_folder("In", FakeTree::ROOT_FOLDER)
        .send()
        .await;
    let folder = folder.expect("created").token.expect("token");
    let (content, sha) = bytes(10_000);
    let before = unix_now();
    let reply = client
        .upload_file(
            "notes.bin",
            UploadFileParentType::Explorer,
            folder.as_str(),
            UploadFile::bytes(content),
        )
        .send()
        .await
        .expect("uploaded");
    let token = reply.file_token.expect("file_token");

    let files = listed(&client, &folder).await;
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file.token.as_deref(), Some(token.as_str()));
    assert_eq!(file.name.as_deref(), Some("notes.bin"));
    assert_eq!(file.type_.as_ref().map(|t| t.value()), Some("file"));
    for time in [&file.created_time, &file.modified_time] {
        let time: u64 = time.as_deref().unwrap().parse().unwrap();
        assert!((before..=unix_now()).contains(&time), "{time}");
    }
    let expected = Content {
        len: 10_000,
        sha256: sha,
        parts: 0,
        extension: None,
    };
    assert_eq!(tree.content_of(&token), Some(expected));
    assert_eq!(tree.file_creates(), 1);
    assert_eq!(
        uploads.arrived()[0].token,
        token,
        "the uploads' record names it too"
    );
    let item = tree
        .items()
        .into_iter()
        .find(|i| i.token == token)
        .expect("an item");
    assert_eq!(
        (item.source, item.parent.as_deref()),
        (Source::Drive, Some(folder.as_str()))
    );
}

#[tokio::test]
async fn a_part_upload_lands_at_its_finish() {
    let (_server, tree, _uploads, client) = empty().await;
    let block = crate::fake::uploads::BLOCK_SIZE as usize;
    let (content, sha) = bytes(block + 10);
    let prepared = client
        .prepare_file_upload(
            "big.bin",
            PrepareFileParentType::Explorer,
            FakeTree::ROOT_FOLDER,
            content.len() as i64,
        )
        .send()
        .await
        .expect("prepared");
    let upload_id = prepared.upload_id.expect("upload_id");
    assert_eq!(prepared.block_num, Some(2));
    for (seq, part) in content.chunks(block).enumerate() {
        let part = UploadFile::bytes(part.to_vec());
        let sent = client
            .upload_file_part(upload_id.as_str(), seq as i64, part)
            .send()
            .await;
        sent.expect("part taken");
        assert!(
            listed(&client, FakeTree::ROOT_FOLDER).await.is_empty(),
            "listed before its finish"
        );
    }
    let finished = client
        .finish_file_upload(upload_id.as_str(), 2)
        .send()
        .await;
    let token = finished.expect("finished").file_token.expect("file_token");
    let files = listed(&client, FakeTree::ROOT_FOLDER).await;
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].token.as_deref(), Some(token.as_str()));
    let got = tree.content_of(&token).expect("content");
    assert_eq!(
        (got.len, got.sha256, got.parts),
        (content.len() as u64, sha, 2)
    );
    assert_eq!(tree.file_creates(), 1);
}

#[tokio::test]
async fn unknown_and_deleted_folders_get_the_upload_pages_codes() {
    let (_server, tree, uploads, client) = empty().await;
    let send = |folder: &str| {
        let file = UploadFile::bytes(vec![1u8; 10]);
        client
            .upload_file("a.bin", UploadFileParentType::Explorer, folder, file)
            .send()
    };
    assert_eq!(
        code(&send("fldcnNoSuchFolder").await.unwrap_err()),
        Some(1061044)
    );
    assert_eq!(code(&send("").await.unwrap_err()), Some(1061044));
    let prepare = client
        .prepare_file_upload(
            "b.bin",
            PrepareFileParentType::Explorer,
            "fldcnNoSuchFolder",
            5_000_000,
        )
        .send()
        .await;
    assert_eq!(code(&prepare.unwrap_err()), Some(1061044));
    // A folder deleted between the prepare and the finish: the finish's code.
    let doomed = client
        .create_folder("doomed", FakeTree::ROOT_FOLDER)
        .send()
        .await;
    let doomed = doomed.expect("created").token.expect("token");
    let prepared = client
        .prepare_file_upload("c.bin", PrepareFileParentType::Explorer, doomed.as_str(), 3)
        .send()
        .await
        .expect("prepared");
    let upload_id = prepared.upload_id.expect("upload_id");
    let part = UploadFile::bytes(vec![7u8; 3]);
    client
        .upload_file_part(upload_id.as_str(), 0, part)
        .send()
        .await
        .expect("part");
    {
        let mut model = tree.lock();
        let i = model.by_token[&doomed];
        model.nodes[i].deleted = true;
    }
    let finished = client
        .finish_file_upload(upload_id.as_str(), 1)
        .send()
        .await;
    assert_eq!(code(&finished.unwrap_err()), Some(1061041));
    assert_eq!(code(&send(&doomed).await.unwrap_err()), Some(1061041));
    assert_eq!(tree.file_creates(), 0);
    assert!(uploads.arrived().is_empty());
}

#[tokio::test]
async fn an_import_source_is_listed_nowhere() {
    let (_server, tree, uploads, client) = empty().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, "# Title\n").unwrap();
    let import_as = crate::upload::ImportAs {
        obj_type: "docx".into(),
        extension: "md".into(),
    };
    let uploaded = crate::upload::upload_import_source(&client, &path, "a.md", &import_as).await;
    let token = uploaded.expect("uploaded").file_token;
    assert!(listed(&client, FakeTree::ROOT_FOLDER).await.is_empty());
    assert!(
        listed(&client, "")
            .await
            .iter()
            .all(|f| f.token.as_deref() != Some(token.as_str()))
    );
    assert!(tree.items().is_empty());
    assert_eq!((tree.content_of(&token), tree.file_creates()), (None, 0));
    assert_eq!(uploads.arrived()[0].parent_type, "ccm_import_open");
}
