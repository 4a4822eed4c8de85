//! Generates this crate's `api` module from `specs/` with the real generator, so that
//! `cargo build` compiling it is the test: every awkward name must come out as Rust that
//! compiles (or be refused by validation, which fails the build with its located message).

use std::path::{Path, PathBuf};

fn main() {
    // A build script runs with its package's directory in the environment: not a baked-in path.
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-changed=specs");
    let generated = match codegen::generate_all(&root, "specs") {
        Ok(generated) => generated,
        Err(e) => panic!("the awkward specs do not generate:\n{e}"),
    };
    // The generated code compiles each provider and API family behind its feature; this
    // crate has them all (it cannot declare features its specs make up at build time).
    for feature in &generated.feature_names {
        println!("cargo::rustc-check-cfg=cfg(feature, values({feature:?}))");
        println!("cargo::rustc-cfg=feature={feature:?}");
    }
    let api = out.join("api");
    for file in &generated.files {
        write(&api.join(&file.path), &file.contents);
    }
    // `#[path]` takes a literal, so the module declaration is written here and included.
    write(
        &out.join("api.rs"),
        &format!(
            "#[path = {:?}]\n#[allow(clippy::all, missing_docs)]\npub mod api;\n",
            api.join("mod.rs")
        ),
    );
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("a file in a directory")).expect("mkdir");
    std::fs::write(path, contents).expect("write a generated file");
}
