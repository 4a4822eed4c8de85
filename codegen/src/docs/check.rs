//! `cargo xtask docs check`: for every spec with a `doc:` page, each fact the page states
//! (title, method, path, host, URL and date, rate limit, scopes, token kinds, parameters,
//! body and reply fields with their enum values, the error table) against the spec. Every
//! disagreement is located in both files. Facts the spec adds on purpose (English
//! summaries, waiters, names, `retryable`) are never compared; a deliberate difference is
//! an `overrides:` entry with its reason, which the check accepts exactly (an override
//! that matches nothing is reported too, so none outlives its reason).

use crate::load::SpecSet;
use crate::spec::{
    EndpointSpec, FieldSpec, FieldType, ObjectSpec, ParamIn, ParamSpec, ProviderSpec,
};
use docread::{At, Field, Page};
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

/// One fact on which a page and its spec disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub spec_file: String,
    /// The spec line that states the fact (or, for a fact the spec lacks, where it would go).
    pub spec_line: usize,
    /// What part of the spec, e.g. `errors`, `params`, `response`.
    pub area: &'static str,
    /// The fact's name, as an `overrides:` entry names it (`errors.1069907`, `host`).
    pub fact: String,
    pub message: String,
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.spec_file, self.spec_line, self.area, self.message
        )
    }
}

/// What the reader could not make out of a page: `docs/...:14: message`. Not a
/// disagreement (the page may be ambiguous, as seed 002 pairing its scopes), but shown, so
/// that a fact the check could not compare is not taken for one that agrees.
pub fn unread(root: &Path, set: &SpecSet) -> Vec<String> {
    let mut notes = Vec::new();
    for e in set.providers.iter().flat_map(|dir| &dir.endpoints) {
        let Some(doc) = &e.doc else {
            continue;
        };
        if let Ok(text) = std::fs::read_to_string(root.join(&doc.value)) {
            for problem in docread::read(&text).problems {
                notes.push(format!(
                    "{}:{}: {}",
                    doc.value, problem.line, problem.message
                ));
            }
        }
    }
    notes
}

/// Every disagreement between the specs of `set` and their pages under `root`, in spec
/// order; a page that cannot be read is one too.
pub fn check(root: &Path, set: &SpecSet) -> Vec<Disagreement> {
    let mut found = Vec::new();
    for dir in &set.providers {
        for e in &dir.endpoints {
            let Some(doc) = &e.doc else {
                continue;
            };
            let mut here = Check {
                spec: e,
                page_file: &doc.value,
                found: Vec::new(),
            };
            match std::fs::read_to_string(root.join(&doc.value)) {
                Err(err) => here.push(
                    doc.at.line,
                    "doc",
                    "doc".into(),
                    format!("cannot read the page {}: {err}", doc.value),
                ),
                Ok(text) => {
                    let page = docread::read(&text);
                    here.endpoint(&dir.provider, &page);
                }
            }
            found.extend(here.finish());
        }
    }
    found
}

/// The disagreements of one spec with its page.
struct Check<'a> {
    spec: &'a EndpointSpec,
    page_file: &'a str,
    found: Vec<Disagreement>,
}

impl<'a> Check<'a> {
    fn push(&mut self, spec_line: usize, area: &'static str, fact: String, message: String) {
        self.found.push(Disagreement {
            spec_file: self.spec.file.clone(),
            spec_line,
            area,
            fact,
            message,
        });
    }

    /// `(docs/...:57)`.
    fn at(&self, line: usize) -> String {
        format!("({}:{line})", self.page_file)
    }

    /// Drops what the spec's `overrides` accept, and reports overrides that accept nothing.
    fn finish(self) -> Vec<Disagreement> {
        let overridden: BTreeSet<&str> = self
            .spec
            .overrides
            .iter()
            .map(|o| o.fact.value.as_str())
            .collect();
        let seen: BTreeSet<String> = self.found.iter().map(|d| d.fact.clone()).collect();
        let mut kept: Vec<Disagreement> = self
            .found
            .into_iter()
            .filter(|d| !overridden.contains(d.fact.as_str()))
            .collect();
        for o in &self.spec.overrides {
            if !seen.contains(&o.fact.value) {
                kept.push(Disagreement {
                    spec_file: self.spec.file.clone(),
                    spec_line: o.fact.at.line,
                    area: "overrides",
                    fact: o.fact.value.clone(),
                    message: format!(
                        "`{}` matches no difference from the page: drop the override",
                        o.fact.value
                    ),
                });
            }
        }
        kept
    }

