//! The client-side rate limiter end to end, against the fake server's arrival times, driven
//! by the specs: endpoints are picked by their properties (a GET with a documented limit, a
//! poller with a waiter) and called by id (`call_by_id`, the CLI), never by name.
//!
//! Clients built by `call_by_id` (one per call) share their slots through [`MemoryState`],
//! a `SharedState` in this process: the limiter's shared path, as with Redis. The CLI
//! (`--wait`, `--batch`) runs one client, whose slots are in process. Timing checks are
//! lower bounds (a call never reaches the server before its slot, counted from a time taken
//! before the calls), or windows with a margin of a quarter second for a noisy machine.
//!
//! A global tracing subscriber (installed by every test, before any callsite is hit) records
//! `taskapi.throttle` spans under the test's own `rate_limits.case` span.

mod common;

use codegen::model::{Endpoint, Provider};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use taskapi::cli::EXIT_WAIT_TIMEOUT;
use taskapi::runtime::shared::{SharedState, SharedStateError};
use taskapi::runtime::testing::Route;
use taskapi::runtime::{BoxFuture, RateLimit, RateLimits, RetryPolicy};
use taskapi::testing::{Called, FakeServer, Fault, ROUTES, call_by_id};
use tokio::time::Instant;
use tracing::Instrument as _;

// ---- shared slots in this process ----

/// A `SharedState` in memory (slots only, GCRA without burst as the runtime's), which
/// records the keys reserved and the pauses asked for.
#[derive(Debug, Default)]
struct MemoryState {
    next: Mutex<HashMap<String, Instant>>,
    reserved: Mutex<Vec<String>>,
    pauses: Mutex<Vec<(String, Duration)>>,
}

impl MemoryState {
    fn reserved(&self, key: &str) -> usize {
        let reserved = self.reserved.lock().unwrap();
        reserved.iter().filter(|k| *k == key).count()
    }

    fn pauses(&self) -> Vec<(String, Duration)> {
        self.pauses.lock().unwrap().clone()
    }
}

impl SharedState for MemoryState {
    fn reserve_slot<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        interval: Duration,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Option<Duration>, SharedStateError>> {
        let now = Instant::now();
        let wait = {
            let mut next = self.next.lock().unwrap();
            let free = next.entry(format!("{scope}/{key}")).or_insert(now);
            let slot = (*free).max(now);
            // Later than the caller can wait: nothing reserved, no one's slot pushed out.
            if max_wait.is_some_and(|max| slot - now > max) {
                None
            } else {
                *free = slot + interval;
                Some(slot - now)
            }
        };
        if wait.is_some() {
            self.reserved.lock().unwrap().push(key.to_owned());
        }
        Box::pin(async move { Ok(wait) })
    }

    fn pause_slots<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        pause: Duration,
    ) -> BoxFuture<'a, Result<(), SharedStateError>> {
        let now = Instant::now();
        {
            let mut next = self.next.lock().unwrap();
            let free = next.entry(format!("{scope}/{key}")).or_insert(now);
            *free = (*free).max(now + pause);
        }
        self.pauses.lock().unwrap().push((key.to_owned(), pause));
        Box::pin(async { Ok(()) })
    }
}

// ---- tracing capture ----

/// A `taskapi.throttle` span as recorded.
#[derive(Debug, Clone, Default)]
struct Throttle {
    /// The `case` of the `rate_limits.case` span it was made under.
    case: Option<String>,
    endpoint: String,
    key: String,
    waited_ms: Option<u64>,
}

static THROTTLES: Mutex<Vec<Throttle>> = Mutex::new(Vec::new());

/// The case name a `rate_limits.case` span carries, kept in its extensions.
struct Case(String);

#[derive(Default)]
struct Fields(Throttle);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        match field.name() {
            "endpoint" => self.0.endpoint = text.trim_matches('"').to_owned(),
            "key" => self.0.key = text.trim_matches('"').to_owned(),
            "case" => self.0.case = Some(text.trim_matches('"').to_owned()),
            _ => {}
        }
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "endpoint" => self.0.endpoint = value.to_owned(),
            "key" => self.0.key = value.to_owned(),
            "case" => self.0.case = Some(value.to_owned()),
            _ => {}
        }
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "waited_ms" {
            self.0.waited_ms = Some(value);
        }
    }
}

struct Recorder;

impl<S> tracing_subscriber::Layer<S> for Recorder
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let name = attrs.metadata().name();
        if name != "taskapi.throttle" && name != "rate_limits.case" {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let Some(span) = ctx.span(id) else { return };
        if name == "rate_limits.case" {
            if let Some(case) = fields.0.case {
                span.extensions_mut().insert(Case(case));
            }
            return;
        }
        fields.0.case = span
            .scope()
            .skip(1)
            .find_map(|ancestor| ancestor.extensions().get::<Case>().map(|c| c.0.clone()));
        THROTTLES.lock().unwrap().push(fields.0);
    }
}

