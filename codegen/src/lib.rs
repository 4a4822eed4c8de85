//! The generator behind `cargo xtask gen`: YAML endpoint specs in, the `taskapi` client
//! crate's API modules out.
//!
//! The pipeline reads top to bottom, each stage in its own module:
//! [`load`] (files -> located YAML -> spec structs) -> [`validate`] (every problem, located)
//! -> [`model`] (Rust names decided) -> [`emit`] (tokens -> formatted source).
//!
//! [`workspace_root`] finds the checkout at run time, for `cargo xtask`, the bench and the
//! tests.

#![forbid(unsafe_code)]

pub mod decode;
pub mod diag;
pub mod docs;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
pub mod path_template;
pub mod reserved;
pub mod resolve;
pub mod spec;
pub mod validate;
pub mod workspace;
pub mod yaml;

pub use diag::{Diagnostic, Diagnostics, Location};
pub use emit::{GEN_COMMAND, GeneratedFile, OUTPUT_DIR};
use std::path::Path;
pub use workspace::{copy_dir, workspace_root};

/// Why generation stopped.
#[derive(Debug)]
pub enum Error {
    /// The specs have problems; each is located.
    Specs(Diagnostics),
    /// The generator produced invalid Rust: a bug here, not in the specs.
    Emit(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Specs(d) => d.fmt(f),
            Error::Emit(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for Error {}

/// What the specs generate: the files of `generated/src/api/`, and the Cargo features of
/// the generated crate (the lines between the markers in `generated/Cargo.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub features: String,
    /// Every feature the generated code tests: each provider's and each family's.
    pub feature_names: Vec<String>,
}

/// Loads, validates and emits: every generated file for the specs under `root/specs_dir`.
pub fn generate(root: &Path, specs_dir: &str) -> Result<Vec<GeneratedFile>, Error> {
    generate_all(root, specs_dir).map(|generated| generated.files)
}

/// As [`generate`], with the crate's features.
pub fn generate_all(root: &Path, specs_dir: &str) -> Result<Generated, Error> {
    let (set, mut problems) = load::load(root, specs_dir);
    problems.extend(validate::validate(&set));
    if !problems.is_empty() {
        problems.sort();
        return Err(Error::Specs(problems));
    }
    let model = model::build(&set);
    let feature_names = model
        .providers
        .iter()
        .map(|p| p.key.clone())
        .chain(emit::families(&model).into_keys())
        .collect();
    Ok(Generated {
        files: emit::emit(&model).map_err(Error::Emit)?,
        features: emit::manifest_block(&model),
        feature_names,
    })
}
