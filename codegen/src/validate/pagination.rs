//! `pagination:` against the request it pages and the reply it reads: the parameters are
//! optional query parameters of the right types, the reply fields exist at the reply's top
//! with the right types, and the names the generated code adds are free.

use super::report::report;
use super::types::expect_field;
use crate::diag::Diagnostics;
use crate::naming;
use crate::spec::{EndpointSpec, FieldType, PaginationSpec, ParamIn};

/// Methods the generated request gains; a parameter setter of the same name would collide.
const METHODS: &[&str] = &["pages", "items"];

pub(super) fn validate_pagination(e: &EndpointSpec, p: &PaginationSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    if !e.is_idempotent() {
        report(
            diags,
            file,
            &p.token,
            "a paginated endpoint sends one request per page, so it must be idempotent \
             (a GET, or `idempotent: true`)",
        );
    }
    if e.waiter.is_some() || e.starts.is_some() {
        report(
            diags,
            file,
            &p.token,
            "an endpoint is either a list or a task's step: `pagination` cannot go with \
             `waiter` or `starts`",
        );
    }
    for (param, ty) in [(&p.token, FieldType::String), (&p.size, FieldType::Integer)] {
        match e.params.iter().find(|q| q.name.value == param.value) {
            None => report(
                diags,
                file,
                param,
                format!("`{}` is not a parameter of this endpoint", param.value),
            ),
            Some(q) if q.location != ParamIn::Query || q.ty.value != ty || q.required => report(
                diags,
                file,
                param,
                format!(
                    "`{}` must be an optional query parameter of type {}",
                    param.value,
                    ty.as_str()
                ),
            ),
            Some(_) => {}
        }
    }
    if p.max_size.value == 0 {
        report(diags, file, &p.max_size, "a page holds at least one item");
    }
    for param in &e.params {
        let setter = naming::field_ident(&param.name.value);
        if METHODS.contains(&setter.trim_start_matches("r#")) {
            report(
                diags,
                file,
                &param.name,
                format!("the setter `{setter}` collides with the list method of that name"),
            );
        }
    }
    let Some(response) = e.response.json() else {
        report(
            diags,
            file,
            &p.items,
            "a paginated endpoint replies with JSON; this one's reply is binary",
        );
        return;
    };
    let top_level = |path: &crate::decode::Spanned<String>, diags: &mut Diagnostics| {
        let flat = !path.value.contains('.');
        if !flat {
            report(diags, file, path, "must be a field at the top of the reply");
        }
        flat
    };
    if top_level(&p.next_token, diags) {
        expect_field(file, response, &p.next_token, &[FieldType::String], diags);
    }
    if let Some(has_more) = &p.has_more
        && top_level(has_more, diags)
    {
        expect_field(file, response, has_more, &[FieldType::Boolean], diags);
    }
    if top_level(&p.items, diags) {
        expect_field(file, response, &p.items, &[FieldType::Array], diags);
    }
}