/// Installs the recording subscriber for the whole binary, once.
fn install_tracing() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt as _;
        let subscriber = tracing_subscriber::registry().with(Recorder);
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

fn throttles_of(case: &str) -> Vec<Throttle> {
    THROTTLES
        .lock()
        .unwrap()
        .iter()
        .filter(|t| t.case.as_deref() == Some(case))
        .cloned()
        .collect()
}

// ---- picking endpoints from the specs ----

fn is_get_with_json(endpoint: &Endpoint) -> bool {
    endpoint.method.as_str() == "GET" && endpoint.json_response().is_some()
}

/// The calls per second a documented limit (per second, per minute) allows over its
/// strictest window.
fn strictest_per_second(per_second: Option<u32>, per_minute: Option<u32>) -> f64 {
    [
        per_second.map(f64::from),
        per_minute.map(|n| f64::from(n) / 60.0),
    ]
    .into_iter()
    .flatten()
    .fold(f64::INFINITY, f64::min)
}

fn route(id: &str) -> &'static Route {
    ROUTES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id}: no fake route"))
}

/// The doc example's data with the poller's status set to `status` (JSON text).
fn with_status(provider: &Provider, endpoint: &Endpoint, status: &str) -> serde_json::Value {
    let mut data = common::example_data(provider, endpoint);
    let task = route(&endpoint.id).task.expect("a poller has a task shape");
    assert!(
        !task.statuses(&data).is_empty(),
        "the example has the status field"
    );
    task.set_status(&mut data, serde_json::from_str(status).unwrap());
    data
}

fn ok(id: &str, called: Option<Called>) -> serde_json::Value {
    match called {
        Some(Called::Ok(data)) => data,
        other => panic!("{id}: {other:?}"),
    }
}

// ---- the tests ----

/// The rate every 1 s window is checked against.
const WINDOW_LIMIT: f64 = 20.0;
/// The share of it the client is set to use: the margin that keeps exact windows
/// within the limit whatever the latency, as the default fraction does.
const CLIENT_SHARE: f64 = 0.8;
const CALLS: usize = 30;

#[tokio::test]
async fn concurrent_calls_keep_every_window_within_the_documented_limit() {
    install_tracing();
    let model = common::model();
    let endpoints: Vec<_> = common::endpoints(&model)
        .into_iter()
        .filter(|(_, e)| is_get_with_json(e))
        .filter_map(|(_, e)| e.limit.as_ref().map(|l| (e, l)))
        .collect();
    assert!(!endpoints.is_empty(), "the specs document a GET's limit");
    assert!(
        endpoints
            .iter()
            .any(|(_, l)| l.per_second.is_some() && l.per_minute.is_some()),
        "one has a per-second and per-minute pair, whose stricter window must win"
    );
    let fake = FakeServer::start().await.unwrap();
    let state = Arc::new(MemoryState::default());
    // Every endpoint at once, each under its own key: all of them in about 2 s.
    let interval = Duration::from_secs_f64(1.0 / (WINDOW_LIMIT * CLIENT_SHARE));
    let started = fake.elapsed();
    let mut calls = Vec::new();
    for (endpoint, limit) in &endpoints {
        // Scale the documented limit so that its strictest window allows WINDOW_LIMIT a
        // second, and use CLIENT_SHARE of it: `fraction` covers the documented path.
        let fraction =
            WINDOW_LIMIT / strictest_per_second(limit.per_second, limit.per_minute) * CLIENT_SHARE;
        let settings = fake
            .settings()
            .rate_limits(RateLimits::fraction(fraction))
            .shared_state(state.clone());
        for _ in 0..CALLS {
            let (id, settings) = (endpoint.id.clone(), settings.clone());
            calls.push(tokio::spawn(async move {
                let called = call_by_id(&id, &settings).await;
                ok(&id, called);
            }));
        }
    }
    for call in calls {
        call.await.unwrap();
    }
    for (endpoint, limit) in &endpoints {
        let id = endpoint.id.as_str();
        assert_eq!(
            state.reserved(&limit.key),
            CALLS,
            "{id}: slots under the spec's key"
        );
        let mut arrivals = fake.arrivals(id);
        arrivals.sort();
        assert_eq!(arrivals.len(), CALLS, "{id}");
        // No request before its slot: the i-th arrival at least i intervals after the
        // start (arrivals are kept to the millisecond, floored).
        for (i, at) in arrivals.iter().enumerate() {
            let slot = started + interval * i as u32;
            assert!(
                *at + Duration::from_millis(1) >= slot,
                "{id}: request {i} arrived at {at:?}, before its slot at {slot:?}"
            );
        }
        let took = arrivals[CALLS - 1] + Duration::from_millis(1) - started;
        assert!(
            took >= interval * (CALLS as u32 - 1),
            "{id}: {CALLS} calls in {took:?}"
        );
        // Every 1 s window from any arrival holds at most the limit.
        let most = WINDOW_LIMIT as usize;
        let (within, from) = common::busiest_second(&arrivals);
        assert!(
            within <= most,
            "{id}: {within} requests in the second from {from:?} (limit {most}): {arrivals:?}"
        );
    }
}

