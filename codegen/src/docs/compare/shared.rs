//! A spec's references to what its provider declares once, expanded in its YAML tree before
//! it is compared with its page (which states everything in place): `enum: Name` and
//! `object: Name` become the declaration of `Name` from provider.yaml's `types:`, and
//! `errors_from: table` puts the table's entries before the spec's `errors:`. A name that
//! resolves to nothing stays as written (loading reports it).

use crate::yaml::{Key, Node, Value};

/// Expands `spec` in place with `declared`, provider.yaml's `types` and `error_tables` as
/// written ([`ProviderSpec::declared`](crate::spec::ProviderSpec)).
pub(crate) fn expand(spec: &mut Node, declared: &Node) {
    let types = entries(declared, "types");
    expand_node(spec, &types, 0);
    let tables = entries(declared, "error_tables");
    let Value::Map(pairs) = &mut spec.value else {
        return;
    };
    let Some((at, table)) = pairs
        .iter()
        .find(|(k, _)| k.name == "errors_from")
        .and_then(|(_, v)| Some((v.at, named(&tables, &scalar(v)?)?)))
        .and_then(|(at, t)| Some((at, field(t, "errors")?.clone())))
    else {
        return;
    };
    let Value::Seq(mut shared) = table.value else {
        return;
    };
    for entry in &mut shared {
        relocate(entry, at);
    }
    match pairs.iter_mut().find(|(k, _)| k.name == "errors") {
        Some((
            _,
            Node {
                value: Value::Seq(own),
                ..
            },
        )) => {
            own.splice(0..0, shared);
        }
        // Not a list: loading reports it; nothing to compare.
        Some(_) => {}
        None => pairs.push((
            Key {
                name: "errors".into(),
                at: spec.at,
            },
            Node {
                at: spec.at,
                value: Value::Seq(shared),
            },
        )),
    }
}

/// Replaces every `enum:`/`object:` scalar under `node` with its declaration.
fn expand_node(node: &mut Node, types: &[Node], depth: usize) {
    // Declarations may name one another; a cycle stops here (loading reports it).
    if depth > 16 {
        return;
    }
    match &mut node.value {
        Value::Map(pairs) => {
            for (key, value) in pairs.iter_mut() {
                if matches!(key.name.as_str(), "enum" | "object")
                    && let Some(name) = scalar(value)
                    && let Some(declared) = named(types, &name)
                {
                    let at = value.at;
                    *value = declared.clone();
                    expand_node(value, types, depth + 1);
                    relocate(value, at);
                } else {
                    expand_node(value, types, depth);
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                expand_node(item, types, depth);
            }
        }
        Value::Scalar { .. } => {}
    }
}

/// Puts a copied declaration at the line that refers to it: a difference in it is
/// reported there, in the spec that uses it (where `overrides:` can accept it).
fn relocate(node: &mut Node, at: crate::diag::Location) {
    node.at = at;
    match &mut node.value {
        Value::Map(pairs) => {
            for (key, value) in pairs {
                key.at = at;
                relocate(value, at);
            }
        }
        Value::Seq(items) => {
            for item in items {
                relocate(item, at);
            }
        }
        Value::Scalar { .. } => {}
    }
}

fn entries(root: &Node, key: &str) -> Vec<Node> {
    match field(root, key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn named<'a>(entries: &'a [Node], name: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|e| field(e, "name").and_then(scalar).as_deref() == Some(name))
}

fn field<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(pairs) => pairs.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Scalar { text, .. } => Some(text.clone()),
        _ => None,
    }
}
