//! The import trial of `docs_import.rs`: a copy of the workspace, drafted specs added, where a
//! nested cargo generates, builds and tests the client as a person would after filling the
//! `TODO`s of an imported page.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A copy of the workspace at `<target>/import-trial/copy/main`, without its build output and
/// history, and the target dir its builds share.
///
/// The copy's path is the same every run, not a fresh temp dir: cargo names a workspace
/// crate's artifacts by its path, so each new path would leave another full set of test
/// binaries (gigabytes) in the target dir. The copy is removed when the trial passes and kept
/// for a look when it fails; the next trial starts from a new one.
pub struct Trial {
    dir: PathBuf,
    pub root: PathBuf,
    /// Kept between trials: dependencies compile once.
    target: PathBuf,
}

impl Trial {
    /// The copy's target dir (where its fault matrix test writes its table).
    pub fn target(&self) -> &Path {
        &self.target
    }

    pub fn new(real_root: &Path) -> Trial {
        let target = target_dir(real_root).join("import-trial");
        let dir = target.join("copy");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        let root = dir.join("main");
        std::fs::create_dir_all(&root).unwrap();
        // Everything but `target/` (large, and rebuilt in a target dir of its own) and
        // `.git`: whatever the workspace members read, now or later, is there.
        for entry in std::fs::read_dir(real_root).unwrap() {
            let from = entry.unwrap().path();
            let name = from.file_name().unwrap();
            if name == "target" || name == ".git" {
                continue;
            }
            let to = root.join(name);
            let copied = if from.is_dir() {
                codegen::copy_dir(&from, &to)
            } else {
                std::fs::copy(&from, &to).map(drop)
            };
            copied.unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
        }
        // No test run here reads `../shared` today; one that starts to finds it as in CI.
        let shared = real_root.join("../shared");
        if shared.is_dir() {
            std::os::unix::fs::symlink(&shared, dir.join("shared")).unwrap();
        }
        Trial { dir, root, target }
    }

    /// Runs `cargo <args>` (split at spaces) in the copy and returns its stdout; a failure
    /// panics with what it says about why. The whole output goes to
    /// `<target>/import-trial/<step>.log`.
    pub fn cargo(&self, step: &str, args: &str, env: &[(&str, &str)]) -> String {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(args.split(' '))
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            // Its binaries are run, never debugged: line tables keep backtraces readable at
            // a fraction of the disk and link time of full debug info. The copy's sources are
            // new files every trial, so incremental caches (a gigabyte) would buy little.
            .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
            .env("CARGO_INCREMENTAL", "0")
            .envs(env.iter().copied());
        // What cargo set for this test describes this package of the real checkout; the
        // nested cargo sets its own for what it runs, but an inherited one it does not
        // set (a `CARGO_BIN_EXE_*`, say) would point back at the real checkout.
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_some_and(set_for_this_test) {
                command.env_remove(key);
            }
        }
        let started = Instant::now();
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("{step}: cargo does not run: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        std::fs::create_dir_all(&self.target).unwrap();
        let log = self.target.join(format!("{}.log", step.replace(' ', "-")));
        std::fs::write(
            &log,
            format!("$ cargo {args}\n{stdout}\n--- stderr\n{stderr}"),
        )
        .unwrap();
        eprintln!(
            "import trial: {step}: {} in {:.0} s",
            output.status,
            started.elapsed().as_secs_f64()
        );
        assert!(
            output.status.success(),
            "import trial: {step}: `cargo {args}` failed ({}) in {}; all of it in {}\n{}",
            output.status,
            self.root.display(),
            log.display(),
            summary(&stdout, &stderr),
        );
        stdout
    }
}

impl Drop for Trial {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// What a failed cargo run says about why, without its progress and backtraces: each test's
/// panic message, the first compiler errors, the end of stderr.
fn summary(stdout: &str, stderr: &str) -> String {
    let mut out = Vec::new();
    let lines: Vec<&str> = stdout.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("thread '") && line.contains("panicked at") {
            let message = lines[i + 1..]
                .iter()
                .take_while(|l| **l != "stack backtrace:" && !l.starts_with("note: "))
                .take(6);
            out.extend(std::iter::once(*line).chain(message.copied()));
        }
    }
    let errors: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("error"))
        .take(60)
        .collect();
    out.push("--- stderr from its first error");
    out.extend(errors);
    out.push("--- stderr (tail)");
    let tail: Vec<&str> = stderr.lines().collect();
    out.extend(&tail[tail.len().saturating_sub(15)..]);
    out.join("\n")
}

/// The variables cargo sets for a test binary about its package and target (and
/// `CARGO_TARGET_DIR`, replaced by the trial's own).
fn set_for_this_test(key: &str) -> bool {
    const NAMES: [&str; 8] = [
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "CARGO_TARGET_DIR",
    ];
    NAMES.contains(&key) || key.starts_with("CARGO_PKG_") || key.starts_with("CARGO_BIN_EXE_")
}

/// The target dir this test was built in: the nearest directory above the test binary with
/// the `CACHEDIR.TAG` cargo puts at a target dir's root; else `CARGO_TARGET_DIR`, else
/// `<root>/target`.
fn target_dir(real_root: &Path) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(|dir| real_root.join(dir)))
        .unwrap_or_else(|| real_root.join("target"))
}

/// Whether the `--help` of a CLI lists `command` as a subcommand.
pub fn lists_command(help: &str, command: &str) -> bool {
    help.lines()
        .any(|line| line.split_whitespace().next() == Some(command))
}

/// A copy of the first paginated spec under `specs` as a new endpoint: its id's last
/// segment, its operation and its type names get a `_copy`/`Copy` suffix and its path a
/// `/copy` segment, nothing else changes. Written beside it; returns its id and operation.
pub fn add_paginated_copy(specs: &Path) -> (String, String) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(specs.join("feishu/endpoints"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (file, text) = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .find(|(_, text)| text.lines().any(|l| l == "pagination:"))
        .expect("a paginated spec");
    let mut id = String::new();
    let mut operation = String::new();
    let copied: Vec<String> = text
        .lines()
        .map(|line| {
            if let Some(old) = line.strip_prefix("id: ") {
                id = format!("{old}_copy");
                format!("id: {id}")
            } else if let Some(old) = line.strip_prefix("path: ") {
                // Two endpoints cannot share a method and path.
                format!("path: {old}/copy")
            } else if let Some(old) = line.strip_prefix("operation: ") {
                operation = format!("{old}_copy");
                format!("operation: {operation}")
            } else {
                type_name_copied(line)
            }
        })
        .collect();
    let name = file.file_stem().unwrap().to_str().unwrap();
    std::fs::write(
        file.with_file_name(format!("{name}_copy.yaml")),
        copied.join("\n") + "\n",
    )
    .unwrap();
    (id, operation)
}

/// `name: Type` (a type or enum value name: capitalised) as `name: TypeCopy`.
fn type_name_copied(line: &str) -> String {
    match line.find("name: ") {
        Some(at)
            if line[at + 6..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase()) =>
        {
            let end = line[at + 6..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(line.len(), |n| at + 6 + n);
            format!("{}Copy{}", &line[..end], &line[end..])
        }
        _ => line.to_owned(),
    }
}
