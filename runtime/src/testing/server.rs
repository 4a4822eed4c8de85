//! [`FakeServer`], the fake provider on 127.0.0.1 (starting, clients, request counts), and
//! [`EndpointScript`], which scripts one of its endpoints.

use super::list::ListPlan;
use super::recorded::Recorded;
use super::reply::{Fault, Scripted, error_reply};
use super::respond::respond;
use super::responder::Responder;
use super::route::Route;
use super::state::State;
use super::stats::FakeStats;
use crate::{ClientBuilder, Envelope, ErrorCode, ProviderClient, RateLimits};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The token the clients from [`FakeServer::client`] send.
pub const FAKE_ACCESS_TOKEN: &str = "fake-access-token";

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
        let state = Arc::new(Mutex::new(State::default()));
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
                    // Header names go out title-cased (`Content-Disposition`), as the real
                    // servers send them: the official Python SDK looks them up by that case.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .title_case_headers(true)
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
    ///
    /// Its rate limits are off (the fake enforces none unless told to): tests of anything
    /// else should not wait for slots. Set [`ClientBuilder::rate_limits`] to test them.
    pub fn client<C: ProviderClient>(&self) -> ClientBuilder<C> {
        ClientBuilder::<C>::default()
            .base_url(self.uri())
            .access_token(FAKE_ACCESS_TOKEN)
            .rate_limits(RateLimits::off())
    }

    /// Requests received for an endpoint id (or a token endpoint's path).
    pub fn requests(&self, route_id: &str) -> usize {
        self.lock().requests.get(route_id).copied().unwrap_or(0)
    }

    /// The last request an endpoint (or a token endpoint's path) received, as sent.
    pub fn last_request(&self, route_id: &str) -> Option<Recorded> {
        self.lock().last.get(route_id).cloned()
    }

    /// Size, in bytes, of the file download endpoints serve (default 34356, the size the
    /// export example reports); pollers that report a file's size report this one.
    pub fn set_download_size(&self, bytes: u64) {
        self.lock().download_size = bytes;
    }

    /// The file name downloads give in their `Content-Disposition` (default
    /// `导出文件 export.bin`); `None` sends no such header.
    pub fn set_download_name(&self, name: Option<&str>) {
        self.lock().download_name = name.map(str::to_owned);
    }

    /// Whether downloads accept `Range` requests (default true); without, a cut download
    /// can only start again.
    pub fn set_accept_ranges(&self, accept: bool) {
        self.lock().accept_ranges = accept;
    }

    /// Polls a task stays pending after a start endpoint started it (default 0: done at
    /// the first poll). Pollers read the spec's first pending status meanwhile.
    pub fn set_pending_polls(&self, polls: u32) {
        self.lock().pending_polls = polls;
    }

    /// Polls every task a poller is asked about stays pending for, each task counted on
    /// its own (by the request's path and query: its ticket or id), whether or not a start
    /// endpoint started it; then it is done (the spec's success status). For many tasks
    /// polled at once, e.g. a batch wait. `None` (the default): only tasks started by a
    /// start endpoint are pending (see [`set_pending_polls`](Self::set_pending_polls)).
    pub fn set_pending_polls_per_task(&self, polls: Option<u32>) {
        let mut state = self.lock();
        state.pending_per_task = polls;
        state.task_polls.clear();
    }

    /// Lifetime, in seconds, of the tokens token endpoints issue (default 7200).
    pub fn set_token_lifetime(&self, seconds: i64) {
        self.lock().token_lifetime = seconds;
    }

    /// Throttles each route (not token endpoints) to `per_second` requests in every 1 s
    /// window of the server's clock (fixed windows from its start): a request beyond it gets
    /// the provider's throttling reply, built from its spec's `rate_limit` (Feishu: HTTP 429,
    /// code 99991400, `x-ogw-ratelimit-reset` = the seconds until the window ends, at least
    /// 1; DingTalk: HTTP 403 and its QPS code, with `Retry-After`). Throttled requests are
    /// counted, take no script and move no task. `None` (the default): no limit.
    pub fn set_rate_limit(&self, per_second: Option<u32>) {
        let mut state = self.lock();
        state.rate_limit = per_second;
        state.windows.clear();
    }

    /// Replies the rate limit throttled so far.
    pub fn throttled(&self) -> usize {
        self.lock().throttled
    }

    /// Tokens the token endpoints issued so far (scripted replies not included).
    pub fn tokens_issued(&self) -> usize {
        self.lock().tokens_issued
    }

    /// When each request of a route (endpoint id, or `<provider>.token`) arrived, since the
    /// server started, to the millisecond, in order of arrival (at most
    /// [`MAX_ARRIVALS`](super::MAX_ARRIVALS) over all routes are kept).
    pub fn arrivals(&self, route_id: &str) -> Vec<Duration> {
        self.lock().arrivals.of(route_id)
    }

    /// The time since the server started, by the clock its arrival times and rate-limit
    /// windows use.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed()
    }

    /// Everything above at once; also served as JSON at
    /// [`STATS_PATH`](super::STATS_PATH) (`GET /_fake/stats`) for other processes.
    pub fn stats(&self) -> FakeStats {
        self.lock().stats()
    }

    /// Serves `plan`'s list from the paginated endpoint `route_id` (instead of its doc
    /// example), in pages of the size each request asks for; `false` when no paginated
    /// endpoint has that id.
    pub fn set_list(&self, route_id: &str, plan: ListPlan) -> bool {
        match self
            .routes
            .iter()
            .find(|r| r.id == route_id && r.list.is_some())
        {
            Some(route) => {
                self.lock().lists.insert(route.id, plan);
                true
            }
            None => false,
        }
    }

    /// Answers `route_id`'s requests with `responder` (after the fake has counted, recorded
    /// and maybe throttled each, and unless a script is queued for the route); `false` when
    /// no route has that id. For a model of the provider's data that the routes' examples
    /// cannot be, e.g. a drive's folders with exports that finish.
    pub fn set_responder(&self, route_id: &str, responder: Responder) -> bool {
        match self.routes.iter().find(|r| r.id == route_id) {
            Some(route) => {
                self.lock().responders.insert(route.id, responder);
                true
            }
            None => false,
        }
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

    /// Answers the next request of a download endpoint with its file (e.g. after a
    /// [`Fault::CutDownload`], which would otherwise repeat).
    pub fn file(&self) -> &Self {
        self.push(Scripted::File)
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