    fn endpoint(&mut self, provider: &ProviderSpec, page: &Page) {
        let e = self.spec;
        let facts = &page.facts;
        let first_line = e.id.at.line;
        if let Some(title) = &facts.title
            && title.value != e.title
        {
            let message = format!(
                "the title is {:?} in the spec but {:?} on the page {}",
                e.title,
                title.value,
                self.at(title.line)
            );
            self.push(first_line, "title", "title".into(), message);
        }
        self.compare_text(&e.url, &facts.url, "url", first_line);
        self.compare_text(&e.updated, &facts.updated, "updated", first_line);
        if let Some(method) = &facts.method
            && method.value != e.method.value.as_str()
        {
            let message = format!(
                "{} in the spec but {} on the page {}",
                e.method.value.as_str(),
                method.value,
                self.at(method.line)
            );
            self.push(e.method.at.line, "method", "method".into(), message);
        }
        if let Some(path) = &facts.path
            && path.value != e.path.value.text
        {
            let message = format!(
                "`{}` in the spec but `{}` on the page {}",
                e.path.value.text,
                path.value,
                self.at(path.line)
            );
            self.push(e.path.at.line, "path", "path".into(), message);
        }
        if let Some(host) = &facts.host
            && !provider
                .hosts
                .iter()
                .any(|h| h.base_url.value.trim_end_matches('/') == host.value.trim_end_matches('/'))
        {
            let message = format!(
                "the page sends to {} {}, which is none of {}'s hosts",
                host.value,
                self.at(host.line),
                provider.file
            );
            self.push(first_line, "host", "host".into(), message);
        }
        self.rate_limit(page);
        self.names(
            "scopes",
            e.scopes.iter().map(|s| s.scope.as_str()).collect(),
            facts
                .scopes
                .iter()
                .map(|s| (s.value.name.as_str(), s.line))
                .collect(),
        );
        self.names(
            "token_kinds",
            e.token_kinds.iter().map(String::as_str).collect(),
            facts
                .token_kinds
                .iter()
                .map(|t| (t.value.as_str(), t.line))
                .collect(),
        );
        let auth_header = provider.auth.header.value.to_ascii_lowercase();
        let headers: Vec<&Field> = facts
            .header_params
            .iter()
            // Sent by the client itself: the token, and the body's type.
            .filter(|h| {
                let name = h.name.to_ascii_lowercase();
                name != auth_header && name != "content-type"
            })
            .collect();
        self.params(ParamIn::Header, &headers);
        self.params(ParamIn::Path, &facts.path_params.iter().collect::<Vec<_>>());
        self.params(
            ParamIn::Query,
            &facts.query_params.iter().collect::<Vec<_>>(),
        );
        if let Some(body) = &e.body {
            // A form's file part is a field of the page's form too.
            let file_part = body.file.as_ref().map(|f| f.name.value.as_str());
            let page_body: Vec<Field> = facts
                .body
                .iter()
                .filter(|f| Some(f.name.as_str()) != file_part)
                .cloned()
                .collect();
            self.fields("body", "body", &body.object, &page_body, first_line);
        } else if let Some(field) = facts.body.first() {
            let message = format!(
                "the page has a request body {} but the spec has none",
                self.at(field.line)
            );
            self.push(first_line, "body", "body".into(), message);
        }
        if let Some(response) = e.response.json() {
            self.fields(
                "response",
                "response",
                response,
                &facts.response,
                first_line,
            );
        }
        self.errors(page);
    }

    fn compare_text(
        &mut self,
        spec: &Option<crate::decode::Spanned<String>>,
        page: &Option<At<String>>,
        area: &'static str,
        first_line: usize,
    ) {
        let Some(page) = page else {
            return;
        };
        match spec {
            None => {
                let message = format!(
                    "the page gives {} {} but the spec has no `{area}`",
                    page.value,
                    self.at(page.line)
                );
                self.push(first_line, area, area.into(), message);
            }
            Some(spec) if spec.value != page.value => {
                let message = format!(
                    "{} in the spec but {} on the page {}",
                    spec.value,
                    page.value,
                    self.at(page.line)
                );
                self.push(spec.at.line, area, area.into(), message);
            }
            Some(_) => {}
        }
    }

