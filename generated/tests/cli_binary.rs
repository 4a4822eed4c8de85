//! The real `taskapi` binary, run as a person would (the in-process contract tests are in
//! the workspace's `tests/` crate). Needs the `cli` feature, which `cargo test --workspace`
//! turns on through the tests crate.
#![cfg(feature = "cli")]

use std::process::Command;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn taskapi(args: &[String], token: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taskapi"));
    command
        .args(args)
        .env_remove("FEISHU_ACCESS_TOKEN")
        .env_remove("DINGTALK_ACCESS_TOKEN");
    if let Some(token) = token {
        command.env("FEISHU_ACCESS_TOKEN", token);
    }
    command.output().expect("the taskapi binary runs")
}

#[tokio::test]
async fn binary_prints_json_and_exits_by_the_contract() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            taskapi::feishu::CHECK_FOLDER_TASK_EXAMPLE,
            "application/json",
        ))
        .mount(&server)
        .await;
    let args: Vec<String> = [
        "feishu.drive.file.task_check",
        "--task-id",
        "7",
        "--base-url",
        &server.uri(),
    ]
    .map(String::from)
    .to_vec();

    let with_token = args.clone();
    let ok = tokio::task::spawn_blocking(move || taskapi(&with_token, Some("t-token")))
        .await
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "{\"status\":\"success\"}\n"
    );

    let no_token = tokio::task::spawn_blocking(move || taskapi(&args, None))
        .await
        .unwrap();
    assert_eq!(no_token.status.code(), Some(2), "{no_token:?}");
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("FEISHU_ACCESS_TOKEN"));
}

#[tokio::test]
async fn rust_log_traces_calls_on_stderr_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/open-apis/auth/v3/tenant_access_token/internal",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        r#"{"code":0,"msg":"ok","tenant_access_token":"t-traced-token-value","expire":7200}"#,
        "application/json",
    ))
    .mount(&server)
    .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            taskapi::feishu::CHECK_FOLDER_TASK_EXAMPLE,
            "application/json",
        ))
        .mount(&server)
        .await;
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_taskapi"))
            .args([
                "feishu.drive.file.task_check",
                "--task-id",
                "7",
                "--base-url",
                &uri,
            ])
            .env_remove("FEISHU_ACCESS_TOKEN")
            .env("FEISHU_APP_ID", "cli_traced")
            .env("FEISHU_APP_SECRET", "traced-secret-value")
            .env("RUST_LOG", "taskapi=trace")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("taskapi.call") && stderr.contains("taskapi.token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("traced-secret-value") && !stderr.contains("t-traced-token-value"),
        "{stderr}"
    );
}
