//! Hostile and broken servers (issue 10): redirects that would carry credentials away,
//! replies that echo credentials, userinfo in base URLs, error bodies dressed as success,
//! replies that are not HTTP, and input no request can carry. Each test is named after the
//! defect it pins down.

mod common;

use common::{
    APP_ID, APP_SECRET, DINGTALK_TOKEN, FEISHU_TOKEN, TOKEN_PATH, fast_retries, json, managed,
    serve, static_client,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use taskapi::ErrorDetails;
use taskapi::dingtalk::{DingTalkClient, GetTaskInfoError};
use taskapi::feishu::{FeishuClient, GetExportTaskError, GetMeetingExportError};
use taskapi::runtime::{BuildError, Failure, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn dingtalk(server: &MockServer) -> DingTalkClient {
    DingTalkClient::builder()
        .access_token(DINGTALK_TOKEN)
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn redirect(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", location)
}

/// Every text a user could see of an error.
fn shown<E: std::fmt::Debug + std::fmt::Display>(error: &E) -> String {
    format!("{error}\n{error:?}")
}

#[tokio::test]
async fn redirects_never_carry_credentials_to_another_origin() {
    let elsewhere = serve(json(200, r#"{"taskId":"1","status":1}"#)).await;
    let target = format!("{}/steal?code=s3cret-query", elsewhere.uri());
    let server = serve(redirect(302, &target)).await;

    let err = dingtalk(&server)
        .get_task_info("1")
        .send()
        .await
        .unwrap_err();

    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin was never contacted"
    );
    let GetTaskInfoError::Transport(transport) = &err else {
        panic!("expected a refused redirect, got {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Redirect);
    assert!(!err.is_retryable());
    let text = shown(&err);
    let host = elsewhere.uri().trim_start_matches("http://").to_owned();
    assert!(text.contains(&host), "names the target host: {text}");
    assert!(!text.contains("s3cret-query"), "no query: {text}");
}

#[tokio::test]
async fn redirects_within_the_origin_are_followed_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/v2.0/doc/task/info/1"))
        .respond_with(redirect(307, "/moved/1"))
        .mount(&server)
        .await;
    Mock::given(path("/moved/1"))
        .respond_with(json(200, r#"{"taskId":"1","status":1}"#))
        .mount(&server)
        .await;

    let data = dingtalk(&server).get_task_info("1").send().await.unwrap();

    assert_eq!(data.task_id.as_deref(), Some("1"));
    let moved: Vec<_> = server.received_requests().await.unwrap();
    let last = moved.last().unwrap();
    assert_eq!(last.url.path(), "/moved/1");
    assert_eq!(
        last.headers["x-acs-dingtalk-access-token"]
            .to_str()
            .unwrap(),
        DINGTALK_TOKEN
    );
}

#[tokio::test]
async fn token_endpoint_redirects_never_re_post_the_app_secret() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(redirect(307, "/collect"))
        .mount(&server)
        .await;
    Mock::given(path("/collect"))
        .respond_with(json(
            200,
            r#"{"code":0,"tenant_access_token":"t","expire":7200}"#,
        ))
        .mount(&server)
        .await;

    let err = managed(&server)
        .get_meeting_export("1")
        .send()
        .await
        .unwrap_err();

    let posted_elsewhere = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/collect")
        .count();
    assert_eq!(
        posted_elsewhere, 0,
        "a token endpoint's redirect is never followed"
    );
    let GetMeetingExportError::Token(token) = &err else {
        panic!("expected a token error, got {err:?}")
    };
    assert!(matches!(
        token.as_failure(),
        Some(Failure::Transport(t)) if t.kind() == TransportErrorKind::Redirect
    ));
    assert!(!shown(&err).contains(APP_SECRET));
}

#[tokio::test]
async fn tokens_echoed_in_error_replies_are_masked() {
    // A 401 page and an API message that both echo the token the request carried.
    let page = format!("<html>token {FEISHU_TOKEN} is not valid</html>");
    let server = serve(json(401, &page)).await;
    let err = static_client(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap_err();
    let GetExportTaskError::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(decode.excerpt().contains("<redacted>"), "{decode:?}");
    assert!(!shown(&err).contains(FEISHU_TOKEN), "{err}");

    let message =
        format!(r#"{{"code":99991663,"msg":"token {FEISHU_TOKEN} expired","data":{{}}}}"#);
    let server = serve(json(400, &message)).await;
    let err = static_client(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&99991663.into()));
    assert!(!shown(&err).contains(FEISHU_TOKEN), "{err}");
}

#[tokio::test]
async fn a_fresh_token_in_an_off_spec_token_reply_is_masked() {
    for expire in [r#""7200""#, "7200.5", "null", r#""x""#] {
        let server = MockServer::start().await;
        let fresh = "t-fresh-token-never-to-be-shown";
        let body =
            format!(r#"{{"code":0,"msg":"ok","tenant_access_token":"{fresh}","expire":{expire}}}"#);
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(json(200, &body))
            .mount(&server)
            .await;
        let err = managed(&server)
            .get_meeting_export("1")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, GetMeetingExportError::Token(_)), "{err:?}");
        let text = shown(&err);
        assert!(!text.contains(fresh), "expire {expire}: {text}");
        assert!(
            text.contains("expire"),
            "the excerpt is still useful: {text}"
        );
    }
    // The app secret echoed in a token endpoint's message.
    let server = MockServer::start().await;
    let body = format!(r#"{{"code":10003,"msg":"bad secret {APP_SECRET} for {APP_ID}"}}"#);
    Mock::given(path(TOKEN_PATH))
        .respond_with(json(200, &body))
        .mount(&server)
        .await;
    let err = managed(&server)
        .get_meeting_export("1")
        .send()
        .await
        .unwrap_err();
    assert!(!shown(&err).contains(APP_SECRET), "{err}");
}

#[test]
fn userinfo_in_the_base_url_is_refused_without_printing_the_password() {
    for url in [
        "https://user:pa55word@open.feishu.cn",
        "http://user:pa55word@127.0.0.1:9",
        "https://user@open.feishu.cn/prefix",
    ] {
        let err = FeishuClient::builder()
            .access_token(FEISHU_TOKEN)
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, BuildError::InvalidBaseUrl { .. }),
            "{url}: {err:?}"
        );
        let text = shown(&err);
        assert!(
            !text.contains("pa55word") && !text.contains("user:") && !text.contains("user@"),
            "{text}"
        );
    }
    // Not even text that fails to parse repeats it.
    let err = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url("https://user:pa55word@bad host/")
        .build()
        .unwrap_err();
    assert!(!shown(&err).contains("pa55word"), "{err}");
}

#[tokio::test]
async fn dingtalk_error_bodies_with_http_200_are_errors_not_success() {
    let server = serve(json(
        200,
        r#"{"code":"Forbidden.AccessDenied","message":"no access","requestid":"R1"}"#,
    ))
    .await;
    let err = dingtalk(&server)
        .get_task_info("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&"Forbidden.AccessDenied".into()),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("R1"));

    for body in ["[]", "[1,2]", "\"ok\"", "null"] {
        let server = serve(json(200, body)).await;
        let err = dingtalk(&server)
            .get_task_info("1")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, GetTaskInfoError::Decode(_)),
            "{body}: {err:?}"
        );
    }
    // Feishu's `data` the same way.
    let server = serve(json(200, r#"{"code":0,"msg":"ok","data":[]}"#)).await;
    let err = static_client(&server)
        .get_meeting_export("1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, GetMeetingExportError::Decode(_)), "{err:?}");
}

/// A TCP server that answers every connection with bytes that are not HTTP.
async fn garbage_server() -> (String, Arc<AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn protocol_garbage_is_a_protocol_error_retried_once() {
    let (url, connections) = garbage_server().await;
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(url)
        .retry(fast_retries().max_attempts(5))
        .build()
        .unwrap();
    let err = client.get_meeting_export("1").send().await.unwrap_err();
    let GetMeetingExportError::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Protocol, "{err}");
    assert_eq!(err.attempts(), 2, "retried once, not up to the policy's 5");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn unsendable_input_is_refused_before_any_traffic() {
    let server = serve(json(200, taskapi::feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let client = static_client(&server);

    // `max_length: 27` from the export spec.
    let err = client
        .get_export_task("t", "d".repeat(28))
        .send()
        .await
        .unwrap_err();
    let GetExportTaskError::InvalidRequest(invalid) = &err else {
        panic!("expected InvalidRequest, got {err:?}")
    };
    assert_eq!(invalid.param(), "token");

    // A parameter too long for any request line.
    let err = client
        .get_meeting_export("x".repeat(100_000))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetMeetingExportError::InvalidRequest(i) if i.param() == "task_id"),
        "{err:?}"
    );

    // A per-request user token no header can carry.
    let err = client
        .get_export_task("t", "d")
        .user_access_token("u-line\r\nX-Injected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetExportTaskError::InvalidRequest(i) if i.param() == "user_access_token"),
        "{err:?}"
    );
    assert!(!shown(&err).contains("Injected"));

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn transport_errors_never_show_the_request_url() {
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(common::closed_port_url())
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = client
        .get_export_task("t", "doc-secret-token")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, GetExportTaskError::Transport(_)), "{err:?}");
    assert!(!shown(&err).contains("doc-secret-token"), "{err}");
}
