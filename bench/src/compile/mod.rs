//! What the generated code costs its users to compile: `cargo check` of the client crate
//! with N synthetic endpoints beside the real ones, in a temp copy of the workspace.

use crate::stats::Summary;
use crate::synthetic;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub struct CheckResult {
    pub endpoints: usize,
    pub seconds: Summary,
}

/// A workspace holding only the client crate and its runtime, sharing the lock file.
fn scratch_workspace(workspace: &Path, scratch: &Path) -> Result<PathBuf, String> {
    let manifest =
        std::fs::read_to_string(workspace.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .ok_or("no members line in Cargo.toml")?;
    std::fs::write(
        scratch.join("Cargo.toml"),
        manifest.replace(members, "members = [\"generated\"]"),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(workspace.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    // The runtime the client crate depends on (a path dependency of the workspace).
    let runtime = scratch.join("runtime");
    std::fs::create_dir_all(&runtime).map_err(|e| e.to_string())?;
    std::fs::copy(
        workspace.join("runtime/Cargo.toml"),
        runtime.join("Cargo.toml"),
    )
    .map_err(|e| e.to_string())?;
    codegen::copy_dir(&workspace.join("runtime/src"), &runtime.join("src"))
        .map_err(|e| e.to_string())?;
    let krate = scratch.join("generated");
    std::fs::create_dir_all(&krate).map_err(|e| e.to_string())?;
    std::fs::copy(
        workspace.join("generated/Cargo.toml"),
        krate.join("Cargo.toml"),
    )
    .map_err(|e| e.to_string())?;
    codegen::copy_dir(&workspace.join("generated/src"), &krate.join("src"))
        .map_err(|e| e.to_string())?;
    // The manifest names its examples (`[[example]]`): cargo refuses it without their files.
    let examples = workspace.join("generated/examples");
    if examples.is_dir() {
        codegen::copy_dir(&examples, &krate.join("examples")).map_err(|e| e.to_string())?;
    }
    let lib = krate.join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    text.push_str("\npub use api::synthetic;\n");
    std::fs::write(&lib, text).map_err(|e| e.to_string())?;
    Ok(krate)
}

/// Generates the real specs plus `endpoints` synthetic ones into the scratch crate.
fn install(workspace: &Path, krate: &Path, endpoints: usize) -> Result<usize, String> {
    let specs = tempfile::tempdir().map_err(|e| e.to_string())?;
    codegen::copy_dir(&workspace.join("specs"), &specs.path().join("specs"))
        .map_err(|e| e.to_string())?;
    synthetic::write(specs.path(), endpoints).map_err(|e| e.to_string())?;
    let files = codegen::generate(specs.path(), "specs").map_err(|e| e.to_string())?;
    let api = krate.join("src/api");
    let _ = std::fs::remove_dir_all(&api);
    let mut lines = 0;
    for file in &files {
        let path = api.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| e.to_string())?;
        lines += file.contents.lines().count();
    }
    Ok(lines)
}

fn cargo_check(scratch: &Path, target: &Path) -> Result<f64, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let status = Command::new(cargo)
        .args(["check", "--quiet", "--offline", "-p", "taskapi"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-A warnings")
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("cargo check failed in {}", scratch.display()));
    }
    Ok(started.elapsed().as_secs_f64())
}

pub fn run(workspace: &Path, sizes: &[usize], runs: usize) -> Result<Vec<CheckResult>, String> {
    if sizes.is_empty() {
        return Ok(Vec::new());
    }
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let krate = scratch_workspace(workspace, scratch.path())?;
    let target = scratch.path().join("target");
    eprintln!("  compile: building dependencies once (not measured)");
    install(workspace, &krate, sizes.first().copied().unwrap_or(10))?;
    cargo_check(scratch.path(), &target)?;
    let mut results = Vec::new();
    for &size in sizes {
        install(workspace, &krate, size)?;
        // The first check after new files does more than a re-check: not measured.
        cargo_check(scratch.path(), &target)?;
        let mut seconds = Vec::new();
        for _ in 0..runs {
            // Touching the crate root makes cargo check the crate again (and only it).
            let lib = krate.join("src/lib.rs");
            let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
            std::fs::write(&lib, text).map_err(|e| e.to_string())?;
            seconds.push(cargo_check(scratch.path(), &target)?);
        }
        let seconds = Summary::of(seconds);
        eprintln!("  compile: cargo check with {size} synthetic endpoints: {seconds} s");
        results.push(CheckResult {
            endpoints: size,
            seconds,
        });
    }
    Ok(results)
}
