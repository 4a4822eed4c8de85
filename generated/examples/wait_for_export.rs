//! Waits for a (simulated) document export to finish, printing progress.
//!
//! ```sh
//! cargo run -p taskapi --example wait_for_export
//! ```
//!
//! A local fake server plays Feishu: the export is initialising, then processing, then done
//! but without its file token yet, then done. Against the real API, drop `base_url` and use
//! your own ticket and document token (and `app_credentials` or a tenant token).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::{WaitError, WaitOutcome};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

/// An export that moves on by one step per poll.
struct SimulatedExport {
    polls: AtomicUsize,
}

impl Respond for SimulatedExport {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let (status, file_token) = match self.polls.fetch_add(1, Ordering::SeqCst) {
            0 => (1, ""),
            1..=3 => (2, ""),
            4 => (0, ""),
            _ => (0, "boxcnxe5OdjlAkNgSNdsJvabcef"),
        };
        let body = format!(
            r#"{{"code":0,"msg":"success","data":{{"result":{{"file_extension":"pdf","type":"docx","file_name":"report","file_token":"{file_token}","file_size":34356,"job_error_msg":"","job_status":{status}}}}}}}"#
        );
        ResponseTemplate::new(200).set_body_raw(body, "application/json")
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    Mock::given(matchers::path(
        "/open-apis/drive/v1/export_tasks/7108646852144136212",
    ))
    .respond_with(SimulatedExport {
        polls: AtomicUsize::new(0),
    })
    .mount(&server)
    .await;

    let client = FeishuClient::builder()
        .access_token("t-example-token")
        .base_url(server.uri())
        .build()?;

    let outcome = client
        .wait_export_task("7108646852144136212", "docbcZVGtv1papC6jAVGiyabcef")
        // Short delays for the demo; the spec's defaults start at 3 s.
        .min_delay(Duration::from_millis(100))
        .max_delay(Duration::from_millis(500))
        .max_wait(Duration::from_secs(30))
        .on_progress(|p| {
            let meaning = p
                .status
                .and_then(|s| s.description())
                .unwrap_or("no status");
            println!(
                "poll {:>2} at {:>5.2}s: {meaning} ({:?})",
                p.polls,
                p.elapsed.as_secs_f64(),
                p.state
            );
        })
        .await;

    match outcome {
        Ok(WaitOutcome::Succeeded(data)) => {
            println!(
                "done: download file token {:?}",
                data.result.and_then(|r| r.file_token).unwrap_or_default()
            );
        }
        Ok(WaitOutcome::Failed {
            status, message, ..
        }) => println!("export failed: {status:?} {message:?}"),
        Err(WaitError::TimedOut { elapsed, polls, .. }) => {
            println!("still running after {elapsed:?} ({polls} polls)")
        }
        Err(WaitError::Call(e)) => println!("cannot poll: {e}"),
        // Outcomes may be added in later versions.
        Err(e) => println!("wait ended: {e}"),
        Ok(_) => println!("the task ended"),
    }
    Ok(())
}
