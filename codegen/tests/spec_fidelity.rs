//! Spec fidelity: what the specs say, checked against the documents they were written from.
//!
//! Every endpoint spec names its page in `source:` (a path such as `seeds/002_....txt`,
//! relative to the shared docs directory that CI keeps beside the checkout, `../shared`);
//! `../shared/reference/endpoints.md` holds the facts the pages leave out. These tests read
//! the specs with the generator's own loader and walk whatever they contain: a new spec is
//! checked without touching this file.

use codegen::load::{SpecSet, load};
use codegen::spec::{EndpointSpec, EnumValueSpec, ErrorSpec, ObjectSpec, TextSource};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The checkout, found at run time: a binary built once may be run from another checkout
/// sharing the target directory, so a compile-time path would read the wrong specs.
fn workspace_root() -> PathBuf {
    let manifest = std::env::var("CARGO_MANIFEST_DIR")
        .expect("CARGO_MANIFEST_DIR is not set: run the tests through cargo");
    Path::new(&manifest)
        .parent()
        .expect("the codegen crate sits inside the workspace")
        .to_path_buf()
}

/// `../shared` beside the checkout. CI always provides it, so its absence is a failure, not
/// a reason to skip.
fn shared_dir() -> PathBuf {
    let dir = workspace_root().join("../shared");
    assert!(
        dir.join("seeds").is_dir() && dir.join("reference/endpoints.md").is_file(),
        "the shared docs directory is missing: expected seeds/ and reference/endpoints.md under {}",
        dir.display()
    );
    dir
}

fn specs() -> SpecSet {
    let (set, problems) = load(&workspace_root(), "specs");
    assert!(problems.is_empty(), "the specs do not load:\n{problems}");
    set
}

/// The endpoints captured from a page of the shared docs (`source: seeds/...`). Specs of
/// other pages (`source: doc-hub-mcp:...`) name a public copy that is not in the shared
/// docs; their pages are not in the tree yet, so nothing here can read them.
fn endpoints(set: &SpecSet) -> Vec<&EndpointSpec> {
    set.providers
        .iter()
        .flat_map(|p| &p.endpoints)
        .filter(|e| e.source.starts_with("seeds/"))
        .collect()
}

/// The page an endpoint spec was written from.
fn page(e: &EndpointSpec) -> String {
    assert!(!e.source.is_empty(), "{}: no `source:` page", e.file);
    let path = shared_dir().join(&e.source);
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "{}: cannot read its source page {}: {err}",
            e.file,
            path.display()
        )
    })
}

fn reference() -> String {
    std::fs::read_to_string(shared_dir().join("reference/endpoints.md")).unwrap()
}

// ---- 15: scope descriptions ------------------------------------------------------------

/// A page's required scopes, in page order. Feishu pages give two `| 权限要求 |` table rows,
/// one of descriptions and one of names, items separated by `<br>`; DingTalk pages give
/// `权限要求permission-NAME-DESCRIPTION`, one line per scope.
#[derive(Debug, Default)]
struct PageScopes {
    names: Vec<String>,
    descriptions: Vec<String>,
}

fn is_scope_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
}

fn page_scopes(page: &str) -> PageScopes {
    let mut scopes = PageScopes::default();
    for line in page.lines() {
        let Some((_, cell)) = line.split_once("权限要求") else {
            continue;
        };
        let cell = cell.trim().trim_matches('|').trim();
        if let Some(rest) = cell.strip_prefix("permission-") {
            if let Some((name, description)) = rest.split_once('-') {
                scopes.names.push(name.trim().to_owned());
                scopes.descriptions.push(description.trim().to_owned());
            }
            continue;
        }
        let items: Vec<String> = cell
            .split("<br>")
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect();
        if items.iter().all(|item| is_scope_name(item)) {
            scopes.names.extend(items);
        } else {
            scopes.descriptions.extend(items);
        }
    }
    scopes
}

