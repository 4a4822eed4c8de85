//! The draft itself: a page's facts turned into the entries of an endpoint spec, with the
//! generator's naming rules, and `TODO` where only a person can decide.

use super::json::Json;
use super::yaml_out::{Entry, Item, Y};
use super::{ImportRequest, TODO_RETRYABLE};
use crate::naming;
use crate::path_template::PathTemplate;
use crate::reserved;
use crate::spec::{CodeType, EnvelopeStyle, ProviderSpec};
use docread::{EnumValue, Facts, Field, Page};
use std::collections::BTreeSet;

/// The comment above an `example:` the draft made up (a download's page shows none): not a
/// page fact, so `write_into` leaves a spec's own example alone.
pub(super) const NO_REPLY_EXAMPLE: &str =
    "The page shows no reply example: a JSON error built from its first error row.";

/// The default waiter delays (README: "Spec defaults: 3 s, 30 s, 600 s").
const MIN_DELAY: u32 = 3;
const MAX_DELAY: u32 = 30;
const MAX_WAIT: u32 = 600;

/// What a page's type text stands for in the spec format.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `string`, `integer`, `number` or `boolean`.
    Scalar(&'static str),
    /// An array of scalars.
    Array(&'static str),
    /// `array`/`list` with no element type and no fields.
    ArrayUnknown,
    /// An array of objects: `type: array` with the element's `object:` (the row's fields).
    ArrayOfObjects,
    Object,
    /// `map<K, V>`: `Some(V)` for a scalar value type, `None` for objects (the row's fields).
    Map(Option<&'static str>),
    /// A multipart form's file part.
    File,
    /// A type the draft cannot map.
    Unknown,
}

fn scalar_type(t: &str) -> Option<&'static str> {
    Some(match t.trim() {
        "string" | "str" => "string",
        "int" | "integer" | "int32" | "int64" | "long" | "short" => "integer",
        "float" | "double" | "number" | "decimal" => "number",
        "boolean" | "bool" => "boolean",
        _ => return None,
    })
}

fn kind(f: &Field) -> Kind {
    let t = f.ty.trim().to_ascii_lowercase();
    let fields = !f.children.is_empty();
    if let Some(s) = scalar_type(&t) {
        return Kind::Scalar(s);
    }
    let element = t
        .strip_suffix("[]")
        .or_else(|| t.strip_prefix("array<").and_then(|r| r.strip_suffix('>')))
        .or_else(|| t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')));
    if let Some(element) = element {
        return match scalar_type(element) {
            Some(s) => Kind::Array(s),
            None => Kind::ArrayOfObjects,
        };
    }
    match t.as_str() {
        "object" => Kind::Object,
        "file" | "binary" => Kind::File,
        "array" | "list" if fields => Kind::ArrayOfObjects,
        "array" | "list" => Kind::ArrayUnknown,
        _ if t.starts_with("map") => {
            let value = t
                .split_once(',')
                .map(|(_, v)| v.trim().trim_end_matches('>').trim());
            match value.and_then(scalar_type) {
                Some(s) if !fields => Kind::Map(Some(s)),
                _ if fields => Kind::Map(None),
                _ => Kind::Unknown,
            }
        }
        // A named type (`import_task_mount_point`) with its fields listed under it.
        _ if fields => Kind::Object,
        _ => Kind::Unknown,
    }
}

/// Where a field sits: request fields have `required` and `max_length` as the page says;
/// reply fields are `required` only where the page says so.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Body,
    Reply,
}

/// How many times an object type the page refers back to (`children | dropdown_option[] |
/// 同上`, listed without fields inside a `dropdown_option` whose fields it lists) is repeated
/// with those fields below where the page lists them: Feishu's nested dropdown options go
/// three levels deep. Deeper, its objects have no fields (and a comment says why).
const REPEATS: usize = 2;

/// An object a field is in, as the draft gives it.
#[derive(Debug, Clone)]
struct Level<'f> {
    /// The page's name of its type, when it names one (`dropdown_option`).
    ty: Option<String>,
    /// Its fields: the page's, or those of the type's object above when the page lists none.
    fields: &'f [Field],
    /// Its fields are those of an object above.
    repeated: bool,
}

