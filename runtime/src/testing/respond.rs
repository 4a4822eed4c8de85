//! How the fake answers one request: the reply it picks for a route, by what it keeps
//! between requests (`state.rs`).

use super::download::{binary_reply, content_disposition};
use super::list::{PageReply, page_reply};
use super::recorded::Recorded;
use super::reply::{Fault, FaultBody, Scripted, fault_reply, plain, throttled_reply, whole};
use super::responder::{Responded, Responder};
use super::route::{Route, RouteKind, set_at};
use super::state::State;
use super::stats::STATS_PATH;
use crate::Envelope;
use http_body_util::BodyExt as _;
use std::sync::Mutex;

/// Tasks whose polls the fake counts (see `State::pending_per_task`); a task beyond them
/// is done at its first poll.
pub(super) const MAX_TASKS: usize = 1_000_000;

/// What the state says about one request, decided under its lock.
struct Decided {
    /// Over the server's rate limit: the seconds until its window ends, and the limit.
    throttle: Option<(u32, u32)>,
    scripted: Option<Scripted>,
    count: usize,
    token: Option<(usize, i64)>,
    task: Task,
    download_size: u64,
    accept_ranges: bool,
    download_name: Option<String>,
    /// A paginated route's page, when the route has a list and no script.
    page: Option<PageReply>,
    /// The route's responder, when it has one and no script, with the request it answers.
    responder: Option<(Responder, Recorded)>,
}