    fn rate_limit(&mut self, page: &Page) {
        let Some(limit) = &page.facts.rate_limit else {
            return;
        };
        // A special limit states no number: the spec's conservative default stands.
        if limit.value.special {
            return;
        }
        let spec = self.spec.rate_limit.as_ref();
        let line = self.spec.id.at.line;
        for (unit, page_value, spec_value) in [
            (
                "per_minute",
                limit.value.per_minute,
                spec.and_then(|r| r.per_minute),
            ),
            (
                "per_second",
                limit.value.per_second,
                spec.and_then(|r| r.per_second),
            ),
        ] {
            if let Some(page_value) = page_value
                && spec_value != Some(page_value)
            {
                let spec_text = spec_value.map_or("nothing".to_owned(), |n| n.to_string());
                let message = format!(
                    "{unit} is {spec_text} in the spec but {page_value} on the page {}",
                    self.at(limit.line)
                );
                self.push(line, "rate_limit", format!("rate_limit.{unit}"), message);
            }
        }
    }

    /// A set of names (scopes, token kinds): each on one side only.
    fn names(&mut self, area: &'static str, spec: BTreeSet<&str>, page: Vec<(&str, usize)>) {
        if page.is_empty() {
            return;
        }
        let line = self.spec.id.at.line;
        for (name, page_line) in &page {
            if !spec.contains(name) {
                let message = format!(
                    "`{name}` is on the page {} but not in the spec",
                    self.at(*page_line)
                );
                self.push(line, area, format!("{area}.{name}"), message);
            }
        }
        for name in spec {
            if !page.iter().any(|(p, _)| *p == name) {
                let message = format!(
                    "`{name}` is in the spec but not on the page ({})",
                    self.page_file
                );
                self.push(line, area, format!("{area}.{name}"), message);
            }
        }
    }

    fn params(&mut self, location: ParamIn, page: &[&Field]) {
        let spec: Vec<&ParamSpec> = self
            .spec
            .params
            .iter()
            .filter(|p| p.location == location)
            .collect();
        let line = self.spec.id.at.line;
        for field in page {
            let fact = format!("params.{}", field.name);
            match spec.iter().find(|p| p.name.value == field.name) {
                None => {
                    let message = format!(
                        "{} parameter `{}` is on the page {} but not in the spec",
                        location.as_str(),
                        field.name,
                        self.at(field.line)
                    );
                    self.push(line, "params", fact, message);
                }
                Some(param) => {
                    let spec_line = param.name.at.line;
                    self.required(spec_line, "params", &fact, param.required, field);
                    self.ty(spec_line, "params", &fact, param.ty.value, field);
                }
            }
        }
        for param in spec {
            if !page.iter().any(|f| f.name == param.name.value) {
                let message = format!(
                    "{} parameter `{}` is in the spec but not on the page ({})",
                    location.as_str(),
                    param.name.value,
                    self.page_file
                );
                self.push(
                    param.name.at.line,
                    "params",
                    format!("params.{}", param.name.value),
                    message,
                );
            }
        }
    }

    /// An object's fields against the page's, nested objects too.
    fn fields(
        &mut self,
        area: &'static str,
        prefix: &str,
        object: &ObjectSpec,
        page: &[Field],
        parent_line: usize,
    ) {
        for field in page {
            let fact = format!("{prefix}.{}", field.name);
            match object.fields.iter().find(|f| f.name.value == field.name) {
                None => {
                    let message = format!(
                        "field `{}` is on the page {} but not in the spec",
                        fact.split_once('.').map_or(fact.as_str(), |(_, rest)| rest),
                        self.at(field.line)
                    );
                    self.push(parent_line, area, fact, message);
                }
                Some(spec) => self.field(area, &fact, spec, field),
            }
        }
        if page.is_empty() {
            return;
        }
        for spec in &object.fields {
            if !page.iter().any(|f| f.name == spec.name.value) {
                let fact = format!("{prefix}.{}", spec.name.value);
                let message = format!(
                    "field `{}` is in the spec but not on the page ({})",
                    fact.split_once('.').map_or(fact.as_str(), |(_, rest)| rest),
                    self.page_file
                );
                self.push(spec.name.at.line, area, fact, message);
            }
        }
    }

    fn field(&mut self, area: &'static str, fact: &str, spec: &FieldSpec, page: &Field) {
        let line = spec.name.at.line;
        // Reply fields are never required in the specs (the pages and SDKs require none):
        // only a request's are compared.
        if area == "body" {
            self.required(line, area, fact, spec.required, page);
        }
        self.ty(line, area, fact, spec.ty.value, page);
        if let Some(enumeration) = &spec.enumeration {
            for value in &page.enum_values {
                if !enumeration
                    .values
                    .iter()
                    .any(|v| v.value.value.text == value.value)
                {
                    let message = format!(
                        "`{fact}` value `{}` ({}) is on the page {} but not in the spec",
                        value.value,
                        value.meaning,
                        self.at(page.line)
                    );
                    self.push(line, area, format!("{fact}={}", value.value), message);
                }
            }
            if !page.enum_values.is_empty() {
                for value in &enumeration.values {
                    if !page
                        .enum_values
                        .iter()
                        .any(|v| v.value == value.value.value.text)
                    {
                        let message = format!(
                            "`{fact}` value `{}` is in the spec but not on the page {}",
                            value.value.value.text,
                            self.at(page.line)
                        );
                        self.push(
                            value.value.at.line,
                            area,
                            format!("{fact}={}", value.value.value.text),
                            message,
                        );
                    }
                }
            }
        }
        if let Some(object) = &spec.object
            && !page.children.is_empty()
        {
            self.fields(area, fact, object, &page.children, line);
        }
    }

