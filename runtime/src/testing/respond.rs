//! How the fake answers one request: what it keeps between requests (scripts, counts,
//! tokens issued, the last request of each route, tasks in progress) and the reply it picks
//! for a route.

use super::download::binary_reply;
use super::reply::{Fault, FaultBody, Scripted, fault_reply, plain};
use super::route::{Route, RouteKind};
use crate::Envelope;
use bytes::Bytes;
use http_body_util::BodyExt as _;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// A request as the fake received it, for tests of what goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Recorded {
    /// The method.
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query string, as sent.
    pub query: Option<String>,
    /// Every header, names lower-case, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl Recorded {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(super) struct State {
    /// Scripted replies per route id, served in order; the last one repeats.
    pub(super) scripts: HashMap<&'static str, VecDeque<Scripted>>,
    pub(super) requests: HashMap<&'static str, usize>,
    pub(super) tokens_issued: usize,
    pub(super) token_lifetime: i64,
    /// The last request of each route.
    pub(super) last: HashMap<&'static str, Recorded>,
    /// Size of the files download routes serve.
    pub(super) download_size: u64,
    /// Whether downloads accept ranges.
    pub(super) accept_ranges: bool,
    /// Polls a started task stays pending for.
    pub(super) pending_polls: u32,
    /// Per poller id: polls left before its task is done.
    pub(super) running: HashMap<&'static str, u32>,
}

impl Default for State {
    fn default() -> Self {
        State {
            scripts: HashMap::new(),
            requests: HashMap::new(),
            tokens_issued: 0,
            token_lifetime: 7200,
            last: HashMap::new(),
            download_size: 34_356,
            accept_ranges: true,
            pending_polls: 0,
            running: HashMap::new(),
        }
    }
}

/// What the state says about one request, decided under its lock.
struct Decided {
    scripted: Option<Scripted>,
    count: usize,
    token: Option<(usize, i64)>,
    task: Task,
    download_size: u64,
    accept_ranges: bool,
}

pub(super) async fn respond(
    routes: &'static [Route],
    state: &Mutex<State>,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<FaultBody> {
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
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
    let recorded = Recorded {
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
    };
    let decided = decide(route, state, recorded);
    let mut response = match (decided.scripted, &route.kind, decided.token) {
        (
            Some(Scripted::Json {
                status,
                body,
                headers,
            }),
            _,
            _,
        ) => {
            let mut response = plain(status, "application/json", body);
            for (name, value) in headers {
                if let Ok(value) = value.parse() {
                    response.headers_mut().insert(name, value);
                }
            }
            response
        }
        (Some(Scripted::Fault(Fault::CutDownload { after })), _, _) => binary_reply(
            decided.download_size,
            range.as_deref(),
            decided.accept_ranges,
            Some(after),
        ),
        (Some(Scripted::Fault(fault)), _, _) => fault_reply(route, fault).await,
        (Some(Scripted::File) | None, RouteKind::Download, _) => binary_reply(
            decided.download_size,
            range.as_deref(),
            decided.accept_ranges,
            None,
        ),
        (
            None,
            RouteKind::Token {
                token_field,
                expires_field,
            },
            Some((n, lifetime)),
        ) => {
            let mut body = serde_json::Map::new();
            if route.envelope != Envelope::Bare {
                body.insert("code".into(), 0.into());
                body.insert("msg".into(), "ok".into());
            }
            body.insert((*token_field).into(), format!("fake-token-{n}").into());
            body.insert((*expires_field).into(), lifetime.into());
            plain(
                200,
                "application/json",
                serde_json::Value::Object(body).to_string(),
            )
        }
        (None, _, _) if route.task.is_some() => plain(
            200,
            "application/json",
            task_reply(route, decided.task, decided.download_size),
        ),
        _ => plain(200, "application/json", route.example.to_owned()),
    };
    if let Ok(value) = format!("fake-log-{}", decided.count).parse() {
        response.headers_mut().insert("x-tt-logid", value);
    }
    response
}

/// Counts the request, records it, takes its script, issues a token, and moves the task
/// a start endpoint started or a poller polls.
fn decide(route: &'static Route, state: &Mutex<State>, recorded: Recorded) -> Decided {
    let mut state = state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let count = {
        let n = state.requests.entry(route.id).or_default();
        *n += 1;
        *n
    };
    state.last.insert(route.id, recorded);
    let scripted = match state.scripts.get_mut(route.id) {
        Some(queue) if queue.len() > 1 => queue.pop_front(),
        Some(queue) => queue.front().cloned(),
        None => None,
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
    let task = match state.running.get_mut(route.id) {
        Some(left) if *left > 0 => {
            *left -= 1;
            Task::Pending
        }
        Some(_) => Task::Done,
        None => Task::Example,
    };
    Decided {
        scripted,
        count,
        token,
        task,
        download_size: state.download_size,
        accept_ranges: state.accept_ranges,
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
            set(data, task.status, value);
        }
        if let Some(size) = task.size {
            set(data, size, download_size.into());
        }
    }
    body.to_string()
}

fn set(value: &mut serde_json::Value, path: &[&str], new: serde_json::Value) {
    let mut here = value;
    for key in path {
        match here.get_mut(*key) {
            Some(next) => here = next,
            None => return,
        }
    }
    *here = new;
}
