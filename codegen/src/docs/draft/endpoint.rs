//! The draft's top-level entries, in the order the hand-written specs use: what the page
//! names the endpoint and where it sends it, who may call it, its limit, then the request,
//! the reply, a waiter to decide, the example and the errors.

use super::access::{app_types, token_kinds};
use super::body::body;
use super::errors::errors;
use super::names::TypeNames;
use super::params::params;
use super::request::ImportRequest;
use super::response::{example, response};
use super::waiter::waiter;
use super::yaml_out::{Entry, Item, Y};
use crate::spec::ProviderSpec;
use docread::{Facts, Page};

/// The draft's top-level entries, or why the page cannot give one (no method or path, an id
/// that is not `provider.area.resource.verb`).
pub(super) fn entries(
    request: &ImportRequest<'_>,
    provider: &ProviderSpec,
    page: &Page,
) -> Result<Vec<Entry>, String> {
    let facts = &page.facts;
    let shown = request.page_path;
    let (method, path) = method_and_path(facts, shown)?;
    let (resource, verb) = request.resource_and_verb()?;
    let operation = format!("{verb}_{resource}");
    let mut names = TypeNames::new(&operation);

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
    top.push(Entry::str("id", request.id).with_comments(header));
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
    top.extend(access(facts));
    let (limit, mut after_limit) = rate_limit(facts);
    top.extend(limit);

    // What the page says of a limit the draft cannot state goes above the next entry.
    let params = params(facts, &path, &provider.auth.header.value, &mut names);
    if !params.is_empty() {
        top.push(Entry::new("params", Y::Seq(params)).with_comments(after_limit));
        after_limit = Vec::new();
    }
    if let Some(body) = body(facts, &method, &mut names) {
        top.push(body.with_comments(std::mem::take(&mut after_limit)));
    }
    let (response, binary) = response(facts, provider.envelope.style, &mut names);
    top.push(response.with_comments(after_limit));
    if let Some(waiter) = waiter(facts, resource, provider.envelope.style) {
        top.push(waiter);
    }
    top.push(example(facts, binary, provider));
    top.push(errors(facts, provider));
    Ok(top)
}

/// The page's method (upper case, one the format knows) and path, or why there is none.
fn method_and_path(facts: &Facts, shown: &str) -> Result<(String, String), String> {
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
    Ok((method, path))
}

/// `token_kinds`, `app_types` and `scopes`, each when the page states any.
fn access(facts: &Facts) -> Vec<Entry> {
    let mut out = Vec::new();
    let kinds = token_kinds(facts);
    if !kinds.is_empty() {
        out.push(Entry::new("token_kinds", Y::Flow(kinds)));
    }
    let apps = app_types(facts);
    if !apps.is_empty() {
        out.push(Entry::new("app_types", Y::Flow(apps)));
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
        out.push(Entry::new("scopes", Y::Seq(scopes)));
    }
    out
}

/// `rate_limit:` with the numbers the page states, and the comments for what it states
/// without one (a special limit, a limit no number was read from), which go above the next
/// entry.
fn rate_limit(facts: &Facts) -> (Option<Entry>, Vec<String>) {
    let Some(limit) = &facts.rate_limit else {
        return (None, Vec::new());
    };
    let l = &limit.value;
    let mut e = Vec::new();
    if let Some(n) = l.per_minute {
        e.push(Entry::raw("per_minute", n.to_string()));
    }
    if let Some(n) = l.per_second {
        e.push(Entry::raw("per_second", n.to_string()));
    }
    let mut comments = Vec::new();
    if l.special {
        comments.push(format!("接口频率限制: {}", l.text));
        comments.push(
            "特殊频控: TODO state a conservative default (rate_limit), or say why none".into(),
        );
    } else if e.is_empty() {
        comments.push(format!(
            "接口频率限制: {}: TODO no number read from it; state it as rate_limit",
            l.text
        ));
    }
    let entry = (!e.is_empty()).then(|| Entry::new("rate_limit", Y::Map(e)));
    (entry, comments)
}
