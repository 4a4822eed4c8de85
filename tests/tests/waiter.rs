//! Waiting for tasks, against `taskapi::testing::FakeServer` scripted to move each task
//! through states over polls, on a simulated clock so that long waits run in milliseconds
//! and every delay can be checked.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;
use taskapi::dingtalk::{DingTalkClient, TaskInfo, TaskStatus};
use taskapi::feishu::*;
use taskapi::runtime::{BoxFuture, Clock, GROWTH, RetryPolicy, WaitError, WaitOutcome, WaitState};
use taskapi::testing::{EndpointScript, FakeServer, Fault};

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

fn sim() -> Arc<SimClock> {
    Arc::new(SimClock::default())
}

async fn fake() -> FakeServer {
    FakeServer::start().await.unwrap()
}

fn feishu(fake: &FakeServer) -> FeishuClient {
    fake.client()
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn dingtalk(fake: &FakeServer) -> DingTalkClient {
    fake.client().build().unwrap()
}

fn export(
    script: &EndpointScript<'_, ExportTaskData>,
    status: i64,
    file_token: &str,
) -> ExportTaskData {
    let mut data = script.example();
    let result = data.result.as_mut().unwrap();
    result.job_status = Some(status.into());
    result.file_token = Some(file_token.to_owned());
    result.job_error_msg = Some(format!("msg {status}"));
    data
}

fn import(script: &EndpointScript<'_, ImportTaskData>, status: i64, token: &str) -> ImportTaskData {
    let mut data = script.example();
    let result = data.result.as_mut().unwrap();
    result.job_status = Some(status.into());
    result.token = Some(token.to_owned());
    data
}

fn folder(status: &str) -> FolderTaskData {
    FolderTaskData {
        status: Some(status.to_owned().into()),
    }
}

fn meeting(script: &EndpointScript<'_, MeetingExportData>, status: i64) -> MeetingExportData {
    let mut data = script.example();
    data.status = Some(status.into());
    data.fail_msg = Some(format!("why {status}"));
    data
}

fn copy(status: i64, done: i64, total: i64) -> TaskInfo {
    TaskInfo {
        task_id: Some("t".into()),
        status: Some(status.into()),
        total_count: Some(total),
        succ_count: Some(done),
        fail_count: Some(0),
    }
}

#[tokio::test]
async fn drive_export_is_done_only_with_status_0_and_a_file_token() {
    let fake = fake().await;
    let script = fake.get_export_task();
    for (status, token) in [(1, ""), (2, ""), (0, ""), (0, "boxcnDone")] {
        script.reply(&export(&script, status, token));
    }
    let clock = sim();
    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    let outcome = feishu(&fake)
        .wait_export_task("T", "D")
        .clock(clock.clone())
        .on_progress(move |p| record.lock().unwrap().push((p.status.copied(), p.state)))
        .await
        .unwrap();
    let WaitOutcome::Succeeded(data) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        data.result.and_then(|r| r.file_token).as_deref(),
        Some("boxcnDone")
    );
    assert_eq!(
        script.requests(),
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
        let fake = fake().await;
        let script = fake.get_export_task();
        script
            .reply(&export(&script, 2, ""))
            .reply(&export(&script, status, ""));
        let outcome = feishu(&fake)
            .wait_export_task("T", "D")
            .clock(sim())
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
        assert_eq!(data.result.and_then(|r| r.job_status), Some(expected));
    }
}

