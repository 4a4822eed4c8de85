//! How the fake answers one request: what it keeps between requests (scripts, counts,
//! tokens issued) and the reply it picks for a route.

use super::reply::{FaultBody, Scripted, fault_reply, plain};
use super::route::{Route, RouteKind};
use crate::Envelope;
use http_body_util::BodyExt as _;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

#[derive(Default)]
pub(super) struct State {
    /// Scripted replies per route id, served in order; the last one repeats.
    pub(super) scripts: HashMap<&'static str, VecDeque<Scripted>>,
    pub(super) requests: HashMap<&'static str, usize>,
    pub(super) tokens_issued: usize,
    pub(super) token_lifetime: i64,
}

pub(super) async fn respond(
    routes: &'static [Route],
    state: &Mutex<State>,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<FaultBody> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    // Read the request body so the connection stays usable.
    let _ = request.into_body().collect().await;
    let Some(route) = routes.iter().find(|r| r.matches(&method, &path)) else {
        return plain(
            404,
            "text/plain",
            format!("the fake has no route for {method} {path}"),
        );
    };
    let (scripted, count, token) = {
        let mut state = state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = {
            let n = state.requests.entry(route.id).or_default();
            *n += 1;
            *n
        };
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
        (scripted, count, token)
    };
    let mut response = match (scripted, &route.kind, token) {
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
        (Some(Scripted::Fault(fault)), _, _) => fault_reply(route, fault).await,
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
        (None, _, _) => plain(200, "application/json", route.example.to_owned()),
    };
    if let Ok(value) = format!("fake-log-{count}").parse() {
        response.headers_mut().insert("x-tt-logid", value);
    }
    response
}
