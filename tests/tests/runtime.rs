//! Managed tokens, retries, timeouts, the plain-http guard and tracing redaction, against
//! servers on 127.0.0.1. Waits are made short through the retry policy, never asserted as
//! upper bounds; the one lower bound (a server-requested wait) is what a sleep guarantees.

mod common;

use common::{
    APP_SECRET, EXPORT_PATH, FEISHU_TOKEN, TOKEN_PATH, fast_retries, hits, json, managed,
    mount_export, mount_tokens, serve, static_client, token_reply,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use taskapi::ErrorDetails;
use taskapi::dingtalk::{self, DingTalkClient, GetTaskInfoError};
use taskapi::feishu::{self, *};
use taskapi::runtime::{AppCredentials, BuildError, ErrorCode, TransportErrorKind};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn managed_token_is_fetched_once_cached_and_refreshed_after_expiry() {
    let server = MockServer::start().await;
    // A 1 s lifetime: the refresh margin is capped at half of it, so it is stale after 0.5 s.
    mount_tokens(
        &server,
        vec![token_reply("t-first", 1), token_reply("t-second", 7200)],
    )
    .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let client = managed(&server);

    client.get_export_task("T", "D").send().await.unwrap();
    client.get_export_task("T", "D").send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.get_export_task("T", "D").send().await.unwrap();
    client.get_export_task("T", "D").send().await.unwrap();

    assert_eq!(
        hits(&server, TOKEN_PATH).await.len(),
        2,
        "one fetch, then one refresh"
    );
    assert_eq!(
        hits(&server, EXPORT_PATH).await,
        [
            "Bearer t-first",
            "Bearer t-first",
            "Bearer t-second",
            "Bearer t-second"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_first_calls_make_one_token_request() {
    let server = MockServer::start().await;
    // The fetch is slow, so every call arrives while it is in flight.
    mount_tokens(
        &server,
        vec![token_reply("t-shared", 7200).set_delay(Duration::from_millis(300))],
    )
    .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let client = managed(&server);

    let calls: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_export_task("T", "D").send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(hits(&server, TOKEN_PATH).await.len(), 1);
    let api = hits(&server, EXPORT_PATH).await;
    assert_eq!(api.len(), 1000);
    assert!(api.iter().all(|auth| auth == "Bearer t-shared"));
}

#[tokio::test]
async fn an_invalid_token_reply_refetches_once_and_retries_once() {
    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![token_reply("t-stale", 7200), token_reply("t-fresh", 7200)],
    )
    .await;
    // The stale token is refused inside an HTTP 200, as Feishu does.
    Mock::given(header("authorization", "Bearer t-stale"))
        .respond_with(json(
            200,
            r#"{"code":99991663,"msg":"Invalid access token for authorization."}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer t-fresh"))
        .respond_with(json(200, feishu::GET_EXPORT_TASK_EXAMPLE))
        .mount(&server)
        .await;

    managed(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap();
    assert_eq!(
        hits(&server, TOKEN_PATH).await.len(),
        2,
        "exactly one refetch"
    );
    assert_eq!(
        hits(&server, EXPORT_PATH).await,
        ["Bearer t-stale", "Bearer t-fresh"],
        "exactly one retry"
    );
}

#[tokio::test]
async fn a_second_invalid_token_reply_is_returned_not_looped() {
    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![
            token_reply("t-1", 7200),
            token_reply("t-2", 7200),
            token_reply("t-3", 7200),
        ],
    )
    .await;
    mount_export(
        &server,
        json(401, r#"{"code":99991665,"msg":"invalid tenant token"}"#),
    )
    .await;

    let err = managed(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            GetExportTaskError::Common(FeishuCommonError::InvalidTenantToken, _)
        ),
        "{err:?}"
    );
    assert_eq!(hits(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(
        hits(&server, EXPORT_PATH).await,
        ["Bearer t-1", "Bearer t-2"]
    );
    assert_eq!(err.attempts(), 2);

    // A static token cannot be refreshed: no second call at all.
    let server = serve(json(200, r#"{"code":99991663,"msg":"invalid"}"#)).await;
    let err = static_client(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::Int(99991663)));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_wrong_secret_is_a_typed_token_error_and_is_not_retried() {
    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![json(200, r#"{"code":99991543,"msg":"app_secret is invalid"}"#); 3],
    )
    .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;

    let err = managed(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap_err();
    let GetExportTaskError::Token(token) = &err else {
        panic!("expected Token, got {err:?}")
    };
    assert_eq!(
        token.api_error().map(|e| e.code()),
        Some(&ErrorCode::Int(99991543))
    );
    assert_eq!(
        err.hint(),
        Some("app_id 或 app_secret 错误。"),
        "the common code's hint is attached"
    );
    assert!(!err.is_retryable());
    assert_eq!(
        hits(&server, TOKEN_PATH).await.len(),
        1,
        "a wrong secret is not retried"
    );
    assert!(hits(&server, EXPORT_PATH).await.is_empty());
    assert!(!format!("{err:?} {err}").contains(APP_SECRET));
}

#[tokio::test]
async fn dingtalk_app_credentials_fetch_a_token_for_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/oauth2/accessToken"))
        .and(body_json(
            serde_json::json!({"appKey": "ding-key", "appSecret": APP_SECRET}),
        ))
        .respond_with(json(200, r#"{"accessToken":"dt-fetched","expireIn":7200}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("x-acs-dingtalk-access-token", "dt-fetched"))
        .respond_with(json(200, dingtalk::GET_TASK_INFO_EXAMPLE))
        .expect(2)
        .mount(&server)
        .await;
    let client = DingTalkClient::builder()
        .app_credentials(AppCredentials::new("ding-key", APP_SECRET))
        .base_url(server.uri())
        .build()
        .unwrap();
    client.get_task_info("1").send().await.unwrap();
    client.get_task_info("2").send().await.unwrap();
}

#[tokio::test]
async fn a_user_token_per_request_replaces_the_clients_token() {
    let server = MockServer::start().await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    managed(&server)
        .get_export_task("T", "D")
        .user_access_token("u-user-token")
        .send()
        .await
        .unwrap();
    assert_eq!(hits(&server, EXPORT_PATH).await, ["Bearer u-user-token"]);
    assert!(
        hits(&server, TOKEN_PATH).await.is_empty(),
        "no tenant token is fetched"
    );
}

/// (what the server does, how many requests the call makes, whether it ends in success)
#[tokio::test]
async fn retries_follow_the_fault() {
    let html =
        |status| ResponseTemplate::new(status).set_body_raw("<html>gateway</html>", "text/html");
    let cases: Vec<(&str, ResponseTemplate, usize)> = vec![
        ("HTML 503", html(503), 3),
        ("HTML 502", html(502), 3),
        ("empty 504", ResponseTemplate::new(504), 3),
        ("HTML 500 (not a gateway hiccup)", html(500), 1),
        (
            "retryable documented code",
            json(500, r#"{"code":1069901,"msg":"internal error"}"#),
            3,
        ),
        (
            "rate limited 429",
            json(429, r#"{"code":99991400,"msg":"rate limited"}"#),
            3,
        ),
        (
            "non-retryable documented code",
            json(403, r#"{"code":1069902,"msg":"no permission"}"#),
            1,
        ),
        (
            "unknown code, even on 503",
            json(503, r#"{"code":4242,"msg":"new"}"#),
            1,
        ),
        (
            "truncated JSON in a 200",
            json(200, r#"{"code":0,"data":{"res"#),
            1,
        ),
    ];
    for (what, reply, expected) in cases {
        let server = serve(reply).await;
        let err = static_client(&server)
            .get_export_task("T", "D")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            expected,
            "{what}"
        );
        assert_eq!(err.attempts(), expected as u32, "{what}");
        if expected > 1 {
            assert!(
                err.to_string()
                    .contains(&format!("after {expected} attempts")),
                "{what}: {err}"
            );
        }
    }

    // Connection refused is retried too.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries().max_attempts(4))
        .build()
        .unwrap();
    let err = client.get_export_task("T", "D").send().await.unwrap_err();
    assert!(
        matches!(&err, GetExportTaskError::Transport(t) if t.kind() == TransportErrorKind::Connect)
    );
    assert_eq!(err.attempts(), 4);
}

#[tokio::test]
async fn transient_failures_then_success_return_the_data() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let data = static_client(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap();
    assert_eq!(
        data.result.and_then(|r| r.job_status),
        Some(ExportJobStatus::Success)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_servers_requested_wait_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json(429, r#"{"code":99991400,"msg":"rate limited"}"#)
                .insert_header("x-ogw-ratelimit-reset", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let started = Instant::now();
    static_client(&server)
        .get_export_task("T", "D")
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );

    // Retry-After on a DingTalk throttle reply, and a wait longer than allowed ends retries.
    let server = serve(
        json(
            403,
            r#"{"code":"Forbidden.AccessDenied.QpsLimitForApi","message":"qps"}"#,
        )
        .insert_header("Retry-After", "120"),
    )
    .await;
    let client = DingTalkClient::builder()
        .access_token("dt")
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = client.get_task_info("1").send().await.unwrap_err();
    assert!(matches!(err, GetTaskInfoError::Common(..)), "{err:?}");
    assert_eq!(
        err.api_error().unwrap().retry_after(),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "120 s is over the 60 s cap"
    );
}

#[tokio::test]
async fn a_slow_reply_times_out_each_attempt() {
    let server =
        serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE).set_delay(Duration::from_secs(5))).await;
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .attempt_timeout(Duration::from_millis(100))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = client.get_export_task("T", "D").send().await.unwrap_err();
    assert!(
        matches!(&err, GetExportTaskError::Transport(t) if t.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 2);
}

#[test]
fn plain_http_is_refused_unless_loopback_or_allowed() {
    for url in [
        "http://example.com",
        "http://10.0.0.1:8080",
        "http://open.feishu.cn.evil",
    ] {
        let err = FeishuClient::builder()
            .access_token("t")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::InsecureBaseUrl { .. }),
            "{url}: {err}"
        );
    }
    for url in [
        "http://127.0.0.1:1",
        "http://localhost:1",
        "http://[::1]:1",
        "https://example.com",
    ] {
        FeishuClient::builder()
            .access_token("t")
            .base_url(url)
            .build()
            .unwrap();
    }
    FeishuClient::builder()
        .access_token("t")
        .base_url("http://example.com")
        .allow_insecure_http(true)
        .build()
        .unwrap();
}

/// A caller's own token source: asked for a token per attempt, told when one is refused.
#[derive(Debug, Default)]
struct Vault {
    issued: std::sync::atomic::AtomicUsize,
    invalidated: Mutex<Vec<String>>,
}

impl taskapi::runtime::TokenSource for Vault {
    fn token<'a>(
        &'a self,
        _: &'a taskapi::runtime::TokenContext,
    ) -> taskapi::runtime::BoxFuture<
        'a,
        Result<taskapi::runtime::AccessToken, taskapi::runtime::TokenError>,
    > {
        Box::pin(async move {
            let n = self
                .issued
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(taskapi::runtime::AccessToken::new(format!("t-vault-{n}")))
        })
    }

    fn invalidate(&self, stale: &taskapi::runtime::AccessToken) {
        self.invalidated
            .lock()
            .unwrap()
            .push(stale.expose().to_owned());
    }

    fn can_refresh(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn a_custom_token_source_is_asked_again_after_a_refusal() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer t-vault-0"))
        .respond_with(json(200, r#"{"code":99991677,"msg":"user token expired"}"#))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer t-vault-1"))
        .respond_with(json(200, feishu::GET_EXPORT_TASK_EXAMPLE))
        .mount(&server)
        .await;
    let vault = Arc::new(Vault::default());
    let client = FeishuClient::builder()
        .token_source(vault.clone())
        .base_url(server.uri())
        .build()
        .unwrap();
    client.get_export_task("T", "D").send().await.unwrap();
    assert_eq!(*vault.invalidated.lock().unwrap(), ["t-vault-0"]);
    assert_eq!(vault.issued.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_whose_rate_limit_slot_is_past_the_time_limit_returns_the_failure_before_it() {
    // A gateway's 503 (retryable), and one call a minute: the retry's slot is a minute
    // away, past the call's time limit.
    let server = serve(ResponseTemplate::new(503).set_body_string("<html>busy</html>")).await;
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .retry(fast_retries())
        .rate_limits(taskapi::runtime::RateLimits::uniform(
            taskapi::runtime::RateLimit::per_minute(1),
        ))
        .build()
        .unwrap();
    let err = client
        .get_export_task("T", "D")
        .time_limit(Duration::from_secs(2))
        .send()
        .await
        .unwrap_err();
    // The 503 that asked for the retry, with the one request sent; not a time limit that
    // hides it and counts a request never sent.
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!(err.attempts(), 1, "{err}");
    assert!(!err.to_string().contains("time limit"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
