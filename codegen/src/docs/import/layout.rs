//! Where things are in a spec's text, line by line: its top-level keys' blocks and a list's
//! items, each with the comment lines above it, so that `write_into` can replace one part
//! and keep every other line (and comment) as it is.

use crate::yaml::Node;

/// A top-level key's lines: `start..end` from its key line to its last line (the comment and
/// blank lines at column 0 after it belong to the next key); `lead` is where the comments
/// above it begin.
pub(super) struct Block {
    pub key: String,
    pub lead: usize,
    pub start: usize,
    pub end: usize,
}

/// The top-level keys' blocks, in order.
pub(super) fn blocks(lines: &[&str]) -> Vec<Block> {
    let key_of = |l: &str| -> Option<String> {
        let (key, _) = l.split_once(':')?;
        (!key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .then(|| key.to_owned())
    };
    let starts: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| key_of(l).map(|k| (i, k)))
        .collect();
    let mut out: Vec<Block> = Vec::new();
    for (n, (start, key)) in starts.iter().enumerate() {
        let next = starts.get(n + 1).map_or(lines.len(), |(i, _)| *i);
        let mut end = next;
        while end > start + 1 {
            let l = lines.get(end - 1).copied().unwrap_or("");
            if l.trim().is_empty() || l.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        let lead = out.last().map_or(0, |b| b.end);
        out.push(Block {
            key: key.clone(),
            lead,
            start: *start,
            end,
        });
    }
    out
}

/// The lines of one item of a top-level list: `lead..end` with the comments above it,
/// `start..end` from its `- ` line on.
#[derive(Debug, Clone, Copy)]
pub(super) struct ItemLines {
    pub lead: usize,
    pub start: usize,
    pub end: usize,
}

/// The items of a top-level list block, `list` being its parsed items.
pub(super) fn items(lines: &[&str], block: &Block, list: &[Node]) -> Vec<ItemLines> {
    let starts: Vec<usize> = list.iter().map(|n| n.at.line.saturating_sub(1)).collect();
    let mut out = Vec::new();
    let mut lead = block.start + 1;
    for (i, start) in starts.iter().enumerate() {
        let next = starts.get(i + 1).copied().unwrap_or(block.end);
        let mut end = next;
        while end > start + 1 {
            let l = lines.get(end - 1).copied().unwrap_or("").trim_start();
            if l.is_empty() || l.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        out.push(ItemLines {
            lead,
            start: *start,
            end,
        });
        lead = end;
    }
    out
}

/// Whether the items lie one after another inside the block (a flow list `[{...}, {...}]`
/// does not).
pub(super) fn one_after_another(block: &Block, items: &[ItemLines]) -> bool {
    items
        .iter()
        .all(|i| block.start < i.lead && i.lead <= i.start && i.start < i.end && i.end <= block.end)
}
