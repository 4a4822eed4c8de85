//! `taskapi::testing::FakeServer`, as a user would test their waiting code with it.

use std::time::Duration;
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
