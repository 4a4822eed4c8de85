//! The engine of the fake Feishu/DingTalk server, for testing code that calls or waits on
//! these APIs without reaching either (feature `testing`).
//!
//! It knows no endpoint: the routes (paths, envelopes, documented error codes, example
//! replies) are data generated from the specs, and `taskapi::testing::FakeServer` starts
//! this engine with them and adds one typed scripting method per endpoint. Use that one.

mod called;

pub use called::{Called, CalledError, ClientSettings};

use crate::{ClientBuilder, Envelope, ErrorCode, ProviderClient};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::{Body, Frame, SizeHint};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

/// The token the clients from [`FakeServer::client`] send.
pub const FAKE_ACCESS_TOKEN: &str = "fake-access-token";

/// An error code as written in a spec (generated routes).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum CodeRef {
    Int(i64),
    Str(&'static str),
}

impl CodeRef {
    fn matches(self, code: &ErrorCode) -> bool {
        match self {
            CodeRef::Int(n) => code.as_i64() == Some(n),
            CodeRef::Str(s) => code.as_str() == Some(s),
        }
    }
}

/// A code the spec documents for a route, with its HTTP status and message.
#[doc(hidden)]
#[derive(Debug)]
pub struct DocumentedError {
    pub code: CodeRef,
    pub http_status: u16,
    pub message: &'static str,
}

/// How the provider answers when it throttles (from its `rate_limit` spec).
#[doc(hidden)]
#[derive(Debug)]
pub struct RateLimitShape {
    pub http_status: u16,
    pub code: CodeRef,
    /// The seconds-until-reset header; `Retry-After` when the provider documents none.
    pub reset_header: Option<&'static str>,
    /// The calls-per-window header, when the provider documents one.
    pub limit_header: Option<&'static str>,
}

/// What a route serves.
#[doc(hidden)]
#[derive(Debug)]
#[non_exhaustive]
pub enum RouteKind {
    /// A task-status endpoint: its doc example by default.
    Endpoint,
    /// A token endpoint: fresh tokens by default.
    Token {
        token_field: &'static str,
        expires_field: &'static str,
    },
}

/// One endpoint as the fake serves it (generated from its spec).
#[doc(hidden)]
#[derive(Debug)]
pub struct Route {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub envelope: Envelope,
    pub kind: RouteKind,
    /// The spec's example reply, verbatim.
    pub example: &'static str,
    /// The endpoint's documented codes.
    pub errors: &'static [DocumentedError],
    /// The provider's common codes.
    pub common_errors: &'static [DocumentedError],
    pub rate_limit: Option<&'static RateLimitShape>,
}

impl Route {
    fn matches(&self, method: &str, path: &str) -> bool {
        if self.method != method {
            return false;
        }
        let mut want = self.path.split('/');
        let mut got = path.split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                    if g.is_empty() {
                        return false;
                    }
                }
                (Some(w), Some(g)) if w == g => {}
                _ => return false,
            }
        }
    }

    /// The example's data: under `data` for wrapped replies, else the whole body.
    fn example_data(&self) -> serde_json::Value {
        let body: serde_json::Value =
            serde_json::from_str(self.example).unwrap_or(serde_json::Value::Null);
        match self.envelope {
            Envelope::CodeMsgData => body.get("data").cloned().unwrap_or(serde_json::Value::Null),
            Envelope::CodeMsgFlat | Envelope::Bare => body,
        }
    }
}

/// Something other than a normal reply, to see how the code under test copes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// An HTML error page with this status (what gateways send).
    Html(u16),
    /// This status with an empty body.
    Empty(u16),
    /// The example reply cut in half, with HTTP 200.
    TruncatedJson,
    /// The provider's throttling reply (HTTP status and code from its spec) asking to wait
    /// this many seconds.
    RateLimited {
        /// Seconds until the window resets.
        reset_seconds: u32,
    },
    /// The example reply, after this delay.
    Slow(Duration),
    /// The status line, headers and part of the body, then the connection drops.
    ResetMidReply,
    /// A body of this many bytes; `chunked` sends no `Content-Length`.
    Oversized {
        /// Body size.
        bytes: usize,
        /// Stream it without a length.
        chunked: bool,
    },
}

