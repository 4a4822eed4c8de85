//! The draft's `params:`: the path template's parameters (each from the page's table, or a
//! `TODO` where the table lacks it), then the query and header parameters, with their types,
//! `required`, limits, examples and enums. Headers the client sends itself (the token, the
//! body's type) are left out.

use super::enums::enum_values;
use super::kind::{Kind, kind};
use super::names::TypeNames;
use super::yaml_out::{Entry, Item, Y};
use crate::naming;
use crate::path_template::PathTemplate;
use docread::{Facts, Field};

/// Every parameter of the page whose path is `path`.
pub(super) fn params(
    facts: &Facts,
    path: &str,
    auth_header: &str,
    names: &mut TypeNames,
) -> Vec<Item> {
    let auth = auth_header.to_ascii_lowercase();
    let mut items = Vec::new();
    let template = PathTemplate::parse(path.to_owned());
    for name in template.params() {
        match facts.path_params.iter().find(|p| p.name == name) {
            Some(p) => items.push(param(p, "path", names)),
            None => items.push(Item::Node(Y::Map(vec![
                Entry::str("name", name).with_comments(vec![format!(
                    "`{{{name}}}` is in the page's path but not in its table of path parameters."
                )]),
                Entry::str("in", "path"),
                Entry::str("type", "string"),
                Entry::raw("required", "true"),
                Entry::str("description", "TODO describe this path parameter"),
                Entry::str("summary", "TODO English summary"),
            ]))),
        }
    }
    for p in &facts.path_params {
        if !template.params().any(|n| n == p.name) {
            items.push(Item::Comments(vec![format!(
                "Left out: path parameter `{}` is not in the path `{path}`.",
                p.name
            )]));
        }
    }
    for p in &facts.query_params {
        items.push(param(p, "query", names));
    }
    for p in &facts.header_params {
        let lower = p.name.to_ascii_lowercase();
        // The client sends these itself: the token and the body's type.
        if lower != auth && lower != "content-type" {
            items.push(param(p, "header", names));
        }
    }
    items
}

fn param(p: &Field, location: &str, names: &mut TypeNames) -> Item {
    let mut e = vec![Entry::str("name", &p.name), Entry::str("in", location)];
    let k = kind(p);
    match &k {
        Kind::Scalar(t) => e.push(Entry::str("type", *t)),
        Kind::Array(t) => {
            e.push(Entry::str("type", "array"));
            e.push(Entry::str("items", *t));
        }
        _ => e.push(Entry::raw(
            "type",
            format!("TODO the page types it `{}`", p.ty.trim()),
        )),
    }
    match (location, p.required) {
        ("path", _) => e.push(Entry::raw("required", "true")),
        (_, Some(r)) => e.push(Entry::raw("required", r.to_string())),
        (_, None) => e.push(
            Entry::raw("required", "TODO true or false").with_trailing("the page does not say"),
        ),
    }
    if let (Some(n), Kind::Scalar("string")) = (p.max_length, &k) {
        e.push(Entry::raw("max_length", n.to_string()));
    }
    if let Some(x) = &p.example {
        e.push(Entry::str("example", x));
    }
    e.push(Entry::str("description", &p.description));
    e.push(Entry::str("summary", "TODO English summary"));
    if let Kind::Scalar(t @ ("integer" | "string")) = k
        && !p.enum_values.is_empty()
    {
        let own = naming::type_name(&p.name);
        let name = names.of_operation(&[&own, &format!("{own}Param")]);
        if let Some(values) = enum_values(&p.enum_values, t) {
            e.push(Entry::new(
                "enum",
                Y::Map(vec![Entry::str("name", name), Entry::new("values", values)]),
            ));
        }
    }
    Item::Node(Y::Map(e))
}
