//! `cargo xtask docs check`: for every spec with a `doc:` page, the page compared with the
//! spec (`compare`: each fact the page states, from title, method, path, host, URL and date,
//! rate limit, scopes, token kinds and app types to parameters, body and reply fields with
//! their enum values, the examples and the error table), every difference located in both
//! files (`messages`). Facts the spec adds on purpose (English summaries, waiters, names,
//! `retryable`) are never compared; a deliberate difference is an `overrides:` entry with its
//! reason, which the check accepts exactly (an override that matches nothing is reported
//! too, so none outlives its reason).

mod messages;

use crate::docs::compare::compare;
use crate::docs::draft::ImportRequest;
use crate::load::{ProviderDir, SpecSet};
use crate::spec::EndpointSpec;
use messages::{Context, locate};
use std::fmt;
use std::path::Path;

/// One fact on which a page and its spec disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub spec_file: String,
    /// The spec line that states the fact (or, for a fact the spec lacks, where it would go).
    pub spec_line: usize,
    /// What part of the spec, e.g. `errors`, `params`, `response`.
    pub area: &'static str,
    /// The fact's name, as an `overrides:` entry names it (`errors.1069907`, `host`).
    pub fact: String,
    pub message: String,
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.spec_file, self.spec_line, self.area, self.message
        )
    }
}

/// What the reader could not make out of a page: `docs/...:14: message`. Not a
/// disagreement (the page may be ambiguous, as seed 002 pairing its scopes), but shown, so
/// that a fact the check could not compare is not taken for one that agrees.
pub fn unread(root: &Path, set: &SpecSet) -> Vec<String> {
    let mut notes = Vec::new();
    for e in set.providers.iter().flat_map(|dir| &dir.endpoints) {
        let Some(doc) = &e.doc else {
            continue;
        };
        if let Ok(text) = std::fs::read_to_string(root.join(&doc.value)) {
            for problem in docread::read(&text).problems {
                notes.push(format!(
                    "{}:{}: {}",
                    doc.value, problem.line, problem.message
                ));
            }
        }
    }
    notes
}

/// Every disagreement between the specs of `set` and their pages under `root`, in spec
/// order; a page that cannot be read, or compared, is one too.
pub fn check(root: &Path, set: &SpecSet) -> Vec<Disagreement> {
    let mut found = Vec::new();
    for dir in &set.providers {
        for e in &dir.endpoints {
            found.extend(endpoint(root, dir, e));
        }
    }
    found
}

/// The disagreements of one spec with its page, if it cites one.
fn endpoint(root: &Path, dir: &ProviderDir, e: &EndpointSpec) -> Vec<Disagreement> {
    let Some(doc) = &e.doc else {
        return Vec::new();
    };
    let at_doc = |message: String| Disagreement {
        spec_file: e.file.clone(),
        spec_line: doc.at.line,
        area: "doc",
        fact: "doc".into(),
        message,
    };
    let text = match std::fs::read_to_string(root.join(&doc.value)) {
        Ok(text) => text,
        Err(err) => return vec![at_doc(format!("cannot read the page {}: {err}", doc.value))],
    };
    let spec_text = match std::fs::read_to_string(root.join(&e.file)) {
        Ok(text) => text,
        Err(err) => return vec![at_doc(format!("cannot read the spec {}: {err}", e.file))],
    };
    let page = docread::read(&text);
    let request = ImportRequest {
        page_path: &doc.value,
        page_text: &text,
        provider: &dir.dir_name,
        id: &e.id.value,
    };
    let comparison = match compare(&request, &page, &dir.provider, &spec_text) {
        Ok(comparison) => comparison,
        Err(message) => return vec![at_doc(message)],
    };
    let cx = Context {
        spec: e,
        page: &page.facts,
        page_file: &doc.value,
        provider_file: &dir.provider.file,
    };
    let mut found: Vec<Disagreement> = comparison
        .unaccepted()
        .map(|d| {
            let located = locate(d, &cx);
            Disagreement {
                spec_file: e.file.clone(),
                spec_line: located.line,
                area: located.area,
                fact: d.fact.clone(),
                message: located.message,
            }
        })
        .collect();
    for o in comparison.unused_overrides() {
        found.push(Disagreement {
            spec_file: e.file.clone(),
            spec_line: o.line,
            area: "overrides",
            fact: o.fact.clone(),
            message: format!(
                "`{}` matches no difference from the page: drop the override",
                o.fact
            ),
        });
    }
    found
}
