//! Chains with names resolved: which request a reply (or a request) feeds, and how each of
//! its parameters is read (an upload before a start: `before.rs`).

use super::before::{Before, build_before};
use super::fixed::{Fixed, fixed};
use super::waiter::{PathStep, steps};
use crate::naming;
use crate::spec::{
    DownloadSpec, EndpointSpec, FeedSource, FeedSpec, FieldType, ResponseSpec, StartsSpec,
};

/// The next request of a chain: the poller a start endpoint feeds, or the download a
/// poller feeds.
#[derive(Debug, Clone)]
pub struct Chain {
    pub next_id: String,
    /// Prefix of the next endpoint's request type, e.g. `GetExportTask`.
    pub next_type_prefix: String,
    /// The next endpoint's module (its operation).
    pub next_operation: String,
    /// The client method that runs the chain (`starts` only).
    pub workflow: Option<String>,
    /// One per parameter of the next request that is fed, required ones first.
    pub feeds: Vec<Feed>,
    /// A boolean reply field: `false` means no task was started (`starts` only).
    pub async_flag: Option<Vec<PathStep>>,
    /// An integer reply field: the file's size (`download` only).
    pub size: Option<Vec<PathStep>>,
    /// An upload sent before the start, whose reply feeds it (`starts` only).
    pub before: Option<Before>,
}

#[derive(Debug, Clone)]
pub struct Feed {
    /// The next request's parameter (its Rust name), and whether it is required there.
    pub param_ident: String,
    pub required: bool,
    /// A string (`clone`d) rather than a `Copy` value.
    pub is_string: bool,
    pub from: FeedFrom,
}

#[derive(Debug, Clone)]
pub enum FeedFrom {
    /// Through the reply's fields.
    Reply(Vec<PathStep>),
    /// A parameter or top-level body field of the request, by Rust name.
    Request {
        ident: String,
        in_body: bool,
        required: bool,
    },
    /// A fixed value; `wire` is the value as sent.
    Value { value: Fixed, wire: String },
}

pub(super) fn build_starts(
    e: &EndpointSpec,
    s: &StartsSpec,
    all: &[EndpointSpec],
) -> Option<Chain> {
    let next = all.iter().find(|n| n.id.value == s.poller.value)?;
    let mut chain = chain_to(e, next, &s.params)?;
    chain.workflow = Some(s.workflow.value.clone());
    chain.async_flag = match &s.async_flag {
        Some(flag) => Some(steps(e.response.json()?, &flag.value)?),
        None => None,
    };
    chain.before = match &s.before {
        Some(before) => Some(build_before(e, before, all)?),
        None => None,
    };
    Some(chain)
}

pub(super) fn build_download(
    e: &EndpointSpec,
    d: &DownloadSpec,
    all: &[EndpointSpec],
) -> Option<Chain> {
    let next = all.iter().find(|n| n.id.value == d.endpoint.value)?;
    let mut chain = chain_to(e, next, &d.params)?;
    chain.size = match &d.size {
        Some(size) => Some(steps(e.response.json()?, &size.value)?),
        None => None,
    };
    Some(chain)
}

fn chain_to(e: &EndpointSpec, next: &EndpointSpec, feeds: &[FeedSpec]) -> Option<Chain> {
    let mut built = Vec::new();
    for feed in feeds {
        let param = next
            .params
            .iter()
            .find(|p| p.name.value == feed.param.value)?;
        let from = match &feed.source.value {
            FeedSource::Reply(path) => {
                let ResponseSpec::Json(response) = &e.response else {
                    return None;
                };
                FeedFrom::Reply(steps(response, path)?)
            }
            FeedSource::Value(value) => FeedFrom::Value {
                value: fixed(param.fixed_value(value).ok()?, param.enumeration.as_ref())?,
                wire: value.text.clone(),
            },
            FeedSource::Request(name) => {
                let body_field = e
                    .body
                    .as_ref()
                    .and_then(|b| b.object.fields.iter().find(|f| f.name.value == *name));
                let required = match body_field {
                    Some(field) => field.required,
                    None => e.params.iter().find(|p| p.name.value == *name)?.required,
                };
                FeedFrom::Request {
                    ident: naming::field_ident(name),
                    in_body: body_field.is_some(),
                    required,
                }
            }
        };
        built.push(Feed {
            param_ident: naming::field_ident(&param.name.value),
            required: param.required,
            is_string: param.ty.value == FieldType::String && param.format.is_none(),
            from,
        });
    }
    // Required parameters first, in the order the next request's constructor takes them.
    let order = |f: &Feed| {
        next.params
            .iter()
            .filter(|p| p.required)
            .position(|p| naming::field_ident(&p.name.value) == f.param_ident)
            .unwrap_or(usize::MAX)
    };
    built.sort_by_key(order);
    Some(Chain {
        next_id: next.id.value.clone(),
        next_type_prefix: naming::type_name(&next.operation.value),
        next_operation: next.operation.value.clone(),
        workflow: None,
        feeds: built,
        async_flag: None,
        size: None,
        before: None,
    })
}