    fn required(&mut self, line: usize, area: &'static str, fact: &str, spec: bool, page: &Field) {
        if let Some(required) = page.required
            && required != spec
        {
            let word = |r: bool| if r { "required" } else { "optional" };
            let message = format!(
                "`{}` is {} in the spec but {} on the page {}",
                page.name,
                word(spec),
                word(required),
                self.at(page.line)
            );
            self.push(line, area, format!("{fact}.required"), message);
        }
    }

    fn ty(&mut self, line: usize, area: &'static str, fact: &str, spec: FieldType, page: &Field) {
        let Some(page_ty) = field_type(&page.ty) else {
            return;
        };
        if page_ty != spec {
            let message = format!(
                "`{}` is {} in the spec but {} on the page {}",
                page.name,
                spec.as_str(),
                page.ty,
                self.at(page.line)
            );
            self.push(line, area, format!("{fact}.type"), message);
        }
    }

    fn errors(&mut self, page: &Page) {
        let e = self.spec;
        let rows = &page.facts.errors;
        let line = e.errors.last().map_or(e.id.at.line, |err| err.code.at.line);
        for row in rows {
            let code = &row.value.code;
            let fact = format!("errors.{code}");
            let Some(spec) = e.errors.iter().find(|err| err.code.value.text == *code) else {
                let message = format!(
                    "code {code} is on the page {} but not in the spec",
                    self.at(row.line)
                );
                self.push(line, "errors", fact, message);
                continue;
            };
            let spec_line = spec.code.at.line;
            if let Some(status) = row.value.http_status
                && spec.http_status.as_ref().map(|s| s.value) != Some(status)
            {
                let spec_status = spec
                    .http_status
                    .as_ref()
                    .map_or("none".to_owned(), |s| s.value.to_string());
                let message = format!(
                    "code {code}: HTTP status {spec_status} in the spec but {status} on the page {}",
                    self.at(row.line)
                );
                self.push(spec_line, "errors", format!("{fact}.http_status"), message);
            }
            if !row.value.message.is_empty() && !same_text(&row.value.message, &spec.message.value)
            {
                let message = format!(
                    "code {code}: message {:?} in the spec but {:?} on the page {}",
                    spec.message.value,
                    row.value.message,
                    self.at(row.line)
                );
                self.push(spec_line, "errors", format!("{fact}.message"), message);
            }
            if spec.source.is_none()
                && !row.value.hint.is_empty()
                && !same_text(&row.value.hint, &spec.hint)
            {
                let message = format!(
                    "code {code}: the hint in the spec is not the page's {}",
                    self.at(row.line)
                );
                self.push(spec_line, "errors", format!("{fact}.hint"), message);
            }
        }
        if rows.is_empty() {
            return;
        }
        for spec in &e.errors {
            if !rows.iter().any(|r| r.value.code == spec.code.value.text) {
                let message = format!(
                    "code {} is in the spec but not on the page ({})",
                    spec.code.value.text, self.page_file
                );
                self.push(
                    spec.code.at.line,
                    "errors",
                    format!("errors.{}", spec.code.value.text),
                    message,
                );
            }
        }
    }
}

/// Texts that differ only in how a line break inside a table cell is written.
fn same_text(page: &str, spec: &str) -> bool {
    let norm = |s: &str| -> String {
        s.replace("<br>", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(page) == norm(spec)
}

/// The spec type a page's type text stands for; `None` for one the check does not know.
fn field_type(page: &str) -> Option<FieldType> {
    let t = page.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "string" => FieldType::String,
        "int" | "integer" | "int32" | "int64" | "long" => FieldType::Integer,
        "float" | "double" | "number" => FieldType::Number,
        "boolean" | "bool" => FieldType::Boolean,
        "object" => FieldType::Object,
        "array" | "list" => FieldType::Array,
        _ if t.ends_with("[]") => FieldType::Array,
        _ if t.starts_with("map") => FieldType::Map,
        _ => return None,
    })
}
