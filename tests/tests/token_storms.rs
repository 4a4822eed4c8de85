//! Token replies that used to crash or flood (issue 10): lifetimes too large for the clock,
//! tokens for one use only, and a token endpoint that keeps failing while many calls wait.

mod common;

use common::{
    APP_ID, APP_SECRET, EXPORT_PATH, TOKEN_PATH, hits, json, managed, mount_export, mount_tokens,
    token_reply,
};
use std::time::Duration;
use taskapi::feishu::{self, GetExportTaskError};
use taskapi::runtime::AppCredentials;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

const CONCURRENT_CALLS: usize = 200;

/// Starts `CONCURRENT_CALLS` first calls at once on `client` and returns their results.
async fn burst(
    client: &feishu::FeishuClient,
) -> Vec<Result<feishu::ExportTaskData, GetExportTaskError>> {
    let calls: Vec<_> = (0..CONCURRENT_CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_export_task("T", "D").send().await })
        })
        .collect();
    let mut results = Vec::new();
    for call in calls {
        results.push(call.await.unwrap());
    }
    results
}

#[tokio::test]
async fn a_huge_token_lifetime_is_clamped_instead_of_panicking() {
    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![
            token_reply("t-forever", i64::MAX),
            token_reply("t-next", 7200),
        ],
    )
    .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let client = managed(&server);

    for _ in 0..3 {
        client.get_export_task("T", "D").send().await.unwrap();
    }
    assert_eq!(
        hits(&server, TOKEN_PATH).await.len(),
        1,
        "the token is cached (its lifetime clamped), not refetched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expired_on_arrival_are_shared_by_waiting_callers_and_used_once() {
    for expire in [0, -1, i64::MIN] {
        let server = MockServer::start().await;
        // Slow enough that every call of the burst arrives during the first fetch.
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(token_reply("t-once", expire).set_delay(Duration::from_millis(300)))
            .mount(&server)
            .await;
        mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
        let client = managed(&server);

        for result in burst(&client).await {
            result.unwrap();
        }
        let fetches = hits(&server, TOKEN_PATH).await.len();
        assert!(
            fetches <= 2,
            "expire {expire}: the waiting callers share a fetch ({fetches} fetches for {CONCURRENT_CALLS} calls)"
        );
        // Used once: the next call fetches again rather than reuse an expired token.
        client.get_export_task("T", "D").send().await.unwrap();
        assert_eq!(hits(&server, TOKEN_PATH).await.len(), fetches + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_fetched_a_few_times_not_once_per_caller() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(json(503, "<html>Service Unavailable</html>"))
        .mount(&server)
        .await;
    // The default retry policy: its jittered waits (up to 200 ms, then 400 ms) spread the
    // calls' retries out, so without a shared backoff each retry would fetch on its own.
    let client = feishu::FeishuClient::builder()
        .app_credentials(AppCredentials::new(APP_ID, APP_SECRET))
        .base_url(server.uri())
        .build()
        .unwrap();

    let results = burst(&client).await;

    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(GetExportTaskError::Token(_))))
    );
    let fetches = hits(&server, TOKEN_PATH).await.len();
    // Each call makes up to 3 attempts; the failures are shared and backed off, so the
    // endpoint sees about one fetch per attempt round, not one per call.
    assert!(
        fetches <= 6,
        "{fetches} token fetches for {CONCURRENT_CALLS} calls"
    );
    assert!(hits(&server, EXPORT_PATH).await.is_empty());
}

#[tokio::test]
async fn a_failed_fetch_is_not_repeated_before_its_backoff() {
    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![json(503, "unavailable"), token_reply("t-after", 7200)],
    )
    .await;
    mount_export(&server, json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let client = managed(&server);

    // The first attempt fails; the retry waits out the backoff the token error names,
    // then one fetch succeeds.
    let data = client.get_export_task("T", "D").send().await;
    assert!(data.is_ok(), "{data:?}");
    assert_eq!(hits(&server, TOKEN_PATH).await.len(), 2);
}
