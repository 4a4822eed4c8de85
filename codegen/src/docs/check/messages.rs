//! A difference in the check's words, on the spec line a person fixes it at: where the spec
//! states the fact (a parameter's, field's or error code's line), else where it would go
//! (the enclosing field, the last error, the endpoint's `id:`), with the page's line beside
//! it, `(docs/...:57)`.

use crate::docs::compare::{Difference, SCALAR_KEYS};
use crate::spec::EndpointSpec;

/// What a message needs besides the difference.
pub(super) struct Context<'a> {
    pub spec: &'a EndpointSpec,
    pub page: &'a docread::Facts,
    pub page_file: &'a str,
    /// The spec's provider file, which states the hosts.
    pub provider_file: &'a str,
}

/// A difference located in the spec, in words.
pub(super) struct Located {
    pub line: usize,
    /// The part of the spec, e.g. `errors`, `params`, `response`.
    pub area: &'static str,
    pub message: String,
}

impl Context<'_> {
    /// `(docs/...:57)`, or `(docs/...)` without a line.
    fn at(&self, line: Option<usize>) -> String {
        match line {
            Some(line) => format!("({}:{line})", self.page_file),
            None => format!("({})", self.page_file),
        }
    }

    /// The endpoint's first line, for what the spec states at no line of its own.
    fn first_line(&self) -> usize {
        self.spec.id.at.line
    }
}

/// The message of a difference, and the spec line and area it is reported at.
pub(super) fn locate(d: &Difference, cx: &Context<'_>) -> Located {
    let area = area(d.area());
    let (line, message) = match area {
        "title" | "url" | "updated" | "method" | "path" | "host" => top_level(d, cx),
        "rate_limit" => rate_limit(d, cx),
        "scopes" | "token_kinds" | "app_types" => names(d, cx),
        "params" => params(d, cx),
        "body" | "response" => fields(d, cx),
        "errors" => errors(d, cx),
        _ => None,
    }
    .unwrap_or_else(|| generic(d, cx));
    Located {
        line,
        area,
        message,
    }
}

/// The areas of a spec, as the check names them: its one-text keys, then the rest.
fn area(name: &str) -> &'static str {
    const OTHER_AREAS: &[&str] = &[
        "host",
        "rate_limit",
        "token_kinds",
        "app_types",
        "scopes",
        "params",
        "body",
        "response",
        "example",
        "errors",
    ];
    SCALAR_KEYS
        .iter()
        .chain(OTHER_AREAS)
        .find(|a| **a == name)
        .copied()
        .unwrap_or("page")
}

/// Both values, when both sides state the fact.
fn both(d: &Difference) -> Option<(&str, &str)> {
    Some((d.spec.as_deref()?, d.page.as_deref()?))
}

/// `title`, `url`, `updated`, `method`, `path`, `host`.
fn top_level(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let at = cx.at(d.page_line);
    let page = d.page.as_deref()?;
    let spec_line = d.spec_line.unwrap_or(cx.first_line());
    Some(match (d.area(), d.spec.as_deref()) {
        ("title", Some(spec)) => (
            cx.first_line(),
            format!("the title is {spec:?} in the spec but {page:?} on the page {at}"),
        ),
        ("host", _) => (
            cx.first_line(),
            format!(
                "the page sends to {page} {at}, which is none of {}'s hosts",
                cx.provider_file
            ),
        ),
        ("url" | "updated", None) => (
            cx.first_line(),
            format!(
                "the page gives {page} {at} but the spec has no `{}`",
                d.area()
            ),
        ),
        ("path", Some(spec)) => (
            spec_line,
            format!("`{spec}` in the spec but `{page}` on the page {at}"),
        ),
        (_, Some(spec)) => (
            spec_line,
            format!("{spec} in the spec but {page} on the page {at}"),
        ),
        _ => return None,
    })
}

