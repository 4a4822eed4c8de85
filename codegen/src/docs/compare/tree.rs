//! Looking things up in a spec-shaped YAML tree (a spec, or a draft read back), without
//! decoding it: a spec being edited may not decode (a `retryable: TODO`), and both the
//! comparison and `write_into` read it as it is.

use crate::yaml::{Key, Node, Value};

/// The value under `key` in a mapping.
pub(crate) fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    entry(node, key).map(|(_, v)| v)
}

/// The key and value under `key` in a mapping.
pub(crate) fn entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Key, &'n Node)> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// A scalar's text.
pub(crate) fn text(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

/// A list's items; none for anything else.
pub(crate) fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}
