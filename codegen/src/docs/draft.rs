//! A draft endpoint spec from a doc page (`cargo xtask docs import <page>`).
//!
//! [`draft`] reads the page with `docread` and writes every fact it states: title,
//! description, `doc`/`url`/`updated`, method, path, token kinds, app types, scopes, rate
//! limit, parameters (`in`, type, `required`, `max_length`, `enum`, `example`, description),
//! the body (JSON, or multipart when a body field is a file), the reply's fields nested with
//! their types and enum values (read from the reply example when the page has no reply
//! table), the reply example, and the whole error table (`http_status`, `code`, `message`,
//! `hint` verbatim). Names follow the generator's rules: the operation is the id's verb and
//! resource (`feishu.drive.export_task.create` -> `create_export_task`), types are the
//! operation's `UpperCamel` name plus `Data` (the reply), `Body` (the request body) or the
//! field's name (nested objects, enums; an array's elements in the singular, `mentions` ->
//! `...Mention`), enum variants come from the value (`docx` ->
//! `Docx`) or the meaning's English words, and an error gets `name:` only where its message
//! gives no usable, unique variant name.
//!
//! What only a person can decide is written as a `TODO` that the loader refuses, located, until
//! it is filled in: the English `summary` of the endpoint and of each parameter, `retryable`
//! of each error (`retryable: TODO`), a waiter when the reply has a status enum (which values
//! are pending, success, failure), variant names the page gives no English for, and any
//! type the format cannot take from the page. An array of objects is `type: array` with its
//! element's `object:`; an object the page lists without fields because it is a type listed
//! above ("同上", `children | dropdown_option[]` inside a `dropdown_option`) gets those fields,
//! at most two levels further down. What the format cannot hold at all (a code the provider
//! lists as common) is left out with a comment saying so.
//!
//! The draft is also the page as the comparison with a spec reads it (`compare`): the one
//! place that says what a page's facts are in the spec's terms.
//!
//! Files, top-down: `endpoint` (the top-level entries, in order) uses `params`, `body`,
//! `response`, `waiter`, `errors` and `access` (token kinds, app types); those use `fields`
//! (a body or reply field, nested), `enums`, `kind` (what a page's type text stands for) and
//! `names` (type, variant and error names); `yaml_out` writes the entries, `json` reads a
//! reply example; `request` is what every part is given.

mod access;
mod body;
mod endpoint;
mod enums;
mod errors;
mod fields;
mod json;
mod kind;
mod names;
mod params;
mod request;
mod response;
mod waiter;
mod yaml_out;

use crate::spec::ProviderSpec;
use docread::Page;

pub use request::{ImportRequest, TODO_RETRYABLE};

pub(crate) use access::{app_type, token_kind};
pub(crate) use response::{NO_REPLY_EXAMPLE, REPLY_FROM_EXAMPLE};
pub(crate) use yaml_out::scalar;

/// The draft spec's YAML text, or why there is none (the page states no method or path,
/// the id is not `provider.area.resource.verb`).
pub fn draft(request: &ImportRequest<'_>, provider: &ProviderSpec) -> Result<String, String> {
    draft_page(request, &docread::read(request.page_text), provider)
}

/// As [`draft`], from the page already read (`request.page_text` is not read again).
pub fn draft_page(
    request: &ImportRequest<'_>,
    page: &Page,
    provider: &ProviderSpec,
) -> Result<String, String> {
    let entries = endpoint::entries(request, provider, page)?;
    let text = yaml_out::render(&entries);
    // The writer quotes what it must; a draft that does not read back is a bug here.
    match crate::yaml::parse(&text) {
        Ok(Some(_)) => Ok(text),
        Ok(None) => Err("internal error: the draft is empty".into()),
        Err(e) => Err(format!(
            "internal error: the draft is not valid YAML (line {}: {}: {:?})",
            e.at.line,
            e.message,
            text.lines().nth(e.at.line.saturating_sub(1)).unwrap_or("")
        )),
    }
}
