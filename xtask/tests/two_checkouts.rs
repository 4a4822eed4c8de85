//! Two checkouts sharing one `CARGO_TARGET_DIR` share the `xtask` binary the first one
//! built. Run in the second checkout, it must read and write the second one: the checkout is
//! found at run time, from the `CARGO_MANIFEST_DIR` cargo sets for `cargo run` or else from
//! the current directory, never from the path the binary was compiled in.
//!
//! The already built binary plays the shared one; a temp copy of what `gen` reads and writes
//! plays the second checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OUTPUT_DIR: &str = codegen::OUTPUT_DIR;
/// Edited by hand in the second checkout (always generated, whatever the specs hold).
const EDITED: &str = "cli.rs";
/// Put in the second checkout's output, which no spec generates.
const STRAY: &str = "stray_by_hand.rs";
const MARK: &str = "// edited by hand in the second checkout\n";

/// The checkout these tests (and the binary) were built from.
fn first_checkout() -> PathBuf {
    codegen::workspace_root().unwrap()
}

/// A second checkout holding what `cargo xtask gen` needs: the workspace manifest, xtask's
/// manifest, `specs/`, the generated output and the generated crate's manifest (whose
/// features block `gen` keeps).
fn second_checkout(first: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("xtask")).unwrap();
    std::fs::create_dir_all(dir.path().join("generated")).unwrap();
    for file in ["Cargo.toml", "xtask/Cargo.toml", "generated/Cargo.toml"] {
        std::fs::copy(first.join(file), dir.path().join(file)).unwrap();
    }
    codegen::copy_dir(&first.join("specs"), &dir.path().join("specs")).unwrap();
    codegen::copy_dir(&first.join(OUTPUT_DIR), &dir.path().join(OUTPUT_DIR)).unwrap();
    dir
}

/// Every file under `dir` with its contents.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Runs the built binary in `cwd`, with `CARGO_MANIFEST_DIR` as given (`None`: unset).
fn xtask(args: &[&str], cwd: &Path, manifest_dir: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).current_dir(cwd);
    match manifest_dir {
        Some(dir) => command.env("CARGO_MANIFEST_DIR", dir),
        None => command.env_remove("CARGO_MANIFEST_DIR"),
    };
    command.output().expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// In the second checkout (run from `cwd` with `manifest_dir`): `gen --check` passes on a
/// fresh output and reports drift made there; `gen` repairs it. The first checkout's output
/// stays as it was.
fn assert_works_on_second_checkout(second: &Path, cwd: &Path, manifest_dir: Option<&Path>) {
    let first = first_checkout();
    let first_before = tree(&first.join(OUTPUT_DIR));
    let out = second.join(OUTPUT_DIR);

    // Whatever state the first checkout is in, the second is made current from its own specs.
    let gen_run = xtask(&["gen"], cwd, manifest_dir);
    assert!(gen_run.status.success(), "{gen_run:?}");
    let check = xtask(&["gen", "--check"], cwd, manifest_dir);
    assert!(check.status.success(), "{check:?}");

    let edited = out.join(EDITED);
    let mut contents = std::fs::read_to_string(&edited).unwrap();
    contents.push_str(MARK);
    std::fs::write(&edited, contents).unwrap();
    std::fs::write(out.join(STRAY), "// left behind\n").unwrap();

    let check = xtask(&["gen", "--check"], cwd, manifest_dir);
    let report = text(&check.stderr);
    assert!(
        !check.status.success(),
        "gen --check missed the second checkout's drift: {check:?}"
    );
    for expected in [
        format!("stale:   {OUTPUT_DIR}/{EDITED}"),
        format!("-{}", MARK.trim_end()),
        format!("extra:   {OUTPUT_DIR}/{STRAY}"),
    ] {
        assert!(report.contains(&expected), "no {expected:?} in:\n{report}");
    }

    let gen_run = xtask(&["gen"], cwd, manifest_dir);
    assert!(gen_run.status.success(), "{gen_run:?}");
    assert!(
        text(&gen_run.stdout).contains("1 written, 1 removed"),
        "{gen_run:?}"
    );
    assert!(!std::fs::read_to_string(&edited).unwrap().contains(MARK));
    assert!(!out.join(STRAY).exists(), "gen left the stray file");
    let check = xtask(&["gen", "--check"], cwd, manifest_dir);
    assert!(check.status.success(), "{check:?}");

    assert!(
        tree(&first.join(OUTPUT_DIR)) == first_before,
        "xtask run in {} changed {}",
        second.display(),
        first.join(OUTPUT_DIR).display()
    );
}

/// `cargo xtask ...` in the second checkout: cargo sets `CARGO_MANIFEST_DIR` to its `xtask/`.
#[test]
fn xtask_gen_works_on_the_checkout_cargo_runs_it_in() {
    let second = second_checkout(&first_checkout());
    assert_works_on_second_checkout(
        second.path(),
        second.path(),
        Some(&second.path().join("xtask")),
    );
}

/// The binary started by hand: no `CARGO_MANIFEST_DIR`, so it walks up from the current
/// directory (here a subdirectory of the second checkout).
#[test]
fn xtask_gen_without_cargo_works_on_the_checkout_around_the_current_directory() {
    let second = second_checkout(&first_checkout());
    assert_works_on_second_checkout(second.path(), &second.path().join("specs/feishu"), None);
}

/// Outside any checkout, and not run by cargo: a clear error, nothing written anywhere.
#[test]
fn xtask_gen_outside_a_checkout_says_it_cannot_find_one() {
    let first = first_checkout();
    let first_before = tree(&first.join(OUTPUT_DIR));
    let nowhere = tempfile::tempdir().unwrap();
    for args in [&["gen", "--check"][..], &["gen"][..]] {
        let run = xtask(args, nowhere.path(), None);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {run:?}");
        let stderr = text(&run.stderr);
        assert!(
            stderr.contains("cannot find the workspace root")
                && stderr.contains(&nowhere.path().display().to_string()),
            "{args:?}: {stderr}"
        );
    }
    assert!(std::fs::read_dir(nowhere.path()).unwrap().next().is_none());
    assert!(tree(&first.join(OUTPUT_DIR)) == first_before);
}
