//! The differences between the facts of a page (its draft) and of a spec, fact by fact.
//!
//! Only facts a page states are compared (see `facts`), and a fact the page leaves out is no
//! difference: a parameter, field, enum value, scope or error code only the spec has is one
//! only where the page lists others of its kind beside it (reply fields read from a page's
//! example, not a table, are never taken as the full list). What the draft could not decide
//! (a `TODO`) and an example the draft made up (a download's) are no page facts. Texts are
//! equal as `text::same` counts it, and a spec `description` may go on after the page's intro.
//! A fact in an entity only the page states is part of that entity's difference, not one of
//! its own (a new error code's message, a new object's fields).

use super::difference::Difference;
use super::facts::Fact;
use super::page_lines::PageLines;
use super::text::{extends, same};
use crate::spec::ProviderSpec;
use std::collections::BTreeSet;

/// The two sides, and what the page is known to lack.
pub(super) struct Sides<'a> {
    /// The page's facts: its draft's.
    pub page: &'a [Fact],
    pub spec: &'a [Fact],
    pub lines: &'a PageLines,
    /// The page has a reply table (reply fields read from its example are not its full list).
    pub reply_table: bool,
    /// The page shows a reply example (the draft of a download's page makes one up).
    pub reply_example: bool,
}

/// Every difference: the page's facts in its draft's order, then what only the spec states.
pub(super) fn differences(sides: &Sides<'_>) -> Vec<Difference> {
    let mut out = Vec::new();
    // The page's own facts: not the draft's copies of fields the page lists once.
    let page: Vec<&Fact> = sides
        .page
        .iter()
        .filter(|f| !((f.entity || f.attr.is_some()) && sides.lines.copied(&f.key)))
        .collect();
    let page_entities: BTreeSet<&str> = page
        .iter()
        .filter(|f| f.entity)
        .map(|f| f.key.as_str())
        .collect();
    let spec_keys: BTreeSet<&str> = sides
        .spec
        .iter()
        .filter(|f| f.attr.is_none())
        .map(|f| f.key.as_str())
        .collect();
    // Inside an entity the spec lacks: that entity's difference says it.
    let covered = |f: &Fact| {
        f.enclosing()
            .any(|k| page_entities.contains(k) && !spec_keys.contains(k))
    };
    for f in page.iter().copied() {
        let made_up = f.key == "example" && !sides.reply_example;
        if f.value.starts_with("TODO") || made_up || covered(f) {
            continue;
        }
        let spec = find(sides.spec, &f.key, f.attr.as_deref());
        let agrees = spec.is_some_and(|s| {
            f.value.is_empty()
                || same(&s.value, &f.value, f.json)
                || (f.key == "description" && extends(&s.value, &f.value))
        });
        if !agrees {
            out.push(on_page(sides, f, spec));
        }
    }
    for s in sides.spec.iter().filter(|s| s.entity) {
        if only_in_spec(&page, s, sides.reply_table) {
            out.push(Difference {
                fact: s.name(),
                attr: None,
                spec: Some(s.value.clone()),
                page: None,
                entity: true,
                json: false,
                spec_line: Some(s.line),
                page_line: sides.lines.line(s.parent().0),
                page_shown: None,
            });
        }
    }
    out
}

/// The fact the tree states for `key` and `attr`.
fn find<'f>(facts: &'f [Fact], key: &str, attr: Option<&str>) -> Option<&'f Fact> {
    facts
        .iter()
        .find(|f| f.key == key && f.attr.as_deref() == attr)
}

/// A page fact the spec states otherwise (`spec`) or not at all.
fn on_page(sides: &Sides<'_>, f: &Fact, spec: Option<&Fact>) -> Difference {
    // Where the spec would state it: in the closest entity it has.
    let spec_line = spec.map(|s| s.line).or_else(|| {
        f.enclosing()
            .find_map(|k| find(sides.spec, k, None))
            .map(|s| s.line)
    });
    let page_shown = match f.attr.as_deref() {
        Some("type") => sides.lines.page_type(&f.key).map(str::to_owned),
        _ => None,
    };
    Difference {
        fact: f.name(),
        attr: f.attr.clone(),
        spec: spec.map(|s| s.value.clone()),
        page: Some(f.value.clone()),
        entity: f.entity,
        json: f.json,
        spec_line,
        page_line: sides.lines.line(&f.key),
        page_shown,
    }
}

/// Whether an entity only the spec states is a difference: the page lists others of its
/// kind beside it (in the same entity, which the page states), and they are not reply
/// fields read from an example.
fn only_in_spec(page: &[&Fact], s: &Fact, reply_table: bool) -> bool {
    let on_page = |key: &str| page.iter().any(|f| f.key == key && f.attr.is_none());
    let (parent, kind) = s.parent();
    let siblings_on_page = page
        .iter()
        .any(|f| f.entity && f.parent() == (parent, kind));
    let parent_on_page = !parent.contains(['.', '=']) || on_page(parent);
    let from_example = !reply_table && s.key.starts_with("response.") && kind == '.';
    siblings_on_page && parent_on_page && !from_example && !on_page(&s.key)
}

/// The page's host, when it is none of the provider's (a spec states no host: its
/// provider's are the endpoint's).
pub(super) fn host(page: &docread::Facts, provider: &ProviderSpec) -> Option<Difference> {
    let host = page.host.as_ref()?;
    let trimmed = host.value.trim_end_matches('/');
    let hosts: Vec<&str> = provider
        .hosts
        .iter()
        .map(|h| h.base_url.value.as_str())
        .collect();
    if hosts.iter().any(|h| h.trim_end_matches('/') == trimmed) {
        return None;
    }
    Some(Difference {
        fact: "host".into(),
        attr: None,
        spec: Some(hosts.join(", ")),
        page: Some(host.value.clone()),
        entity: false,
        json: false,
        spec_line: None,
        page_line: Some(host.line),
        page_shown: None,
    })
}
