//! Secrets never reach tracing output, even at TRACE level. Alone in its test binary:
//! `tracing` caches per-callsite interest, and a thread-local subscriber can miss callsites
//! that other tests' threads reach first in the same process.

mod common;

use common::{APP_ID, APP_SECRET, json, managed, mount_tokens, token_reply};
use std::sync::{Arc, Mutex};
use taskapi::feishu::FeishuClient;
use taskapi::runtime::AppCredentials;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer};

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_at_trace_level_never_shows_secrets_or_tokens() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    mount_tokens(
        &server,
        vec![
            token_reply("t-stale-secret-token", 7200),
            token_reply("t-fresh-secret-token", 7200),
        ],
    )
    .await;
    Mock::given(header("authorization", "Bearer t-stale-secret-token"))
        .respond_with(json(200, r#"{"code":99991663,"msg":"invalid"}"#))
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer t-fresh-secret-token"))
        .respond_with(
            json(503, r#"{"code":1069901,"msg":"internal error"}"#)
                .insert_header("X-Tt-Logid", "log-77"),
        )
        .mount(&server)
        .await;
    let client = managed(&server);
    let err = client.get_export_task("T", "D").send().await.unwrap_err();
    let bad_secret = FeishuClient::builder()
        .app_credentials(AppCredentials::new(APP_ID, "another-secret-987654321"))
        .base_url(server.uri())
        .build()
        .unwrap();
    let _ = bad_secret.get_export_task("T", "D").send().await;

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "taskapi.call",
        "taskapi.attempt",
        "taskapi.token",
        "feishu.drive.export_task.get",
        "log-77",
        "1069901",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the trace:\n{text}"
        );
    }
    let shown = format!("{text}\n{err}\n{err:?}\n{client:?}\n{bad_secret:?}");
    for secret in [
        APP_SECRET,
        "another-secret-987654321",
        "t-stale-secret-token",
        "t-fresh-secret-token",
    ] {
        assert!(!shown.contains(secret), "{secret:?} leaked");
    }
}
