//! `cargo xtask docs check` and `cargo xtask docs import`: the doc pages under `docs/`
//! against the specs that cite them (`doc:`), and a draft spec from a page.

use std::path::Path;

/// Every disagreement between a page and its spec, one per line; `Err` when there is any
/// (or when the specs do not load).
pub fn check(root: &Path) -> Result<String, String> {
    let (set, problems) = codegen::load::load(root, "specs");
    if !problems.is_empty() {
        return Err(format!("{problems}\nthe specs do not load: fix them first"));
    }
    let pages = set
        .providers
        .iter()
        .flat_map(|dir| &dir.endpoints)
        .filter(|e| e.doc.is_some())
        .count();
    let found = codegen::docs::check::check(root, &set);
    let notes: String = codegen::docs::check::unread(root, &set)
        .iter()
        .map(|note| format!("note: {note}\n"))
        .collect();
    if found.is_empty() {
        return Ok(format!("{notes}docs: {pages} pages agree with their specs"));
    }
    let mut report: Vec<String> = found.iter().map(ToString::to_string).collect();
    report.push(format!(
        "{} disagreement(s) between the pages and their specs: update the spec (or \
         `cargo xtask docs import <page> --write`), or state a deliberate difference in its \
         `overrides:`",
        found.len()
    ));
    Err(notes + &report.join("\n"))
}

/// `docs import`: not wired yet.
pub fn import(_root: &Path, _args: &[&str]) -> Result<String, String> {
    Err("docs import: not available in this build".to_owned())
}
