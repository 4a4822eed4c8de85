//! Waiting for tasks: servers on 127.0.0.1 whose task advances over polls, and a simulated
//! clock so that long waits run in milliseconds and every delay can be checked.

mod common;

use common::{DINGTALK_TOKEN, FEISHU_TOKEN, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use taskapi::dingtalk::{DingTalkClient, TaskStatus};
use taskapi::feishu::*;
use taskapi::runtime::{BoxFuture, Clock, GROWTH, RetryPolicy, WaitError, WaitOutcome, WaitState};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Simulated time: `sleep` returns at once and moves the clock on; every sleep is recorded.
#[derive(Default)]
struct SimClock {
    now: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Clock for SimClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        *self.now.lock().unwrap() += duration;
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// Serves `replies` in order, one per poll, repeating the last.
struct Script {
    replies: Vec<ResponseTemplate>,
    polls: AtomicUsize,
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.polls.fetch_add(1, Ordering::SeqCst);
        self.replies[n.min(self.replies.len() - 1)].clone()
    }
}

async fn scripted(replies: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let script = Script {
        replies,
        polls: AtomicUsize::new(0),
    };
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(script)
        .mount(&server)
        .await;
    server
}

async fn polls(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn feishu(server: &MockServer) -> FeishuClient {
    FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn dingtalk(server: &MockServer) -> DingTalkClient {
    DingTalkClient::builder()
        .access_token(DINGTALK_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn export(status: i64, file_token: &str) -> ResponseTemplate {
    json(
        200,
        &format!(
            r#"{{"code":0,"msg":"success","data":{{"result":{{"job_status":{status},"file_token":"{file_token}","job_error_msg":"msg {status}"}}}}}}"#
        ),
    )
}

fn import(status: i64, token: &str) -> ResponseTemplate {
    json(
        200,
        &format!(
            r#"{{"code":0,"msg":"success","data":{{"result":{{"job_status":{status},"token":"{token}","job_error_msg":"import {status}"}}}}}}"#
        ),
    )
}

fn folder(status: &str) -> ResponseTemplate {
    json(
        200,
        &format!(r#"{{"code":0,"msg":"success","data":{{"status":"{status}"}}}}"#),
    )
}

fn meeting(status: i64) -> ResponseTemplate {
    json(
        200,
        &format!(
            r#"{{"code":0,"msg":"success","data":{{"status":{status},"fail_msg":"why {status}"}}}}"#
        ),
    )
}

fn copy(status: i64, done: i64, total: i64) -> ResponseTemplate {
    json(
        200,
        &format!(
            r#"{{"taskId":"t","status":{status},"succCount":{done},"totalCount":{total},"failCount":0}}"#
        ),
    )
}

#[tokio::test]
async fn drive_export_is_done_only_with_status_0_and_a_file_token() {
    let server = scripted(vec![
        export(1, ""),
        export(2, ""),
        export(0, ""),
        export(0, "boxcnDone"),
    ])
    .await;
    let clock = Arc::new(SimClock::default());
    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    let outcome = feishu(&server)
        .wait_export_task("T", "D")
        .clock(clock.clone())
        .on_progress(move |p| record.lock().unwrap().push((p.status.copied(), p.state)))
        .await
        .unwrap();
    let WaitOutcome::Succeeded(data) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(data.result.file_token.as_deref(), Some("boxcnDone"));
    assert_eq!(
        polls(&server).await,
        4,
        "0 without a file token was still pending"
    );
    assert_eq!(clock.sleeps.lock().unwrap().len(), 3);
    use ExportJobStatus::*;
    assert_eq!(
        *reports.lock().unwrap(),
        [
            (Some(Initialising), WaitState::Pending),
            (Some(Processing), WaitState::Pending),
            (Some(Success), WaitState::Pending),
            (Some(Success), WaitState::Succeeded),
        ],
        "the same status is reported again when its meaning changes"
    );
}

#[tokio::test]
async fn drive_export_failures_and_unknown_statuses_end_the_wait_as_failures() {
    for (status, expected) in [
        (110, ExportJobStatus::NoPermission),
        (6000, ExportJobStatus::TooManyImages),
        (4242, ExportJobStatus::Unknown(4242)),
    ] {
        let server = scripted(vec![export(2, ""), export(status, "")]).await;
        let outcome = feishu(&server)
            .wait_export_task("T", "D")
            .clock(Arc::new(SimClock::default()))
            .await
            .unwrap();
        let WaitOutcome::Failed {
            status: got,
            message,
            data,
        } = outcome
        else {
            panic!("{status}: {outcome:?}")
        };
        assert_eq!(got, Some(expected), "{status}");
        assert_eq!(message.as_deref(), Some(format!("msg {status}").as_str()));
        assert_eq!(data.result.job_status, Some(expected));
    }
}

#[tokio::test]
async fn import_needs_a_token_and_its_109_is_its_own_failure() {
    let server = scripted(vec![import(1, ""), import(0, ""), import(0, "Fm7new")]).await;
    let outcome = feishu(&server)
        .wait_import_task("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Succeeded(d) if d.result.token.as_deref() == Some("Fm7new")),
        "{outcome:?}"
    );
    assert_eq!(polls(&server).await, 3);

    let server = scripted(vec![import(2, ""), import(109, "")]).await;
    let outcome = feishu(&server)
        .wait_import_task("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            WaitOutcome::Failed {
                status: Some(ImportJobStatus::InternalError109),
                ..
            }
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn folder_task_check_treats_failed_as_failure_and_new_words_as_pending() {
    let server = scripted(vec![folder("process"), folder("failed")]).await;
    let outcome = feishu(&server)
        .wait_folder_task("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            WaitOutcome::Failed {
                status: Some(FolderTaskStatus::Failed),
                ..
            }
        ),
        "{outcome:?}"
    );

    let server = scripted(vec![folder("process"), folder("queued"), folder("success")]).await;
    let outcome = feishu(&server)
        .wait_folder_task("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(
        polls(&server).await,
        3,
        "an unknown word kept the wait going"
    );
}

#[tokio::test]
async fn meeting_export_outcomes() {
    let server = scripted(vec![meeting(1), meeting(1), meeting(3)]).await;
    let outcome = feishu(&server)
        .wait_meeting_export("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::Succeeded(ref d) if d.status == MeetingExportStatus::Done),
        "{outcome:?}"
    );

    let server = scripted(vec![meeting(2)]).await;
    let outcome = feishu(&server)
        .wait_meeting_export("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    let WaitOutcome::Failed {
        status, message, ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        (status, message.as_deref()),
        (Some(MeetingExportStatus::Failed), Some("why 2"))
    );
}

#[tokio::test]
async fn dingtalk_copy_reports_progress_and_statuses_2_3_4_are_terminal_failures() {
    for (terminal, expected) in [
        (2, TaskStatus::PartlyFailed),
        (3, TaskStatus::AllFailed),
        (4, TaskStatus::Failed),
    ] {
        let server = scripted(vec![
            copy(-1, 0, 3),
            copy(0, 1, 3),
            copy(0, 1, 3),
            copy(0, 2, 3),
            copy(terminal, 2, 3),
        ])
        .await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let outcome = dingtalk(&server)
            .wait_copy_task("T")
            .clock(Arc::new(SimClock::default()))
            .on_progress(move |p| {
                record
                    .lock()
                    .unwrap()
                    .push((p.status.copied(), p.state, p.done, p.total, p.polls))
            })
            .await
            .unwrap();
        assert!(
            matches!(outcome, WaitOutcome::Failed { status: Some(s), .. } if s == expected),
            "{outcome:?}"
        );
        assert_eq!(
            *seen.lock().unwrap(),
            vec![
                (
                    Some(TaskStatus::Waiting),
                    WaitState::Pending,
                    Some(0),
                    Some(3),
                    1
                ),
                (
                    Some(TaskStatus::Running),
                    WaitState::Pending,
                    Some(1),
                    Some(3),
                    2
                ),
                // poll 3 changed nothing and was not reported
                (
                    Some(TaskStatus::Running),
                    WaitState::Pending,
                    Some(2),
                    Some(3),
                    4
                ),
                (Some(expected), WaitState::Failed, Some(2), Some(3), 5),
            ]
        );
    }
    let server = scripted(vec![copy(0, 0, 1), copy(1, 1, 1)]).await;
    let outcome = dingtalk(&server)
        .wait_copy_task("T")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
}

#[tokio::test]
async fn an_hour_long_wait_times_out_at_the_deadline_with_delays_in_bounds() {
    let server = scripted(vec![export(2, "")]).await;
    let clock = Arc::new(SimClock::default());
    let (min, max, max_wait) = (
        Duration::from_secs(2),
        Duration::from_secs(30),
        Duration::from_secs(3600),
    );
    let err = feishu(&server)
        .wait_export_task("T", "D")
        .min_delay(min)
        .max_delay(max)
        .max_wait(max_wait)
        .clock(clock.clone())
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        elapsed,
        polls: count,
        last_error,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(elapsed, max_wait, "the last poll is placed at the deadline");
    assert!(last_error.is_none());
    assert_eq!(count as usize, polls(&server).await);
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len() + 1, count as usize);
    let mut waited = Duration::ZERO;
    for (i, sleep) in sleeps.iter().enumerate() {
        let last = i == sleeps.len() - 1;
        assert!(*sleep <= max, "sleep {i} = {sleep:?}");
        assert!(
            last || *sleep >= min,
            "sleep {i} = {sleep:?} under the minimum"
        );
        assert!(
            *sleep <= min + waited.mul_f64(GROWTH),
            "sleep {i} = {sleep:?} after {waited:?}"
        );
        waited += *sleep;
    }
    // Fixed 5 s polling would make 721 requests in an hour.
    assert!(count < 200, "{count} polls");
}

/// A task that ends at `done_at` in simulated time.
struct EndsAt {
    clock: Arc<SimClock>,
    done_at: Duration,
}

impl Respond for EndsAt {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.clock.now() >= self.done_at {
            export(0, "boxcn")
        } else {
            export(2, "")
        }
    }
}

#[tokio::test]
async fn a_finished_task_is_noticed_within_a_fifth_of_its_length_plus_the_minimum_delay() {
    for job_secs in [2, 10, 60, 300, 1800] {
        let clock = Arc::new(SimClock::default());
        let done_at = Duration::from_secs(job_secs);
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(EndsAt {
                clock: clock.clone(),
                done_at,
            })
            .mount(&server)
            .await;
        let outcome = feishu(&server)
            .wait_export_task("T", "D")
            .max_wait(Duration::from_secs(3600))
            .clock(clock.clone())
            .await
            .unwrap();
        assert!(matches!(outcome, WaitOutcome::Succeeded(_)));
        let late = clock.now() - done_at;
        let bound = done_at.mul_f64(GROWTH) + GET_EXPORT_TASK_WAIT_DEFAULTS.min_delay;
        assert!(
            late <= bound,
            "a {job_secs}s job was noticed {late:?} late (bound {bound:?})"
        );
    }
}

#[tokio::test]
async fn transient_failures_keep_waiting_and_other_errors_end_it() {
    let gateway = ResponseTemplate::new(503).set_body_raw("<html>busy</html>", "text/html");
    let server = scripted(vec![
        export(1, ""),
        gateway.clone(),
        gateway.clone(),
        gateway.clone(),
        gateway,
        export(0, "boxcn"),
    ])
    .await;
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let outcome = client
        .wait_export_task("T", "D")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(polls(&server).await, 6);

    let server = scripted(vec![
        export(1, ""),
        json(403, r#"{"code":1069902,"msg":"no permission"}"#),
        export(0, "x"),
    ])
    .await;
    let err = feishu(&server)
        .wait_export_task("T", "D")
        .clock(Arc::new(SimClock::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaitError::Call(GetExportTaskError::NoPermission(_))),
        "{err:?}"
    );
    assert_eq!(polls(&server).await, 2, "ended at once");
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let server = scripted(vec![export(2, "")]).await;
    let client = feishu(&server);
    let waiting = tokio::spawn(async move {
        client
            .wait_export_task("T", "D")
            .min_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(10))
            .await
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    waiting.abort();
    let _ = waiting.await;
    let after_drop = polls(&server).await;
    assert!(after_drop >= 2, "it was polling ({after_drop})");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(polls(&server).await, after_drop);
}
