//! `write_into`'s `errors:`: rebuilt in the page's order from the draft's entries, an error
//! the comparison finds unchanged kept line for line, a changed one the draft's with the
//! spec's own parts (`retryable`, `name`, an authored hint) carried over by code.

use super::layout::{Block, ItemLines, blocks, items, one_after_another};
use crate::docs::compare::{Comparison, get, text};
use crate::docs::draft::scalar;
use crate::yaml::{self, Node};
use std::ops::Range;

/// Lines of the spec to replace.
pub(super) struct Splice {
    /// The lines replaced (empty: where the new ones go).
    pub old: Range<usize>,
    pub new: Vec<String>,
}

/// The new lines of the spec's `errors:` block (its key line to its end) and the lines they
/// replace, or `None` when nothing is to change. `comparison` is the page's with the spec.
pub(super) fn rebuild_errors(
    spec_lines: &[String],
    draft_lines: &[&str],
    draft_root: &Node,
    comparison: &Comparison,
) -> Result<Option<Splice>, String> {
    let draft_errors = seq_of(draft_root);
    if draft_errors.is_empty() {
        return Ok(None);
    }
    let spec_text = spec_lines.join("\n");
    let spec_root = yaml::parse(&spec_text)
        .ok()
        .flatten()
        .ok_or("internal error: the spec stopped parsing")?;
    let spec_refs: Vec<&str> = spec_lines.iter().map(String::as_str).collect();
    let spec_blocks = blocks(&spec_refs);
    let draft_blocks = blocks(draft_lines);
    let Some(draft_block) = draft_blocks.iter().find(|b| b.key == "errors") else {
        return Ok(None);
    };
    let draft_items = items(draft_lines, draft_block, draft_errors);
    let spec_errors = seq_of(&spec_root);
    let spec_block = spec_blocks.iter().find(|b| b.key == "errors");
    let spec_items = spec_block
        .map(|b| items(&spec_refs, b, spec_errors))
        .unwrap_or_default();
    if !one_after_another(draft_block, &draft_items)
        || spec_block.is_some_and(|b| !one_after_another(b, &spec_items))
    {
        return Err("`errors:` is not a block list of one item after another: not updated".into());
    }
    let draft = Side {
        lines: draft_lines,
        errors: draft_errors,
        items: &draft_items,
    };
    let spec = Side {
        lines: &spec_refs,
        errors: spec_errors,
        items: &spec_items,
    };
    let out = rebuilt(&draft, draft_block, &spec, comparison);
    match spec_block {
        Some(b) => {
            let old: Vec<&str> = spec_refs[b.start..b.end].to_vec();
            if old == out.iter().map(String::as_str).collect::<Vec<_>>() {
                return Ok(None);
            }
            Ok(Some(Splice {
                old: b.start..b.end,
                new: out,
            }))
        }
        None => Ok(Some(Splice {
            old: spec_lines.len()..spec_lines.len(),
            new: out,
        })),
    }
}

/// The `errors:` list of a tree.
fn seq_of(root: &Node) -> &[Node] {
    crate::docs::compare::seq(get(root, "errors"))
}

/// The error list of a spec or draft: its lines, its parsed items and each item's lines.
struct Side<'a> {
    lines: &'a [&'a str],
    errors: &'a [Node],
    items: &'a [ItemLines],
}

impl Side<'_> {
    fn code_of(node: &Node) -> &str {
        text(get(node, "code")).unwrap_or("")
    }

    /// The item with `code`, and its lines.
    fn find(&self, code: &str) -> Option<(&Node, &ItemLines)> {
        self.errors
            .iter()
            .zip(self.items)
            .find(|(s, _)| text(get(s, "code")) == Some(code))
    }

    fn lines(&self, range: Range<usize>) -> impl Iterator<Item = String> + '_ {
        self.lines[range].iter().map(|l| (*l).to_owned())
    }
}

/// The `errors:` block's new lines: the draft's codes in its order (with the comments it
/// opens its list with and puts above an item), each kept, changed or new; then the codes
/// the page no longer lists that an override keeps.
fn rebuilt(
    draft: &Side<'_>,
    draft_block: &Block,
    spec: &Side<'_>,
    comparison: &Comparison,
) -> Vec<String> {
    // Changed: a difference in one of its attributes no override accepts.
    let changed = |code: &str| {
        let prefix = format!("errors.{code}.");
        comparison.unaccepted().any(|d| d.fact.starts_with(&prefix))
    };
    let mut out = vec!["errors:".to_owned()];
    // Comment lines the draft's list opens with (codes left out) come before the first item.
    let first_draft = draft.items.first().map_or(draft_block.end, |i| i.lead);
    out.extend(draft.lines(draft_block.start + 1..first_draft));
    for (d, item) in draft.errors.iter().zip(draft.items) {
        let code = Side::code_of(d);
        // The draft's own comment lines before this item (codes left out).
        out.extend(draft.lines(item.lead..item.start));
        match spec.find(code) {
            Some((_, old)) if !changed(code) => out.extend(spec.lines(old.lead..old.end)),
            Some((s, old)) => {
                out.extend(spec.lines(old.lead..old.start));
                out.extend(carried(s, d, &draft.lines[item.start..item.end]));
            }
            None => out.extend(draft.lines(item.start..item.end)),
        }
    }
    // Codes the page no longer lists, kept where an override names them.
    for (s, old) in spec.errors.iter().zip(spec.items) {
        let code = Side::code_of(s);
        let fact = format!("errors.{code}");
        let overridden = comparison.overrides.iter().any(|o| o.fact == fact);
        if draft.find(code).is_none() && overridden {
            out.extend(spec.lines(old.lead..old.end));
        }
    }
    out
}

/// A changed error: the draft's lines, with the spec's `retryable` and `name` (and its hint
/// and `source`, when the page gives no hint) in place of the draft's.
fn carried(spec: &Node, draft: &Node, draft_item: &[&str]) -> Vec<String> {
    let key_indent = draft_item
        .iter()
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .map_or(4, |l| l.len() - l.trim_start().len());
    let pad = " ".repeat(key_indent);
    let retryable = text(get(spec, "retryable")).unwrap_or("false").to_owned();
    let mut out: Vec<String> = Vec::new();
    let mut named = false;
    for line in draft_item {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body);
        if body.starts_with("retryable:") {
            let prefix = &line[..line.len() - line.trim_start().len()];
            let dash = if line.trim_start().starts_with("- ") {
                "- "
            } else {
                ""
            };
            out.push(format!("{prefix}{dash}retryable: {retryable}"));
            continue;
        }
        if body.starts_with("name:") {
            named = true;
            if let Some(name) = text(get(spec, "name")) {
                let prefix = &line[..line.len() - line.trim_start().len()];
                let dash = if line.trim_start().starts_with("- ") {
                    "- "
                } else {
                    ""
                };
                out.push(format!("{prefix}{dash}name: {}", scalar(name, false)));
                continue;
            }
        }
        out.push((*line).to_owned());
        if body.starts_with("code:")
            && !named
            && let Some(name) = text(get(spec, "name"))
            && get(draft, "name").is_none()
        {
            out.push(format!("{pad}name: {}", scalar(name, false)));
            named = true;
        }
    }
    if get(draft, "hint").is_none()
        && let Some(hint) = text(get(spec, "hint"))
    {
        out.push(format!("{pad}hint: {}", scalar(hint, false)));
        if let Some(source) = text(get(spec, "source")) {
            out.push(format!("{pad}source: {}", scalar(source, false)));
        }
    }
    out
}