impl<'f> Level<'f> {
    /// The object of field `f` (of an object field, or the element of an array or the value
    /// of a map of objects), and a comment when its fields are not the page's own.
    fn of(f: &'f Field, above: &[Level<'f>]) -> (Level<'f>, Option<String>) {
        let ty = page_type_name(f);
        let own = Level {
            ty: ty.clone(),
            fields: &f.children,
            repeated: false,
        };
        let Some(ty) = ty.filter(|_| f.children.is_empty()) else {
            return (own, None);
        };
        let Some(source) = above
            .iter()
            .rev()
            .find(|l| l.ty.as_deref() == Some(ty.as_str()) && !l.fields.is_empty())
        else {
            return (own, None);
        };
        if above.iter().filter(|l| l.repeated).count() >= REPEATS {
            let comment = format!(
                "`{ty}` again, {REPEATS} levels below where the page lists its fields: not repeated deeper, so no fields."
            );
            return (own, Some(comment));
        }
        let comment = format!("The fields the page lists for `{ty}` above, repeated here.");
        let level = Level {
            ty: Some(ty),
            fields: source.fields,
            repeated: true,
        };
        (level, Some(comment))
    }
}

/// The page's name of a field's object type, or of its elements' (`dropdown_option[]` ->
/// `dropdown_option`); `None` for a scalar or a type that names nothing (`object`).
fn page_type_name(f: &Field) -> Option<String> {
    let t = f.ty.trim().to_ascii_lowercase();
    let element = t
        .strip_suffix("[]")
        .or_else(|| t.strip_prefix("array<").and_then(|r| r.strip_suffix('>')))
        .or_else(|| t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')))
        .unwrap_or(&t)
        .trim();
    let names_a_type = naming::is_snake_ident(element)
        && scalar_type(element).is_none()
        && !matches!(
            element,
            "object" | "array" | "list" | "map" | "file" | "binary"
        );
    names_a_type.then(|| element.to_owned())
}

pub(super) struct Draft<'a> {
    request: &'a ImportRequest<'a>,
    provider: &'a ProviderSpec,
    /// `UpperCamel` of the operation: the prefix of every type name.
    op_type: String,
    /// Type names taken in this draft.
    types: BTreeSet<String>,
}

/// The id's resource and verb (`feishu.drive.export_task.create` -> `export_task`, `create`).
pub(super) fn resource_and_verb<'i>(
    id: &'i str,
    provider: &str,
) -> Result<(&'i str, &'i str), String> {
    let segments: Vec<&str> = id.split('.').collect();
    let ok = segments.len() >= 3
        && segments.first() == Some(&provider)
        && segments.iter().all(|s| naming::is_snake_ident(s));
    match (ok, segments.as_slice()) {
        (true, [.., resource, verb]) => Ok((resource, verb)),
        _ => Err(format!(
            "the id `{id}` is not `{provider}.area.resource.verb` (snake_case segments, starting with the provider)"
        )),
    }
}

impl<'a> Draft<'a> {
    pub fn new(request: &'a ImportRequest<'a>, provider: &'a ProviderSpec) -> Self {
        Draft {
            request,
            provider,
            op_type: String::new(),
            types: BTreeSet::new(),
        }
    }

    /// The draft's top-level entries, or why the page cannot give one.
    pub fn entries(&mut self, page: &Page) -> Result<Vec<Entry>, String> {
        let facts = &page.facts;
        let shown = self.request.page_path;
        let method = facts
            .method
            .as_ref()
            .map(|m| m.value.trim().to_ascii_uppercase())
            .ok_or_else(|| format!("{shown}: the page states no HTTP method"))?;
        if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
            return Err(format!(
                "{shown}: the page's HTTP method `{method}` is none of GET, POST, PUT, PATCH, DELETE"
            ));
        }
        let path = facts
            .path
            .as_ref()
            .map(|p| p.value.trim().to_owned())
            .filter(|p| p.starts_with('/'))
            .ok_or_else(|| format!("{shown}: the page states no request path"))?;
        let (resource, verb) = resource_and_verb(self.request.id, self.request.provider)?;
        let operation = format!("{verb}_{resource}");
        self.op_type = naming::type_name(&operation);