#[derive(Debug, Clone)]
enum Scripted {
    Json {
        status: u16,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    Fault(Fault),
}

#[derive(Default)]
struct State {
    /// Scripted replies per route id, served in order; the last one repeats.
    scripts: HashMap<&'static str, VecDeque<Scripted>>,
    requests: HashMap<&'static str, usize>,
    tokens_issued: usize,
    token_lifetime: i64,
}

/// A fake provider on 127.0.0.1 serving a table of routes. Unscripted endpoints answer with
/// their doc example; token endpoints issue fresh tokens. Stops when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    routes: &'static [Route],
    state: Arc<Mutex<State>>,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeServer {
    /// Starts a server for `routes` on a free port of 127.0.0.1.
    pub async fn start(routes: &'static [Route]) -> std::io::Result<Self> {
        Self::start_on(routes, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a server for `routes` on `addr` (port 0: a free port), e.g. for
    /// `taskapi serve-fake --addr`.
    pub async fn start_on(routes: &'static [Route], addr: SocketAddr) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            token_lifetime: 7200,
            ..State::default()
        }));
        let shared = state.clone();
        let server = tokio::spawn(async move {
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    // E.g. out of file descriptors: a long-running server (`taskapi
                    // serve-fake`) waits a little and goes on, rather than stop listening.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                // Replies go out whole, at once, as a real server's do.
                let _ = stream.set_nodelay(true);
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(respond(routes, &state, request).await) }
                    });
                    // A connection error is the client's business (and a reset is a fault we make).
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(FakeServer {
            addr,
            routes,
            state,
            server,
        })
    }

    /// `http://127.0.0.1:<port>`: the base URL for clients.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The route table it serves (for starting another server with the same routes).
    #[doc(hidden)]
    pub fn routes(&self) -> &'static [Route] {
        self.routes
    }

    /// A client builder pointed at this server with a static token; add settings, then build.
    pub fn client<C: ProviderClient>(&self) -> ClientBuilder<C> {
        ClientBuilder::<C>::default()
            .base_url(self.uri())
            .access_token(FAKE_ACCESS_TOKEN)
    }

    /// Requests received for an endpoint id (or a token endpoint's path).
    pub fn requests(&self, route_id: &str) -> usize {
        self.lock().requests.get(route_id).copied().unwrap_or(0)
    }

    /// Lifetime, in seconds, of the tokens token endpoints issue (default 7200).
    pub fn set_token_lifetime(&self, seconds: i64) {
        self.lock().token_lifetime = seconds;
    }

    /// Scripts an endpoint by its id (or a token endpoint as `<provider>.token`) with
    /// untyped JSON data, for code that handles many endpoints alike.
    pub fn endpoint_by_id(&self, id: &str) -> Option<EndpointScript<'_, serde_json::Value>> {
        self.routes
            .iter()
            .find(|r| r.id == id)
            .map(|route| self.script(route))
    }

    /// A scripting handle for a route, typed by its reply (used by the generated
    /// per-endpoint methods).
    pub fn script<T>(&self, route: &'static Route) -> EndpointScript<'_, T> {
        EndpointScript {
            server: self,
            route,
            data: PhantomData,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Scripts one endpoint of a [`FakeServer`]: replies are served in order, one per request,
/// and the last one repeats.
pub struct EndpointScript<'s, T> {
    server: &'s FakeServer,
    route: &'static Route,
    data: PhantomData<fn(T) -> T>,
}

impl<T: Serialize + DeserializeOwned> EndpointScript<'_, T> {
    /// The doc example's data, to modify and [`reply`](Self::reply) with.
    ///
    /// # Panics
    /// If the spec's example does not decode as `T`, which the generator's tests rule out.
    pub fn example(&self) -> T {
        serde_json::from_value(self.route.example_data())
            .expect("the spec's example decodes as its reply type")
    }

    /// Answers the next request with `data` in the provider's success envelope.
    pub fn reply(&self, data: &T) -> &Self {
        let data = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
        let body = match self.route.envelope {
            Envelope::CodeMsgData => serde_json::json!({"code": 0, "msg": "success", "data": data}),
            Envelope::CodeMsgFlat => {
                let mut body = serde_json::json!({"code": 0, "msg": "ok"});
                if let (Some(body), serde_json::Value::Object(fields)) =
                    (body.as_object_mut(), data)
                {
                    body.extend(fields);
                }
                body
            }
            Envelope::Bare => data,
        };
        self.push(Scripted::Json {
            status: 200,
            body: body.to_string(),
            headers: Vec::new(),
        })
    }

    /// Answers the next request with an error code, with the HTTP status and message its
    /// spec documents (HTTP 400 for a code no spec lists).
    pub fn error(&self, code: impl Into<ErrorCode>) -> &Self {
        let code = code.into();
        let documented = self
            .route
            .errors
            .iter()
            .chain(self.route.common_errors)
            .find(|e| e.code.matches(&code));
        let status = documented.map_or(400, |e| e.http_status);
        let message = documented.map_or("an error no spec documents", |e| e.message);
        self.push(error_reply(self.route.envelope, status, &code, message))
    }

    /// Answers the next request with a fault.
    pub fn fault(&self, fault: Fault) -> &Self {
        self.push(Scripted::Fault(fault))
    }

    /// Answers the next request with exactly this status and body (`application/json`).
    pub fn raw(&self, status: u16, body: impl Into<String>) -> &Self {
        self.push(Scripted::Json {
            status,
            body: body.into(),
            headers: Vec::new(),
        })
    }

    /// Requests this endpoint received.
    pub fn requests(&self) -> usize {
        self.server.requests(self.route.id)
    }

    fn push(&self, reply: Scripted) -> &Self {
        self.server
            .lock()
            .scripts
            .entry(self.route.id)
            .or_default()
            .push_back(reply);
        self
    }
}

fn error_reply(envelope: Envelope, status: u16, code: &ErrorCode, message: &str) -> Scripted {
    Scripted::Json {
        status,
        body: error_body(envelope, code, message),
        headers: Vec::new(),
    }
}

/// An error body in the provider's shape.
fn error_body(envelope: Envelope, code: &ErrorCode, message: &str) -> String {
    let body = match (envelope, code) {
        (Envelope::CodeMsgData | Envelope::CodeMsgFlat, ErrorCode::Int(n)) => {
            serde_json::json!({"code": n, "msg": message})
        }
        (Envelope::CodeMsgData | Envelope::CodeMsgFlat, ErrorCode::Str(s)) => {
            serde_json::json!({"code": s, "msg": message})
        }
        (Envelope::Bare, code) => {
            serde_json::json!({"code": code.to_string(), "message": message, "requestid": "fake-request-id"})
        }
    };
    body.to_string()
}

async fn respond(
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

async fn fault_reply(route: &Route, fault: Fault) -> hyper::Response<FaultBody> {
    match fault {
        Fault::Html(status) => plain(
            status,
            "text/html",
            format!(
                "<html><head><title>{status}</title></head><body><h1>{status}</h1><hr>fake gateway</body></html>"
            ),
        ),
        Fault::Empty(status) => plain(status, "text/plain", String::new()),
        Fault::TruncatedJson => plain(
            200,
            "application/json",
            route.example[..route.example.len() / 2].to_owned(),
        ),
        Fault::RateLimited { reset_seconds } => {
            let Some(shape) = route.rate_limit else {
                return plain(429, "text/plain", String::new());
            };
            let code = match shape.code {
                CodeRef::Int(n) => ErrorCode::Int(n),
                CodeRef::Str(s) => ErrorCode::Str(s.to_owned()),
            };
            let body = error_body(route.envelope, &code, "rate limited");
            let mut response = plain(shape.http_status, "application/json", body);
            let header = shape.reset_header.unwrap_or("retry-after");
            if let Ok(value) = reset_seconds.to_string().parse() {
                response.headers_mut().insert(header, value);
            }
            if let Some(limit) = shape.limit_header {
                response
                    .headers_mut()
                    .insert(limit, hyper::header::HeaderValue::from_static("100"));
            }
            response
        }
        Fault::Slow(delay) => {
            tokio::time::sleep(delay).await;
            plain(200, "application/json", route.example.to_owned())
        }
        Fault::ResetMidReply => {
            let head =
                Bytes::copy_from_slice(&route.example.as_bytes()[..route.example.len().min(16)]);
            response(
                200,
                "application/json",
                FaultBody::new(vec![head], Some(4096), true),
            )
        }
        Fault::Oversized { bytes, chunked } => {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            let mut chunks: Vec<Bytes> = std::iter::repeat_n(chunk, bytes / (64 * 1024)).collect();
            chunks.push(Bytes::from(vec![b' '; bytes % (64 * 1024)]));
            let length = (!chunked).then_some(bytes as u64);
            response(
                200,
                "application/json",
                FaultBody::new(chunks, length, false),
            )
        }
    }
}

fn plain(status: u16, content_type: &str, body: String) -> hyper::Response<FaultBody> {
    let length = body.len() as u64;
    response(
        status,
        content_type,
        FaultBody::new(vec![Bytes::from(body)], Some(length), false),
    )
}

fn response(status: u16, content_type: &str, body: FaultBody) -> hyper::Response<FaultBody> {
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = content_type.parse() {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}

/// A response body that can announce a length it will not deliver and then fail, which
/// makes hyper drop the connection mid-reply.
#[doc(hidden)]
pub struct FaultBody {
    chunks: VecDeque<Bytes>,
    length: Option<u64>,
    fail: bool,
}

impl FaultBody {
    fn new(chunks: Vec<Bytes>, length: Option<u64>, fail: bool) -> Self {
        FaultBody {
            chunks: chunks.into(),
            length,
            fail,
        }
    }
}

impl Body for FaultBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.chunks.pop_front() {
            Some(chunk) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
            None if self.fail => {
                self.fail = false;
                Poll::Ready(Some(Err(std::io::Error::other(
                    "fault: connection reset mid-reply",
                ))))
            }
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty() && !self.fail
    }

    fn size_hint(&self) -> SizeHint {
        self.length
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &'static str) -> Route {
        Route {
            id: "x",
            method: "GET",
            path,
            envelope: Envelope::Bare,
            kind: RouteKind::Endpoint,
            example: "{}",
            errors: &[],
            common_errors: &[],
            rate_limit: None,
        }
    }

    #[test]
    fn routes_match_whole_segments() {
        let r = route("/v2.0/doc/task/info/{taskId}");
        assert!(r.matches("GET", "/v2.0/doc/task/info/abc"));
        assert!(r.matches("GET", "/v2.0/doc/task/info/a%2Fb"));
        assert!(!r.matches("GET", "/v2.0/doc/task/info/"));
        assert!(!r.matches("GET", "/v2.0/doc/task/info/a/b"));
        assert!(!r.matches("POST", "/v2.0/doc/task/info/abc"));
    }
}
