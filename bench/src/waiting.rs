//! Waiter efficiency on a simulated clock: the real `Waiter` polls a simulated export that
//! finishes at a given time, against a fixed 5 s poller (the official CLI's strategy, here
//! without its 10-try limit).

use crate::stats::Summary;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use taskapi::feishu::{
    ExportJobStatus, ExportTaskData, ExportTaskResult, GET_EXPORT_TASK_WAIT_DEFAULTS,
    GetExportTaskError, GetExportTaskRequest,
};
use taskapi::runtime::{BoxFuture, Clock, Observation, Pollable, WaitOutcome, Waiter};

/// Simulated time: a sleep returns at once and moves the clock on (also used by `batch`).
#[derive(Default)]
pub(crate) struct SimClock(Mutex<Duration>);

impl Clock for SimClock {
    fn now(&self) -> Duration {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += duration;
        Box::pin(async {})
    }
}

/// An export that is processing until `done_at`, then done with its file token.
#[derive(Clone)]
struct SimulatedExport {
    clock: Arc<SimClock>,
    done_at: Duration,
    polls: Arc<AtomicU32>,
}

impl Pollable for SimulatedExport {
    type Data = ExportTaskData;
    type Status = ExportJobStatus;
    type Error = GetExportTaskError;

    fn poll(
        &self,
        _time_left: Duration,
    ) -> BoxFuture<'_, Result<ExportTaskData, GetExportTaskError>> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        let done = self.clock.now() >= self.done_at;
        Box::pin(async move {
            Ok(ExportTaskData {
                result: Some(ExportTaskResult {
                    file_extension: None,
                    type_: None,
                    file_name: None,
                    file_token: done.then(|| "boxcn".to_owned()),
                    file_size: None,
                    job_error_msg: None,
                    job_status: Some(if done {
                        ExportJobStatus::Success
                    } else {
                        ExportJobStatus::Processing
                    }),
                    token: None,
                    sub_id: None,
                }),
            })
        })
    }

    fn observe(data: &ExportTaskData) -> Observation<ExportJobStatus> {
        // The generated rules of the real endpoint.
        <GetExportTaskRequest as Pollable>::observe(data)
    }
}

pub struct JobResult {
    pub job_secs: u64,
    pub polls: Summary,
    pub delay_secs: Summary,
    pub fixed_polls: u64,
    pub fixed_delay_secs: u64,
    /// 20% of the job + the minimum delay.
    pub delay_bound_secs: f64,
}

pub fn run(jobs: &[u64], runs: usize) -> Result<Vec<JobResult>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let defaults = GET_EXPORT_TASK_WAIT_DEFAULTS;
    let mut results = Vec::new();
    for &job_secs in jobs {
        let done_at = Duration::from_secs(job_secs);
        let (mut polls, mut delays) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let clock = Arc::new(SimClock::default());
            let export = SimulatedExport {
                clock: clock.clone(),
                done_at,
                polls: Arc::new(AtomicU32::new(0)),
            };
            let count = export.polls.clone();
            let outcome = runtime.block_on(
                Waiter::new(export, defaults)
                    .max_wait(Duration::from_secs(job_secs * 2 + 60))
                    .clock(clock.clone())
                    .run(),
            );
            if !matches!(outcome, Ok(WaitOutcome::Succeeded(_))) {
                return Err(format!("a {job_secs}s job did not succeed: {outcome:?}"));
            }
            polls.push(f64::from(count.load(Ordering::SeqCst)));
            delays.push((clock.now() - done_at).as_secs_f64());
        }
        // Fixed 5 s: polls at 0, 5, 10, ... until one sees the job done.
        let fixed_detect = job_secs.div_ceil(5) * 5;
        results.push(JobResult {
            job_secs,
            polls: Summary::of(polls),
            delay_secs: Summary::of(delays),
            fixed_polls: fixed_detect / 5 + 1,
            fixed_delay_secs: fixed_detect - job_secs,
            delay_bound_secs: 0.2 * job_secs as f64 + defaults.min_delay.as_secs_f64(),
        });
    }
    Ok(results)
}
