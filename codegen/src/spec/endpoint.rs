//! `endpoints/*.yaml`: one endpoint's request (method, path, parameters, body), reply,
//! documented errors, waiter and chains (parameters and bodies in `request.rs`, chains in
//! `chain.rs`, pagination in `pagination.rs`).

use super::chain::{DownloadSpec, StartsSpec};
use super::errors::ErrorSpec;
use super::pagination::PaginationSpec;
use super::request::{BodySpec, ParamSpec, ResponseSpec};
use super::value::{Method, Scalar};
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::path_template::PathTemplate;
use crate::yaml::Node;

#[derive(Debug, Clone)]
pub struct EndpointSpec {
    pub file: String,
    pub id: Spanned<String>,
    pub operation: Spanned<String>,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub source: String,
    /// The page the spec was captured from, under `docs/`.
    pub doc: Option<Spanned<String>>,
    /// The page's public URL.
    pub url: Option<Spanned<String>>,
    /// The page's last-updated date (YYYY-MM-DD), where the page gives one.
    pub updated: Option<Spanned<String>>,
    /// Facts the spec states differently from its page on purpose, each with its reason:
    /// `cargo xtask docs check` accepts exactly these.
    pub overrides: Vec<OverrideSpec>,
    pub method: Spanned<Method>,
    /// Whether sending twice does no more than sending once; absent: false for POST and
    /// PATCH, true otherwise.
    pub idempotent: Option<Spanned<bool>>,
    pub path: Spanned<PathTemplate>,
    pub token_kinds: Vec<String>,
    pub app_types: Vec<String>,
    pub scopes: Vec<ScopeSpec>,
    pub rate_limit: Option<RateLimitSpec>,
    pub params: Vec<ParamSpec>,
    pub body: Option<BodySpec>,
    pub response: ResponseSpec,
    pub example: Spanned<String>,
    pub errors: Vec<ErrorSpec>,
    /// The provider's error table whose codes come before `errors` (loading puts them in).
    pub errors_from: Option<Spanned<String>>,
    pub waiter: Option<WaiterSpec>,
    pub starts: Option<StartsSpec>,
    pub download: Option<DownloadSpec>,
    /// The reply is one page of a list.
    pub pagination: Option<PaginationSpec>,
}

impl EndpointSpec {
    /// Whether the call may be sent again after a failure that does not prove the server
    /// did nothing.
    pub fn is_idempotent(&self) -> bool {
        match &self.idempotent {
            Some(flag) => flag.value,
            None => !matches!(self.method.value, Method::Post | Method::Patch),
        }
    }
}

/// How to wait for the task an endpoint reports on: where its status is, which values are
/// pending, success and failure, and how often to poll.
#[derive(Debug, Clone)]
pub struct WaiterSpec {
    pub path: String,
    /// The client method, e.g. `wait_export_task`.
    pub name: Spanned<String>,
    /// Dotted path to the status field in the reply, e.g. `result.job_status`.
    pub status: Spanned<String>,
    pub pending: Vec<Spanned<Scalar>>,
    pub success: Vec<Spanned<Scalar>>,
    pub failure: Vec<Spanned<Scalar>>,
    /// What a value the status enum does not list means.
    pub unknown: Spanned<WaitState>,
    /// A string field that must be non-empty for a success to count as done.
    pub ready_when_set: Option<Spanned<String>>,
    /// A string field explaining a failure.
    pub message: Option<Spanned<String>>,
    /// Integer fields counting done and total items.
    pub progress: Option<(Spanned<String>, Spanned<String>)>,
    pub min_delay: Spanned<f64>,
    pub max_delay: Spanned<f64>,
    pub max_wait: Spanned<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitState {
    Pending,
    Failure,
}

/// A deliberate difference from the page: the fact (as the docs check names it, e.g.
/// `host` or `response.result.token`) and why.
#[derive(Debug, Clone)]
pub struct OverrideSpec {
    pub fact: Spanned<String>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ScopeSpec {
    pub scope: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct RateLimitSpec {
    pub per_minute: Option<u32>,
    pub per_second: Option<u32>,
    /// Endpoints that share one limit name the same group; their calls take slots of one
    /// key. Without it, the endpoint's limit is its own.
    pub group: Option<Spanned<String>>,
}

// ---- reading ---------------------------------------------------------------------------

impl Decode for WaitState {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("pending", WaitState::Pending),
                ("failure", WaitState::Failure),
            ],
        )
    }
}

