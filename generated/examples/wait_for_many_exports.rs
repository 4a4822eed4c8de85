//! Waits for many (simulated) document exports at once, printing each as it ends.
//!
//! ```sh
//! cargo run -p taskapi --example wait_for_many_exports
//! ```
//!
//! A local fake server plays Feishu: export `n` is processing for `n % 5` polls, then done
//! (every seventh fails: no permission). One scheduler polls all of them, at most 32 at once,
//! each on the waiter's own schedule; against the real API, drop `base_url` and use your own
//! tickets and document tokens.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::{EndKind, WaitError, WaitOutcome};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

/// Exports that move on by one step per poll, each on its own (by the ticket in the path).
#[derive(Default)]
struct SimulatedExports {
    polls: Mutex<HashMap<String, u32>>,
}

impl Respond for SimulatedExports {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ticket = request.url.path().rsplit('/').next().unwrap_or_default();
        let n: u32 = ticket.trim_start_matches("ticket-").parse().unwrap_or(0);
        let mut polls = self.polls.lock().unwrap_or_else(|p| p.into_inner());
        let seen = polls.entry(ticket.to_owned()).or_default();
        *seen += 1;
        let (status, file_token) = match (*seen > n % 5, n % 7 == 6) {
            (false, _) => (2, ""),
            (true, false) => (0, "boxcnxe5OdjlAkNgSNdsJvabcef"),
            (true, true) => (110, ""),
        };
        let body = format!(
            r#"{{"code":0,"msg":"success","data":{{"result":{{"file_token":"{file_token}","job_error_msg":"","job_status":{status}}}}}}}"#
        );
        ResponseTemplate::new(200).set_body_raw(body, "application/json")
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(matchers::path_regex("^/open-apis/drive/v1/export_tasks/"))
        .respond_with(SimulatedExports::default())
        .mount(&server)
        .await;

    let client = FeishuClient::builder()
        .access_token("t-example-token")
        .base_url(server.uri())
        .build()?;

    // One request per task, keyed by what tells them apart (here the ticket).
    let tickets: Vec<String> = (0..20).map(|n| format!("ticket-{n}")).collect();
    let requests = tickets.iter().map(|ticket| {
        let request = client.get_export_task(ticket.as_str(), "docbcZVGtv1papC6jAVGiyabcef");
        (ticket.as_str(), request)
    });
    let mut batch = client
        .wait_many_export_task(requests)
        // Short delays for the demo; the spec's defaults start at 3 s.
        .min_delay(Duration::from_millis(100))
        .max_delay(Duration::from_millis(500))
        .max_wait(Duration::from_secs(30));

    while let Some(ended) = batch.next().await {
        let what = match &ended.result {
            Ok(WaitOutcome::Succeeded(data)) => format!(
                "done: file token {}",
                data.result
                    .as_ref()
                    .and_then(|r| r.file_token.as_deref())
                    .unwrap_or_default()
            ),
            Ok(WaitOutcome::Failed { status, .. }) => format!("failed: {status:?}"),
            Err(WaitError::TimedOut { elapsed, .. }) => format!("still running after {elapsed:?}"),
            Err(WaitError::Call(e)) => format!("cannot poll: {e}"),
            // Outcomes may be added in later versions.
            _ => ended.kind().to_string(),
        };
        println!("{:>9} after {} polls: {what}", ended.key, ended.polls);
    }
    let summary = batch.summary();
    println!("{summary}");
    assert_eq!(
        summary.count(EndKind::Succeeded) + summary.failed,
        tickets.len()
    );
    Ok(())
}
