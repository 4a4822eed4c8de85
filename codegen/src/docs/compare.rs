//! A doc page compared with its endpoint's spec: the one comparison behind both `docs check`
//! (each difference located in both files, minus what `overrides:` accepts) and
//! `docs import` (the differences listed, or written into the spec).
//!
//! The page is read in the spec's terms through its draft (`draft`), so what counts as a
//! page's fact, and what it means, is decided in one place; the spec is read as a YAML tree,
//! so a spec being edited (a `retryable: TODO`) still compares. Both become flat lists of
//! named facts (`facts`), compared fact by fact (`differ`, which also holds the page's host
//! against the provider's, a spec stating none of its own); `page_lines` finds each fact's
//! line on the page again; `text` says when two texts are the same, `tree` looks things up in
//! a tree; `difference` is what comes out.

mod differ;
mod difference;
mod facts;
mod page_lines;
mod shared;
mod text;
mod tree;

use crate::docs::draft::{ImportRequest, NO_REPLY_EXAMPLE, REPLY_FROM_EXAMPLE, draft_page};
use crate::spec::ProviderSpec;
use crate::yaml;
use docread::Page;
use facts::{Absent, facts, overrides};
use page_lines::PageLines;

pub use difference::{Comparison, Difference, Override};

pub(crate) use facts::SCALAR_KEYS;
pub(crate) use tree::{get, seq, text};

/// The page of `request` (already read: `page`) compared with the spec whose text is
/// `spec_text`, its host with the provider's; `Err` when there is nothing to compare: the page
/// gives no draft (no method or path), or the spec is no YAML.
pub fn compare(
    request: &ImportRequest<'_>,
    page: &Page,
    provider: &ProviderSpec,
    spec_text: &str,
) -> Result<Comparison, String> {
    let draft_text =
        draft_page(request, page, provider).map_err(|e| format!("no draft to compare: {e}"))?;
    let mut comparison = compare_draft(
        &draft_text,
        spec_text,
        Some(&page.facts),
        Some(&provider.declared),
    )?;
    if let Some(host) = differ::host(&page.facts, provider) {
        // Beside the other facts of where the request goes.
        let after = comparison
            .differences
            .iter()
            .take_while(|d| SCALAR_KEYS.contains(&d.fact.as_str()))
            .count();
        comparison.differences.insert(after, host);
    }
    Ok(comparison)
}

/// The comparison itself: a page's draft (`draft_text`) with a spec. `page`, the facts the
/// draft was made from, locates each difference on the page; without it (`write_into` has
/// only the draft) the differences are the same, with no page lines. `declared`, the
/// provider's shared declarations as written, expands what the spec takes from them (shared
/// types, error tables: the page states them in place).
pub fn compare_draft(
    draft_text: &str,
    spec_text: &str,
    page: Option<&docread::Facts>,
    declared: Option<&yaml::Node>,
) -> Result<Comparison, String> {
    let Ok(Some(drafted)) = yaml::parse(draft_text) else {
        return Err("internal error: the draft does not parse".into());
    };
    let mut spec = parse_spec(spec_text)?;
    if let Some(declared) = declared {
        shared::expand(&mut spec, declared);
    }
    let page_facts = facts(&drafted, Absent::Unstated);
    let spec_facts = facts(&spec, Absent::Default);
    let lines = page.map(PageLines::new).unwrap_or_default();
    // What the draft says of itself in its comments.
    let noted = |note: &str| {
        draft_text
            .lines()
            .any(|l| l.trim().strip_prefix("# ") == Some(note))
    };
    let differences = differ::differences(&differ::Sides {
        page: &page_facts,
        spec: &spec_facts,
        lines: &lines,
        reply_table: !noted(REPLY_FROM_EXAMPLE),
        reply_example: !noted(NO_REPLY_EXAMPLE),
    });
    let overrides = overrides(&spec);
    Ok(Comparison {
        differences,
        overrides,
    })
}

/// An existing spec's text as a tree, or why it cannot be compared with or written into.
pub(crate) fn parse_spec(spec_text: &str) -> Result<yaml::Node, String> {
    match yaml::parse(spec_text) {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err("the existing spec is empty".into()),
        Err(e) => Err(format!(
            "the existing spec is not valid YAML (line {}: {})",
            e.at.line, e.message
        )),
    }
}
