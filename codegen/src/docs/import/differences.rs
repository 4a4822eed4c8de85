//! `docs import` for a page whose endpoint already has a spec: the comparison's differences,
//! one line (or a few, for a text or example that differs) per fact.

use crate::docs::compare::{Difference, compare};
use crate::docs::draft::ImportRequest;
use crate::spec::ProviderSpec;

/// Where the page and an existing spec disagree, one message per fact named as
/// `overrides:` names it, in the draft's order, then what only the spec has: the comparison
/// (`compare`) minus what the spec's `overrides:` accept. Only facts a page states are
/// compared: title, description, `doc`/`url`/`updated`, method, path, host, token kinds, app
/// types, scopes, rate limit, parameters, body and reply fields (type, items, required,
/// max_length, example, description; enum values by value, a spec's ` (English gloss)` after
/// the page's text allowed), the examples (as JSON) and the errors (`http_status`,
/// `message`, `hint`). Summaries, type and variant names, waiters, `retryable`, chains and
/// comments are the spec's own and never compared; nor are a reply field's `required`, an
/// authored hint, or a spec `description` that starts with the page's intro and goes on. A
/// fact the page leaves out is no difference: a parameter, field, enum value, scope or error
/// code only the spec has is reported only where the page lists others of its kind beside it
/// (reply fields read from a page's example, not a table, are never taken as the full list).
/// When there is nothing to compare, the one message says why.
pub fn differences(
    request: &ImportRequest<'_>,
    existing_spec_text: &str,
    provider: &ProviderSpec,
) -> Vec<String> {
    let page = docread::read(request.page_text);
    match compare(request, &page, provider, existing_spec_text) {
        Err(e) => vec![e],
        Ok(comparison) => comparison.unaccepted().map(describe).collect(),
    }
}

/// One difference in words: `title: the spec has "a", the page "b"`.
fn describe(d: &Difference) -> String {
    let name = &d.fact;
    match (&d.spec, &d.page) {
        (Some(spec), Some(page)) => changed(name, spec, page, d.json),
        (None, Some(page)) if d.entity => {
            format!("{name}: on the page{}, not in the spec", shown(page))
        }
        (None, Some(page)) => format!("{name}: the page gives{}, the spec has none", shown(page)),
        (_, None) => format!("{name}: in the spec, not on the page"),
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else if value.contains('\n') {
        format!(":\n{}", indent(value))
    } else {
        format!(" ({value})")
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn changed(key: &str, spec: &str, page: &str, json: bool) -> String {
    if json || spec.contains('\n') || page.contains('\n') {
        let (spec, page) = if json {
            (pretty(spec), pretty(page))
        } else {
            (spec.to_owned(), page.to_owned())
        };
        let diff = similar::TextDiff::from_lines(&spec, &page)
            .unified_diff()
            .context_radius(2)
            .header("spec", "page")
            .to_string();
        format!("{key}: differs\n{}", indent(diff.trim_end()))
    } else {
        format!("{key}: the spec has {spec:?}, the page {page:?}")
    }
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .map_or_else(|| json.to_owned(), |t| t + "\n")
}