#[tokio::test]
async fn import_needs_a_token_and_its_109_is_its_own_failure() {
    let fake = fake().await;
    let script = fake.get_import_task();
    script
        .reply(&import(&script, 1, ""))
        .reply(&import(&script, 0, ""))
        .reply(&import(&script, 0, "Fm7new"));
    let outcome = feishu(&fake)
        .wait_import_task("T")
        .clock(sim())
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Succeeded(d) if d.result.as_ref().and_then(|r| r.token.as_deref()) == Some("Fm7new")),
        "{outcome:?}"
    );
    assert_eq!(script.requests(), 3);

    let fake = self::fake().await;
    let script = fake.get_import_task();
    script
        .reply(&import(&script, 2, ""))
        .reply(&import(&script, 109, ""));
    let outcome = feishu(&fake)
        .wait_import_task("T")
        .clock(sim())
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
    let fake = fake().await;
    fake.check_folder_task()
        .reply(&folder("process"))
        .reply(&folder("failed"));
    let outcome = feishu(&fake)
        .wait_folder_task("T")
        .clock(sim())
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

    let fake = self::fake().await;
    let script = fake.check_folder_task();
    script
        .reply(&folder("process"))
        .reply(&folder("queued"))
        .reply(&folder("success"));
    let outcome = feishu(&fake)
        .wait_folder_task("T")
        .clock(sim())
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(script.requests(), 3, "an unknown word kept the wait going");
}

#[tokio::test]
async fn meeting_export_outcomes() {
    let fake = fake().await;
    let script = fake.get_meeting_export();
    script
        .reply(&meeting(&script, 1))
        .reply(&meeting(&script, 1))
        .reply(&meeting(&script, 3));
    let outcome = feishu(&fake)
        .wait_meeting_export("T")
        .clock(sim())
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::Succeeded(ref d) if d.status == Some(MeetingExportStatus::Done)),
        "{outcome:?}"
    );

    let fake = self::fake().await;
    let script = fake.get_meeting_export();
    script.reply(&meeting(&script, 2));
    let outcome = feishu(&fake)
        .wait_meeting_export("T")
        .clock(sim())
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
        let fake = fake().await;
        let script = fake.get_task_info();
        for data in [
            copy(-1, 0, 3),
            copy(0, 1, 3),
            copy(0, 1, 3),
            copy(0, 2, 3),
            copy(terminal, 2, 3),
        ] {
            script.reply(&data);
        }
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let outcome = dingtalk(&fake)
            .wait_copy_task("T")
            .clock(sim())
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
    let fake = fake().await;
    fake.get_task_info()
        .reply(&copy(0, 0, 1))
        .reply(&copy(1, 1, 1));
    let outcome = dingtalk(&fake)
        .wait_copy_task("T")
        .clock(sim())
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
}

#[tokio::test]
async fn an_hour_long_wait_times_out_at_the_deadline_with_delays_in_bounds() {
    let fake = fake().await;
    let script = fake.get_export_task();
    script.reply(&export(&script, 2, ""));
    let clock = sim();
    let (min, max, max_wait) = (
        Duration::from_secs(2),
        Duration::from_secs(30),
        Duration::from_secs(3600),
    );
    let err = feishu(&fake)
        .wait_export_task("T", "D")
        .min_delay(min)
        .max_delay(max)
        .max_wait(max_wait)
        .clock(clock.clone())
        .await
        .unwrap_err();
    let WaitError::TimedOut {
        elapsed,
        polls,
        last_error,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(elapsed, max_wait, "the last poll is placed at the deadline");
    assert!(last_error.is_none());
    assert_eq!(polls as usize, script.requests());
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len() + 1, polls as usize);
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
    assert!(polls < 200, "{polls} polls");
}

/// A task that ends at `done_at` in simulated time (the fake scripts by poll, not by time).
struct EndsAt {
    clock: Arc<SimClock>,
    done_at: Duration,
}

impl wiremock::Respond for EndsAt {
    fn respond(&self, _: &wiremock::Request) -> wiremock::ResponseTemplate {
        let (status, token) = if self.clock.now() >= self.done_at {
            (0, "boxcn")
        } else {
            (2, "")
        };
        common::json(
            200,
            &format!(
                r#"{{"code":0,"msg":"success","data":{{"result":{{"job_status":{status},"file_token":"{token}"}}}}}}"#
            ),
        )
    }
}

