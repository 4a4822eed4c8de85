//! `taskapi migrate` (the real binary) against a writable fake Drive in the test's
//! process: a local tree of every kind arrives once, in its folders, byte for byte.

mod common;

use common::local::make_tree;
use common::migration::{Migration, check_arrived, check_arrived_in};
use common::text;
use taskapi_jobs::fake::{FakeItem, FakeTree, Source};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tree_of_every_kind_arrives_in_its_folders_byte_for_byte() {
    let fx = Migration::new().await;
    let (files, folders) = make_tree(&fx.source(), 7, 240, true);
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let arrived = check_arrived(&fx.tree, &files, &folders);
    // Both large files went in parts: the plain one into its folder, the import source
    // as media.
    for large in ["large/archive.bin", "large/report.docx"] {
        let item = &arrived[large];
        let content = fx.tree.content_of(&item.token).unwrap();
        assert!(content.parts > 1, "{large} went in {} parts", content.parts);
    }
    assert_eq!(fx.tree.folder_creates(), folders.len());
    let status = fx.status().await;
    assert_eq!(
        status["counts"]["states"]["done"].as_u64(),
        Some((files.len() + folders.len()) as u64)
    );

    // A second run finds everything done: nothing is sent.
    let before = (
        fx.tree.import_creates(),
        fx.tree.file_creates(),
        fx.tree.folder_creates(),
    );
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        before,
        (
            fx.tree.import_creates(),
            fx.tree.file_creates(),
            fx.tree.folder_creates()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tree_arrives_in_a_wiki_space_as_nodes_under_nodes() {
    let fx = Migration::new().await;
    let (files, folders) = make_tree(&fx.source(), 13, 60, false);
    let run = || async {
        fx.command_into("wiki", FakeTree::SPACE_ID, common::FAST, &[])
            .output()
            .await
            .unwrap()
    };
    let output = run().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    check_arrived_in(&fx.tree, Source::Wiki, &files, &folders);
    assert_eq!(fx.tree.wiki_node_creates(), folders.len());
    assert_eq!(fx.tree.wiki_moves(), files.len());
    // Run again: nothing is made or moved.
    let output = run().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fx.tree.wiki_node_creates(), folders.len());
    assert_eq!(fx.tree.wiki_moves(), files.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_reply_is_lost_is_found_in_the_target_not_made_again() {
    let fx = Migration::new().await;
    let (files, folders) = make_tree(&fx.source(), 17, 30, false);
    // The server acts, and the client gets a gateway's 504 instead of the reply.
    fx.tree.lose_replies("feishu.drive.file.create_folder", 2);
    fx.tree.lose_replies("feishu.drive.import_task.create", 3);
    let output = fx.run(&["--reconcile-wait", "5"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    check_arrived(&fx.tree, &files, &folders);
    assert_eq!(
        fx.tree.folder_creates(),
        folders.len(),
        "a folder was made twice"
    );
    let imports = fx
        .uploads
        .arrived()
        .iter()
        .filter(|a| a.parent_type == "ccm_import_open")
        .count();
    assert_eq!(
        fx.tree.import_creates(),
        imports,
        "an import was started twice"
    );
    let summary_line = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary_line.contains("5 found after a lost reply"),
        "{summary_line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_wiki_a_lost_reply_of_a_node_or_a_move_makes_nothing_twice() {
    let fx = Migration::new().await;
    let (files, folders) = make_tree(&fx.source(), 19, 30, false);
    fx.tree.lose_replies("feishu.wiki.space_node.create", 2);
    fx.tree
        .lose_replies("feishu.wiki.space_node.move_docs_to_wiki", 3);
    // An import found after a lost reply goes on to its move in the same run.
    fx.tree.lose_replies("feishu.drive.import_task.create", 2);
    let output = fx
        .command_into("wiki", FakeTree::SPACE_ID, common::FAST, &[])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    check_arrived_in(&fx.tree, Source::Wiki, &files, &folders);
    assert_eq!(
        fx.tree.wiki_node_creates(),
        folders.len(),
        "a node was made twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_import_is_recorded_with_its_meaning_and_the_rest_complete() {
    let fx = Migration::new().await;
    let (files, folders) = make_tree(&fx.source(), 3, 40, false);
    std::fs::write(
        fx.source().join("broken report.docx"),
        b"not really a document",
    )
    .unwrap();
    fx.tree.fail_imports("broken", 112);
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    check_arrived(&fx.tree, &files, &folders);
    let status = fx.status().await;
    let broken = common::migration::entry(&status, "broken report.docx");
    assert_eq!(broken["state"], "failed");
    let reason = broken["reason"].as_str().unwrap();
    assert!(
        reason.contains("112") && reason.contains("格式不支持"),
        "{reason}"
    );

    // Retried after the cause is gone, it completes with one more import.
    fx.tree.fail_imports("broken", 0);
    let creates = fx.tree.import_creates();
    let output = fx.run(&["--retry-failed"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fx.tree.import_creates(), creates + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_source_is_uploaded_again_and_imported_once() {
    let fx = Migration::new().await;
    std::fs::write(fx.source().join("late.md"), b"# late\n").unwrap();
    // The first run uploads the source; its import fails, leaving the source recorded.
    fx.tree.fail_imports("late", 108);
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    let uploads = fx.uploads.arrived().len();
    // Past its 5 minutes the source is refused (1069913): uploaded again, then imported.
    fx.tree.fail_imports("late", 0);
    fx.tree.expire_import_sources();
    let creates = fx.tree.import_creates();
    let output = fx.run(&["--retry-failed"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fx.uploads.arrived().len(), uploads + 1);
    assert_eq!(fx.tree.import_creates(), creates + 1);
    let entry = common::migration::entry(&fx.status().await, "late.md");
    assert_eq!(entry["state"], "done");
    assert_eq!(entry["attempts"], 1);
    let content = fx
        .tree
        .content_of(entry["token"].as_str().unwrap())
        .unwrap();
    assert_eq!(content.len, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_upload_that_failed_continues_from_its_failed_part() {
    let fx = Migration::new().await;
    let len = common::local::ONE_REQUEST_MAX + 5 * 1024 * 1024;
    let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    std::fs::write(fx.source().join("video.bin"), &bytes).unwrap();
    // Part 3 fails every attempt of the first run (retried alone, 3 times).
    fx.uploads.fail_part(3, taskapi_jobs::upload::PART_ATTEMPTS);
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    assert_eq!(
        fx.uploads.part_requests(3),
        taskapi_jobs::upload::PART_ATTEMPTS as usize
    );
    let entry = common::migration::entry(&fx.status().await, "video.bin");
    assert_eq!(entry["state"], "failed");
    assert_eq!(entry["parts"]["sent"], 3, "{entry}");

    // The retry sends parts 3 to 5 of the same upload, never 0 to 2 again.
    let output = fx.run(&["--retry-failed"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    for seq in 0..3 {
        assert_eq!(fx.uploads.part_requests(seq), 1, "part {seq}");
    }
    assert_eq!(
        fx.uploads.part_requests(3),
        taskapi_jobs::upload::PART_ATTEMPTS as usize + 1
    );
    let entry = common::migration::entry(&fx.status().await, "video.bin");
    let content = fx
        .tree
        .content_of(entry["token"].as_str().unwrap())
        .unwrap();
    assert_eq!(content.len, len);
    use sha2::Digest as _;
    assert!(content.sha256 == <[u8; 32]>::from(sha2::Sha256::digest(&bytes)));
    assert_eq!(fx.tree.file_creates(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_file_is_imported_again_only_with_update() {
    let fx = Migration::new().await;
    let (files, _) = make_tree(&fx.source(), 5, 20, false);
    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let changed = files
        .keys()
        .find(|p| p.ends_with(".md") && !p.starts_with("twin"))
        .unwrap()
        .clone();
    let bytes = b"# rewritten\n".to_vec();
    std::fs::write(fx.source().join(&changed), &bytes).unwrap();
    let creates = fx.tree.import_creates();

    let output = fx.run(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        fx.tree.import_creates(),
        creates,
        "changed without --update: nothing sent"
    );
    assert_eq!(
        common::migration::entry(&fx.status().await, &changed)["state"],
        "changed"
    );

    let old = common::migration::entry(&fx.status().await, &changed)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let output = fx.run(&["--update"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&old),
        "{}",
        text(&output)
    );
    assert_eq!(fx.tree.import_creates(), creates + 1);
    let entry = common::migration::entry(&fx.status().await, &changed);
    assert_eq!(entry["state"], "done");
    assert_eq!(entry["replaces"].as_str(), Some(old.as_str()));
    let new = entry["token"].as_str().unwrap();
    let content = fx.tree.content_of(new).unwrap();
    assert_eq!(content.len, bytes.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_only_leaves_plain_files_out_with_the_reason() {
    let fx = Migration::new().await;
    let (files, _) = make_tree(&fx.source(), 9, 30, false);
    let output = fx.run(&["--imports-only"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let status = fx.status().await;
    let plain: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".jpg") || p.ends_with(".bin") || p.ends_with(".pdf"))
        .collect();
    assert!(!plain.is_empty());
    for path in plain {
        let entry = common::migration::entry(&status, path);
        assert_eq!(entry["state"], "skipped", "{entry}");
        assert!(entry["reason"].as_str().unwrap().contains("--imports-only"));
    }
    assert_eq!(fx.tree.file_creates(), 0);
    let items: Vec<FakeItem> = fx.tree.items();
    assert!(items.iter().all(|i| i.kind != "file"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_window_of_any_endpoint_is_over_its_limit() {
    // The documented limits, scaled by this (`--rate-limit 3`), so the test takes seconds.
    const SCALE: u32 = 3;
    let fx = Migration::new().await;
    fx.tree
        .set_import_ready(std::time::Duration::from_millis(50));
    let (files, folders) = make_tree(&fx.source(), 11, 60, false);
    // The fake throttles any route over the fastest pace allowed here (drive list, 20/s
    // documented), with a margin for its fixed windows.
    fx.server.set_rate_limit(Some(20 * SCALE + 5));
    let output = fx.command(&SCALE.to_string(), &[]).output().await.unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    check_arrived(&fx.tree, &files, &folders);
    let stats = fx.server.stats();
    assert_eq!(stats.throttled, 0);
    let checked = common::check_windows(&stats, SCALE);
    assert!(checked >= 4, "only {checked} limited endpoints were called");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_2_with_a_clear_message_and_sends_nothing() {
    let fx = Migration::new().await;
    std::fs::write(fx.source().join("a.md"), b"# a").unwrap();
    let exit = |output: &std::process::Output| output.status.code();
    // No such folder, a file where a folder is named, a status of a folder never migrated.
    let missing = fx.dir.path().join("missing");
    let file = fx.source().join("a.md");
    for dir in [&missing, &file] {
        let output = fx.run_in(dir, "folder", FakeTree::ROOT_FOLDER, &[]).await;
        assert_eq!(exit(&output), Some(2), "{}", text(&output));
        assert!(String::from_utf8_lossy(&output.stderr).contains("is not a folder"));
    }
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"))
        .args(["migrate", "status"])
        .arg(&missing)
        .output()
        .await
        .unwrap();
    assert_eq!(exit(&output), Some(2), "{}", text(&output));
    // A folder migrated into one target is refused for another, and told why.
    let output = fx.run(&[]).await;
    assert_eq!(exit(&output), Some(0), "{}", text(&output));
    let output = fx
        .run_in(&fx.source(), "wiki", FakeTree::SPACE_ID, &[])
        .await;
    assert_eq!(exit(&output), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("use another folder") && !stderr.contains("run the same command"),
        "{stderr}"
    );
    // A bad flag value.
    let output = fx.run(&["--as", "table"]).await;
    assert_eq!(exit(&output), Some(2), "{}", text(&output));
    assert_eq!(fx.tree.import_creates(), 1);
}
