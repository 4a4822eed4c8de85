//! An enum as the draft writes it: the page's values, each with a variant name taken from
//! the value (`docx` -> `Docx`) or from its meaning's English words, else a `TODO`.

use super::yaml_out::{Entry, Item, Y};
use crate::naming;
use docread::EnumValue;
use std::collections::BTreeSet;

/// The enum values of a field or parameter: `None` when an integer field lists a value that
/// is no integer (the values stay in its description).
pub(super) fn enum_values(values: &[EnumValue], ty: &str) -> Option<Y> {
    let integer = ty == "integer";
    if integer
        && values
            .iter()
            .any(|v| v.value.trim().parse::<i64>().is_err())
    {
        return None;
    }
    let mut taken: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for v in values {
        let value = v.value.trim();
        if !seen.insert(value.to_owned()) {
            continue;
        }
        let name = variant_name(value, &v.meaning).filter(|n| n != "Unknown" && !taken.contains(n));
        let name_entry = match name {
            Some(n) => {
                taken.push(n.clone());
                Entry::str("name", n)
            }
            None => Entry::str("name", "TODO an UpperCamelCase name for this value"),
        };
        let mut e = vec![
            if integer {
                Entry::raw("value", value)
            } else {
                Entry::str("value", value)
            },
            name_entry,
        ];
        if !v.meaning.is_empty() {
            e.push(Entry::str("description", &v.meaning));
        }
        items.push(Item::Node(Y::Map(e)));
    }
    Some(Y::Seq(items))
}

/// A variant name from the value (`docx` -> `Docx`, `open_id` -> `OpenId`), else from the
/// meaning's ASCII words (`Microsoft Word` -> `MicrosoftWord`).
fn variant_name(value: &str, meaning: &str) -> Option<String> {
    let from_value = naming::error_variant_from_message(value);
    if value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && from_value.is_some()
    {
        return from_value;
    }
    naming::error_variant_from_message(meaning)
}