/// The defect: `drive_import_task_get.yaml` paired its scope descriptions with the wrong
/// names, copying the page's description row in an order that does not match its name row.
///
/// A scope means the same on every page that requires it, so a pairing is checked against
/// every page: the description a spec gives a scope must be listed by every page that lists
/// the scope, and every spec must agree. A page's own order (n-th description with the n-th
/// name) is the pairing wherever no other page contradicts it.
#[test]
fn scope_descriptions_are_paired_with_their_own_scope_names() {
    let set = specs();
    let pages: Vec<(&EndpointSpec, PageScopes)> = endpoints(&set)
        .into_iter()
        .map(|e| (e, page_scopes(&page(e))))
        .collect();
    let mut problems = Vec::new();
    let mut described: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut checked = 0;
    for (e, scopes) in &pages {
        let listed: BTreeSet<&str> = e.scopes.iter().map(|s| s.scope.as_str()).collect();
        let on_page: BTreeSet<&str> = scopes.names.iter().map(String::as_str).collect();
        if listed != on_page {
            problems.push(format!(
                "{}: lists scopes {listed:?}, its page {} lists {on_page:?}",
                e.file, e.source
            ));
        }
        for s in &e.scopes {
            checked += 1;
            if !scopes.descriptions.contains(&s.description) {
                problems.push(format!(
                    "{}: scope `{}`: description {:?} is not among its page's {:?}",
                    e.file, s.scope, s.description, scopes.descriptions
                ));
            }
            for (other, other_scopes) in &pages {
                if other_scopes.names.contains(&s.scope)
                    && !other_scopes.descriptions.contains(&s.description)
                {
                    problems.push(format!(
                        "{}: scope `{}` is described as {:?}, but {} requires `{}` without that description \
                         (it lists {:?}): the description belongs to another scope",
                        e.file,
                        s.scope,
                        s.description,
                        other.source,
                        s.scope,
                        other_scopes.descriptions
                    ));
                }
            }
            match described.get(s.scope.as_str()) {
                Some((first, file)) if *first != s.description => problems.push(format!(
                    "{}: scope `{}` is described as {:?}, {file} describes it as {first:?}",
                    e.file, s.scope, s.description
                )),
                Some(_) => {}
                None => {
                    described.insert(&s.scope, (&s.description, &e.file));
                }
            }
        }
        // The page's order is trusted unless another page shows that it pairs a name with a
        // description that scope does not have.
        if scopes.names.len() != scopes.descriptions.len() {
            problems.push(format!(
                "{}: its page lists {} scope names but {} descriptions",
                e.file,
                scopes.names.len(),
                scopes.descriptions.len()
            ));
            continue;
        }
        let in_order: Vec<(&String, &String)> =
            scopes.names.iter().zip(&scopes.descriptions).collect();
        let order_holds = in_order.iter().all(|(name, description)| {
            pages.iter().all(|(_, other)| {
                !other.names.contains(name) || other.descriptions.contains(description)
            })
        });
        if !order_holds {
            eprintln!(
                "note: {} lists its scope descriptions in another order than its names; \
                 its pairing is checked against the other pages only",
                e.source
            );
            continue;
        }
        for (name, description) in in_order {
            if let Some(s) = e.scopes.iter().find(|s| &s.scope == name)
                && &s.description != description
            {
                problems.push(format!(
                    "{}: scope `{name}` is described as {:?}; its page pairs it with {description:?}",
                    e.file, s.description
                ));
            }
        }
    }
    assert!(
        checked > 0,
        "no endpoint spec lists a scope: nothing was checked"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- 20: labels and hints the project wrote ---------------------------------------------

/// Every enum value of an object, at any depth.
fn enum_values<'o>(object: &'o ObjectSpec, out: &mut Vec<&'o EnumValueSpec>) {
    for field in &object.fields {
        if let Some(enumeration) = &field.enumeration {
            out.extend(&enumeration.values);
        }
        if let Some(nested) = &field.object {
            enum_values(nested, out);
        }
    }
}

/// The part of a label a page can give: labels are written `中文 (English gloss)`, and the
/// documents are Chinese.
fn documented_part(label: &str) -> &str {
    label
        .split_once(" (")
        .map_or(label, |(text, _)| text)
        .trim()
}

/// Whether a document lists `value` with this label, as the pages write enum values
/// (`- 2:部分失败`, `- 0：成功`). Matching the value too keeps a short label from being
/// found inside unrelated text (`内部错误` in the hint `服务内部错误`).
fn documents_label(doc: &str, value: &str, label: &str) -> bool {
    [":", "：", ": ", "： "].iter().any(|sep| {
        let wanted = format!("{value}{sep}{label}");
        doc.match_indices(&wanted).any(|(at, _)| {
            // `1:` must not match inside `-1:` or `11:`.
            !doc[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || (c == '-' && !value.starts_with('-')))
        })
    })
}

/// Whether a document gives this hint for this code: on one line, as the error tables do.
fn documents_hint(doc: &str, code: &str, hint: &str) -> bool {
    doc.lines()
        .any(|line| line.contains(code) && line.contains(hint))
}

fn check_mark(
    problems: &mut Vec<String>,
    what: String,
    source: Option<TextSource>,
    documented: bool,
) {
    match (source, documented) {
        (None, false) => problems.push(format!(
            "{what}: in neither its page nor reference/endpoints.md: mark it `source: authored` \
             (or use the documents' words)"
        )),
        (Some(TextSource::Authored), true) => problems.push(format!(
            "{what}: marked `source: authored`, but the documents give it: drop the mark"
        )),
        _ => {}
    }
}

fn check_hints(problems: &mut Vec<String>, file: &str, errors: &[ErrorSpec], docs: &[&str]) {
    for error in errors.iter().filter(|e| !e.hint.is_empty()) {
        let code = &error.code.value.text;
        let documented = docs
            .iter()
            .any(|doc| documents_hint(doc, code, &error.hint));
        check_mark(
            problems,
            format!("{file}: {}.hint {:?}", error.path, error.hint),
            error.source.as_ref().map(|s| s.value),
            documented,
        );
    }
}

/// The defect: status labels and hints the project wrote itself looked like the docs'. Each
/// one is either found in the documents (the endpoint's page or reference/endpoints.md: its
/// Chinese part, next to its value or code) or marked `source: authored`, and a mark on text
/// the documents do give is wrong too. Provider-wide codes have no page: only the reference.
#[test]
fn labels_and_hints_not_in_the_docs_are_marked_authored() {
    let set = specs();
    let reference = reference();
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in &set.providers {
        let provider = &dir.provider;
        check_hints(
            &mut problems,
            &provider.file,
            &provider.common_errors,
            &[&reference],
        );
        checked += provider.common_errors.len();
        for e in dir
            .endpoints
            .iter()
            .filter(|e| e.source.starts_with("seeds/"))
        {
            let page = page(e);
            let docs = [page.as_str(), reference.as_str()];
            let mut values = Vec::new();
            if let Some(response) = e.response.json() {
                enum_values(response, &mut values);
            }
            for v in values.iter().filter(|v| !v.description.is_empty()) {
                checked += 1;
                let label = documented_part(&v.description);
                let documented = docs
                    .iter()
                    .any(|doc| documents_label(doc, &v.value.value.text, label));
                check_mark(
                    &mut problems,
                    format!(
                        "{}: {} {:?}",
                        e.file,
                        v.value.path.trim_end_matches(".value"),
                        v.description
                    ),
                    v.source.as_ref().map(|s| s.value),
                    documented,
                );
            }
            check_hints(&mut problems, &e.file, &e.errors, &docs);
            checked += e.errors.len();
        }
    }
    assert!(
        checked > 0,
        "no label or hint in the specs: nothing was checked"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
