//! `taskapi backup` end to end: the real binary against a fake tree on 127.0.0.1, real
//! files checked byte for byte against what the fake served.

mod common;

use common::{Fixture, check_mirror, recorded, text, walk};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use taskapi_jobs::fake::{FakeTree, Source, TreeOptions};

fn options(items: usize) -> TreeOptions {
    TreeOptions {
        items,
        export_ready: Duration::from_millis(50),
        ..TreeOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_tree_backs_up_byte_for_byte_and_mirrored() {
    let fx = Fixture::new(options(300)).await;
    let output = fx.backup("folder", &["--json"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let status = fx.status().await;
    let files = check_mirror(&fx.tree, Source::Drive, &fx.target(), &status);
    assert!(files > 100, "only {files} files");
    // Every kind the tree has is in the record, the unexportable ones skipped.
    let kinds: HashSet<_> = recorded(&status)
        .values()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for kind in ["mindnote", "slides", "shortcut"] {
        assert!(
            kinds.contains(&(kind.to_owned(), "skipped".to_owned())),
            "{kinds:?}"
        );
    }
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["files_saved"].as_u64(), Some(files as u64));
    assert_eq!(summary["listing_complete"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wiki_space_backs_up_with_nodes_as_documents_and_folders() {
    let fx = Fixture::new(options(300)).await;
    let output = fx.backup("wiki", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let status = fx.status().await;
    let files = check_mirror(&fx.tree, Source::Wiki, &fx.target(), &status);
    assert!(files > 100, "only {files} files");
    // A node with children is a document and a folder beside it.
    let both = recorded(&status)
        .values()
        .filter(|i| i["path"].is_string() && i["dir"].is_string())
        .count();
    assert!(both > 0, "no wiki node is both a document and a folder");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_titles_stay_inside_and_distinct() {
    let fx = Fixture::new(options(60)).await;
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let target = fx.target().canonicalize().unwrap();
    let files = walk(&target);
    let mut names_per_dir: HashMap<_, HashSet<String>> = HashMap::new();
    for file in &files {
        let real = file.canonicalize().unwrap();
        assert!(real.starts_with(&target), "{} is outside", real.display());
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= 255, "{name} is longer than 255 bytes");
        assert!(
            !name.eq_ignore_ascii_case("CON") && !name.starts_with("CON."),
            "{name}"
        );
        let fresh = names_per_dir
            .entry(file.parent().unwrap().to_owned())
            .or_default()
            .insert(name.to_lowercase());
        assert!(fresh, "two files named {name} but for case");
    }
    // Each hostile title is backed up (none lost to a collision).
    let status = fx.status().await;
    let titles: Vec<_> = recorded(&status)
        .values()
        .filter(|i| i["state"] == "done")
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect();
    for hostile in ["../x", "a/b", "CON"] {
        assert!(
            titles.iter().any(|t| t == hostile),
            "{hostile} missing from {titles:?}"
        );
    }
    assert!(titles.iter().any(|t| t.chars().count() == 300));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_run_exports_only_what_changed_and_rewrites_nothing_else() {
    let fx = Fixture::new(options(200)).await;
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let before: HashMap<_, _> = walk(&fx.target())
        .into_iter()
        .filter(|f| !f.starts_with(fx.target().join(".taskapi")))
        .map(|f| {
            let modified = std::fs::metadata(&f).unwrap().modified().unwrap();
            (f, modified)
        })
        .collect();
    let creates = fx.tree.total_creates();
    let downloads = fx.tree.total_downloads();
    let touched = fx.tree.touch(Source::Drive, 10);
    let added = fx.tree.add_documents(Source::Drive, 5);
    assert_eq!((touched.len(), added.len()), (10, 5));
    std::thread::sleep(Duration::from_millis(20));

    let output = fx.backup("folder", &["--json"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(fx.tree.total_creates() - creates, 15);
    assert_eq!(fx.tree.total_downloads() - downloads, 15);
    let status = fx.status().await;
    check_mirror(&fx.tree, Source::Drive, &fx.target(), &status);
    let rewritten = before
        .iter()
        .filter(|(f, modified)| std::fs::metadata(f).unwrap().modified().unwrap() != **modified)
        .count();
    assert_eq!(rewritten, 10, "files rewritten besides the 10 touched ones");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_that_always_fails_is_recorded_and_retried_on_demand() {
    let fx = Fixture::new(options(80)).await;
    let doc = fx
        .tree
        .items()
        .into_iter()
        .find(|i| i.source == Source::Drive && i.kind == "docx" && !i.shortcut)
        .unwrap();
    fx.tree.fail_exports(&doc.obj_token, true);
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(5), "{}", text(&output));
    let status = fx.status().await;
    let entry = &recorded(&status)[&doc.token];
    assert_eq!(entry["state"], "failed");
    assert!(
        entry["reason"].as_str().unwrap().contains("1069901"),
        "{entry}"
    );
    assert_eq!(status["counts"]["states"]["failed"], 1);
    // A second export task is harmless (the spec says so): the client retried the create.
    assert!(
        fx.tree.creates(&doc.obj_token) >= 2,
        "the failed create was not retried"
    );

    fx.tree.fail_exports(&doc.obj_token, false);
    let creates = fx.tree.total_creates();
    let output = fx.backup("folder", &["--retry-failed"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        fx.tree.total_creates() - creates,
        1,
        "only the failed one is exported again"
    );
    check_mirror(&fx.tree, Source::Drive, &fx.target(), &fx.status().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_backup_on_the_same_folder_is_refused() {
    let fx = Fixture::new(TreeOptions {
        items: 40,
        export_ready: Duration::from_secs(30),
        ..TreeOptions::default()
    })
    .await;
    let mut first = fx.command("folder", common::FAST, &[]).spawn().unwrap();
    // The first holds the lock once its record exists.
    let record = fx.target().join(".taskapi/backup.sqlite3");
    for _ in 0..200 {
        if record.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = fx.backup("folder", &[]).await;
    assert_eq!(second.status.code(), Some(2), "{}", text(&second));
    assert!(
        text(&second).contains("another process"),
        "{}",
        text(&second)
    );
    first.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_export_is_started_again_and_completes() {
    // In process, to expire the exports at the moment one has finished.
    let fx = Fixture::new(options(40)).await;
    let client = fx
        .server
        .client::<taskapi::feishu::FeishuClient>()
        .build()
        .unwrap();
    let tree = fx.tree.clone();
    let expired = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let once = expired.clone();
    let summary = taskapi_jobs::backup::Backup::new(
        client,
        taskapi_jobs::record::Remote::Folder {
            token: FakeTree::ROOT_FOLDER.into(),
        },
        fx.target(),
    )
    .workers(1)
    .on_event(move |event| {
        if matches!(event, taskapi_jobs::backup::Event::Exported { .. })
            && !once.swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            tree.expire_exports();
        }
    })
    .run()
    .await
    .unwrap();
    assert!(summary.complete(), "{summary:?}");
    assert!(expired.load(std::sync::atomic::Ordering::SeqCst));
    let status = fx.status().await;
    let restarted: Vec<_> = recorded(&status)
        .into_values()
        .filter(|i| i["restarts"] == 1)
        .collect();
    assert_eq!(restarted.len(), 1, "{restarted:?}");
    let token = restarted[0]["obj_token"].as_str().unwrap();
    assert_eq!(fx.tree.creates(token), 2);
    check_mirror(&fx.tree, Source::Drive, &fx.target(), &status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_deleted_at_the_source_stay_on_disk_marked_removed() {
    let fx = Fixture::new(options(120)).await;
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let drive: HashSet<_> = fx
        .tree
        .items()
        .into_iter()
        .filter(|i| i.source == Source::Drive)
        .map(|i| i.obj_token)
        .collect();
    let deleted: Vec<_> = fx
        .tree
        .delete(8)
        .into_iter()
        .filter(|t| drive.contains(t))
        .collect();
    assert!(!deleted.is_empty(), "no Drive document was deleted");

    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let status = fx.status().await;
    let record = recorded(&status);
    for token in &deleted {
        let entry = record
            .values()
            .find(|i| i["obj_token"] == token.as_str())
            .unwrap();
        assert_eq!(entry["removed"], true, "{entry}");
        assert_eq!(entry["state"], "done", "{entry}");
        let path = fx.target().join(entry["path"].as_str().unwrap());
        assert!(path.is_file(), "{} was removed from disk", path.display());
    }
    assert_eq!(status["counts"]["removed"], deleted.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wiki_subtree_backs_up_only_the_nodes_under_its_parent() {
    let fx = Fixture::new(options(200)).await;
    let items = fx.tree.items();
    let parent = items
        .iter()
        .filter(|i| i.source == Source::Wiki && i.has_children && !i.shortcut)
        .max_by_key(|i| {
            items
                .iter()
                .filter(|c| c.parent.as_ref() == Some(&i.token))
                .count()
        })
        .unwrap();
    let output = fx.backup("wiki", &["--parent-node", &parent.token]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let status = fx.status().await;
    let below = |token: &str| {
        let mut at = items
            .iter()
            .find(|i| i.token == token)
            .and_then(|i| i.parent.clone());
        while let Some(p) = at {
            if p == parent.token {
                return true;
            }
            at = items
                .iter()
                .find(|i| i.token == p)
                .and_then(|i| i.parent.clone());
        }
        false
    };
    let record = recorded(&status);
    assert!(!record.is_empty());
    for id in record.keys() {
        assert!(below(id), "{id} is not under {}", parent.token);
    }
    let expected = items
        .iter()
        .filter(|i| i.source == Source::Wiki && !i.deleted && below(&i.token))
        .count();
    assert_eq!(record.len(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_cannot_be_listed_stops_with_the_api_error() {
    let fx = Fixture::new(options(20)).await;
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"))
        .args([
            "--base-url",
            &fx.server.uri(),
            "backup",
            "folder",
            "fldcnNoSuchFolder",
        ])
        .arg(fx.target())
        .env("FEISHU_ACCESS_TOKEN", "t-backup-test")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    assert!(
        text(&output).contains("cannot list the source"),
        "{}",
        text(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_keeps_the_formats_of_its_first_backup() {
    let fx = Fixture::new(options(20)).await;
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let creates = fx.tree.total_creates();
    let output = fx.backup("folder", &["--format", "docx=pdf"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("docx=docx"), "{}", text(&output));
    assert_eq!(fx.tree.total_creates(), creates);
    // CSV cannot be chosen: it needs a sheet id no listing gives.
    let output = fx.backup("folder", &["--format", "sheet=csv"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}
