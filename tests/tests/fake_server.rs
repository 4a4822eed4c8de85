//! `taskapi::testing::FakeServer`, as a user would test their waiting code with it.

use std::time::Duration;
use taskapi::ErrorDetails;
use taskapi::dingtalk::{DingTalkClient, TaskStatus};
use taskapi::feishu::{ExportJobStatus, FeishuClient, GetExportTaskError};
use taskapi::runtime::{AppCredentials, RetryPolicy, WaitOutcome};
use taskapi::testing::{FakeServer, Fault};

#[tokio::test]
async fn a_scripted_export_moves_through_states_over_polls() {
    let fake = FakeServer::start().await.unwrap();
    let export = fake.get_export_task();
    let mut processing = export.example();
    processing.result.as_mut().unwrap().job_status = Some(ExportJobStatus::Processing);
    let mut no_token_yet = export.example();
    no_token_yet.result.as_mut().unwrap().file_token = Some(String::new());
    export
        .reply(&processing)
        .reply(&processing)
        .reply(&no_token_yet)
        .reply(&export.example());

    let client: FeishuClient = fake.client().build().unwrap();
    let outcome = client
        .wait_export_task("T", "D")
        .min_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(10))
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::Succeeded(ref d) if d.result.as_ref().and_then(|r| r.file_token.as_deref()) == Some("boxcnxe5OdjlAkNgSNdsJvabcef"))
    );
    assert_eq!(export.requests(), 4);
    assert_eq!(fake.requests("feishu.drive.export_task.get"), 4);
}

#[tokio::test]
async fn unscripted_endpoints_answer_with_their_doc_example_and_tokens_are_issued() {
    let fake = FakeServer::start().await.unwrap();
    let client: DingTalkClient = fake
        .client()
        .app_credentials(AppCredentials::new("key", "secret"))
        .build()
        .unwrap();
    let data = client.get_task_info("1").send().await.unwrap();
    assert_eq!(data.status, Some(TaskStatus::PartlyFailed));
    assert_eq!(fake.requests("dingtalk.token"), 1);
}