        let mut top = Vec::new();
        let mut header = vec![
            format!("Drafted by `cargo xtask docs import` from {shown}."),
            "Fill in every TODO (the spec is refused until each is), check the names, then run"
                .to_owned(),
            "`cargo xtask gen`.".to_owned(),
        ];
        for problem in &page.problems {
            header.push(format!("The page reader could not read {shown}:{problem}"));
        }
        top.push(Entry::str("id", self.request.id).with_comments(header));
        top.push(Entry::str("operation", &operation));
        top.push(match &facts.title {
            Some(t) => Entry::str("title", &t.value),
            None => Entry::str("title", "TODO the page's title (it states none)"),
        });
        let what = facts
            .title
            .as_ref()
            .map_or("the endpoint", |t| t.value.as_str());
        top.push(Entry::str(
            "summary",
            format!("TODO one English line on what {what} does"),
        ));
        if let Some(d) = &facts.description {
            top.push(Entry::str("description", &d.value));
        }
        top.push(Entry::str("doc", shown));
        if let Some(url) = &facts.url {
            top.push(Entry::str("url", &url.value));
        }
        if let Some(updated) = &facts.updated {
            top.push(Entry::str("updated", &updated.value));
        }
        top.push(Entry::str("method", &method));
        top.push(Entry::str("path", &path));
        let kinds = token_kinds(facts);
        if !kinds.is_empty() {
            top.push(Entry::new("token_kinds", Y::Flow(kinds)));
        }
        let apps = app_types(facts);
        if !apps.is_empty() {
            top.push(Entry::new("app_types", Y::Flow(apps)));
        }
        if !facts.scopes.is_empty() {
            let scopes = facts
                .scopes
                .iter()
                .map(|s| {
                    let mut e = vec![Entry::str("scope", &s.value.name)];
                    if !s.value.description.is_empty() {
                        e.push(Entry::str("description", &s.value.description));
                    }
                    Item::Node(Y::Map(e))
                })
                .collect();
            top.push(Entry::new("scopes", Y::Seq(scopes)));
        }
        let mut after_limit = Vec::new();
        if let Some(limit) = &facts.rate_limit {
            let l = &limit.value;
            let mut e = Vec::new();
            if let Some(n) = l.per_minute {
                e.push(Entry::raw("per_minute", n.to_string()));
            }
            if let Some(n) = l.per_second {
                e.push(Entry::raw("per_second", n.to_string()));
            }
            if l.special {
                after_limit.push(format!("接口频率限制: {}", l.text));
                after_limit.push(
                    "特殊频控: TODO state a conservative default (rate_limit), or say why none"
                        .into(),
                );
            } else if e.is_empty() {
                after_limit.push(format!(
                    "接口频率限制: {}: TODO no number read from it; state it as rate_limit",
                    l.text
                ));
            }
            if !e.is_empty() {
                top.push(Entry::new("rate_limit", Y::Map(e)));
            }
        }
        let params = self.params(facts, &path);
        if !params.is_empty() {
            top.push(Entry::new("params", Y::Seq(params)).with_comments(after_limit));
            after_limit = Vec::new();
        }
        if let Some(body) = self.body(facts, &method) {
            top.push(body.with_comments(std::mem::take(&mut after_limit)));
        }
        let (response, binary) = self.response(facts);
        top.push(response.with_comments(after_limit));
        if let Some(waiter) = self.waiter(facts, resource) {
            top.push(waiter);
        }
        top.push(self.example(facts, binary));
        top.push(self.errors(facts));
        Ok(top)
    }

    /// A new type name: the first candidate no other type of this draft has taken.
    fn claim(&mut self, candidates: &[String]) -> String {
        let fallback = candidates.last().cloned().unwrap_or_default();
        for c in candidates {
            if naming::is_upper_camel(c) && !self.types.contains(c) {
                self.types.insert(c.clone());
                return c.clone();
            }
        }
        let mut n = 2;
        loop {
            let c = format!("{fallback}{n}");
            if !self.types.contains(&c) {
                self.types.insert(c.clone());
                return c;
            }
            n += 1;
        }
    }

    /// The name of a field's nested object or enum: the operation's type name and the
    /// field's, else the enclosing type's and the field's. An array's element is named in
    /// the singular by the regular English plurals (`mentions` -> `Mention`, `entries` ->
    /// `Entry`, `statuses` -> `Status`, `boxes` -> `Box`); anything else keeps its name.
    fn nested_name(&mut self, parent: &str, field: &str, element: bool) -> String {
        let own = naming::type_name(field);
        let own = if element { singular(&own) } else { own };
        let op = self.op_type.clone();
        self.claim(&[format!("{op}{own}"), format!("{parent}{own}")])
    }

    fn params(&mut self, facts: &Facts, path: &str) -> Vec<Item> {
        let auth = self.provider.auth.header.value.to_ascii_lowercase();
        let mut items = Vec::new();
        let template = PathTemplate::parse(path.to_owned());
        for name in template.params() {
            match facts.path_params.iter().find(|p| p.name == name) {
                Some(p) => items.push(self.param(p, "path")),
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
            items.push(self.param(p, "query"));
        }
        for p in &facts.header_params {
            let lower = p.name.to_ascii_lowercase();
            // The client sends these itself: the token and the body's type.
            if lower != auth && lower != "content-type" {
                items.push(self.param(p, "header"));
            }
        }
        items
    }

    fn param(&mut self, p: &Field, location: &str) -> Item {
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
            let name = {
                let own = naming::type_name(&p.name);
                let op = self.op_type.clone();
                self.claim(&[format!("{op}{own}"), format!("{op}{own}Param")])
            };
            if let Some(values) = enum_values(&p.enum_values, t) {
                e.push(Entry::new(
                    "enum",
                    Y::Map(vec![Entry::str("name", name), Entry::new("values", values)]),
                ));
            }
        }
        Item::Node(Y::Map(e))
    }

    fn body(&mut self, facts: &Facts, method: &str) -> Option<Entry> {
        if facts.body.is_empty() {
            return None;
        }
        if method == "GET" {
            let mut lines = vec![
                "TODO: the page lists body fields for a GET request, which sends no body;".into(),
                "they are left out (are they query parameters?):".into(),
            ];
            outline(&facts.body, 1, &mut lines);
            // Kept where a person will see it, on the response that follows.
            return Some(
                Entry::raw(
                    "body",
                    "TODO a GET request has no body (see the comment above)",
                )
                .with_comments(lines),
            );
        }
        let files: Vec<&Field> = facts
            .body
            .iter()
            .filter(|f| kind(f) == Kind::File)
            .collect();
        let multipart = !files.is_empty();
        let name = {
            let op = self.op_type.clone();
            self.claim(&[format!("{op}Body"), format!("{op}RequestBody")])
        };
        let mut e = vec![
            Entry::str("content", if multipart { "multipart" } else { "json" }),
            Entry::str("name", &name),
            Entry::str(
                "description",
                if multipart {
                    "The multipart form."
                } else {
                    "The JSON body."
                },
            ),
        ];
        let fields: Vec<Item> = facts
            .body
            .iter()
            .filter(|f| kind(f) != Kind::File)
            .map(|f| self.field(f, &name, Place::Body, &[]))
            .collect();
        e.push(Entry::new("fields", Y::Seq(fields)));
        if let Some(file) = files.first() {
            let mut part = vec![Entry::str("name", &file.name)];
            if !file.description.is_empty() {
                part.push(Entry::str("description", &file.description));
            }
            let mut comments = Vec::new();
            for extra in files.iter().skip(1) {
                comments.push(format!(
                    "TODO: the page has a second file part, `{}`; a form has one: left out.",
                    extra.name
                ));
            }
            e.push(Entry::new("file", Y::Map(part)).with_comments(comments));
        }
        if !multipart && let Some(example) = &facts.request_example {
            if Json::parse(&example.value).is_some() {
                e.push(Entry::str("example", with_newline(&example.value)));
            } else {
                let mut lines =
                    vec!["The page's request example is not valid JSON; left out:".into()];
                lines.extend(example.value.lines().map(|l| format!("  {l}")));
                if let Some(last) = e.last_mut() {
                    last.comments.extend(lines);
                }
            }
        }
        Some(Entry::new("body", Y::Map(e)))
    }

    /// A body or reply field, with the object of an object, of an array of objects or of a
    /// map of objects nested in it; `above` are the objects it is in, outermost first.
    fn field(&mut self, f: &Field, parent: &str, place: Place, above: &[Level<'_>]) -> Item {
        let k = kind(f);
        let mut e = vec![Entry::str("name", &f.name)];
        match &k {
            Kind::Scalar(t) => e.push(Entry::str("type", *t)),
            Kind::Array(t) => {
                e.push(Entry::str("type", "array"));
                e.push(Entry::str("items", *t));
            }
            Kind::ArrayUnknown => {
                e.push(Entry::str("type", "array"));
                e.push(Entry::raw(
                    "items",
                    "TODO the element type (string, integer, number or boolean)",
                ));
            }
            Kind::Object => e.push(Entry::str("type", "object")),
            Kind::ArrayOfObjects => e.push(Entry::str("type", "array")),
            Kind::Map(Some(t)) => {
                e.push(Entry::str("type", "map"));
                e.push(Entry::str("items", *t));
            }
            Kind::Map(None) => e.push(Entry::str("type", "map")),
            Kind::File | Kind::Unknown => e.push(Entry::raw(
                "type",
                format!("TODO the page types it `{}`", f.ty.trim()),
            )),
        }
        match (place, f.required) {
            (Place::Body, Some(r)) => e.push(Entry::raw("required", r.to_string())),
            (Place::Reply, Some(true)) => e.push(Entry::raw("required", "true")),
            _ => {}
        }
        if let (Place::Body, Some(n), Kind::Scalar("string")) = (place, f.max_length, &k) {
            e.push(Entry::raw("max_length", n.to_string()));
        }
        if let Some(x) = &f.example {
            e.push(Entry::str("example", x));
        }
        if !f.description.is_empty() {
            e.push(Entry::str("description", &f.description));
        }
        if matches!(k, Kind::Object | Kind::Map(None) | Kind::ArrayOfObjects) {
            let element = k == Kind::ArrayOfObjects;
            let name = self.nested_name(parent, &f.name, element);
            let (level, comment) = Level::of(f, above);
            let mut inner = above.to_vec();
            inner.push(level.clone());
            let fields: Vec<Item> = level
                .fields
                .iter()
                .map(|c| self.field(c, &name, place, &inner))
                .collect();
            let mut object = vec![Entry::str("name", &name)];
            let comment = comment.or_else(|| {
                f.children.is_empty().then(|| {
                    if element {
                        "The page lists no fields of its elements.".to_owned()
                    } else {
                        "The page lists no fields of this object.".to_owned()
                    }
                })
            });
            let fields_entry = Entry::new("fields", Y::Seq(fields));
            object.push(match comment {
                Some(comment) => fields_entry.with_comments(vec![comment]),
                None => fields_entry,
            });
            e.push(Entry::new("object", Y::Map(object)));
        }
        if let Kind::Scalar(t @ ("integer" | "string")) = k
            && !f.enum_values.is_empty()
            && let Some(values) = enum_values(&f.enum_values, t)
        {
            let name = self.nested_name(parent, &f.name, false);
            e.push(Entry::new(
                "enum",
                Y::Map(vec![Entry::str("name", name), Entry::new("values", values)]),
            ));
        }
        Item::Node(Y::Map(e))
    }

    /// The response, and whether it is a download (no reply table, no JSON example).
    fn response(&mut self, facts: &Facts) -> (Entry, bool) {
        let example = facts
            .reply_example
            .as_ref()
            .and_then(|x| Json::parse(&x.value));
        let (fields, from_example) = if !facts.response.is_empty() {
            (facts.response.clone(), false)
        } else if let Some(example) = &example {
            let data = match self.provider.envelope.style {
                EnvelopeStyle::Bare => Some(example),
                EnvelopeStyle::CodeMsgData | EnvelopeStyle::CodeMsgFlat => example.get("data"),
            };
            (data.map(fields_of_example).unwrap_or_default(), true)
        } else {
            (Vec::new(), false)
        };
        if fields.is_empty() && facts.reply_example.is_none() {
            return (
                Entry::new(
                    "response",
                    Y::Map(vec![
                        Entry::str("content", "binary"),
                        Entry::str(
                            "description",
                            "The reply body: the page documents no JSON reply (a download).",
                        ),
                    ]),
                )
                .with_comments(vec![
                    "The page has neither a reply table nor a reply example: drafted as a download."
                        .into(),
                ]),
                true,
            );
        }
        let name = {
            let op = self.op_type.clone();
            self.claim(&[format!("{op}Data"), format!("{op}Reply")])
        };
        let items: Vec<Item> = fields
            .iter()
            .map(|f| self.field(f, &name, Place::Reply, &[]))
            .collect();
        let description = match self.provider.envelope.style {
            EnvelopeStyle::Bare => "The reply body (not wrapped).",
            _ => "The `data` object of the reply.",
        };
        let mut fields_entry = Entry::new("fields", Y::Seq(items));
        if from_example {
            fields_entry.comments.push(
                "The page has no reply table: these fields and their types are read from its example."
                    .into(),
            );
        }
        (
            Entry::new(
                "response",
                Y::Map(vec![
                    Entry::str("name", name),
                    Entry::str("description", description),
                    fields_entry,
                ]),
            ),
            false,
        )
    }

    /// A waiter to decide, when a reply field looks like the task's status.
    fn waiter(&self, facts: &Facts, resource: &str) -> Option<Entry> {
        let fields = if facts.response.is_empty() {
            let example = facts
                .reply_example
                .as_ref()
                .and_then(|x| Json::parse(&x.value))?;
            let data = match self.provider.envelope.style {
                EnvelopeStyle::Bare => Some(&example),
                _ => example.get("data"),
            };
            data.map(fields_of_example).unwrap_or_default()
        } else {
            facts.response.clone()
        };
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
        let min_delay = self.min_delay(facts);
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
    fn min_delay(&self, facts: &Facts) -> u32 {
        let limit = facts.rate_limit.as_ref().map(|l| &l.value);
        let per_minute = limit
            .and_then(|l| l.per_minute)
            .filter(|n| *n > 0)
            .map_or(0, |n| 60_u32.div_ceil(n));
        MIN_DELAY.max(per_minute)
    }

    fn example(&self, facts: &Facts, binary: bool) -> Entry {
        if let Some(x) = &facts.reply_example {
            if Json::parse(&x.value).is_some() {
                return Entry::str("example", with_newline(&x.value));
            }
            let mut lines = vec!["The page's reply example, which is not valid JSON:".to_owned()];
            lines.extend(x.value.lines().map(|l| format!("  {l}")));
            return Entry::str(
                "example",
                "TODO the page's reply example (above) as valid JSON",
            )
            .with_comments(lines);
        }
        if binary && let Some(row) = facts.errors.first() {
            let row = &row.value;
            let code = match self.provider.envelope.code_type {
                CodeType::Integer => match row.code.trim().parse::<i64>() {
                    Ok(n) => serde_json::Value::from(n),
                    Err(_) => serde_json::Value::from(row.code.trim()),
                },
                CodeType::String => serde_json::Value::from(row.code.trim()),
            };
            let message_key = match self.provider.envelope.style {
                EnvelopeStyle::Bare => "message",
                _ => "msg",
            };
            let mut object = serde_json::Map::new();
            object.insert("code".into(), code);
            object.insert(message_key.into(), row.message.clone().into());
            let text = serde_json::Value::Object(object).to_string();
            return Entry::str("example", format!("{text}\n"))
                .with_comments(vec![NO_REPLY_EXAMPLE.into()]);
        }
        Entry::str("example", "TODO a reply example (the page shows none)")
    }

    fn errors(&self, facts: &Facts) -> Entry {
        let code_type = self.provider.envelope.code_type;
        let common: BTreeSet<&str> = self
            .provider
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
}

/// The `name:` an error needs: none when its message gives a usable, unique variant name;
/// the code's when the code gives one (DingTalk's `paramError`); the message's and the
/// code's when another code has the same message; else a TODO.
fn error_name(message: &str, code: &str, taken: &mut Vec<(String, String)>) -> Option<Entry> {
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

/// The enum values of a field or parameter: `None` when an integer field lists a value that
/// is no integer (the values stay in its description).
fn enum_values(values: &[EnumValue], ty: &str) -> Option<Y> {
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

/// Page-style fields read from a JSON example object: names, types, nesting.
fn fields_of_example(value: &Json) -> Vec<Field> {
    let Json::Object(entries) = value else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|(name, v)| {
            let (ty, children) = match v {
                Json::Str(_) => ("string".to_owned(), Vec::new()),
                Json::Int => ("int".into(), Vec::new()),
                Json::Float => ("float".into(), Vec::new()),
                Json::Bool(_) => ("boolean".into(), Vec::new()),
                Json::Null => ("null".into(), Vec::new()),
                Json::Object(_) => ("object".into(), fields_of_example(v)),
                Json::Array(items) => match items.first() {
                    None => ("array".into(), Vec::new()),
                    Some(Json::Object(_)) => (
                        "object[]".into(),
                        items.first().map(fields_of_example).unwrap_or_default(),
                    ),
                    Some(Json::Str(_)) => ("string[]".into(), Vec::new()),
                    Some(Json::Int) => ("int[]".into(), Vec::new()),
                    Some(Json::Float) => ("float[]".into(), Vec::new()),
                    Some(Json::Bool(_)) => ("boolean[]".into(), Vec::new()),
                    Some(_) => ("array".into(), Vec::new()),
                },
            };
            Field {
                name: name.clone(),
                ty,
                required: None,
                description: String::new(),
                example: None,
                max_length: None,
                enum_values: Vec::new(),
                children,
                line: 0,
            }
        })
        .collect()
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

/// Nested field rows as indented comment lines (`name (type): description`).
fn outline(fields: &[Field], depth: usize, lines: &mut Vec<String>) {
    for f in fields {
        let mut line = format!("{}- {} ({})", "  ".repeat(depth), f.name, f.ty.trim());
        if f.required == Some(true) {
            line.push_str(", required");
        }
        if !f.description.is_empty() {
            line.push_str(": ");
            line.push_str(&f.description);
        }
        lines.push(line);
        outline(&f.children, depth + 1, lines);
    }
}

fn token_kinds(facts: &Facts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in &facts.token_kinds {
        let lower = t.value.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let kind = if lower.contains("tenant") {
            "tenant_access_token".to_owned()
        } else if lower.contains("user") {
            "user_access_token".to_owned()
        } else if lower.contains("app_access") {
            "app_access_token".to_owned()
        } else {
            t.value.trim().to_owned()
        };
        if !kind.is_empty() && !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

fn app_types(facts: &Facts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in &facts.app_types {
        let v = t.value.trim();
        let kind = match v {
            "自建应用" | "企业自建应用" => "custom",
            "商店应用" | "应用商店应用" => "isv",
            other => other,
        }
        .to_owned();
        if !kind.is_empty() && !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

fn with_newline(text: &str) -> String {
    let mut t = text.trim_end().to_owned();
    t.push('\n');
    t
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
