//! Chains: a start endpoint's `starts` (the poller it feeds) and a poller's `download` (the
//! download its result feeds), checked against the endpoints they name; `before.rs` checks
//! the upload a start may take first, finding it as these do.

use super::report::{Names, report};
use super::types::expect_field;
use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::load::ProviderDir;
use crate::naming;
use crate::spec::{EndpointSpec, FeedSource, FeedSpec, FieldType, ResponseSpec};

pub(super) fn validate_chains<'a>(
    dir: &ProviderDir,
    e: &'a EndpointSpec,
    operations: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    if let Some(starts) = &e.starts {
        if !naming::is_snake_ident(&starts.workflow.value) {
            report(
                diags,
                file,
                &starts.workflow,
                "must be a snake_case method name like `export_document`",
            );
        } else if let Err(msg) = operations.claim(starts.workflow.value.clone(), file) {
            report(diags, file, &starts.workflow, msg);
        }
        match find(dir, &starts.poller) {
            Err(msg) => not_found(dir, diags, file, &starts.poller, msg),
            Ok(poller) if poller.waiter.is_none() => report(
                diags,
                file,
                &starts.poller,
                format!(
                    "`{}` has no `waiter`: nothing to wait with",
                    poller.id.value
                ),
            ),
            Ok(poller) => validate_feeds(e, poller, &starts.params, &starts.poller, diags),
        }
        if let Some(flag) = &starts.async_flag {
            expect_reply_field(e, flag, &[FieldType::Boolean], diags);
        }
    }
    if let Some(download) = &e.download {
        if e.waiter.is_none() {
            report(
                diags,
                file,
                &download.endpoint,
                "`download` is for a poll endpoint (one with a `waiter`)",
            );
        }
        match find(dir, &download.endpoint) {
            Err(msg) => not_found(dir, diags, file, &download.endpoint, msg),
            Ok(target) if !matches!(target.response, ResponseSpec::Binary { .. }) => report(
                diags,
                file,
                &download.endpoint,
                format!(
                    "`{}` does not answer with a file (`response: {{content: binary}}`)",
                    target.id.value
                ),
            ),
            Ok(target) => validate_feeds(e, target, &download.params, &download.endpoint, diags),
        }
        if let Some(size) = &download.size {
            expect_reply_field(e, size, &[FieldType::Integer], diags);
        }
    }
}

/// Reports a chain to an endpoint that is not there, unless a file that failed to read
/// may be it (that failure is reported already).
pub(super) fn not_found(
    dir: &ProviderDir,
    diags: &mut Diagnostics,
    file: &str,
    id: &Spanned<String>,
    msg: String,
) {
    if dir.complete {
        report(diags, file, id, msg);
    }
}

/// The endpoint `id` names, in the same provider.
pub(super) fn find<'a>(
    dir: &'a ProviderDir,
    id: &Spanned<String>,
) -> Result<&'a EndpointSpec, String> {
    dir.endpoints
        .iter()
        .find(|other| other.id.value == id.value)
        .ok_or_else(|| format!("no endpoint `{}` in {}", id.value, dir.dir_name))
}

/// Every required parameter of `next` is fed, each from a field or parameter of `e` of the
/// same type, or a fixed value of its type. A parameter fed by nothing is reported at `named`, where the chain names
/// `next`.
fn validate_feeds(
    e: &EndpointSpec,
    next: &EndpointSpec,
    feeds: &[FeedSpec],
    named: &Spanned<String>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    for feed in feeds {
        let Some(param) = next
            .params
            .iter()
            .find(|p| p.name.value == feed.param.value)
        else {
            report(
                diags,
                file,
                &feed.param,
                format!(
                    "`{}` has no parameter `{}`",
                    next.id.value, feed.param.value
                ),
            );
            continue;
        };
        let expected = [param.ty.value];
        match &feed.source.value {
            FeedSource::Reply(field) => {
                let at = Spanned {
                    value: field.clone(),
                    at: feed.source.at,
                    path: feed.source.path.clone(),
                };
                expect_reply_field(e, &at, &expected, diags);
            }
            FeedSource::Request(name) => {
                let ty = e
                    .params
                    .iter()
                    .find(|p| p.name.value == *name)
                    .map(|p| p.ty.value)
                    .or_else(|| {
                        e.body.as_ref().and_then(|b| {
                            b.object
                                .fields
                                .iter()
                                .find(|f| f.name.value == *name)
                                .map(|f| f.ty.value)
                        })
                    });
                match ty {
                    None => report(
                        diags,
                        file,
                        &feed.source,
                        format!("this request has no parameter or body field `{name}`"),
                    ),
                    Some(ty) if ty != param.ty.value => report(
                        diags,
                        file,
                        &feed.source,
                        format!(
                            "`{name}` is {}, but `{}` of `{}` is {}",
                            ty.as_str(),
                            feed.param.value,
                            next.id.value,
                            param.ty.value.as_str()
                        ),
                    ),
                    Some(_) => {}
                }
            }
            FeedSource::Value(value) => {
                if let Err(msg) = param.fixed_value(value) {
                    report(diags, file, &feed.source, msg);
                }
            }
        }
    }
    for param in next.params.iter().filter(|p| p.required) {
        if !feeds.iter().any(|f| f.param.value == param.name.value) {
            report(
                diags,
                file,
                named,
                format!(
                    "required parameter `{}` of `{}` is not fed (add it to `params`)",
                    param.name.value, next.id.value
                ),
            );
        }
    }
}

/// A dotted path into `e`'s JSON reply that ends at a field of one of `types`.
fn expect_reply_field(
    e: &EndpointSpec,
    path: &Spanned<String>,
    types: &[FieldType],
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let Some(response) = e.response.json() else {
        report(diags, file, path, "this endpoint's reply is not JSON");
        return;
    };
    expect_field(file, response, path, types, diags);
}
