//! `docs import <page> --write`: the page-derived parts of an existing spec updated in place
//! from the page's draft, every other line kept.

use super::errors::rebuild_errors;
use super::layout::{Block, blocks};
use crate::docs::compare::{SCALAR_KEYS, compare_draft, get, parse_spec, text};
use crate::yaml;

/// Where a new top-level key goes: after the last of the keys before it here that the spec has.
const ORDER: &[&str] = &[
    "id",
    "operation",
    "title",
    "summary",
    "description",
    "source",
    "doc",
    "url",
    "updated",
    "overrides",
    "method",
];

/// The existing spec with the page-derived parts of `draft` written in, everything else kept
/// line for line (comments, summaries, waiter, chains, params, body, response).
///
/// What differs is what the comparison of the draft with the spec finds (`compare`), minus
/// what the spec's `overrides:` accept: a deliberate difference is kept.
///
/// What it does:
/// - `title`, `description`, `doc`, `url`, `updated`, `method`, `path`: the draft's value
///   replaces the spec's when they differ (a key the spec lacks is added in its usual place,
///   after `description`/`source`); a value the comparison finds the same leaves its lines
///   untouched, and so does a `description` that starts with the page's intro and goes on
///   (text the spec adds from the page's alerts or limits, which the reader does not take as
///   intro).
/// - `example`: replaced by the draft's when they differ as JSON (not by one the draft made
///   up for a download's page).
/// - `errors:`: rebuilt in the page's order. An error whose HTTP status, message and hint do
///   not differ keeps its lines (and comments) as they are; a changed one is the
///   draft's entry with the spec's `retryable` (absent: `false`), its `name`, and the comments
///   above it carried over by code; a new code comes with `retryable: TODO`. A code the page
///   no longer lists is dropped unless an `overrides:` entry names it (`errors.<code>`).
///   The comments above `errors:` stay. A spec that takes a provider's error table
///   (`errors_from`) keeps its `errors:` (`docs check` still compares them).
///
/// What it does not do (see [`differences`](super::differences) for these): update `token_kinds`, `app_types`,
/// `scopes`, `rate_limit`, `params`, `body` or `response` (they mix page facts with a
/// person's choices: names, formats, SDK fields); remove a key the page no longer gives
/// (a page without a title, URL, error table or example leaves the spec's); keep comments on
/// the same line as a replaced value, or comments inside a replaced value's lines; carry a
/// `source: authored` hint over a hint the page now gives.
pub fn write_into(existing_spec_text: &str, draft: &str) -> Result<String, String> {
    let spec_root = parse_spec(existing_spec_text)?;
    let draft_root = match yaml::parse(draft) {
        Ok(Some(n)) => n,
        _ => return Err("the draft is not valid YAML".into()),
    };
    let (spec_id, draft_id) = (text(get(&spec_root, "id")), text(get(&draft_root, "id")));
    if spec_id != draft_id {
        return Err(format!(
            "the spec is for {} and the draft for {}",
            spec_id.unwrap_or("no id"),
            draft_id.unwrap_or("no id")
        ));
    }
    let comparison = compare_draft(draft, existing_spec_text, None, None)?;
    let differs = |key: &str| {
        comparison
            .unaccepted()
            .any(|d| d.fact == key && d.page.is_some())
    };
    let mut lines: Vec<String> = existing_spec_text.lines().map(str::to_owned).collect();
    let draft_lines: Vec<&str> = draft.lines().collect();
    let draft_blocks = blocks(&draft_lines);
    // Keys one by one, each on the current text, so line numbers are always fresh.
    for &key in SCALAR_KEYS.iter().chain(["example"].iter()) {
        let Some(new) = draft_blocks.iter().find(|b| b.key == key) else {
            continue;
        };
        if differs(key) {
            replace_block(&mut lines, key, &draft_lines[new.start..new.end]);
        }
    }
    // Which codes a shared table holds is a person's choice: a spec that takes one
    // (`errors_from`) keeps its `errors:` as they are.
    let takes_a_table = get(&spec_root, "errors_from").is_some();
    if !takes_a_table
        && let Some(errors) = rebuild_errors(&lines, &draft_lines, &draft_root, &comparison)?
    {
        lines.splice(errors.old, errors.new);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    match yaml::parse(&out) {
        Ok(Some(_)) => Ok(out),
        _ => Err("internal error: the updated spec is not valid YAML; nothing written".into()),
    }
}

/// The spec's block of `key` replaced by `new` (the draft's), or `new` added where `key` goes.
fn replace_block(lines: &mut Vec<String>, key: &str, new: &[&str]) {
    let new_lines: Vec<String> = new.iter().map(|l| (*l).to_owned()).collect();
    let spec_line_refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let spec_blocks = blocks(&spec_line_refs);
    match spec_blocks.iter().find(|b| b.key == key) {
        Some(old) => {
            let range = old.start..old.end;
            lines.splice(range, new_lines);
        }
        None => {
            let at = insertion_point(&spec_blocks, key, lines.len());
            lines.splice(at..at, new_lines);
        }
    }
}

/// Where a key the spec lacks goes: after the last key before it in [`ORDER`] that the spec
/// has (`example` and `errors`: at the end).
fn insertion_point(spec: &[Block], key: &str, len: usize) -> usize {
    let position = ORDER.iter().position(|k| *k == key);
    let before: &[&str] = match position {
        Some(p) => ORDER.get(..p).unwrap_or(&[]),
        // `example` and `errors`: at the end.
        None => return len,
    };
    spec.iter()
        .filter(|b| before.contains(&b.key.as_str()))
        .map(|b| b.end)
        .max()
        .unwrap_or_else(|| spec.first().map_or(0, |b| b.lead))
}
