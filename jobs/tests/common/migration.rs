//! What the migrate tests share: a writable fake Drive on its own server, the real
//! `taskapi migrate` run against it, and the check that a local tree arrived exactly once.

use super::local::LocalFile;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::process::Output;
use taskapi_jobs::fake::{FakeItem, FakeTree, FakeUploads, Source, TreeOptions};

/// An empty writable Drive folder on its own server, and a local folder to migrate.
pub struct Migration {
    pub server: taskapi::testing::FakeServer,
    pub tree: FakeTree,
    /// What arrived, uploads of every kind.
    pub uploads: FakeUploads,
    pub dir: tempfile::TempDir,
}

impl Migration {
    pub async fn new() -> Migration {
        let server = taskapi::testing::FakeServer::start().await.unwrap();
        let tree = FakeTree::new(TreeOptions {
            items: 0,
            hostile_titles: false,
            ..TreeOptions::default()
        });
        let uploads = tree.install_writable(&server);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("source")).unwrap();
        Migration {
            server,
            tree,
            uploads,
            dir,
        }
    }

    /// The local folder migrated.
    pub fn source(&self) -> PathBuf {
        self.dir.path().join("source")
    }

    /// `taskapi --base-url .. --rate-limit <limits> migrate folder <DIR> <ROOT> <extra>`.
    pub fn command(&self, limits: &str, extra: &[&str]) -> tokio::process::Command {
        self.command_into("folder", FakeTree::ROOT_FOLDER, limits, extra)
    }

    /// `taskapi .. migrate <which> <DIR> <target> <extra>`: `folder` or `wiki`.
    pub fn command_into(
        &self,
        which: &str,
        target: &str,
        limits: &str,
        extra: &[&str],
    ) -> tokio::process::Command {
        self.command_for(&self.source(), which, target, limits, extra)
    }

    /// Runs `migrate <which> <dir> <target> <extra>` on a folder of the test's choosing.
    pub async fn run_in(
        &self,
        dir: &std::path::Path,
        which: &str,
        target: &str,
        extra: &[&str],
    ) -> Output {
        self.command_for(dir, which, target, super::FAST, extra)
            .output()
            .await
            .unwrap()
    }

    fn command_for(
        &self,
        dir: &std::path::Path,
        which: &str,
        target: &str,
        limits: &str,
        extra: &[&str],
    ) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"));
        command
            .args(["--base-url", &self.server.uri(), "--rate-limit", limits])
            .args(["migrate", which])
            .arg(dir)
            .arg(target)
            .args(extra)
            .env("FEISHU_ACCESS_TOKEN", "t-migrate-test")
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET")
            .env_remove("TASKAPI_REDIS_URL")
            .kill_on_drop(true);
        command
    }

    /// Runs a migration to its end, at the tests' fast limits.
    pub async fn run(&self, extra: &[&str]) -> Output {
        self.command(super::FAST, extra).output().await.unwrap()
    }

    /// `taskapi migrate status <DIR> --json`, parsed.
    pub async fn status(&self) -> serde_json::Value {
        let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_taskapi"))
            .args(["migrate", "status"])
            .arg(self.source())
            .arg("--json")
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", super::text(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// The record's entry for `path`.
pub fn entry(status: &serde_json::Value, path: &str) -> serde_json::Value {
    status["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not in the record"))
        .clone()
}

/// Checks that every local file and folder is in the fake Drive exactly once, under the
/// remote folder of its local parent: a folder for each folder, the file's bytes for each
/// plain file, a document imported from the file's bytes for each import (of the type its
/// extension makes); and that nothing else is there (no duplicate, no record file).
/// Returns the items by local path.
pub fn check_arrived(
    tree: &FakeTree,
    files: &BTreeMap<String, LocalFile>,
    folders: &[String],
) -> HashMap<String, FakeItem> {
    check_arrived_in(tree, Source::Drive, files, folders)
}

/// [`check_arrived`] in the Drive tree or in the wiki space (where a folder is a `docx`
/// node, and the Drive holds only the run's staging folder, empty).
pub fn check_arrived_in(
    tree: &FakeTree,
    source: Source,
    files: &BTreeMap<String, LocalFile>,
    folders: &[String],
) -> HashMap<String, FakeItem> {
    let all = tree.items();
    let folder_kind = match source {
        Source::Drive => "folder",
        Source::Wiki => {
            let drive: Vec<&FakeItem> = all
                .iter()
                .filter(|i| i.source == Source::Drive && !i.deleted)
                .collect();
            assert!(
                drive.len() == 1 && drive[0].kind == "folder",
                "the Drive holds more than the staging folder: {drive:?}"
            );
            "docx"
        }
    };
    let items: Vec<FakeItem> = all
        .into_iter()
        .filter(|i| i.source == source && !i.deleted)
        .collect();
    let by_token: HashMap<&str, &FakeItem> = items.iter().map(|i| (i.token.as_str(), i)).collect();
    // Each item's path of titles from the root.
    let path_of = |item: &FakeItem| -> String {
        let mut parts = vec![item.title.clone()];
        let mut parent = item.parent.clone();
        while let Some(p) = parent.filter(|p| p != FakeTree::ROOT_FOLDER) {
            let up = by_token[p.as_str()];
            parts.push(up.title.clone());
            parent = up.parent.clone();
        }
        parts.reverse();
        parts.join("/")
    };
    let mut seen = HashSet::new();
    let mut remote: HashMap<String, &FakeItem> = HashMap::new();
    for item in &items {
        let key = (path_of(item), item.kind.clone());
        assert!(seen.insert(key.clone()), "{key:?} is in the Drive twice");
        remote.insert(format!("{}\t{}", key.0, key.1), item);
    }
    let mut arrived = HashMap::new();
    for folder in folders {
        let item = remote
            .get(&format!("{folder}\t{folder_kind}"))
            .unwrap_or_else(|| panic!("folder {folder} did not arrive"));
        arrived.insert(folder.clone(), (*item).clone());
    }
    for (path, file) in files {
        let (dir, name) = match path.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), name),
            None => (String::new(), path.as_str()),
        };
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let imported = match ext {
            "docx" | "md" | "txt" | "html" => Some("docx"),
            "xlsx" | "csv" | "xls" => Some("sheet"),
            _ => None,
        };
        let twin = files.keys().any(|other| {
            other != path
                && other.rsplit_once('.').map(|(s, _)| s) == Some(&format!("{dir}{stem}")[..])
        });
        let expected = match imported {
            Some(kind) if file.len <= limit(ext) => {
                let title = if twin { name } else { stem };
                format!("{dir}{title}\t{kind}")
            }
            _ => format!("{path}\tfile"),
        };
        let item = remote
            .get(&expected)
            .unwrap_or_else(|| panic!("{path} did not arrive as {expected:?}"));
        let content = tree
            .content_of(&item.token)
            .unwrap_or_else(|| panic!("{path}: the fake holds no content for {}", item.token));
        assert_eq!(content.len, file.len, "{path}: length");
        assert!(content.sha256 == file.sha256, "{path}: the bytes differ");
        arrived.insert(path.clone(), (*item).clone());
    }
    assert_eq!(
        items.len(),
        files.len() + folders.len(),
        "the Drive holds items that match no local entry"
    );
    arrived
}

/// The import overview's size limit for an extension (sheets).
fn limit(ext: &str) -> u64 {
    const MB: u64 = 1024 * 1024;
    match ext {
        "docx" => 600 * MB,
        "xlsx" => 800 * MB,
        _ => 20 * MB,
    }
}
