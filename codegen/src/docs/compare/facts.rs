//! A spec-shaped YAML tree (a spec, or a page's draft read back) as a flat list of facts, each
//! named as `overrides:` names it: an entity (`params.token`, `errors.1069901`,
//! `response.result.job_status=0`, `scopes.docs:doc`, `body`) or a top-level value (`title`),
//! and which attribute of it (`type`), if any. Only what a page states is listed: summaries,
//! type and variant names, waiters, `retryable`, chains, a reply field's `required` and an
//! authored hint are the spec's own.

use super::difference::Override;
use super::tree::{entry, get, seq, text};
use crate::yaml::Node;

/// Top-level keys whose value is one text the page states.
pub(crate) const SCALAR_KEYS: &[&str] = &[
    "title",
    "description",
    "doc",
    "url",
    "updated",
    "method",
    "path",
];

/// A parameter's attributes.
const PARAM_ATTRS: &[&str] = &[
    "in",
    "type",
    "items",
    "required",
    "max_length",
    "example",
    "description",
];

/// A request body field's attributes.
const BODY_ATTRS: &[&str] = &[
    "type",
    "items",
    "required",
    "max_length",
    "example",
    "description",
];

/// A reply field's attributes (its `required` is the spec's own: the pages require none).
const REPLY_ATTRS: &[&str] = &["type", "items", "description"];

/// One fact of a spec or draft.
#[derive(Debug, Clone)]
pub(super) struct Fact {
    /// The entity it is about, or the top-level key.
    pub key: String,
    /// Which attribute of the entity, if any.
    pub attr: Option<String>,
    /// Its text; an entity's is its description (a scope's, an enum value's), often empty.
    pub value: String,
    /// A parameter, field, enum value, scope, token kind, app type, error code or the body.
    pub entity: bool,
    /// Compared as JSON (the examples).
    pub json: bool,
    /// The tree's line for it: its entity's (the line of a parameter's `name:`, an error's
    /// `code:`, an enum value's `value:`), else its key's.
    pub line: usize,
}

impl Fact {
    /// As the docs check and `overrides:` name it: `params.token.type`.
    pub fn name(&self) -> String {
        match &self.attr {
            Some(a) => format!("{}.{a}", self.key),
            None => self.key.clone(),
        }
    }

    /// The enclosing entity and how this one hangs from it (`.` a member, `=` an enum value).
    pub fn parent(&self) -> (&str, char) {
        parent(&self.key)
    }

    /// The keys the fact is inside, innermost first: an attribute's entity, else the one
    /// it hangs from, then each one above (`body.point.mount_type` for
    /// `body.point.mount_type=2`, then `body.point`, then `body`).
    pub fn enclosing(&self) -> impl Iterator<Item = &str> {
        let first = match self.attr {
            Some(_) => self.key.as_str(),
            None => parent(&self.key).0,
        };
        std::iter::successors(Some(first), |k| Some(parent(k).0)).take_while(|k| !k.is_empty())
    }
}

/// The key a key hangs from and how (`.` a member, `=` an enum value); `("", '.')` at the top.
/// A name may hold a `.` where it is one name (a scope `contact:user.employee_id:readonly`,
/// an error code), and an enum value anything after its `=`.
pub(super) fn parent(key: &str) -> (&str, char) {
    if let Some((entity, _)) = key.split_once('=') {
        return (entity, '=');
    }
    let Some((area, _)) = key.split_once('.') else {
        return ("", '.');
    };
    if matches!(area, "scopes" | "token_kinds" | "app_types" | "errors") {
        return (area, '.');
    }
    match key.rfind('.') {
        Some(at) => (key.get(..at).unwrap_or(""), '.'),
        None => ("", '.'),
    }
}

/// The facts of one tree, as they are read.
struct Facts {
    list: Vec<Fact>,
    absent: Absent,
}

impl Facts {
    fn push(&mut self, key: String, attr: Option<&str>, value: &str, entity: bool, line: usize) {
        self.list.push(Fact {
            key,
            attr: attr.map(str::to_owned),
            value: value.to_owned(),
            entity,
            json: false,
            line,
        });
    }

    fn entity(&mut self, key: String, value: &str, line: usize) {
        self.push(key, None, value, true, line);
    }

    fn attr(&mut self, key: &str, attr: &str, value: &str, line: usize) {
        self.push(key.to_owned(), Some(attr), value, false, line);
    }

    /// Each of `attrs` the node states, as attributes of `key`.
    fn attrs(&mut self, node: &Node, key: &str, attrs: &[&str], line: usize) {
        for attr in attrs {
            if let Some(v) = text(get(node, attr)) {
                self.attr(key, attr, v, line);
            }
        }
    }

    /// The text under `key` in `node` as the fact `name`, on its key's line.
    fn top(&mut self, node: &Node, key: &str, name: &str, json: bool) {
        if let Some((k, v)) = entry(node, key)
            && let Some(value) = text(Some(v))
        {
            self.list.push(Fact {
                key: name.to_owned(),
                attr: None,
                value: value.to_owned(),
                entity: false,
                json,
                line: k.at.line,
            });
        }
    }
}

