//! A local folder to migrate: a seeded tree of files of every kind the migration sorts
//! (imports of each type, plain files, files over the one-request limit), and its hashes.

use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// One request's limit: files above it go in parts.
pub const ONE_REQUEST_MAX: u64 = 20 * 1024 * 1024;

/// Extensions the tree's files take, imports and plain files alike.
const EXTENSIONS: &[&str] = &[
    "docx", "md", "txt", "html", "xlsx", "csv", "xls", "jpg", "pdf", "bin",
];

/// A local file written by [`make_tree`].
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Its path under the tree, `/`-separated.
    pub path: String,
    pub len: u64,
    pub sha256: [u8; 32],
}

/// Writes about `files` files (and folders up to three deep) under `root`, seeded; with
/// `large`, also two files over the one-request limit: a plain file and an import source.
/// Returns the files and the folders, by path.
pub fn make_tree(
    root: &Path,
    seed: u64,
    files: usize,
    large: bool,
) -> (BTreeMap<String, LocalFile>, Vec<String>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut folders: Vec<String> = Vec::new();
    for i in 0..(files / 12).max(2) {
        let parent = if folders.is_empty() || rng.u8(..3) == 0 {
            String::new()
        } else {
            let p = folders[rng.usize(..folders.len())].clone();
            if p.matches('/').count() >= 2 {
                String::new()
            } else {
                format!("{p}/")
            }
        };
        folders.push(format!("{parent}dir {i}"));
    }
    for folder in &folders {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    let mut out = BTreeMap::new();
    for i in 0..files {
        let ext = EXTENSIONS[i % EXTENSIONS.len()];
        let dir = if rng.u8(..4) == 0 {
            String::new()
        } else {
            format!("{}/", folders[rng.usize(..folders.len())])
        };
        let path = format!("{dir}file {i}.{ext}");
        let len = rng.u64(1..4096);
        write(root, &path, len, &mut rng, &mut out);
    }
    // Two siblings that would import to the same name keep their extensions.
    write(root, "twin.md", 100, &mut rng, &mut out);
    write(root, "twin.docx", 100, &mut rng, &mut out);
    if large {
        write(
            root,
            "large/archive.bin",
            ONE_REQUEST_MAX + 3 * 1024 * 1024 + 7,
            &mut rng,
            &mut out,
        );
        write(
            root,
            "large/report.docx",
            ONE_REQUEST_MAX + 1024 * 1024 + 3,
            &mut rng,
            &mut out,
        );
        folders.push("large".into());
    }
    (out, folders)
}

fn write(
    root: &Path,
    path: &str,
    len: u64,
    rng: &mut fastrand::Rng,
    out: &mut BTreeMap<String, LocalFile>,
) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    let mut bytes = vec![0u8; len as usize];
    rng.fill(&mut bytes);
    std::fs::write(&full, &bytes).unwrap();
    out.insert(
        path.to_owned(),
        LocalFile {
            path: path.to_owned(),
            len,
            sha256: Sha256::digest(&bytes).into(),
        },
    );
}
