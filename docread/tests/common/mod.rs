//! Fixture loading and checks shared by the tests.
#![allow(dead_code)]

use docread::{At, ErrorRow, Field, Page};
use std::path::{Path, PathBuf};

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")
}

/// Every fixture page (not the README), sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["seed", "raw", "pipe", "dingtalk"] {
        for entry in std::fs::read_dir(dir().join(sub)).unwrap() {
            out.push(entry.unwrap().path());
        }
    }
    out.sort();
    assert!(out.len() >= 17, "fixtures missing: {out:?}");
    out
}

pub fn text(rel: &str) -> String {
    std::fs::read_to_string(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Reads a fixture; `problems` lists the problems it must report (by a part of their text).
pub fn read(rel: &str, problems: &[&str]) -> (String, Page) {
    let text = text(rel);
    let page = docread::read(&text);
    let got: Vec<String> = page.problems.iter().map(ToString::to_string).collect();
    assert_eq!(got.len(), problems.len(), "{rel}: problems {got:#?}");
    for want in problems {
        assert!(
            got.iter().any(|g| g.contains(want)),
            "{rel}: no problem {want:?} in {got:#?}"
        );
    }
    (text, page)
}

pub fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    Field::find(fields, name).unwrap_or_else(|| {
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        panic!("no field {name} among {names:?}")
    })
}

pub fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|f| f.name.as_str()).collect()
}

pub fn enum_pairs(f: &Field) -> Vec<(&str, &str)> {
    f.enum_values
        .iter()
        .map(|e| (e.value.as_str(), e.meaning.as_str()))
        .collect()
}

pub fn value<T: Clone>(at: &Option<At<T>>) -> T {
    at.as_ref().expect("fact missing").value.clone()
}

pub fn values(ats: &[At<String>]) -> Vec<&str> {
    ats.iter().map(|a| a.value.as_str()).collect()
}

pub fn scopes(page: &Page) -> Vec<(&str, &str)> {
    page.facts
        .scopes
        .iter()
        .map(|s| (s.value.name.as_str(), s.value.description.as_str()))
        .collect()
}

pub fn error<'a>(page: &'a Page, code: &str) -> &'a ErrorRow {
    &page
        .facts
        .errors
        .iter()
        .find(|e| e.value.code == code)
        .unwrap_or_else(|| panic!("no error {code}"))
        .value
}

/// The example is JSON; returns it parsed.
pub fn json(example: &Option<At<String>>) -> serde_json::Value {
    let text = &example.as_ref().expect("no example").value;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("example is no JSON ({e}):\n{text}"))
}

/// Line `n` (1-based) of `text`.
pub fn line(text: &str, n: usize) -> &str {
    text.lines()
        .nth(n - 1)
        .unwrap_or_else(|| panic!("no line {n}"))
}