#[tokio::test]
async fn a_finished_task_is_noticed_within_a_fifth_of_its_length_plus_the_minimum_delay() {
    for job_secs in [2, 10, 60, 300, 1800] {
        let clock = sim();
        let done_at = Duration::from_secs(job_secs);
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .respond_with(EndsAt {
                clock: clock.clone(),
                done_at,
            })
            .mount(&server)
            .await;
        let client = FeishuClient::builder()
            .access_token("t")
            .base_url(server.uri())
            .build()
            .unwrap();
        let outcome = client
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
    let fake = fake().await;
    let script = fake.get_export_task();
    script.reply(&export(&script, 1, ""));
    for _ in 0..4 {
        script.fault(Fault::Html(503));
    }
    script.reply(&export(&script, 0, "boxcn"));
    let client: FeishuClient = fake.client().retry(RetryPolicy::none()).build().unwrap();
    let outcome = client
        .wait_export_task("T", "D")
        .clock(sim())
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
    assert_eq!(script.requests(), 6);

    let fake = self::fake().await;
    let script = fake.get_export_task();
    script
        .reply(&export(&script, 1, ""))
        .error(1069902)
        .reply(&export(&script, 0, "x"));
    let err = feishu(&fake)
        .wait_export_task("T", "D")
        .clock(sim())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaitError::Call(GetExportTaskError::NoPermission(_))),
        "{err:?}"
    );
    assert_eq!(script.requests(), 2, "ended at once");
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let fake = fake().await;
    let script = fake.get_export_task();
    script.reply(&export(&script, 2, ""));
    let client = feishu(&fake);
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
    // A request already on the wire when the wait was dropped may still land: let it.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let after_drop = script.requests();
    assert!(after_drop >= 2, "it was polling ({after_drop})");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(script.requests(), after_drop);
}

// ---- issue 10: limits that must hold whatever the server does ----

#[tokio::test]
async fn a_huge_min_delay_saturates_instead_of_panicking() {
    let fake = fake().await;
    let script = fake.get_export_task();
    script.reply(&export(&script, 2, ""));
    // Real time: the first delay is computed after a poll that took a few milliseconds,
    // which is what overflowed (`Duration::MAX + elapsed × 0.2`).
    let err = feishu(&fake)
        .wait_export_task("T", "D")
        .min_delay(Duration::MAX)
        .max_delay(Duration::MAX)
        .max_wait(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaitError::TimedOut { polls: 2, .. }),
        "the first poll, then one at the deadline: {err:?}"
    );
}

/// A server that accepts connections and never answers.
async fn hanging_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    url
}

#[tokio::test]
async fn max_wait_bounds_a_wait_against_a_hanging_server() {
    let client = FeishuClient::builder()
        .access_token("t-token")
        .base_url(hanging_server().await)
        .build()
        .unwrap();
    let max_wait = Duration::from_secs(2);
    let started = std::time::Instant::now();
    let err = client
        .wait_export_task("T", "D")
        .max_wait(max_wait)
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, WaitError::TimedOut { .. }), "{err:?}");
    // The README's promise: within max-wait + 1 s (the default attempt timeout is 30 s).
    assert!(took < max_wait + Duration::from_secs(1), "took {took:?}");
}

#[tokio::test]
async fn a_server_wait_longer_than_the_time_left_ends_the_wait_at_once() {
    let fake = fake().await;
    let script = fake.get_export_task();
    script.fault(Fault::RateLimited {
        reset_seconds: 999_999,
    });
    let started = std::time::Instant::now();
    let err = feishu(&fake)
        .wait_export_task("T", "D")
        .max_wait(Duration::from_secs(30))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            WaitError::TimedOut {
                polls: 1,
                last_error: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        script.requests(),
        1,
        "no retry into a wait that cannot end in time"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn a_rate_limit_reset_pushes_the_next_poll_out() {
    let fake = fake().await;
    let script = fake.get_export_task();
    script
        .fault(Fault::RateLimited { reset_seconds: 40 })
        .reply(&export(&script, 0, "boxcn"));
    let client: FeishuClient = fake.client().retry(RetryPolicy::none()).build().unwrap();
    let clock = sim();
    let outcome = client
        .wait_export_task("T", "D")
        .clock(clock.clone())
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Succeeded(_)), "{outcome:?}");
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 1);
    assert!(sleeps[0] >= Duration::from_secs(40), "{sleeps:?}");
}
