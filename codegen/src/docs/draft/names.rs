//! The names a draft gives: type names (the operation's `UpperCamel` name and the field's,
//! unique within the draft) and an error's `name:` where its message gives none (an enum's
//! variants are named in `enums`). The generator's naming rules decide each, so a draft's
//! names are those the generated code will use.

use super::yaml_out::Entry;
use crate::naming;
use crate::reserved;
use std::collections::BTreeSet;

/// The type names of one draft: each new one the first candidate not taken yet.
pub(super) struct TypeNames {
    /// `UpperCamel` of the operation: the prefix of every type name.
    op_type: String,
    taken: BTreeSet<String>,
}

impl TypeNames {
    /// The names of a draft for `operation` (`create_export_task`).
    pub fn new(operation: &str) -> Self {
        TypeNames {
            op_type: naming::type_name(operation),
            taken: BTreeSet::new(),
        }
    }

    /// The operation's type name followed by each suffix, the first one free (`Data`,
    /// `Reply` for the reply).
    pub fn of_operation(&mut self, suffixes: &[&str]) -> String {
        let candidates: Vec<String> = suffixes
            .iter()
            .map(|s| format!("{}{s}", self.op_type))
            .collect();
        self.claim(&candidates)
    }

    /// A new type name: the first candidate no other type of this draft has taken.
    fn claim(&mut self, candidates: &[String]) -> String {
        let fallback = candidates.last().cloned().unwrap_or_default();
        for c in candidates {
            if naming::is_upper_camel(c) && !self.taken.contains(c) {
                self.taken.insert(c.clone());
                return c.clone();
            }
        }
        let mut n = 2;
        loop {
            let c = format!("{fallback}{n}");
            if !self.taken.contains(&c) {
                self.taken.insert(c.clone());
                return c;
            }
            n += 1;
        }
    }

    /// The name of a field's nested object or enum: the operation's type name and the
    /// field's, else the enclosing type's and the field's. An array's element is named in
    /// the singular by the regular English plurals (`mentions` -> `Mention`, `entries` ->
    /// `Entry`, `statuses` -> `Status`, `boxes` -> `Box`); anything else keeps its name.
    pub fn nested(&mut self, parent: &str, field: &str, element: bool) -> String {
        let own = naming::type_name(field);
        let own = if element { singular(&own) } else { own };
        let op = self.op_type.clone();
        self.claim(&[format!("{op}{own}"), format!("{parent}{own}")])
    }
}

/// The `name:` an error needs: none when its message gives a usable, unique variant name;
/// the code's when the code gives one (DingTalk's `paramError`); the message's and the
/// code's when another code has the same message; else a TODO.
pub(super) fn error_name(
    message: &str,
    code: &str,
    taken: &mut Vec<(String, String)>,
) -> Option<Entry> {
    let usable = |n: &String, taken: &Vec<(String, String)>| {
        !reserved::ERROR_VARIANTS.contains(&n.as_str()) && !taken.iter().any(|(t, _)| t == n)
    };
    let from_message = naming::error_variant_from_message(message);
    if let Some(n) = &from_message
        && usable(n, taken)
    {
        taken.push((n.clone(), code.to_owned()));
        return None;
    }
    if let Some(n) = naming::error_variant_from_message(code)
        && usable(&n, taken)
    {
        taken.push((n.clone(), code.to_owned()));
        return Some(Entry::str("name", n));
    }
    // A message another code gave first: the name and the code (`InternalError1069903`), as
    // the specs name such twins.
    if let Some(n) = &from_message
        && !reserved::ERROR_VARIANTS.contains(&n.as_str())
    {
        let suffix = naming::type_name(code);
        let twin = format!("{n}{suffix}");
        if naming::is_upper_camel(&twin) && usable(&twin, taken) {
            taken.push((twin.clone(), code.to_owned()));
            return Some(Entry::str("name", twin));
        }
    }
    let why = match &from_message {
        None => "its message gives no variant name".to_owned(),
        Some(n) if reserved::ERROR_VARIANTS.contains(&n.as_str()) => {
            format!("`{n}` is reserved by the generator")
        }
        Some(n) => {
            let other = taken
                .iter()
                .find(|(t, _)| t == n)
                .map_or(String::new(), |(_, c)| c.clone());
            format!("its message gives `{n}`, as code {other}'s does")
        }
    };
    Some(Entry::str(
        "name",
        format!("TODO an UpperCamelCase variant name ({why})"),
    ))
}

/// The singular of a type name's last word by the regular English plurals, or the name.
fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{stem}y");
    }
    for ending in ["sses", "ses", "xes", "ches", "shes"] {
        if let Some(stem) = plural.strip_suffix(ending)
            && !stem.is_empty()
        {
            // Drop the `es` only: `statuses` -> `status`, `boxes` -> `box`.
            return plural[..plural.len() - 2].to_owned();
        }
    }
    match plural.strip_suffix('s') {
        Some(one) if !one.is_empty() && !one.ends_with(['s', 'u']) => one.to_owned(),
        _ => plural.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn array_elements_are_named_in_the_singular_by_regular_plurals() {
        for (plural, one) in [
            ("Mentions", "Mention"),
            ("Items", "Item"),
            ("Entries", "Entry"),
            ("Statuses", "Status"),
            ("Addresses", "Address"),
            ("Boxes", "Box"),
            ("Branches", "Branch"),
            ("Status", "Status"),
            ("Children", "Children"),
            ("S", "S"),
        ] {
            assert_eq!(super::singular(plural), one, "{plural}");
        }
    }
}
