//! The draft's `errors:`, the page's error table row by row: `http_status`, `code` (as the
//! provider's code type), a `name:` where the message gives no usable one, `message`, `hint`
//! verbatim, and `retryable: TODO`. A provider's common code and a code listed twice are left
//! out, with a comment saying so.

use super::names::error_name;
use super::request::TODO_RETRYABLE;
use super::yaml_out::{Entry, Item, Y};
use crate::spec::{CodeType, ProviderSpec};
use docread::Facts;
use std::collections::BTreeSet;

/// The error table as `errors:`.
pub(super) fn errors(facts: &Facts, provider: &ProviderSpec) -> Entry {
    let code_type = provider.envelope.code_type;
    let common: BTreeSet<&str> = provider
        .common_errors
        .iter()
        .map(|e| e.code.value.text.as_str())
        .collect();
    let mut codes = BTreeSet::new();
    let mut names: Vec<(String, String)> = Vec::new();
    let mut items = Vec::new();
    for row in &facts.errors {
        let row = &row.value;
        let code = row.code.trim();
        if common.contains(code) {
            items.push(Item::Comments(vec![format!(
                "Left out: code {code} ({}) is one of the provider's common codes (provider.yaml).",
                row.message
            )]));
            continue;
        }
        if !codes.insert(code.to_owned()) {
            items.push(Item::Comments(vec![format!(
                "Left out: code {code} ({}) again: the page lists it twice (HTTP {}; hint: {}).",
                row.message,
                row.http_status.map_or("-".into(), |s| s.to_string()),
                row.hint
            )]));
            continue;
        }
        let mut e = Vec::new();
        if let Some(status) = row.http_status {
            e.push(Entry::raw("http_status", status.to_string()));
        }
        let code_entry = match (code_type, code.parse::<i64>()) {
            (CodeType::Integer, Ok(n)) => Entry::raw("code", n.to_string()),
            _ => Entry::str("code", code),
        };
        e.push(code_entry);
        if let Some(name) = error_name(row.message.as_str(), code, &mut names) {
            e.push(name);
        }
        e.push(Entry::str("message", &row.message));
        if !row.hint.is_empty() {
            e.push(Entry::str("hint", &row.hint));
        }
        let retry = Entry::raw("retryable", TODO_RETRYABLE);
        e.push(match row.http_status {
            Some(s) if s >= 500 => retry.with_trailing(format!("HTTP {s}: usually true")),
            _ => retry,
        });
        items.push(Item::Node(Y::Map(e)));
    }
    Entry::new("errors", Y::Seq(items))
}
