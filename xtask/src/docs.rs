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

/// `docs import <page> [--provider P] [--id ID] [--write]`: a draft spec on stdout; for a
/// page a spec already cites (or an id a spec already has), the differences instead, or
/// with `--write` that spec updated in place.
pub fn import(root: &Path, args: &[&str]) -> Result<String, String> {
    use codegen::docs::import::{ImportRequest, differences, draft, write_into};
    let mut page = None;
    let (mut provider, mut id, mut write) = (None, None, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--provider" => provider = rest.next().copied(),
            "--id" => id = rest.next().copied(),
            "--write" => write = true,
            other if page.is_none() && !other.starts_with("--") => page = Some(other),
            other => return Err(format!("docs import: unexpected `{other}`\n\n{USAGE}")),
        }
    }
    let page = page.ok_or_else(|| format!("docs import: name a page\n\n{USAGE}"))?;
    let page_text = std::fs::read_to_string(root.join(page))
        .or_else(|_| std::fs::read_to_string(page))
        .map_err(|e| format!("docs import: cannot read {page}: {e}"))?;
    let (set, problems) = codegen::load::load(root, "specs");
    if !problems.is_empty() {
        return Err(format!("{problems}\nthe specs do not load: fix them first"));
    }
    // The provider: as given, else the directory the page is in (`docs/<provider>/...`).
    let provider = provider
        .or_else(|| page.strip_prefix("docs/").and_then(|p| p.split('/').next()))
        .ok_or("docs import: name the provider with --provider")?;
    let dir = set
        .providers
        .iter()
        .find(|d| d.dir_name == provider)
        .ok_or_else(|| format!("docs import: no provider `{provider}` under specs/"))?;
    let existing = dir.endpoints.iter().find(|e| {
        e.doc.as_ref().is_some_and(|d| d.value == page) || id.is_some_and(|id| e.id.value == id)
    });
    let id = id
        .or(existing.map(|e| e.id.value.as_str()))
        .ok_or("docs import: name the endpoint with --id (e.g. feishu.drive.export_task.create)")?;
    let request = ImportRequest {
        page_path: page,
        page_text: &page_text,
        provider,
        id,
    };
    let Some(existing) = existing else {
        if write {
            return Err(format!(
                "docs import: --write updates a spec, and no spec has id `{id}` or cites {page}"
            ));
        }
        return draft(&request, &dir.provider);
    };
    let spec_path = root.join(&existing.file);
    let spec_text = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", existing.file))?;
    if write {
        let updated = write_into(&spec_text, &draft(&request, &dir.provider)?)?;
        std::fs::write(&spec_path, updated)
            .map_err(|e| format!("cannot write {}: {e}", existing.file))?;
        return Ok(format!(
            "{} updated from {page}: run `cargo xtask gen`\n",
            existing.file
        ));
    }
    let found = differences(&request, &spec_text, &dir.provider);
    if found.is_empty() {
        return Ok(format!(
            "{} already states what {page} says\n",
            existing.file
        ));
    }
    Ok(format!(
        "{}\n{} difference(s) between {page} and {}: `--write` updates the spec's page-derived facts\n",
        found.join("\n"),
        found.len(),
        existing.file
    ))
}

const USAGE: &str = "usage: cargo xtask docs import <page> [--provider P] [--id ID] [--write]";
