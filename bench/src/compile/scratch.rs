//! The scratch workspace a compile measurement builds in: the client crate as a generator
//! wrote it, the runtime it depends on, the lock file of the tree it came from, and two apps
//! that depend on it, one with a single API family and one with the defaults (every family).

use std::path::{Path, PathBuf};

/// The app that turns the defaults off and names one family.
pub const APP_ONE: &str = "app-one-family";
/// The app with the defaults: every family.
pub const APP_ALL: &str = "app-all-families";

/// A scratch workspace under `dir`, from the checkout or revision at `tree`.
pub struct Scratch {
    pub dir: PathBuf,
    /// Its copy of the client crate (`generated/`).
    pub krate: PathBuf,
}

impl Scratch {
    /// Copies `tree`'s runtime, client crate and lock file into `dir`; with `family`, adds
    /// the two apps, the first naming only that family.
    pub fn new(tree: &Path, dir: &Path, family: Option<&str>) -> Result<Scratch, String> {
        let manifest = read(&tree.join("Cargo.toml"))?;
        let members = manifest
            .lines()
            .find(|l| l.starts_with("members"))
            .ok_or("no members line in Cargo.toml")?;
        let ours = match family {
            Some(_) => format!("members = [\"generated\", \"{APP_ONE}\", \"{APP_ALL}\"]"),
            None => "members = [\"generated\"]".to_owned(),
        };
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        write(&dir.join("Cargo.toml"), &manifest.replace(members, &ours))?;
        copy(&tree.join("Cargo.lock"), &dir.join("Cargo.lock"))?;
        // The runtime the client crate depends on (a path dependency of the workspace).
        copy_crate(tree, dir, "runtime")?;
        copy_crate(tree, dir, "generated")?;
        // The manifest names its examples (`[[example]]`): cargo refuses it without them.
        let examples = tree.join("generated/examples");
        if examples.is_dir() {
            codegen::copy_dir(&examples, &dir.join("generated/examples"))
                .map_err(|e| e.to_string())?;
        }
        if let Some(family) = family {
            let features = format!("default-features = false, features = [\"{family}\"]");
            app(dir, APP_ONE, &features)?;
            app(dir, APP_ALL, "")?;
        }
        Ok(Scratch {
            dir: dir.to_path_buf(),
            krate: dir.join("generated"),
        })
    }

    /// Rewrites the client crate's root unchanged: cargo then builds that crate again (and
    /// what depends on it), nothing else.
    pub fn touch(&self) -> Result<(), String> {
        let lib = self.krate.join("src/lib.rs");
        write(&lib, &read(&lib)?)
    }
}

/// `cargo <args>` in `scratch`, with its own target dir; the seconds it took.
///
/// Incremental compilation is off: cargo builds a dependency from a registry that way, so
/// this is what an app pays for the client crate (and a touched crate root re-checked
/// incrementally would mostly measure the incremental cache, not the code).
pub fn cargo(scratch: &Path, target: &Path, args: &[&str]) -> Result<f64, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = std::time::Instant::now();
    let status = std::process::Command::new(cargo)
        .args(args)
        .args(["--quiet", "--offline"])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-A warnings")
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "cargo {} failed in {}",
            args.join(" "),
            scratch.display()
        ));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// An app that uses the client crate with `features` (a dependency's keys, or nothing).
fn app(dir: &Path, name: &str, features: &str) -> Result<(), String> {
    let app = dir.join(name);
    std::fs::create_dir_all(app.join("src")).map_err(|e| e.to_string())?;
    let comma = if features.is_empty() { "" } else { ", " };
    write(
        &app.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ntaskapi = {{ path = \"../generated\"{comma}{features} }}\n"
        ),
    )?;
    write(
        &app.join("src/main.rs"),
        "fn main() {\n    println!(\"{}\", taskapi::runtime::DEFAULT_MAX_IN_FLIGHT);\n}\n",
    )
}

fn copy_crate(tree: &Path, dir: &Path, name: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir.join(name)).map_err(|e| e.to_string())?;
    copy(
        &tree.join(name).join("Cargo.toml"),
        &dir.join(name).join("Cargo.toml"),
    )?;
    codegen::copy_dir(&tree.join(name).join("src"), &dir.join(name).join("src"))
        .map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{}: {e}", from.display()))
}
