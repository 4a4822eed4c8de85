//! The generators whose output is measured: this checkout's, run in process, and a git
//! revision's, extracted with `git archive` and run as that revision's own `xtask gen`, so
//! both are measured in one run on one machine.

use crate::synthetic;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where a generator writes: a scratch copy of the client crate.
pub enum Generator {
    /// This checkout's generator.
    Current { workspace: PathBuf },
    /// A revision's tree and its built `xtask`.
    Revision {
        rev: String,
        tree: PathBuf,
        xtask: PathBuf,
    },
}

impl Generator {
    /// Extracts `rev` from the checkout's history into `dir` and builds its `xtask` there
    /// (release, its own target dir under `dir`).
    pub fn revision(workspace: &Path, rev: &str, dir: &Path) -> Result<Generator, String> {
        let tree = dir.join("tree");
        std::fs::create_dir_all(&tree).map_err(|e| e.to_string())?;
        let mut git = Command::new("git")
            .args(["archive", "--format=tar", rev])
            .current_dir(workspace)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let stdout = git.stdout.take().ok_or("no stdout from git")?;
        let tar = Command::new("tar")
            .args(["-x", "-C"])
            .arg(&tree)
            .stdin(stdout)
            .status()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        let archived = git.wait().map_err(|e| e.to_string())?;
        if !archived.success() || !tar.success() {
            return Err(format!("cannot extract revision {rev} (git archive {rev})"));
        }
        let target = dir.join("target");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        eprintln!("  compile: building the generator of {rev} (not measured)");
        let built = Command::new(cargo)
            .args(["build", "--quiet", "--release", "-p", "xtask"])
            .current_dir(&tree)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| e.to_string())?;
        if !built.success() {
            return Err(format!("cannot build the generator of {rev}"));
        }
        Ok(Generator::Revision {
            rev: rev.to_owned(),
            tree,
            xtask: target.join("release/xtask"),
        })
    }

    /// The tree the scratch workspace copies its runtime, manifests and lock from.
    pub fn tree(&self) -> &Path {
        match self {
            Generator::Current { workspace } => workspace,
            Generator::Revision { tree, .. } => tree,
        }
    }

    /// What the report calls it.
    pub fn label(&self) -> String {
        match self {
            Generator::Current { .. } => "this checkout".to_owned(),
            Generator::Revision { rev, .. } => format!("`{rev}`"),
        }
    }

    /// Generates the real specs plus `endpoints` synthetic ones into `krate` (its `src/api/`
    /// and, where the generator has one, its manifest's features block); the lines written.
    pub fn install(&self, krate: &Path, endpoints: usize) -> Result<usize, String> {
        let lines = match self {
            Generator::Current { workspace } => install_current(workspace, krate, endpoints)?,
            Generator::Revision { tree, xtask, .. } => {
                install_revision(tree, xtask, krate, endpoints)?
            }
        };
        // A crate root that names its providers does not name the synthetic one.
        let lib = krate.join("src/lib.rs");
        let mut text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        if !text.contains("pub use api::*;") && !text.contains("pub use api::synthetic;") {
            text.push_str("\npub use api::synthetic;\n");
            std::fs::write(&lib, text).map_err(|e| e.to_string())?;
        }
        Ok(lines)
    }
}

fn install_current(workspace: &Path, krate: &Path, endpoints: usize) -> Result<usize, String> {
    let specs = tempfile::tempdir().map_err(|e| e.to_string())?;
    codegen::copy_dir(&workspace.join("specs"), &specs.path().join("specs"))
        .map_err(|e| e.to_string())?;
    synthetic::write(specs.path(), endpoints).map_err(|e| e.to_string())?;
    let generated = codegen::generate_all(specs.path(), "specs").map_err(|e| e.to_string())?;
    let api = krate.join("src/api");
    let _ = std::fs::remove_dir_all(&api);
    let mut lines = 0;
    for file in &generated.files {
        let path = api.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| e.to_string())?;
        lines += file.contents.lines().count();
    }
    let manifest_path = krate.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| e.to_string())?;
    let manifest = codegen::emit::with_features_block(&manifest, &generated.features)
        .ok_or("the client crate's manifest has no features block")?;
    std::fs::write(&manifest_path, manifest).map_err(|e| e.to_string())?;
    Ok(lines)
}

fn install_revision(
    tree: &Path,
    xtask: &Path,
    krate: &Path,
    endpoints: usize,
) -> Result<usize, String> {
    let _ = std::fs::remove_dir_all(tree.join("specs/synthetic"));
    synthetic::write(tree, endpoints).map_err(|e| e.to_string())?;
    let output = Command::new(xtask)
        .arg("gen")
        .current_dir(tree)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "the revision's generator refused the specs:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let api = krate.join("src/api");
    let _ = std::fs::remove_dir_all(&api);
    codegen::copy_dir(&tree.join(codegen::OUTPUT_DIR), &api).map_err(|e| e.to_string())?;
    std::fs::copy(tree.join("generated/Cargo.toml"), krate.join("Cargo.toml"))
        .map_err(|e| e.to_string())?;
    lines_under(&api)
}

/// The lines of the `.rs` files under `dir`.
fn lines_under(dir: &Path) -> Result<usize, String> {
    let mut lines = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
                lines += text.lines().count();
            }
        }
    }
    Ok(lines)
}