/// The reset a throttled reply names in the test below: not the 1 s the limiter pauses
/// for when a reply names none, so the pause is seen to come from the reply.
const RESET_SECONDS: u32 = 2;

#[tokio::test]
async fn a_throttled_reply_holds_the_endpoint_in_every_client_until_its_reset_and_no_other() {
    install_tracing();
    let model = common::model();
    let mut checked = 0;
    for provider in &model.providers {
        // A GET answered with the throttling reply, and another endpoint of the provider
        // counted under another key.
        let key = |e: &Endpoint| e.limit.as_ref().map_or(e.id.clone(), |l| l.key.clone());
        let Some(held) = provider.endpoints.iter().find(|e| is_get_with_json(e)) else {
            continue;
        };
        let Some(other) = provider
            .endpoints
            .iter()
            .find(|e| e.json_response().is_some() && key(e) != key(held))
        else {
            continue;
        };
        assert!(provider.rate_limit_reply.is_some(), "{}", provider.key);
        checked += 1;
        let fake = FakeServer::start().await.unwrap();
        let script = fake.endpoint_by_id(&held.id).unwrap();
        script
            .fault(Fault::RateLimited {
                reset_seconds: RESET_SECONDS,
            })
            .reply(&script.example());
        let state = Arc::new(MemoryState::default());
        // Every endpoint limited under its own key, loosely: only the pause holds calls.
        let settings = fake
            .settings()
            .rate_limits(RateLimits::uniform(RateLimit::per_second(1000)))
            .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .shared_state(state.clone());
        let first = {
            let (id, settings) = (held.id.clone(), settings.clone());
            tokio::spawn(async move { call_by_id(&id, &settings).await })
        };
        // Once the throttled reply has paused the shared slots, another client calls the
        // same endpoint, and another endpoint.
        let deadline = Instant::now() + Duration::from_secs(10);
        while state.pauses().is_empty() {
            assert!(Instant::now() < deadline, "{}: no pause", held.id);
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert_eq!(
            state.pauses(),
            [(key(held), Duration::from_secs(RESET_SECONDS.into()))],
            "{}: the reset the reply named, under the endpoint's key",
            held.id
        );
        let (again, elsewhere) = tokio::join!(
            call_by_id(&held.id, &settings),
            call_by_id(&other.id, &settings)
        );
        ok(&held.id, again);
        ok(&other.id, elsewhere);
        ok(&held.id, first.await.unwrap());

        let held_at = fake.arrivals(&held.id);
        assert_eq!(
            held_at.len(),
            3,
            "{}: throttled, retried, another client",
            held.id
        );
        let reset = Duration::from_secs(RESET_SECONDS.into());
        for later in &held_at[1..] {
            assert!(
                *later + Duration::from_millis(100) >= held_at[0] + reset,
                "{}: a call reached the server {:?} after the throttled reply, before its reset",
                held.id,
                *later - held_at[0]
            );
        }
        let other_at = fake.arrivals(&other.id);
        assert_eq!(other_at.len(), 1, "{}", other.id);
        assert!(
            other_at[0] < held_at[1].min(held_at[2]),
            "{} was held up by {}'s pause: {other_at:?} vs {held_at:?}",
            other.id,
            held.id
        );
    }
    assert!(checked > 0, "a provider with a GET and another endpoint");
}

/// CLI arguments for waiting on `endpoint` against `base` (its required flags from the spec).
fn wait_args(
    endpoint: &Endpoint,
    dir: &std::path::Path,
    base: &str,
    extra: &[&str],
) -> Vec<String> {
    let mut args = vec!["taskapi".to_owned(), endpoint.id.clone()];
    args.extend(common::required_args(endpoint, dir));
    args.extend([
        "--wait".to_owned(),
        "--base-url".to_owned(),
        base.to_owned(),
    ]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// A poller from the specs: a GET with a waiter whose fake route knows its task's shape.
fn poller(model: &codegen::model::Model) -> (&Provider, &Endpoint) {
    common::endpoints(model)
        .into_iter()
        .find(|(_, e)| is_get_with_json(e) && e.waiter.is_some() && route(&e.id).task.is_some())
        .expect("the specs have a poller")
}

#[tokio::test]
async fn a_call_whose_slot_is_beyond_its_time_limit_fails_instead_of_waiting() {
    install_tracing();
    let model = common::model();
    let (provider, endpoint) = poller(&model);
    let task = route(&endpoint.id).task.unwrap();
    let fake = FakeServer::start().await.unwrap();
    fake.endpoint_by_id(&endpoint.id)
        .unwrap()
        .reply(&with_status(provider, endpoint, task.pending));
    let dir = tempfile::tempdir().unwrap();
    // One call a minute: the second poll's slot is a minute away, and each poll of a wait
    // has the time left of --max-wait as its time limit.
    let args = wait_args(
        endpoint,
        dir.path(),
        &fake.uri(),
        &[
            "--rate-limit",
            "1/min",
            "--min-delay",
            "0.05",
            "--max-wait",
            "1",
        ],
    );
    let env = |name: &str| (name == provider.token_env).then(|| "any".to_owned());
    let case = "beyond the time limit";
    let started = std::time::Instant::now();
    let out = taskapi::cli::run(args.into_iter().map(Into::into).collect(), &env)
        .instrument(tracing::info_span!("rate_limits.case", case))
        .await;
    let took = started.elapsed();
    assert_eq!(out.exit_code, EXIT_WAIT_TIMEOUT, "{out:?}");
    // Not waited for at all: no poll slept in a throttle span until its time limit ran out.
    let waited = throttles_of(case);
    assert!(
        waited.is_empty(),
        "a slot after the deadline was waited for: {waited:?}"
    );
    assert!(out.stderr.contains("time limit"), "{}", out.stderr);
    assert_eq!(
        fake.requests(&endpoint.id),
        1,
        "the second poll never went out"
    );
    assert!(
        took < Duration::from_secs(30),
        "waited {took:?}: for the slot a minute away"
    );
}

#[tokio::test]
async fn waiting_for_a_slot_is_traced_with_the_time_waited() {
    install_tracing();
    let model = common::model();
    // A poller the CLI can wait on in batches: its polls go out together, through one
    // client's slots (in process).
    let (provider, endpoint) = common::endpoints(&model)
        .into_iter()
        .find(|(_, e)| {
            is_get_with_json(e)
                && route(&e.id).task.is_some()
                && taskapi::cli::COMMANDS.batchable.contains(&e.id.as_str())
        })
        .expect("the specs have a poller the CLI waits on in batches");
    let task = route(&endpoint.id).task.unwrap();
    let fake = FakeServer::start().await.unwrap();
    fake.endpoint_by_id(&endpoint.id)
        .unwrap()
        .reply(&with_status(provider, endpoint, task.success));
    let dir = tempfile::tempdir().unwrap();
    // Three tasks (their parameters from the flags), done at their first poll: three polls
    // at once, at two a second, so the second and third wait for their slots.
    const TASKS: u32 = 3;
    let batch = dir.path().join("tasks.jsonl");
    std::fs::write(&batch, "{}\n".repeat(TASKS as usize)).unwrap();
    let interval = Duration::from_millis(500);
    let batch = batch.display().to_string();
    let args = wait_args(
        endpoint,
        dir.path(),
        &fake.uri(),
        &["--batch", &batch, "--rate-limit", "2/s", "--max-wait", "60"],
    );
    let env = |name: &str| (name == provider.token_env).then(|| "any".to_owned());
    let case = "traced";
    let started = fake.elapsed();
    let out = taskapi::cli::run(args.into_iter().map(Into::into).collect(), &env)
        .instrument(tracing::info_span!("rate_limits.case", case))
        .await;
    assert_eq!(out.exit_code, 0, "{out:?}");

    let mut arrivals = fake.arrivals(&endpoint.id);
    arrivals.sort();
    assert_eq!(arrivals.len(), TASKS as usize, "{}", endpoint.id);
    for (i, at) in arrivals.iter().enumerate() {
        assert!(
            *at + Duration::from_millis(1) >= started + interval * i as u32,
            "poll {i} at {at:?}, before its slot (start {started:?}): the in-process slots"
        );
    }
    let traced = throttles_of(case);
    assert_eq!(
        traced.len(),
        TASKS as usize - 1,
        "one span per call that waited: {traced:?}"
    );
    let key = endpoint
        .limit
        .as_ref()
        .map_or(endpoint.id.as_str(), |l| l.key.as_str());
    for span in &traced {
        assert_eq!(span.endpoint, endpoint.id);
        assert_eq!(span.key, key);
        let waited = span.waited_ms.expect("waited_ms is recorded");
        assert!(
            waited > 0 && waited <= (interval * (TASKS - 1)).as_millis() as u64,
            "waited {waited} ms for a slot at most {} intervals away",
            TASKS - 1
        );
    }
}