/// `rate_limit.per_minute`, `rate_limit.per_second`.
fn rate_limit(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let unit = d.attr.as_deref()?;
    let page = d.page.as_deref()?;
    let spec = d.spec.as_deref().unwrap_or("nothing");
    let at = cx.at(d.page_line);
    Some((
        cx.first_line(),
        format!("{unit} is {spec} in the spec but {page} on the page {at}"),
    ))
}

/// A scope, token kind or app type on one side only.
fn names(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let name = d.fact.get(d.area().len() + 1..)?;
    let message = match (&d.spec, &d.page) {
        (None, Some(_)) => format!(
            "`{name}` is on the page {} but not in the spec",
            cx.at(d.page_line)
        ),
        (Some(_), None) => format!(
            "`{name}` is in the spec but not on the page ({})",
            cx.page_file
        ),
        _ => return None,
    };
    Some((cx.first_line(), message))
}

/// A parameter on one side only, or its `required` or type.
fn params(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let key = d.key();
    if let Some((param, value)) = key.split_once('=') {
        return enum_value(d, cx, param, value);
    }
    let name = key.strip_prefix("params.")?;
    let at = cx.at(d.page_line);
    match (d.attr.as_deref(), &d.spec, &d.page) {
        (None, None, Some(_)) => Some((
            cx.first_line(),
            format!(
                "{} parameter `{name}` is on the page {at} but not in the spec",
                page_location(cx.page, name)
            ),
        )),
        (None, Some(_), None) => {
            let location = cx
                .spec
                .params
                .iter()
                .find(|p| p.name.value == name)
                .map_or("a", |p| p.location.as_str());
            Some((
                d.spec_line.unwrap_or(cx.first_line()),
                format!(
                    "{location} parameter `{name}` is in the spec but not on the page ({})",
                    cx.page_file
                ),
            ))
        }
        (Some(attr @ ("required" | "type")), _, _) => {
            let line = d.spec_line.unwrap_or(cx.first_line());
            Some((line, attribute(d, name, attr, &at)?))
        }
        _ => None,
    }
}

/// Where the page lists parameter `name`: `path`, `query` or `header` (a parameter of the
/// path template that no table lists: `path`).
fn page_location(page: &docread::Facts, name: &str) -> &'static str {
    let listed = |params: &[docread::Field]| params.iter().any(|p| p.name == name);
    if listed(&page.header_params) && !listed(&page.path_params) && !listed(&page.query_params) {
        "header"
    } else if listed(&page.query_params) && !listed(&page.path_params) {
        "query"
    } else {
        "path"
    }
}

/// `` `token` is required in the spec but optional on the page `` and the like: `required`
/// or the type of a parameter or field, both sides stating it.
fn attribute(d: &Difference, name: &str, attr: &str, at: &str) -> Option<String> {
    let (spec, page) = both(d)?;
    Some(match attr {
        "required" => {
            let word = |r: &str| if r == "true" { "required" } else { "optional" };
            format!(
                "`{name}` is {} in the spec but {} on the page {at}",
                word(spec),
                word(page)
            )
        }
        _ => {
            let shown = d.page_shown.as_deref().unwrap_or(page);
            format!("`{name}` is {spec} in the spec but {shown} on the page {at}")
        }
    })
}

/// A body or reply field or enum value on one side only, a field's `required` or type; the
/// body itself when the spec has none.
fn fields(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let at = cx.at(d.page_line);
    let key = d.key();
    if key == "body" {
        return (d.attr.is_none() && d.spec.is_none()).then(|| {
            (
                cx.first_line(),
                format!("the page has a request body {at} but the spec has none"),
            )
        });
    }
    let within = key.get(d.area().len() + 1..)?;
    if let Some((field, value)) = key.split_once('=') {
        return enum_value(d, cx, field, value);
    }
    match (d.attr.as_deref(), &d.spec, &d.page) {
        (None, None, Some(_)) => {
            // A nested field goes in the field it is in; a top-level one, by the endpoint.
            let line = if within.contains('.') {
                d.spec_line.unwrap_or(cx.first_line())
            } else {
                cx.first_line()
            };
            Some((
                line,
                format!("field `{within}` is on the page {at} but not in the spec"),
            ))
        }
        (None, Some(_), None) => Some((
            d.spec_line.unwrap_or(cx.first_line()),
            format!(
                "field `{within}` is in the spec but not on the page ({})",
                cx.page_file
            ),
        )),
        (Some(attr @ ("required" | "type")), _, _) => {
            let name = within.rsplit('.').next().unwrap_or(within);
            let line = d.spec_line.unwrap_or(cx.first_line());
            Some((line, attribute(d, name, attr, &at)?))
        }
        _ => None,
    }
}

