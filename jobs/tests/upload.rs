//! A local file into a Drive folder: one request up to 20 MB, parts above, each part
//! retried alone, against the fake Drive's uploads (which check each part's size and
//! checksum, and keep the hash of what arrived).

use sha2::{Digest, Sha256};
use std::path::Path;
use taskapi::feishu::FeishuClient;
use taskapi_jobs::fake::FakeUploads;
use taskapi_jobs::upload::{
    ImportAs, ONE_REQUEST_MAX, PART_ATTEMPTS, upload_file, upload_import_source,
};

async fn fake() -> (taskapi::testing::FakeServer, FakeUploads, FeishuClient) {
    let server = taskapi::testing::FakeServer::start().await.unwrap();
    let uploads = FakeUploads::default();
    uploads.install(&server);
    let client = server.client::<FeishuClient>().build().unwrap();
    (server, uploads, client)
}

/// A file of `len` bytes that differ from block to block; its SHA-256.
fn file(dir: &Path, len: u64) -> (std::path::PathBuf, [u8; 32]) {
    let mut rng = fastrand::Rng::with_seed(len);
    let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
    let path = dir.join(format!("file-{len}.bin"));
    std::fs::write(&path, &bytes).unwrap();
    (path, Sha256::digest(&bytes).into())
}

#[tokio::test]
async fn a_small_file_goes_in_one_request() {
    let (_server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, sha) = file(dir.path(), 10_000);
    let uploaded = upload_file(&client, &path, "small.bin", "fldcnTarget")
        .await
        .unwrap();
    assert_eq!(uploaded.parts, 0);
    let arrived = uploads.arrived();
    assert_eq!(arrived.len(), 1);
    assert_eq!((arrived[0].len, arrived[0].sha256), (10_000, sha));
    assert_eq!(arrived[0].token, uploaded.file_token);
    assert_eq!(
        (arrived[0].name.as_str(), arrived[0].folder.as_str()),
        ("small.bin", "fldcnTarget")
    );
}

#[tokio::test]
async fn a_large_file_goes_in_parts_that_arrive_whole() {
    let (_server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let len = ONE_REQUEST_MAX + 5 * 1024 * 1024 + 7;
    let (path, sha) = file(dir.path(), len);
    let uploaded = upload_file(&client, &path, "large.bin", "fldcnTarget")
        .await
        .unwrap();
    assert_eq!(uploaded.parts, len.div_ceil(4 * 1024 * 1024));
    assert_eq!(uploaded.bytes, len);
    let arrived = uploads.arrived();
    assert_eq!(
        (arrived[0].len, arrived[0].sha256, arrived[0].parts),
        (len, sha, uploaded.parts)
    );
    for seq in 0..uploaded.parts as i64 {
        assert_eq!(uploads.part_requests(seq), 1, "part {seq}");
    }
}

#[tokio::test]
async fn a_failed_part_is_sent_again_alone() {
    let (_server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let len = ONE_REQUEST_MAX + 1;
    let (path, sha) = file(dir.path(), len);
    uploads.fail_part(2, PART_ATTEMPTS - 1);
    let uploaded = upload_file(&client, &path, "large.bin", "fldcnTarget")
        .await
        .unwrap();
    assert_eq!(uploads.part_requests(2), PART_ATTEMPTS as usize);
    for seq in (0..uploaded.parts as i64).filter(|s| *s != 2) {
        assert_eq!(uploads.part_requests(seq), 1, "part {seq} was sent again");
    }
    assert_eq!(uploads.arrived()[0].sha256, sha);
}

#[tokio::test]
async fn a_part_that_keeps_failing_fails_the_upload_naming_it() {
    let (_server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = file(dir.path(), ONE_REQUEST_MAX + 1);
    uploads.fail_part(1, u32::MAX);
    let error = upload_file(&client, &path, "large.bin", "fldcnTarget")
        .await
        .unwrap_err();
    assert!(error.describe().contains("part 1"), "{}", error.describe());
    assert!(error.describe().contains("1061001"), "{}", error.describe());
    assert_eq!(uploads.part_requests(1), PART_ATTEMPTS as usize);
    assert_eq!(
        uploads.part_requests(2),
        0,
        "parts after the failed one were sent"
    );
    assert!(uploads.arrived().is_empty());
}

#[tokio::test]
async fn an_empty_file_is_refused_before_any_request() {
    let (server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = file(dir.path(), 0);
    let error = upload_file(&client, &path, "empty.bin", "fldcnTarget")
        .await
        .unwrap_err();
    assert!(
        error.describe().contains("is empty"),
        "{}",
        error.describe()
    );
    assert_eq!(server.requests("feishu.drive.file.upload_all"), 0);
    assert!(uploads.arrived().is_empty());
}

#[tokio::test]
async fn an_import_source_states_what_it_becomes_whole_or_in_parts() {
    let (_server, uploads, client) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let import_as = ImportAs {
        obj_type: "sheet".into(),
        extension: "xlsx".into(),
    };
    let (small, small_sha) = file(dir.path(), 3_000);
    let (large, large_sha) = file(dir.path(), ONE_REQUEST_MAX + 9);
    let one = upload_import_source(&client, &small, "a.xlsx", &import_as)
        .await
        .unwrap();
    let parts = upload_import_source(&client, &large, "b.xlsx", &import_as)
        .await
        .unwrap();
    assert_eq!((one.parts, parts.parts), (0, 6));
    let arrived = uploads.arrived();
    assert_eq!(
        arrived.iter().map(|a| a.sha256).collect::<Vec<_>>(),
        [small_sha, large_sha]
    );
    for a in &arrived {
        assert_eq!(a.parent_type, "ccm_import_open");
        assert_eq!(a.folder, "", "an import source goes into no folder");
        let extra: serde_json::Value = serde_json::from_str(a.extra.as_deref().unwrap()).unwrap();
        assert_eq!(
            extra,
            serde_json::json!({"obj_type": "sheet", "file_extension": "xlsx"})
        );
    }
}

#[tokio::test]
async fn the_upload_command_prints_the_token_and_refuses_an_empty_file() {
    let (server, uploads, _) = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (path, sha) = file(dir.path(), ONE_REQUEST_MAX + 3);
    let run = |path: std::path::PathBuf| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"))
            .args(["--base-url", &server.uri(), "upload"])
            .arg(path)
            .arg("fldcnTarget")
            .env("FEISHU_ACCESS_TOKEN", "t-upload-test")
            .output()
    };
    let output = run(path).await.unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let arrived = uploads.arrived();
    assert_eq!(printed["file_token"], arrived[0].token.as_str());
    assert_eq!(printed["parts"], 6);
    assert_eq!(arrived[0].sha256, sha);
    let (empty, _) = file(dir.path(), 0);
    let output = run(empty).await.unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("is empty"));
}
