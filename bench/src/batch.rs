//! Memory of a batch wait: a child process (this binary's `batch-child N`) waits with one
//! `BatchWaiter` for N drive exports that never end, on a simulated clock, until every task
//! times out (600 s, the spec's default, about 29 polls each). A task is the real generated
//! request (a 15-byte ticket, the 27-byte document token, the client's core shared) answered
//! without the network. Its peak RSS with N tasks, less with none, is what N pending tasks
//! cost.

use crate::measure;
use crate::servers::{CLIENT_CPU, Pinning};
use crate::stats::Summary;
use crate::waiting::SimClock;
use std::sync::Arc;
use std::time::Duration;
use taskapi::feishu::{
    ExportJobStatus, ExportTaskData, ExportTaskResult, FeishuClient, GET_EXPORT_TASK_WAIT_DEFAULTS,
    GetExportTaskError, GetExportTaskRequest,
};
use taskapi::runtime::{BatchWaiter, BoxFuture, Observation, Pollable};

/// The document token of every task (27 bytes, as Feishu's are).
const DOC_TOKEN: &str = "docbcZVGtv1papC6jAVGiyabcef";

/// A pending task: the real request, answered "processing" without sending it.
#[derive(Clone)]
struct Pending {
    #[expect(
        dead_code,
        reason = "kept for its memory: what a real pending task holds"
    )]
    request: GetExportTaskRequest,
}

impl Pollable for Pending {
    type Data = ExportTaskData;
    type Status = ExportJobStatus;
    type Error = GetExportTaskError;

    fn poll(
        &self,
        _: Duration,
    ) -> BoxFuture<'_, std::result::Result<ExportTaskData, GetExportTaskError>> {
        Box::pin(async {
            Ok(ExportTaskData {
                result: Some(ExportTaskResult {
                    file_extension: None,
                    type_: None,
                    file_name: None,
                    file_token: None,
                    file_size: None,
                    job_error_msg: None,
                    job_status: Some(ExportJobStatus::Processing),
                    token: None,
                    sub_id: None,
                }),
            })
        })
    }

    fn observe(data: &ExportTaskData) -> Observation<ExportJobStatus> {
        <GetExportTaskRequest as Pollable>::observe(data)
    }
}

/// What one simulated batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simulated {
    pub timed_out: usize,
    pub polls: u64,
}

/// Waits for `tasks` never-ending exports until all time out (in-process).
pub fn simulate(tasks: usize) -> std::result::Result<Simulated, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    // Never contacted: the tasks answer without the network.
    let client = FeishuClient::builder()
        .access_token("t-bench")
        .base_url("http://127.0.0.1:9")
        .build()
        .map_err(|e| e.to_string())?;
    let requests = (0..tasks).map(|i| {
        let request = client.get_export_task(format!("ticket-{i:08}"), DOC_TOKEN);
        (i, Pending { request })
    });
    let mut batch = BatchWaiter::new(requests, GET_EXPORT_TASK_WAIT_DEFAULTS)
        .clock(Arc::new(SimClock::default()));
    runtime.block_on(async {
        while let Some(ended) = batch.next().await {
            if ended.kind() != taskapi::runtime::EndKind::TimedOut {
                return Err(format!("task {} ended as {}", ended.key, ended.kind()));
            }
        }
        Ok(())
    })?;
    let summary = batch.summary();
    Ok(Simulated {
        timed_out: summary.timed_out,
        polls: summary.polls,
    })
}

/// The child side: `batch-child N` prints `tasks N polls P`.
pub fn child(tasks: &str) -> std::result::Result<(), String> {
    let tasks: usize = tasks.parse().map_err(|_| format!("not a count: {tasks}"))?;
    let done = simulate(tasks)?;
    if done.timed_out != tasks {
        return Err(format!("{} of {tasks} tasks timed out", done.timed_out));
    }
    println!("tasks {tasks} polls {}", done.polls);
    Ok(())
}

pub struct SizeResult {
    pub tasks: usize,
    /// Peak RSS of the child, KiB.
    pub peak_kib: Summary,
    /// (peak with the tasks - peak with none) / tasks, bytes.
    pub bytes_per_task: Summary,
    pub polls_per_task: f64,
}

pub struct Result {
    /// Peak RSS of the child with no task, KiB.
    pub empty_kib: Summary,
    pub sizes: Vec<SizeResult>,
}

pub fn run(sizes: &[usize], runs: usize) -> std::result::Result<Result, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let pinning = Pinning::detect();
    let peak = |tasks: usize| -> std::result::Result<(f64, u64), String> {
        let measured = measure::run(
            measure::command(&pinning, CLIENT_CPU, &exe)?
                .arg("batch-child")
                .arg(tasks.to_string()),
        )?;
        let polls = measured
            .stdout
            .split_whitespace()
            .skip_while(|w| *w != "polls")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("batch-child said {:?}", measured.stdout))?;
        Ok((measured.peak_kib, polls))
    };
    let mut empty = Vec::new();
    let mut full: Vec<(Vec<f64>, Vec<f64>, u64)> = vec![(Vec::new(), Vec::new(), 0); sizes.len()];
    // Alternately, so that drift on the machine touches both alike.
    for _ in 0..runs {
        let (base, _) = peak(0)?;
        empty.push(base);
        for (i, &tasks) in sizes.iter().enumerate() {
            let (kib, polls) = peak(tasks)?;
            full[i].0.push(kib);
            full[i].1.push((kib - base) * 1024.0 / tasks as f64);
            full[i].2 = polls;
        }
    }
    Ok(Result {
        empty_kib: Summary::of(empty),
        sizes: sizes
            .iter()
            .zip(full)
            .map(|(&tasks, (peaks, per_task, polls))| SizeResult {
                tasks,
                peak_kib: Summary::of(peaks),
                bytes_per_task: Summary::of(per_task),
                polls_per_task: polls as f64 / tasks as f64,
            })
            .collect(),
    })
}
