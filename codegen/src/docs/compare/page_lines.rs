//! Where the page states each fact, by the names the comparison gives facts: a parameter's,
//! field's or error code's row, the line of a title or a limit. The draft is the page in the
//! spec's terms but knows no page lines; this index gives them back, so that a difference can
//! point at the page, and keeps the page's own type text, which the draft maps (`int` is
//! `integer`) but a message should show as the page writes it.

use super::facts::parent;
use crate::docs::draft::{app_type, token_kind};
use crate::path_template::PathTemplate;
use docread::{At, Facts, Field};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
pub(super) struct PageLines {
    lines: BTreeMap<String, usize>,
    /// The page's type text of each parameter and field, by its key.
    types: BTreeMap<String, String>,
    /// The body and reply fields the page lists (`body.point.mount_type`).
    fields: BTreeSet<String>,
}

impl PageLines {
    pub fn new(facts: &Facts) -> Self {
        let mut index = PageLines::default();
        let at = |a: &Option<At<String>>| a.as_ref().map(|a| a.line);
        for (key, line) in [
            ("title", at(&facts.title)),
            ("description", at(&facts.description)),
            ("url", at(&facts.url)),
            ("updated", at(&facts.updated)),
            ("method", at(&facts.method)),
            ("path", at(&facts.path)),
            ("host", at(&facts.host)),
            ("rate_limit", facts.rate_limit.as_ref().map(|r| r.line)),
            ("body.example", at(&facts.request_example)),
            ("example", at(&facts.reply_example)),
        ] {
            if let Some(line) = line {
                index.add(key.to_owned(), line);
            }
        }
        for t in &facts.token_kinds {
            index.add(format!("token_kinds.{}", token_kind(&t.value)), t.line);
        }
        for t in &facts.app_types {
            index.add(format!("app_types.{}", app_type(&t.value)), t.line);
        }
        for s in &facts.scopes {
            index.add(format!("scopes.{}", s.value.name), s.line);
        }
        index.params(facts);
        if let Some(first) = facts.body.first() {
            index.add("body".into(), first.line);
        }
        index.fields(&facts.body, "body");
        let reply = facts.response.first().map(|f| f.line);
        if let Some(line) = reply.or(at(&facts.reply_example)) {
            index.add("response".into(), line);
        }
        index.fields(&facts.response, "response");
        for row in &facts.errors {
            index.add(format!("errors.{}", row.value.code.trim()), row.line);
        }
        index
    }

    /// The line the page states `key` on (an entity or a top-level key), else the line of the
    /// closest entity it is in that the page states.
    pub fn line(&self, key: &str) -> Option<usize> {
        let mut key = key;
        loop {
            if let Some(line) = self.lines.get(key) {
                return Some(*line);
            }
            if key.is_empty() {
                return None;
            }
            key = parent(key).0;
        }
    }

    /// The type of parameter or field `key` as the page writes it.
    pub fn page_type(&self, key: &str) -> Option<&str> {
        self.types.get(key).map(String::as_str)
    }

    /// Whether the draft's body or reply field `key` (or enum value `key=v`) is a copy rather
    /// than a row of the page: the page lists fields there but not this one, which the draft
    /// repeated from an object type the page refers back to (`同上`). A page with no table
    /// there (reply fields read from its example) has no copies.
    pub fn copied(&self, key: &str) -> bool {
        let field = key.split_once('=').map_or(key, |(field, _)| field);
        let Some((area, _)) = field.split_once('.') else {
            return false;
        };
        let prefix = format!("{area}.");
        let listed_there = self
            .fields
            .range(prefix.clone()..)
            .next()
            .is_some_and(|k| k.starts_with(&prefix));
        listed_there && !self.fields.contains(field)
    }

    /// The first line stated for a key stands.
    fn add(&mut self, key: String, line: usize) {
        self.lines.entry(key).or_insert(line);
    }

    fn field(&mut self, key: String, f: &Field) {
        self.types
            .entry(key.clone())
            .or_insert_with(|| f.ty.trim().to_owned());
        self.add(key, f.line);
    }

    /// Path, query and header parameters; a parameter of the path template that no table
    /// lists is on the path's line.
    fn params(&mut self, facts: &Facts) {
        let tables = [
            &facts.path_params,
            &facts.query_params,
            &facts.header_params,
        ];
        for p in tables.into_iter().flatten() {
            self.field(format!("params.{}", p.name), p);
        }
        if let Some(path) = &facts.path {
            let template = PathTemplate::parse(path.value.trim().to_owned());
            for name in template.params() {
                self.add(format!("params.{name}"), path.line);
            }
        }
    }

    /// Body or reply fields, nested ones under theirs (`body.point.mount_type`).
    fn fields(&mut self, fields: &[Field], prefix: &str) {
        for f in fields {
            let key = format!("{prefix}.{}", f.name);
            self.fields.insert(key.clone());
            self.field(key.clone(), f);
            self.fields(&f.children, &key);
        }
    }
}