/// What a value a tree leaves out stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Absent {
    /// In a spec, the format's default: a body field without `required` is optional.
    Default,
    /// In a draft, nothing: the page does not say.
    Unstated,
}

/// The facts of a spec-shaped tree, in the order a spec states them.
pub(super) fn facts(root: &Node, absent: Absent) -> Vec<Fact> {
    let mut out = Facts {
        list: Vec::new(),
        absent,
    };
    for &key in SCALAR_KEYS {
        out.top(root, key, key, false);
    }
    access(root, &mut out);
    if let Some((k, limit)) = entry(root, "rate_limit") {
        out.attrs(
            limit,
            "rate_limit",
            &["per_minute", "per_second"],
            k.at.line,
        );
    }
    for (p, key, line) in keyed(root, "params", "name") {
        out.entity(key.clone(), "", line);
        out.attrs(p, &key, PARAM_ATTRS, line);
        enum_facts(p, &key, &mut out);
    }
    if let Some((k, body)) = entry(root, "body") {
        let line = k.at.line;
        out.entity("body".into(), "", line);
        out.attrs(body, "body", &["content"], line);
        if let Some(v) = get(body, "file").and_then(|f| text(get(f, "name"))) {
            out.attr("body", "file", v, line);
        }
        field_facts(seq(get(body, "fields")), "body", true, &mut out);
    }
    if let Some((k, response)) = entry(root, "response") {
        out.attrs(response, "response", &["content"], k.at.line);
        field_facts(seq(get(response, "fields")), "response", false, &mut out);
    }
    errors(root, &mut out);
    if let Some(body) = get(root, "body") {
        out.top(body, "example", "body.example", true);
    }
    out.top(root, "example", "example", true);
    out.list
}

/// Token kinds, app types and scopes: entities, a scope's description its value.
fn access(root: &Node, out: &mut Facts) {
    for key in ["token_kinds", "app_types"] {
        for n in seq(get(root, key)) {
            if let Some(v) = text(Some(n)) {
                out.entity(format!("{key}.{v}"), "", n.at.line);
            }
        }
    }
    for s in seq(get(root, "scopes")) {
        if let Some(scope) = get(s, "scope")
            && let Some(name) = text(Some(scope))
        {
            let description = text(get(s, "description")).unwrap_or("");
            out.entity(format!("scopes.{name}"), description, scope.at.line);
        }
    }
}

/// The entries of the list `list` that have a text `id`, each with its fact key
/// (`params.folder_token`, `errors.1069902`) and the line of its id.
fn keyed<'n>(
    root: &'n Node,
    list: &'n str,
    id: &'n str,
) -> impl Iterator<Item = (&'n Node, String, usize)> {
    seq(get(root, list)).iter().filter_map(move |entry| {
        let id = get(entry, id)?;
        Some((entry, format!("{list}.{}", text(Some(id))?), id.at.line))
    })
}

/// The error table: each code an entity, its HTTP status, message and (unless authored, with
/// a `source:`) hint its attributes.
fn errors(root: &Node, out: &mut Facts) {
    for (e, key, line) in keyed(root, "errors", "code") {
        out.entity(key.clone(), "", line);
        out.attrs(e, &key, &["http_status", "message"], line);
        // An authored hint is the project's, not the page's.
        if get(e, "source").is_none() {
            out.attrs(e, &key, &["hint"], line);
        }
    }
}

/// Body or reply fields, nested objects' fields after their own.
fn field_facts(fields: &[Node], prefix: &str, request: bool, out: &mut Facts) {
    for f in fields {
        let Some(name) = get(f, "name") else {
            continue;
        };
        let Some(name_text) = text(Some(name)) else {
            continue;
        };
        let key = format!("{prefix}.{name_text}");
        let line = name.at.line;
        out.entity(key.clone(), "", line);
        let attrs = if request { BODY_ATTRS } else { REPLY_ATTRS };
        out.attrs(f, &key, attrs, line);
        // `required` defaults to false in a request body.
        if request && out.absent == Absent::Default && get(f, "required").is_none() {
            out.attr(&key, "required", "false", line);
        }
        enum_facts(f, &key, out);
        if let Some(object) = get(f, "object") {
            field_facts(seq(get(object, "fields")), &key, request, out);
        }
    }
}

/// A parameter's or field's enum values: entities `key=value`, a value's description theirs.
fn enum_facts(node: &Node, key: &str, out: &mut Facts) {
    let values = get(node, "enum").map_or(&[][..], |e| seq(get(e, "values")));
    for v in values {
        if let Some(value) = get(v, "value")
            && let Some(value_text) = text(Some(value))
        {
            out.entity(
                format!("{key}={value_text}"),
                text(get(v, "description")).unwrap_or(""),
                value.at.line,
            );
        }
    }
}

/// The spec's `overrides:`, each by its `fact:`.
pub(super) fn overrides(root: &Node) -> Vec<Override> {
    seq(get(root, "overrides"))
        .iter()
        .filter_map(|o| {
            let fact = get(o, "fact")?;
            Some(Override {
                fact: text(Some(fact))?.to_owned(),
                line: fact.at.line,
            })
        })
        .collect()
}