#[tokio::test]
async fn documented_codes_and_faults_can_be_injected() {
    let fake = FakeServer::start().await.unwrap();
    fake.get_export_task()
        .error(1069906)
        .fault(Fault::Html(502));
    let client: FeishuClient = fake.client().retry(RetryPolicy::none()).build().unwrap();
    let err = client.get_export_task("T", "D").send().await.unwrap_err();
    assert!(matches!(err, GetExportTaskError::DocsDeleted(_)), "{err:?}");
    assert_eq!(err.http_status(), Some(410), "the documented HTTP status");
    let err = client.get_export_task("T", "D").send().await.unwrap_err();
    assert!(
        matches!(err, GetExportTaskError::Decode(ref d) if d.http_status() == 502),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_throttle_fault_sends_the_providers_documented_headers() {
    let fake = FakeServer::start().await.unwrap();
    fake.get_export_task()
        .fault(Fault::RateLimited { reset_seconds: 7 });
    let reply = reqwest::get(format!(
        "{}/open-apis/drive/v1/export_tasks/T?token=D",
        fake.uri()
    ))
    .await
    .unwrap();
    assert_eq!(
        reply.status().as_u16(),
        429,
        "the first status in the provider's rate_limit spec"
    );
    assert_eq!(reply.headers()["x-ogw-ratelimit-reset"], "7");
    assert!(reply.headers().contains_key("x-ogw-ratelimit-limit"));
    let body: serde_json::Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    assert_eq!(body["code"], 99991400);
}

// ---- the fake's own rate limit and its statistics (spec-driven: every route) ----

use taskapi::runtime::testing::{CodeRef, FakeStats, RouteKind, STATS_PATH};
use taskapi::testing::ROUTES;

/// A path of `route` with every `{param}` filled.
fn filled(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "x"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_token(route: &taskapi::runtime::testing::Route) -> bool {
    matches!(route.kind, RouteKind::Token { .. })
}

/// Sends one request to `route` on `base`: its status, headers and body.
async fn hit(
    http: &reqwest::Client,
    base: &str,
    route: &taskapi::runtime::testing::Route,
) -> (u16, reqwest::header::HeaderMap, String) {
    let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
    let reply = http
        .request(method, format!("{base}{}", filled(route.path)))
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    let headers = reply.headers().clone();
    (status, headers, reply.text().await.unwrap())
}

/// Waits until at least `room` is left of the server's current 1 s window.
async fn window_with_room(fake: &FakeServer, room: Duration) {
    let into = Duration::from_nanos((fake.elapsed().as_nanos() % 1_000_000_000) as u64);
    if Duration::from_secs(1) - into < room {
        tokio::time::sleep(Duration::from_secs(1) - into).await;
    }
}

#[tokio::test]
async fn without_a_rate_limit_the_fake_throttles_nothing() {
    let fake = FakeServer::start().await.unwrap();
    let http = reqwest::Client::new();
    for route in ROUTES {
        for _ in 0..5 {
            let (status, _, body) = hit(&http, &fake.uri(), route).await;
            assert!(status < 300, "{}: {status} {body}", route.id);
        }
    }
    assert_eq!(fake.throttled(), 0);
    assert!(fake.stats().rate_limit.is_none());
}

#[tokio::test]
async fn the_rate_limit_throttles_each_route_beyond_n_per_window_with_its_providers_reply() {
    const LIMIT: u32 = 2;
    let fake = FakeServer::start().await.unwrap();
    fake.set_rate_limit(Some(LIMIT));
    let http = reqwest::Client::new();
    let limited: Vec<_> = ROUTES.iter().filter(|r| !is_token(r)).collect();
    assert!(!limited.is_empty());
    for route in &limited {
        let shape = route
            .rate_limit
            .unwrap_or_else(|| panic!("{}: its provider documents a throttling reply", route.id));
        // A burst of LIMIT + 1 inside one window of the server's clock; a burst that a slow
        // machine spread over two windows is tried again (the check below holds for any).
        let mut throttled_seen = false;
        for _ in 0..5 {
            window_with_room(&fake, Duration::from_millis(700)).await;
            let before = fake.arrivals(route.id).len();
            let mut replies = Vec::new();
            for _ in 0..=LIMIT {
                replies.push(hit(&http, &fake.uri(), route).await);
            }
            let arrivals = fake.arrivals(route.id);
            assert_eq!(arrivals.len(), before + replies.len(), "{}", route.id);
            for (i, (status, headers, body)) in replies.iter().enumerate() {
                let at = arrivals[before + i];
                let window = at.as_secs();
                // Earlier arrivals of this route in the same window, this one included.
                let nth = arrivals[..=before + i]
                    .iter()
                    .filter(|a| a.as_secs() == window)
                    .count();
                let over = nth > LIMIT as usize;
                if !over {
                    assert!(
                        *status < 300,
                        "{}: request {nth} of its window: {status} {body}",
                        route.id
                    );
                    continue;
                }
                throttled_seen = true;
                assert_eq!(*status, shape.http_status, "{}: {body}", route.id);
                let body: serde_json::Value = serde_json::from_str(body).unwrap();
                match shape.code {
                    CodeRef::Int(code) => assert_eq!(body["code"], code, "{}", route.id),
                    CodeRef::Str(code) => assert_eq!(body["code"], code, "{}", route.id),
                    _ => panic!("{}: a code of a kind this test does not know", route.id),
                }
                let reset = shape.reset_header.unwrap_or("retry-after");
                assert_eq!(
                    headers.get(reset).and_then(|v| v.to_str().ok()),
                    Some("1"),
                    "{}: the seconds left of a 1 s window, at least 1",
                    route.id
                );
                if let Some(limit) = shape.limit_header {
                    assert_eq!(headers[limit], LIMIT.to_string().as_str(), "{}", route.id);
                }
            }
            if throttled_seen {
                break;
            }
        }
        assert!(throttled_seen, "{}: never throttled", route.id);
    }
    // Token endpoints are never limited.
    for route in ROUTES.iter().filter(|r| is_token(r)) {
        for _ in 0..LIMIT + 3 {
            let (status, _, body) = hit(&http, &fake.uri(), route).await;
            assert_eq!(status, 200, "{}: {body}", route.id);
        }
    }
    assert!(fake.throttled() >= limited.len());
}

#[tokio::test]
async fn a_throttled_request_takes_no_script_and_the_window_resets() {
    let fake = FakeServer::start().await.unwrap();
    fake.set_rate_limit(Some(1));
    let http = reqwest::Client::new();
    let route = ROUTES.iter().find(|r| !is_token(r)).unwrap();
    let script = fake.endpoint_by_id(route.id).unwrap();
    loop {
        window_with_room(&fake, Duration::from_millis(700)).await;
        let first = hit(&http, &fake.uri(), route).await;
        assert!(first.0 < 300, "{first:?}");
        // Scripted after the window's one request: the next request is throttled, and the
        // script still answers the first request of the next window.
        script.raw(200, r#"{"scripted": true}"#);
        let second = hit(&http, &fake.uri(), route).await;
        let arrivals = fake.arrivals(route.id);
        let [.., a, b] = arrivals[..] else {
            unreachable!()
        };
        if a.as_secs() != b.as_secs() {
            // A slow machine crossed a window (and the script answered): start again.
            continue;
        }
        assert_eq!(
            second.0,
            route.rate_limit.unwrap().http_status,
            "{second:?}"
        );
        break;
    }
    let now = fake.elapsed();
    tokio::time::sleep(
        Duration::from_secs(1) - Duration::from_nanos((now.as_nanos() % 1_000_000_000) as u64),
    )
    .await;
    let third = hit(&http, &fake.uri(), route).await;
    assert_eq!((third.0, third.2.as_str()), (200, r#"{"scripted": true}"#));
}

#[tokio::test]
async fn stats_over_http_match_what_the_fake_saw() {
    let fake = FakeServer::start().await.unwrap();
    fake.set_rate_limit(Some(1));
    let http = reqwest::Client::new();
    let mut sent = std::collections::BTreeMap::new();
    let mut throttled = 0;
    for (i, route) in ROUTES.iter().enumerate() {
        for _ in 0..(i % 3 + 1) {
            let (status, _, _) = hit(&http, &fake.uri(), route).await;
            if status >= 400 && route.rate_limit.is_some_and(|s| s.http_status == status) {
                throttled += 1;
            }
            *sent.entry(route.id.to_owned()).or_insert(0) += 1;
        }
    }
    let tokens = ROUTES
        .iter()
        .filter(|r| is_token(r))
        .map(|r| sent[r.id])
        .sum::<usize>();
    let reply = http
        .get(format!("{}{STATS_PATH}", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    for key in ["requests", "throttled", "tokens_issued", "arrivals_ms"] {
        assert!(body.get(key).is_some(), "{key} in {body}");
    }
    let stats: FakeStats = serde_json::from_value(body).unwrap();
    assert_eq!(
        stats.requests, sent,
        "the stats request itself is not counted"
    );
    assert_eq!(stats.throttled, throttled);
    assert!(
        throttled > 0,
        "some routes got more than one request in a window"
    );
    assert_eq!(stats.tokens_issued, tokens);
    assert_eq!(stats.rate_limit, Some(1));
    assert_eq!(stats.arrivals_dropped, 0);
    for (route, n) in &sent {
        let at = &stats.arrivals_ms[route];
        assert_eq!(at.len(), *n, "{route}");
        assert!(at.windows(2).all(|w| w[0] <= w[1]), "{route}: in order");
    }
    assert_eq!(stats, fake.stats(), "the same over HTTP as in process");
    // Only GET of that path: anything else under /_fake/ is no route.
    let other = http
        .post(format!("{}{STATS_PATH}", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn with_pending_polls_per_task_each_task_is_pending_for_its_own_polls() {
    let fake = FakeServer::start().await.unwrap();
    fake.set_pending_polls_per_task(Some(1));
    let http = reqwest::Client::new();
    let pollers: Vec<_> = ROUTES.iter().filter(|r| r.task.is_some()).collect();
    assert!(!pollers.is_empty());
    for route in pollers {
        let task = route.task.unwrap();
        let status_of = |body: &str| {
            let body: serde_json::Value = serde_json::from_str(body).unwrap();
            let data = match route.envelope {
                taskapi::runtime::Envelope::CodeMsgData => body["data"].clone(),
                _ => body,
            };
            // Every element of an array the status is in says the same.
            let statuses = task.statuses(&data);
            assert!(
                statuses.windows(2).all(|pair| pair[0] == pair[1]),
                "{}: {statuses:?}",
                route.id
            );
            statuses.first().map(|s| (*s).clone())
        };
        let pending: Option<serde_json::Value> = Some(serde_json::from_str(task.pending).unwrap());
        let success: Option<serde_json::Value> = Some(serde_json::from_str(task.success).unwrap());
        let poll = |id: &'static str| {
            // The task's id in the path, and in the query for pollers that take it there.
            let url = format!(
                "{}{}?task_id={id}",
                fake.uri(),
                filled(route.path).replace("/x", &format!("/{id}"))
            );
            let (method, http) = (route.method, &http);
            async move {
                let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                let reply = http.request(method, url).send().await.unwrap();
                reply.text().await.unwrap()
            }
        };
        assert_eq!(
            status_of(&poll("a").await),
            pending,
            "{}: a, first poll",
            route.id
        );
        assert_eq!(
            status_of(&poll("b").await),
            pending,
            "{}: b, first poll",
            route.id
        );
        assert_eq!(
            status_of(&poll("a").await),
            success,
            "{}: a, second poll",
            route.id
        );
        assert_eq!(
            status_of(&poll("a").await),
            success,
            "{}: a stays done",
            route.id
        );
        assert_eq!(
            status_of(&poll("b").await),
            success,
            "{}: b, second poll",
            route.id
        );
    }
}
