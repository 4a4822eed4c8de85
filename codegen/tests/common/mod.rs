//! Shared by the spec tests: a temp workspace holding a copy of the real specs.

#![allow(dead_code)] // each test binary uses a different subset

use codegen::{Error, generate};
use std::path::PathBuf;

pub fn real_specs() -> PathBuf {
    codegen::workspace_root().unwrap().join("specs")
}

/// A temp workspace root holding a copy of the real specs.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        codegen::copy_dir(&real_specs(), &dir.path().join("specs")).unwrap();
        Workspace { dir }
    }

    pub fn path(&self, spec: &str) -> PathBuf {
        self.dir.path().join("specs").join(spec)
    }

    pub fn read(&self, spec: &str) -> String {
        std::fs::read_to_string(self.path(spec)).unwrap()
    }

    /// Replaces the first `from` with `to` in a spec; returns the 1-based line of the edit.
    pub fn edit(&self, spec: &str, from: &str, to: &str) -> usize {
        let text = self.read(spec);
        let at = text
            .find(from)
            .unwrap_or_else(|| panic!("{from:?} not in {spec}"));
        std::fs::write(self.path(spec), text.replacen(from, to, 1)).unwrap();
        text[..at].lines().count() + usize::from(text[..at].ends_with('\n') || at == 0)
    }

    pub fn errors(&self) -> Vec<String> {
        match generate(self.dir.path(), "specs") {
            Err(Error::Specs(diags)) => diags.iter().map(ToString::to_string).collect(),
            Err(Error::Emit(e)) => panic!("emit error instead of a spec error: {e}"),
            Ok(_) => panic!("damaged specs were accepted"),
        }
    }

    /// The spec errors, or none when the specs generate.
    pub fn errors_or_none(&self) -> Vec<String> {
        match generate(self.dir.path(), "specs") {
            Err(Error::Specs(diags)) => diags.iter().map(ToString::to_string).collect(),
            Err(Error::Emit(e)) => panic!("emit error instead of a spec error: {e}"),
            Ok(_) => Vec::new(),
        }
    }
}

pub fn file(spec: &str) -> String {
    format!("specs/{spec}")
}