pub(super) async fn respond(
    routes: &'static [Route],
    state: &Mutex<State>,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<FaultBody> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    if method == "GET" && path == STATS_PATH {
        return stats_reply(state);
    }
    // Read the request body so the connection stays usable; kept for `last_request`.
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let Some(route) = routes.iter().find(|r| r.matches(&method, &path)) else {
        return plain(
            404,
            "text/plain",
            format!("the fake has no route for {method} {path}"),
        );
    };
    let range = parts
        .headers
        .get(hyper::header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let recorded = record(method, path, &parts, body);
    let mut decided = decide(route, state, recorded);
    if let Some((reset_seconds, limit)) = decided.throttle {
        let mut response = throttled_reply(route, reset_seconds, limit);
        set_log_id(&mut response, decided.count);
        return response;
    }
    let scripted = decided.scripted.take();
    let responded = decided
        .responder
        .take()
        .and_then(|(responder, request)| responder(&request));
    if let Some(Responded {
        status,
        content_type,
        body,
    }) = responded
    {
        let mut reply = whole(status, content_type, body);
        set_log_id(&mut reply, decided.count);
        return reply;
    }
    let mut response = match decided.page.take() {
        Some(PageReply::Throttled) => throttled_reply(route, 1, 100),
        Some(PageReply::Failed(body)) => plain(400, "application/json", body),
        Some(PageReply::Page(body)) => plain(200, "application/json", body),
        None => reply_to(route, scripted, &decided, range.as_deref()).await,
    };
    set_log_id(&mut response, decided.count);
    name_file(&mut response, decided.download_name.as_deref());
    response
}

/// What the server saw, as `GET /_fake/stats` serves it.
fn stats_reply(state: &Mutex<State>) -> hyper::Response<FaultBody> {
    let stats = state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .stats();
    let body = serde_json::to_string(&stats).unwrap_or_default();
    plain(200, "application/json", body)
}

/// The request as `last_request` gives it back.
fn record(
    method: String,
    path: String,
    parts: &hyper::http::request::Parts,
    body: bytes::Bytes,
) -> Recorded {
    Recorded {
        method,
        path,
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    }
}

/// The reply to a request that is not throttled: its script when it has one, else what
/// its route gives by default (a file, a fresh token, a task's state, the doc example).
async fn reply_to(
    route: &'static Route,
    scripted: Option<Scripted>,
    decided: &Decided,
    range: Option<&str>,
) -> hyper::Response<FaultBody> {
    let file = |cut_after| {
        binary_reply(
            decided.download_size,
            range,
            decided.accept_ranges,
            cut_after,
        )
    };
    match (scripted, &route.kind, decided.token) {
        (
            Some(Scripted::Json {
                status,
                body,
                headers,
            }),
            _,
            _,
        ) => json_reply(status, body, headers),
        (Some(Scripted::Fault(Fault::CutDownload { after })), _, _) => file(Some(after)),
        (Some(Scripted::Fault(Fault::DripDownload { after, every })), _, _) => {
            file(None).map(|body| body.dripping(after, every))
        }
        (Some(Scripted::Fault(fault)), _, _) => fault_reply(route, fault).await,
        (Some(Scripted::File) | None, RouteKind::Download, _) => file(None),
        (
            None,
            RouteKind::Token {
                token_field,
                expires_field,
            },
            Some((n, lifetime)),
        ) => token_reply(route, token_field, expires_field, n, lifetime),
        (None, _, _) if route.task.is_some() => plain(
            200,
            "application/json",
            task_reply(route, decided.task, decided.download_size),
        ),
        _ => plain(200, "application/json", route.example.to_owned()),
    }
}

/// A scripted JSON reply, with the headers its script adds.
fn json_reply(
    status: u16,
    body: String,
    headers: Vec<(&'static str, String)>,
) -> hyper::Response<FaultBody> {
    let mut response = plain(status, "application/json", body);
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// A token endpoint's reply: the `n`th token issued, `fake-token-n`, in the route's
/// envelope.
fn token_reply(
    route: &Route,
    token_field: &str,
    expires_field: &str,
    n: usize,
    lifetime: i64,
) -> hyper::Response<FaultBody> {
    let mut body = serde_json::Map::new();
    if route.envelope != Envelope::Bare {
        body.insert("code".into(), 0.into());
        body.insert("msg".into(), "ok".into());
    }
    body.insert(token_field.into(), format!("fake-token-{n}").into());
    body.insert(expires_field.into(), lifetime.into());
    plain(
        200,
        "application/json",
        serde_json::Value::Object(body).to_string(),
    )
}

/// Numbers the reply as the real servers' log id header does, one count per route.
fn set_log_id(response: &mut hyper::Response<FaultBody>, count: usize) {
    if let Ok(value) = format!("fake-log-{count}").parse() {
        response.headers_mut().insert("x-tt-logid", value);
    }
}

/// A file carries its name, as the real servers send it (and the SDKs read it).
fn name_file(response: &mut hyper::Response<FaultBody>, download_name: Option<&str>) {
    let file = matches!(response.status().as_u16(), 200 | 206)
        && response
            .headers()
            .get(hyper::header::CONTENT_TYPE)
            .is_some_and(|v| v == "application/octet-stream");
    if let (true, Some(name)) = (file, download_name)
        && let Ok(value) = content_disposition(name).parse()
    {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_DISPOSITION, value);
    }
}

/// Counts the request, records it and its arrival, and throttles it when it is over the
/// rate limit; otherwise takes its script, issues a token, and moves the task a start
/// endpoint started or a poller polls.
fn decide(route: &'static Route, state: &Mutex<State>, recorded: Recorded) -> Decided {
    let mut state = state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let at = state.elapsed();
    // What tells one task from another when each is pending for its own polls.
    let target = state
        .pending_per_task
        .filter(|_| route.task.is_some())
        .map(|_| match &recorded.query {
            Some(query) => format!("{}?{query}", recorded.path),
            None => recorded.path.clone(),
        });
    let count = {
        let n = state.requests.entry(route.id).or_default();
        *n += 1;
        *n
    };
    let query = recorded.query.clone();
    let responder = state.responders.get(route.id).cloned();
    let responder = responder.map(|responder| (responder, recorded.clone()));
    state.last.insert(route.id, recorded);
    state.arrivals.record(route.id, at);
    if let Some(reset) = state.over_limit(route, at) {
        return Decided {
            throttle: Some((reset, state.rate_limit.unwrap_or(0))),
            scripted: None,
            count,
            token: None,
            task: Task::Example,
            download_size: state.download_size,
            accept_ranges: state.accept_ranges,
            download_name: state.download_name.clone(),
            page: None,
            responder: None,
        };
    }
    let scripted = match state.scripts.get_mut(route.id) {
        Some(queue) if queue.len() > 1 => queue.pop_front(),
        Some(queue) => queue.front().cloned(),
        None => None,
    };
    let responder = responder.filter(|_| scripted.is_none());
    let page = match (&scripted, route.list) {
        (None, Some(shape)) => state
            .lists
            .get_mut(route.id)
            .map(|plan| page_reply(route, shape, plan, query.as_deref())),
        _ => None,
    };
    let token = match (&scripted, &route.kind) {
        (None, RouteKind::Token { .. }) => {
            state.tokens_issued += 1;
            Some((state.tokens_issued, state.token_lifetime))
        }
        _ => None,
    };
    if let Some(poller) = route.starts {
        let polls = state.pending_polls;
        state.running.insert(poller, polls);
    }
    let per_task = state.pending_per_task.zip(target);
    let task = if let Some((pending, target)) = per_task {
        let tracked = state.task_polls.len() < MAX_TASKS;
        let key = (route.id, target);
        match state.task_polls.get_mut(&key) {
            Some(seen) => {
                *seen = seen.saturating_add(1);
                if *seen <= pending {
                    Task::Pending
                } else {
                    Task::Done
                }
            }
            None if pending > 0 && tracked => {
                state.task_polls.insert(key, 1);
                Task::Pending
            }
            None => Task::Done,
        }
    } else {
        match state.running.get_mut(route.id) {
            Some(left) if *left > 0 => {
                *left -= 1;
                Task::Pending
            }
            Some(_) => Task::Done,
            None => Task::Example,
        }
    };
    Decided {
        throttle: None,
        scripted,
        count,
        token,
        task,
        download_size: state.download_size,
        accept_ranges: state.accept_ranges,
        download_name: state.download_name.clone(),
        page,
        responder,
    }
}

/// Where a poller's task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    /// No start endpoint started one: the doc example as it is.
    Example,
    /// Started, still running.
    Pending,
    /// Started and done: a success.
    Done,
}

/// A poller's example, pending while its task runs, a success once a started task is done,
/// and reporting the size of the file the download route serves.
fn task_reply(route: &Route, task_state: Task, download_size: u64) -> String {
    let Some(task) = route.task else {
        return route.example.to_owned();
    };
    let Ok(mut body) = serde_json::from_str::<serde_json::Value>(route.example) else {
        return route.example.to_owned();
    };
    let data = match route.envelope {
        Envelope::CodeMsgData => body.get_mut("data"),
        Envelope::CodeMsgFlat | Envelope::Bare => Some(&mut body),
    };
    if let Some(data) = data {
        let status = match task_state {
            Task::Example => None,
            Task::Pending => Some(task.pending),
            Task::Done => Some(task.success),
        };
        if let Some(Ok(value)) = status.map(serde_json::from_str) {
            task.set_status(data, value);
        }
        if let Some(size) = task.size {
            set_at(data, size, download_size.into());
        }
    }
    body.to_string()
}
