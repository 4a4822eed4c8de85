//! What the jobs' tests share: a fake tree served on 127.0.0.1, the real `taskapi`
//! binary run against it, and the checks that a folder on disk mirrors the tree;
//! `local.rs` and `migration.rs` for the migrate tests.
#![allow(dead_code)] // each test binary uses a part

pub mod local;
pub mod migration;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use taskapi_jobs::fake::{FakeItem, FakeTree, Source, TreeOptions};

/// The client-side limits the tests run at: 30 times each documented limit, so that a
/// run of a few hundred items takes seconds (the rate-limit test sets its own).
pub const FAST: &str = "30";

/// A fake tree on its own server.
pub struct Fixture {
    pub server: taskapi::testing::FakeServer,
    pub tree: FakeTree,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub async fn new(options: TreeOptions) -> Fixture {
        let server = taskapi::testing::FakeServer::start().await.unwrap();
        let tree = FakeTree::new(options);
        tree.install(&server);
        Fixture {
            server,
            tree,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The backup's folder.
    pub fn target(&self) -> PathBuf {
        self.dir.path().join("backup")
    }

    /// `taskapi --base-url .. --rate-limit <limits> backup <which> <id> <DIR> <extra>`.
    pub fn command(&self, which: &str, limits: &str, extra: &[&str]) -> tokio::process::Command {
        let id = match which {
            "folder" => FakeTree::ROOT_FOLDER,
            _ => FakeTree::SPACE_ID,
        };
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"));
        command
            .args(["--base-url", &self.server.uri(), "--rate-limit", limits])
            .args(["backup", which, id])
            .arg(self.target())
            .args(extra)
            .env("FEISHU_ACCESS_TOKEN", "t-backup-test")
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET")
            .env_remove("TASKAPI_REDIS_URL")
            .kill_on_drop(true);
        command
    }

    /// Runs a backup to its end.
    pub async fn backup(&self, which: &str, extra: &[&str]) -> Output {
        self.command(which, FAST, extra).output().await.unwrap()
    }

    /// `taskapi backup status <DIR> --json`, parsed.
    pub async fn status(&self) -> serde_json::Value {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"))
            .args(["backup", "status"])
            .arg(self.target())
            .arg("--json")
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// Exit code, stdout and stderr, for messages.
pub fn text(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The format an item of `kind` is exported to by default.
pub fn default_format(kind: &str) -> Option<&'static str> {
    match kind {
        "doc" | "docx" => Some("docx"),
        "sheet" | "bitable" => Some("xlsx"),
        _ => None,
    }
}

/// What the record says of each item, by id.
pub fn recorded(status: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    status["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["id"].as_str().unwrap().to_owned(), item.clone()))
        .collect()
}

/// Checks that `dir` mirrors the live items of `source` in `tree`: every document exported
/// and every file downloaded byte for byte at its recorded path, each item's file inside
/// the directory of its parent, folders as directories, the rest skipped with a reason;
/// and nothing else in the folder (no temporary file, nothing outside). Returns the number
/// of files checked.
pub fn check_mirror(
    tree: &FakeTree,
    source: Source,
    dir: &Path,
    status: &serde_json::Value,
) -> usize {
    let record = recorded(status);
    let mut expected_files = HashSet::new();
    let mut checked = 0;
    for item in tree
        .items()
        .iter()
        .filter(|i| i.source == source && !i.deleted)
    {
        if !listed(tree, item) {
            continue;
        }
        let Some(entry) = record.get(&item.token) else {
            panic!("{} ({}) is not in the record", item.token, item.kind);
        };
        let state = entry["state"].as_str().unwrap();
        let expected = if item.shortcut {
            None
        } else if item.kind == "file" {
            tree.file_content(&item.obj_token)
        } else {
            default_format(&item.kind).and_then(|f| tree.export_content(&item.obj_token, f))
        };
        match expected {
            Some(bytes) => {
                assert_eq!(state, "done", "{}: {entry}", item.token);
                let path = entry["path"].as_str().unwrap();
                let on_disk = std::fs::read(dir.join(path)).unwrap();
                assert!(
                    on_disk == bytes,
                    "{path}: the bytes differ from what was served"
                );
                assert_eq!(entry["bytes"].as_u64(), Some(bytes.len() as u64));
                expected_files.insert(dir.join(path));
                checked += 1;
                // Mirrored: the file sits in its parent's directory.
                let parent_dir = item
                    .parent
                    .as_ref()
                    .and_then(|p| record.get(p))
                    .and_then(|p| p["dir"].as_str())
                    .unwrap_or("");
                let file_dir = Path::new(path).parent().unwrap().to_str().unwrap();
                assert_eq!(file_dir, parent_dir, "{path} is not in its parent's folder");
            }
            None if item.kind == "folder" => {
                assert_eq!(state, "folder");
                assert!(dir.join(entry["dir"].as_str().unwrap()).is_dir());
            }
            None => {
                assert_eq!(state, "skipped", "{}: {entry}", item.token);
                assert!(!entry["reason"].as_str().unwrap_or("").is_empty());
            }
        }
        if item.has_children && !item.shortcut {
            assert!(dir.join(entry["dir"].as_str().unwrap()).is_dir(), "{entry}");
        }
    }
    for file in walk(dir) {
        if file.starts_with(dir.join(".taskapi")) {
            continue;
        }
        assert!(
            expected_files.contains(&file),
            "unexpected file {}",
            file.display()
        );
    }
    let temp: Vec<_> = std::fs::read_dir(dir.join(".taskapi/tmp"))
        .unwrap()
        .collect();
    assert!(temp.is_empty(), "temporary files left: {temp:?}");
    checked
}

/// Whether a backup of the whole tree lists `item`: every ancestor is a live folder or a
/// node with children (none a shortcut).
fn listed(tree: &FakeTree, item: &FakeItem) -> bool {
    let items = tree.items();
    let mut parent = item.parent.clone();
    while let Some(p) = parent {
        if p == FakeTree::ROOT_FOLDER {
            return true;
        }
        match items.iter().find(|i| i.token == p) {
            Some(up) if !up.deleted && !up.shortcut => parent = up.parent.clone(),
            _ => return false,
        }
    }
    true
}

/// Every file under `dir`, recursively.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files
}

/// Checks that no window of any endpoint in `stats` holds more calls than its documented
/// limit (read from the specs) times `scale`; returns how many limited endpoints were
/// called.
pub fn check_windows(stats: &taskapi::runtime::testing::FakeStats, scale: u32) -> usize {
    let root = codegen::workspace_root().unwrap();
    let (set, problems) = codegen::load::load(&root, "specs");
    assert!(problems.is_empty(), "{problems}");
    let model = codegen::model::build(&set);
    let mut checked = 0;
    for endpoint in model.providers.iter().flat_map(|p| &p.endpoints) {
        let (Some(limit), Some(arrivals)) = (&endpoint.limit, stats.arrivals_ms.get(&endpoint.id))
        else {
            continue;
        };
        let mut at: Vec<u32> = arrivals.clone();
        at.sort_unstable();
        checked += 1;
        // Windows of a second and of a minute; the limiter spaces calls evenly (no burst),
        // so a per-minute limit holds within every second too, with one call of margin.
        let windows = [
            (1_000, limit.per_second.map(|n| n * scale)),
            (60_000, limit.per_minute.map(|n| n * scale)),
            (
                1_000,
                limit.per_minute.map(|n| (n * scale).div_ceil(60) + 1),
            ),
        ];
        for (width, allowed) in windows {
            let Some(allowed) = allowed else { continue };
            for (i, start) in at.iter().enumerate() {
                let inside = at[i..].iter().take_while(|t| **t < start + width).count();
                assert!(
                    inside as u32 <= allowed,
                    "{}: {inside} calls within {width} ms from {start} ms, limit {allowed}",
                    endpoint.id
                );
            }
        }
    }
    checked
}

/// The crash tests' seed: `TASKAPI_CRASH_SEED`, else a random one; printed, so that a
/// failure can be replayed.
pub fn crash_seed() -> u64 {
    let seed = std::env::var("TASKAPI_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed: {seed} (TASKAPI_CRASH_SEED={seed} replays it)");
    seed
}

/// Runs `command()` and kills it with SIGKILL at a moment drawn from `rng` (30-900 ms),
/// again and again, until a run ends by itself (it must exit with 0), at most `tries`
/// times. Returns the kills (at least one: else the moments were too late to test).
pub async fn kill_until_done(
    mut command: impl FnMut() -> tokio::process::Command,
    rng: &mut fastrand::Rng,
    tries: usize,
) -> usize {
    let mut kills = 0;
    for _ in 0..tries {
        let mut child = command()
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let at = std::time::Duration::from_millis(rng.u64(30..900));
        match tokio::time::timeout(at, child.wait()).await {
            Ok(status) => {
                assert_eq!(status.unwrap().code(), Some(0), "a run ended badly");
                assert!(kills > 0, "no run was killed: the moments are too late");
                eprintln!("{kills} kills before a run finished");
                return kills;
            }
            Err(_) => {
                child.start_kill().unwrap();
                child.wait().await.unwrap();
                kills += 1;
            }
        }
    }
    panic!("no run finished in {tries} tries");
}
