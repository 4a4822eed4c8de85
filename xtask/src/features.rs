//! `cargo xtask features`: the generated crate linted with each of its generated features
//! alone (each provider, each API family) and with none, as an app that turns the defaults
//! off and names one would build it. A family that uses a type of another family it does not
//! enable, or an import only some families use, fails here and nowhere else.
//!
//! The feature names come from the specs (what `gen` writes into `generated/Cargo.toml`), so
//! a new family is checked without any change here.

use std::path::Path;
use std::process::Command;

/// Runs `cargo clippy -p taskapi --no-default-features [--features F] -- -D warnings` for no
/// feature and for each generated one; `extra` goes to cargo (e.g. `--locked`). Returns the
/// summary, or the features that failed.
pub fn check_each(root: &Path, extra: &[&str]) -> Result<String, String> {
    let generated = codegen::generate_all(root, "specs").map_err(|e| e.to_string())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let alone = std::iter::once(None).chain(generated.feature_names.iter().map(Some));
    let mut failed = Vec::new();
    let mut checked = 0;
    for feature in alone {
        let label = feature.map_or("(none)", String::as_str);
        eprintln!("xtask features: taskapi with {label} alone");
        let mut command = Command::new(&cargo);
        command
            .current_dir(root)
            .args([
                "clippy",
                "--quiet",
                "-p",
                "taskapi",
                "--no-default-features",
            ])
            .args(extra);
        if let Some(feature) = feature {
            command.args(["--features", feature]);
        }
        let status = command
            .args(["--", "-D", "warnings"])
            .status()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        checked += 1;
        if !status.success() {
            failed.push(label.to_owned());
        }
    }
    if failed.is_empty() {
        Ok(format!(
            "taskapi: {checked} feature sets build alone without warnings"
        ))
    } else {
        Err(format!(
            "taskapi does not build with only: {}",
            failed.join(", ")
        ))
    }
}