impl WaiterSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let status = f.req(cx, "status");
        let pending = f.req(cx, "pending");
        let success = f.req(cx, "success");
        let failure = f.opt(cx, "failure").unwrap_or_default();
        let unknown = f.req(cx, "unknown");
        let ready_when_set = f.opt(cx, "ready_when_set");
        let message = f.opt(cx, "message");
        let progress = f.with(cx, "progress", false, |cx, n, p| {
            let mut g = cx.fields(n, p)?;
            let done = g.req(cx, "done");
            let total = g.req(cx, "total");
            g.finish(cx);
            Some((done?, total?))
        });
        let min_delay = f.req(cx, "min_delay");
        let max_delay = f.req(cx, "max_delay");
        let max_wait = f.req(cx, "max_wait");
        f.finish(cx);
        Some(WaiterSpec {
            path: path.to_owned(),
            name: name?,
            status: status?,
            pending: pending?,
            success: success?,
            failure,
            unknown: unknown?,
            ready_when_set,
            message,
            progress,
            min_delay: min_delay?,
            max_delay: max_delay?,
            max_wait: max_wait?,
        })
    }
}

impl EndpointSpec {
    pub fn decode(cx: &mut Ctx<'_>, node: &Node) -> Option<Self> {
        let mut f = cx.fields(node, "")?;
        let id = f.req(cx, "id");
        let operation = f.req(cx, "operation");
        let title = f.req(cx, "title");
        let summary = f.req(cx, "summary");
        let description = f.opt(cx, "description").unwrap_or_default();
        let source = f.opt(cx, "source").unwrap_or_default();
        let doc = f.opt(cx, "doc");
        let url = f.opt(cx, "url");
        let updated = f.opt(cx, "updated");
        let overrides = f.opt(cx, "overrides").unwrap_or_default();
        let method = f.req(cx, "method");
        let idempotent = f.opt(cx, "idempotent");
        let path = f.req(cx, "path");
        let token_kinds = f.opt(cx, "token_kinds").unwrap_or_default();
        let app_types = f.opt(cx, "app_types").unwrap_or_default();
        let scopes = f.opt(cx, "scopes").unwrap_or_default();
        let rate_limit = f.with(cx, "rate_limit", false, RateLimitSpec::decode);
        let params = f.opt(cx, "params").unwrap_or_default();
        let body = f.with(cx, "body", false, BodySpec::decode);
        let response = f.with(cx, "response", true, ResponseSpec::decode);
        let example = f.req(cx, "example");
        let errors = f.opt(cx, "errors").unwrap_or_default();
        let errors_from = f.opt(cx, "errors_from");
        let waiter = f.with(cx, "waiter", false, WaiterSpec::decode);
        let starts = f.with(cx, "starts", false, StartsSpec::decode);
        let download = f.with(cx, "download", false, DownloadSpec::decode);
        let pagination = f.with(cx, "pagination", false, PaginationSpec::decode);
        f.finish(cx);
        Some(EndpointSpec {
            file: cx.file.to_owned(),
            id: id?,
            operation: operation?,
            title: title?,
            summary: summary?,
            description,
            source,
            doc,
            url,
            updated,
            overrides,
            method: method?,
            idempotent,
            path: path?,
            token_kinds,
            app_types,
            scopes,
            rate_limit,
            params,
            body,
            response: response?,
            example: example?,
            errors,
            errors_from,
            waiter,
            starts,
            download,
            pagination,
        })
    }
}

impl Decode for ScopeSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let scope = f.req(cx, "scope");
        let description = f.opt(cx, "description").unwrap_or_default();
        f.finish(cx);
        Some(ScopeSpec {
            scope: scope?,
            description,
        })
    }
}

impl RateLimitSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let per_minute = f.opt(cx, "per_minute");
        let per_second = f.opt(cx, "per_second");
        let group = f.opt(cx, "group");
        f.finish(cx);
        Some(RateLimitSpec {
            per_minute,
            per_second,
            group,
        })
    }
}

impl Decode for OverrideSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let fact = f.req(cx, "fact");
        let reason = f.req(cx, "reason");
        f.finish(cx);
        Some(OverrideSpec {
            fact: fact?,
            reason: reason?,
        })
    }
}