/// An enum value of `field` (a field's or parameter's) on one side only, or its meaning.
fn enum_value(
    d: &Difference,
    cx: &Context<'_>,
    field: &str,
    value: &str,
) -> Option<(usize, String)> {
    let line = d.spec_line.unwrap_or(cx.first_line());
    let at = cx.at(d.page_line);
    let message = match (&d.spec, &d.page) {
        (None, Some(meaning)) => {
            format!("`{field}` value `{value}` ({meaning}) is on the page {at} but not in the spec")
        }
        (Some(_), None) => {
            format!("`{field}` value `{value}` is in the spec but not on the page {at}")
        }
        (Some(spec), Some(page)) => format!(
            "`{field}` value `{value}` means {spec:?} in the spec but {page:?} on the page {at}"
        ),
        _ => return None,
    };
    Some((line, message))
}

/// An error code on one side only, or its HTTP status, message or hint.
fn errors(d: &Difference, cx: &Context<'_>) -> Option<(usize, String)> {
    let code = d.key().strip_prefix("errors.")?;
    let at = cx.at(d.page_line);
    let spec_line = d.spec_line.unwrap_or(cx.first_line());
    let message = match (d.attr.as_deref(), d.spec.as_deref(), d.page.as_deref()) {
        (None, None, Some(_)) => {
            // A new code goes after the spec's last.
            let last = cx
                .spec
                .errors
                .last()
                .map_or(cx.first_line(), |e| e.code.at.line);
            return Some((
                last,
                format!("code {code} is on the page {at} but not in the spec"),
            ));
        }
        (None, Some(_), None) => format!(
            "code {code} is in the spec but not on the page ({})",
            cx.page_file
        ),
        (Some("http_status"), spec, Some(page)) => format!(
            "code {code}: HTTP status {} in the spec but {page} on the page {at}",
            spec.unwrap_or("none")
        ),
        (Some("message"), Some(spec), Some(page)) => {
            format!("code {code}: message {spec:?} in the spec but {page:?} on the page {at}")
        }
        (Some("hint"), _, Some(_)) => {
            format!("code {code}: the hint in the spec is not the page's {at}")
        }
        _ => return None,
    };
    Some((spec_line, message))
}

/// Any other fact (a description, an example, an attribute without words of its own).
fn generic(d: &Difference, cx: &Context<'_>) -> (usize, String) {
    let fact = &d.fact;
    let at = cx.at(d.page_line);
    let line = d.spec_line.unwrap_or(cx.first_line());
    // A value of a few words is shown; a text or an example only pointed at.
    let short = |v: &str| !v.contains('\n') && v.chars().count() <= 80;
    let message = match (d.spec.as_deref(), d.page.as_deref()) {
        (Some(spec), Some(page)) if short(spec) && short(page) && !d.entity => {
            format!("`{fact}` is {spec:?} in the spec but {page:?} on the page {at}")
        }
        (Some(_), Some(_)) => format!("`{fact}` in the spec is not the page's {at}"),
        (None, Some(page)) if short(page) && !d.entity && !page.is_empty() => {
            format!("`{fact}` is {page:?} on the page {at} but not in the spec")
        }
        (None, Some(_)) => format!("`{fact}` is on the page {at} but not in the spec"),
        (_, None) => format!(
            "`{fact}` is in the spec but not on the page ({})",
            cx.page_file
        ),
    };
    (line, message)
}
