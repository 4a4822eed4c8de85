//! Finding the workspace (the checkout holding `specs/` and `generated/`) at run time.
//!
//! Tools and tests must not use the compile-time `env!("CARGO_MANIFEST_DIR")`: two
//! checkouts sharing one `CARGO_TARGET_DIR` reuse the binary the first one built, and it
//! would then read and write the first checkout. `cargo run` and `cargo test` set
//! `CARGO_MANIFEST_DIR` in the process's environment to the package being run, in the
//! checkout cargo was started in; without it (a binary started by hand) the current
//! directory is used.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The workspace root: the nearest directory, at or above the run-time `CARGO_MANIFEST_DIR`
/// (else the current directory), whose `Cargo.toml` has a `[workspace]` table.
pub fn workspace_root() -> Result<PathBuf, String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR");
    let current_dir = std::env::current_dir().ok();
    find_root(manifest_dir.as_deref(), current_dir.as_deref())
}

/// [`workspace_root`] with its inputs given: the first of `manifest_dir` and `current_dir`
/// that lies in a workspace decides.
pub fn find_root(
    manifest_dir: Option<&OsStr>,
    current_dir: Option<&Path>,
) -> Result<PathBuf, String> {
    let manifest_dir = manifest_dir.filter(|d| !d.is_empty()).map(Path::new);
    if let Some(root) = manifest_dir.and_then(root_above) {
        return Ok(root);
    }
    if let Some(root) = current_dir.and_then(root_above) {
        return Ok(root);
    }
    let searched = [
        manifest_dir.map(|d| format!("CARGO_MANIFEST_DIR ({})", d.display())),
        current_dir.map(|d| format!("the current directory ({})", d.display())),
    ];
    let searched: Vec<String> = searched.into_iter().flatten().collect();
    Err(format!(
        "cannot find the workspace root: no Cargo.toml with a [workspace] table at or above {}; \
         run this from inside the checkout (or through cargo)",
        if searched.is_empty() {
            "CARGO_MANIFEST_DIR or the current directory (neither is set)".to_owned()
        } else {
            searched.join(" or ")
        }
    ))
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a workspace.
fn root_above(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| declares_workspace(&manifest))
        })
        .map(Path::to_path_buf)
}

/// Whether a manifest has a `[workspace]` table (also implied by `[workspace.package]` and
/// the like).
fn declares_workspace(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let line = line.split('#').next().unwrap_or_default();
        let header: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        header == "[workspace]" || (header.starts_with("[workspace.") && header.ends_with(']'))
    })
}

/// Copies the tree `from` into `to` (created as needed): how xtask's, the bench's and the
/// tests' scratch checkouts are made from parts of this one.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_tables_are_recognised() {
        assert!(declares_workspace("[workspace]\nmembers = []\n"));
        assert!(declares_workspace("[ workspace ] # the root\n"));
        assert!(declares_workspace(
            "[workspace.package]\nedition = \"2024\"\n"
        ));
        assert!(!declares_workspace(
            "[package]\nname = \"x\"\nworkspace = \"..\"\n"
        ));
        assert!(!declares_workspace("# [workspace]\n[dependencies]\n"));
        assert!(!declares_workspace("[workspaces]\n"));
    }

    #[test]
    fn manifest_dir_first_then_current_dir_then_a_clear_error() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        for dir in [a.path(), b.path()] {
            std::fs::create_dir_all(dir.join("member/src")).unwrap();
            std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
            std::fs::write(dir.join("member/Cargo.toml"), "[package]\n").unwrap();
        }
        let a_member = a.path().join("member");
        let b_src = b.path().join("member/src");
        assert_eq!(
            find_root(Some(a_member.as_os_str()), Some(&b_src)).unwrap(),
            a.path()
        );
        assert_eq!(find_root(None, Some(&b_src)).unwrap(), b.path());
        assert_eq!(
            find_root(Some(OsStr::new("")), Some(&b_src)).unwrap(),
            b.path()
        );

        let nowhere = tempfile::tempdir().unwrap();
        let error = find_root(Some(nowhere.path().as_os_str()), Some(nowhere.path())).unwrap_err();
        assert!(
            error.starts_with("cannot find the workspace root")
                && error.contains(&nowhere.path().display().to_string()),
            "{error}"
        );
        assert!(
            find_root(None, None)
                .unwrap_err()
                .contains("neither is set")
        );
    }
}
