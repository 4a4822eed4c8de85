//! The CLI's cold start: one `taskapi` query from process start to exit, against curl making
//! the same request (when installed), run alternately against the fake server's process.

use crate::stats::Summary;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Result {
    pub per_round: usize,
    /// Milliseconds per run, the median of each round.
    pub taskapi_ms: Summary,
    pub curl_ms: Option<Summary>,
    /// taskapi / curl, per round.
    pub ratio: Option<Summary>,
    /// Whether the query still works with the system's root certificates unreadable (it
    /// must: an http base URL loads none).
    pub no_certificates_loaded: bool,
}

pub fn run(
    taskapi: &Path,
    url: &str,
    rounds: usize,
    per_round: usize,
) -> std::result::Result<Result, String> {
    let curl = crate::servers::find_program("curl");
    let query = || {
        let mut command = Command::new(taskapi);
        command
            .args([
                "feishu.drive.export_task.get",
                "--ticket",
                "7108646852144136212",
                "--token",
                "docbcZVGtv1papC6jAVGiyabcef",
                "--base-url",
                url,
            ])
            .env("FEISHU_ACCESS_TOKEN", "t-bench")
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET")
            .env_remove("RUST_LOG");
        command
    };
    let curl_query = |curl: &Path| {
        let mut command = Command::new(curl);
        command.args([
            "-sSf",
            "-H",
            "Authorization: Bearer t-bench",
            &format!(
                "{url}/open-apis/drive/v1/export_tasks/7108646852144136212?token=docbcZVGtv1papC6jAVGiyabcef"
            ),
        ]);
        command
    };
    let no_certificates_loaded = run_once(
        query()
            .env("SSL_CERT_FILE", "/nonexistent/taskapi-bench.pem")
            .env("SSL_CERT_DIR", "/nonexistent/taskapi-bench"),
    )
    .is_ok();
    // Warm the page cache for both.
    run_once(&mut query())?;
    if let Some(curl) = &curl {
        run_once(&mut curl_query(curl))?;
    }
    let (mut taskapi_ms, mut curl_ms, mut ratios) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        let (mut ours, mut theirs) = (vec![], vec![]);
        for i in 0..per_round {
            let curl_first = !i.is_multiple_of(2);
            if curl_first && let Some(curl) = &curl {
                theirs.push(run_once(&mut curl_query(curl))?);
            }
            ours.push(run_once(&mut query())?);
            if !curl_first && let Some(curl) = &curl {
                theirs.push(run_once(&mut curl_query(curl))?);
            }
        }
        let ours = Summary::of(ours).median;
        taskapi_ms.push(ours);
        if !theirs.is_empty() {
            let theirs = Summary::of(theirs).median;
            curl_ms.push(theirs);
            ratios.push(ours / theirs);
        }
    }
    Ok(Result {
        per_round,
        taskapi_ms: Summary::of(taskapi_ms),
        curl_ms: curl.is_some().then(|| Summary::of(curl_ms)),
        ratio: curl.is_some().then(|| Summary::of(ratios)),
        no_certificates_loaded,
    })
}

/// Runs a command to its end, output discarded; milliseconds.
fn run_once(command: &mut Command) -> std::result::Result<f64, String> {
    let started = Instant::now();
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !status.success() {
        return Err(format!("{:?} failed: {status}", command.get_program()));
    }
    Ok(ms)
}
