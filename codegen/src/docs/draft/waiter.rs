//! The draft's `waiter:`, when a reply field looks like the task's status: every choice in
//! it is a `TODO` (which values are pending, success, failure), with the page's values listed
//! beside it; the delays are the defaults, the first one longer when the rate limit asks.

use super::kind::{Kind, kind};
use super::response::reply_fields;
use super::yaml_out::{Entry, Y};
use crate::spec::EnvelopeStyle;
use docread::{Facts, Field};

/// The default waiter delays (README: "Spec defaults: 3 s, 30 s, 600 s").
const MIN_DELAY: u32 = 3;
const MAX_DELAY: u32 = 30;
const MAX_WAIT: u32 = 600;

/// A waiter to decide, when a reply field looks like the task's status.
pub(super) fn waiter(facts: &Facts, resource: &str, style: EnvelopeStyle) -> Option<Entry> {
    let (fields, _) = reply_fields(facts, style);
    let (path, field) = status_field(&fields, "")?;
    if field.enum_values.is_empty() {
        // Nothing to fill the lists from: a note, not a block.
        return Some(
            Entry::raw("waiter", "TODO a waiter, or delete this key").with_comments(vec![
                format!(
                    "TODO: `{path}` looks like the task's status, but the page lists none of its values:"
                ),
                "add its enum (values and meanings, `source: authored` where the page gives none)".into(),
                "and a waiter (name, status, pending/success/failure, unknown, delays), or delete this key.".into(),
            ]),
        );
    }
    let mut comments = vec![
        format!(
            "TODO: how to wait: which `{path}` values are pending, success and failure (each in"
        ),
        "one list), and whether a value the enum does not list is pending or failure; delete"
            .into(),
        "this block if nothing polls this endpoint. The page's values:".into(),
    ];
    for v in &field.enum_values {
        comments.push(format!("  {}: {}", v.value, v.meaning));
    }
    let min_delay = min_delay(facts);
    Some(
        Entry::new(
            "waiter",
            Y::Map(vec![
                Entry::str("name", format!("wait_{resource}")),
                Entry::str("status", &path),
                Entry::raw("pending", "[TODO]"),
                Entry::raw("success", "[TODO]"),
                Entry::raw("failure", "[TODO]"),
                Entry::raw("unknown", "TODO pending or failure"),
                Entry::raw("min_delay", min_delay.to_string()),
                Entry::raw("max_delay", MAX_DELAY.max(min_delay).to_string()),
                Entry::raw("max_wait", MAX_WAIT.to_string()),
            ]),
        )
        .with_comments(comments),
    )
}

/// The default first delay, longer when the rate limit asks for it.
fn min_delay(facts: &Facts) -> u32 {
    let limit = facts.rate_limit.as_ref().map(|l| &l.value);
    let per_minute = limit
        .and_then(|l| l.per_minute)
        .filter(|n| *n > 0)
        .map_or(0, |n| 60_u32.div_ceil(n));
    MIN_DELAY.max(per_minute)
}

/// The first field (outside arrays) that looks like the task's status, with its dotted path.
fn status_field<'f>(fields: &'f [Field], prefix: &str) -> Option<(String, &'f Field)> {
    let looks = |f: &Field| {
        let n = f.name.to_ascii_lowercase();
        matches!(kind(f), Kind::Scalar("integer" | "string"))
            && (n.ends_with("status") || n.ends_with("state") || f.description.contains("状态"))
    };
    let path = |f: &Field| {
        if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        }
    };
    if let Some(f) = fields
        .iter()
        .find(|f| looks(f) && !f.enum_values.is_empty())
    {
        return Some((path(f), f));
    }
    for f in fields.iter().filter(|f| kind(f) == Kind::Object) {
        if let Some(found) = status_field(&f.children, &path(f)) {
            return Some(found);
        }
    }
    fields.iter().find(|f| looks(f)).map(|f| (path(f), f))
}
