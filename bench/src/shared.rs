//! Many processes of one app: worker processes of the real `taskapi` CLI, each waiting for
//! its share of the tasks (`--batch FILE --wait`), against `taskapi serve-fake --rate-limit
//! L` in another process. With a `redis-server` the bench starts (free loopback port,
//! temporary directory, no persistence), the workers share their rate-limit slots and the
//! app's token (`--redis-url`); without, each limits itself, as N separate clients would.
//! Everything is read from the server's own record (`GET /_fake/stats`): arrival times per
//! 1 s window of its clock (the windows its limit counts in), throttled replies, tokens
//! issued.

use crate::servers;
use crate::stats::Summary;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use taskapi::runtime::testing::{FakeStats, STATS_PATH};

/// The endpoint the workers poll: the drive export poller (Feishu: its throttling reply
/// names a reset time, and its app tokens come from `FEISHU_APP_ID`/`FEISHU_APP_SECRET`).
pub const ENDPOINT: &str = "feishu.drive.export_task.get";

/// How much to run.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Tasks per run, shared out among the workers.
    pub tasks: usize,
    /// The server's limit, requests per second per endpoint (L).
    pub limit: u32,
    /// The limit every worker is given (`--rate-limit N/s`).
    pub client_rate: u32,
    /// Polls each task stays pending for (`serve-fake --pending-polls`).
    pub pending_polls: u32,
    /// Worker counts.
    pub workers: &'static [usize],
    /// Runs of each configuration.
    pub runs: usize,
}

/// One configuration: N workers, with or without Redis.
pub struct Row {
    pub workers: usize,
    pub redis: bool,
    /// Requests reaching the server in the busiest full 1 s window, / L.
    pub max_rate: Summary,
    /// ... in the quietest full window, / L.
    pub min_rate: Summary,
    pub throttled: Summary,
    pub tokens: Summary,
    /// Poll requests reaching the server (throttled ones included).
    pub polls: Summary,
    /// From the first worker's start to the last one's exit, seconds.
    pub wall_s: Summary,
    /// Runs whose workers did not all exit 0 with every task ended.
    pub failed_runs: Vec<String>,
}

pub struct Result {
    pub sizes: Sizes,
    /// `redis-server --version`, when it ran; else why the Redis rows were skipped.
    pub redis: std::result::Result<String, String>,
    pub rows: Vec<Row>,
}

/// A `redis-server` on a free loopback port in a temporary directory, stopped when dropped.
struct Redis {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Redis {
    /// Starts one, or says why not (`Ok(Err(..))`: not installed).
    fn start() -> std::result::Result<(Redis, String), String> {
        let program =
            servers::find_program("redis-server").ok_or("redis-server is not installed")?;
        let version = Command::new(&program)
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .and_then(|v| {
                v.split_whitespace()
                    .find_map(|w| w.strip_prefix("v=").map(|v| format!("redis-server {v}")))
            })
            .unwrap_or_else(|| "redis-server".to_owned());
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = servers::free_port()?;
        let child = Command::new(&program)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let redis = Redis {
            child,
            port,
            _dir: dir,
        };
        let started = Instant::now();
        while redis.command("PING").as_deref() != Ok("+PONG") {
            if started.elapsed() > Duration::from_secs(5) {
                return Err("redis-server did not answer PING".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok((redis, version))
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Sends one inline command; its first reply line.
    fn command(&self, command: &str) -> std::result::Result<String, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        stream
            .write_all(format!("{command}\r\n").as_bytes())
            .map_err(|e| e.to_string())?;
        let mut reply = Vec::new();
        let mut byte = [0u8; 1];
        while !reply.ends_with(b"\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => reply.push(byte[0]),
                Ok(_) => break,
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(String::from_utf8_lossy(&reply).trim().to_owned())
    }
}

/// `GET /_fake/stats` of the server at `url` (`http://127.0.0.1:PORT`).
pub fn fetch_stats(url: &str) -> std::result::Result<FakeStats, String> {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {STATS_PATH} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    stream
        .read_to_end(&mut reply)
        .map_err(|e| format!("reading {STATS_PATH}: {e}"))?;
    let text = String::from_utf8_lossy(&reply);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .ok_or("no body in the stats reply")?;
    serde_json::from_str(body).map_err(|e| format!("{STATS_PATH}: {e}"))
}

/// Requests per window of the server's clock, for the windows wholly inside the run (the
/// ones holding the first and last arrival are cut by its start and end).
pub fn full_windows(arrivals_ms: &[u32]) -> Vec<usize> {
    let (Some(first), Some(last)) = (arrivals_ms.iter().min(), arrivals_ms.iter().max()) else {
        return Vec::new();
    };
    let (first, last) = (first / 1000, last / 1000);
    ((first + 1)..last)
        .map(|w| arrivals_ms.iter().filter(|ms| **ms / 1000 == w).count())
        .collect()
}

/// What one run came to.
struct Run {
    max_rate: f64,
    min_rate: f64,
    throttled: usize,
    tokens: usize,
    polls: usize,
    wall_s: f64,
    failure: Option<String>,
}

/// The batch file of worker `index` of `workers`: its share of the tasks, one JSON line
/// each, keyed by the endpoint's parameter names.
fn write_batch(dir: &Path, index: usize, workers: usize, tasks: usize) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("tasks-{index}.jsonl"));
    let mut text = String::new();
    for task in (index..tasks).step_by(workers) {
        text.push_str(&format!(
            "{{\"ticket\": \"ticket-{task}\", \"token\": \"doc-{task}\"}}\n"
        ));
    }
    std::fs::write(&path, text)?;
    Ok(path)
}

fn run_once(
    taskapi: &Path,
    sizes: &Sizes,
    workers: usize,
    redis: Option<&Redis>,
) -> std::result::Result<Run, String> {
    let fake = servers::fake_with(
        taskapi,
        &[
            "--rate-limit".into(),
            sizes.limit.to_string(),
            "--pending-polls".into(),
            sizes.pending_polls.to_string(),
        ],
    )?;
    if let Some(redis) = redis {
        redis.command("FLUSHALL")?;
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut children = Vec::new();
    let started = Instant::now();
    for index in 0..workers {
        let batch = write_batch(dir.path(), index, workers, sizes.tasks)
            .map_err(|e| format!("cannot write a batch file: {e}"))?;
        let out = std::fs::File::create(dir.path().join(format!("out-{index}.jsonl")))
            .map_err(|e| e.to_string())?;
        let mut command = Command::new(taskapi);
        command
            .arg("--rate-limit")
            .arg(format!("{}/s", sizes.client_rate))
            .arg("--base-url")
            .arg(&fake.url)
            .args(["--min-delay", "0.05", "--max-wait", "600", "--wait"])
            .arg(ENDPOINT)
            .arg("--batch")
            .arg(&batch)
            // Managed tokens, one app for every worker.
            .env("FEISHU_APP_ID", "cli_bench_app")
            .env("FEISHU_APP_SECRET", "bench-app-secret")
            .env_remove("FEISHU_ACCESS_TOKEN")
            .env_remove("TASKAPI_REDIS_URL")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(Stdio::piped());
        if let Some(redis) = redis {
            command.arg("--redis-url").arg(redis.url());
        }
        children.push(
            command
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", taskapi.display()))?,
        );
    }
    let mut failure = None;
    for (index, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        if !output.status.success() && failure.is_none() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            failure = Some(format!(
                "worker {index} exited with {}: {}",
                output.status,
                stderr
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("")
                    .trim()
            ));
        }
    }
    let wall_s = started.elapsed().as_secs_f64();
    let ended: usize = (0..workers)
        .map(|index| {
            std::fs::read_to_string(dir.path().join(format!("out-{index}.jsonl")))
                .map_or(0, |text| {
                    text.lines().filter(|l| !l.trim().is_empty()).count()
                })
        })
        .sum();
    if ended < sizes.tasks && failure.is_none() {
        failure = Some(format!("{ended} of {} tasks reported ended", sizes.tasks));
    }
    let stats = fetch_stats(&fake.url)?;
    let arrivals = stats.arrivals_ms.get(ENDPOINT).cloned().unwrap_or_default();
    let windows = full_windows(&arrivals);
    let limit = f64::from(sizes.limit);
    let rate = |n: Option<&usize>| n.map_or(f64::NAN, |n| *n as f64 / limit);
    Ok(Run {
        max_rate: rate(windows.iter().max()),
        min_rate: rate(windows.iter().min()),
        throttled: stats.throttled,
        tokens: stats.tokens_issued,
        polls: stats.requests.get(ENDPOINT).copied().unwrap_or(0),
        wall_s,
        failure,
    })
}

pub fn run(taskapi: &Path, sizes: Sizes) -> std::result::Result<Result, String> {
    let redis = Redis::start();
    let (redis, version) = match redis {
        Ok((redis, version)) => (Some(redis), Ok(version)),
        Err(e) => {
            eprintln!("  skipping the Redis rows: {e}");
            (None, Err(e))
        }
    };
    let mut rows = Vec::new();
    for shared in [true, false] {
        if shared && redis.is_none() {
            continue;
        }
        for &workers in sizes.workers {
            eprintln!(
                "  {workers} worker(s), {} ...",
                if shared {
                    "sharing Redis"
                } else {
                    "each on its own"
                }
            );
            let mut runs = Vec::new();
            let mut failed_runs = Vec::new();
            for _ in 0..sizes.runs {
                let run = run_once(taskapi, &sizes, workers, redis.as_ref().filter(|_| shared))?;
                if let Some(failure) = &run.failure {
                    eprintln!("    {failure}");
                    failed_runs.push(failure.clone());
                }
                runs.push(run);
            }
            let of = |f: &dyn Fn(&Run) -> f64| Summary::of(runs.iter().map(f).collect());
            rows.push(Row {
                workers,
                redis: shared,
                max_rate: of(&|r| r.max_rate),
                min_rate: of(&|r| r.min_rate),
                throttled: of(&|r| r.throttled as f64),
                tokens: of(&|r| r.tokens as f64),
                polls: of(&|r| r.polls as f64),
                wall_s: of(&|r| r.wall_s),
                failed_runs,
            });
        }
    }
    Ok(Result {
        sizes,
        redis: version,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_windows_leave_out_the_cut_ends() {
        // Windows 0 (cut), 1, 2, 3 (cut).
        let arrivals = [900, 1000, 1500, 1999, 2000, 3100];
        assert_eq!(full_windows(&arrivals), [3, 1]);
        assert!(full_windows(&[5, 10]).is_empty());
        assert!(full_windows(&[]).is_empty());
    }
}

// ---- one process, many tasks, on a simulated clock ----

/// The simulated row's settings.
#[derive(Debug, Clone, Copy)]
pub struct SimSizes {
    pub tasks: usize,
    /// The server's limit (L), requests per second.
    pub limit: u32,
    /// The client's `RateLimits::uniform(per_second(..))`.
    pub client_rate: u32,
    pub pending_polls: u32,
    pub runs: usize,
}

/// What the simulated runs came to.
pub struct SimResult {
    pub sizes: SimSizes,
    /// Polls in the busiest full 1 s window of the simulated clock.
    pub max_window: Summary,
    /// ... in the quietest.
    pub min_window: Summary,
    pub throttled: Summary,
    pub polls: Summary,
    /// Tasks that ended in success.
    pub succeeded: Summary,
    /// Simulated time from the first poll to the last task's end, seconds.
    pub simulated_s: Summary,
    /// Wall time of the same, seconds.
    pub wall_s: Summary,
    /// Peak RSS of the child process, MiB.
    pub peak_mib: Summary,
}

/// Runs the simulated row in child processes (one per run, each measured for its peak
/// memory alone).
pub fn sim(sizes: SimSizes) -> std::result::Result<SimResult, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut runs = Vec::new();
    for _ in 0..sizes.runs {
        let mut command =
            crate::measure::command(&servers::Pinning::detect(), servers::CLIENT_CPU, &exe)?;
        command.arg("shared-sim-child").args(
            [
                sizes.tasks as u64,
                sizes.limit.into(),
                sizes.client_rate.into(),
                sizes.pending_polls.into(),
            ]
            .map(|n| n.to_string()),
        );
        let measured = crate::measure::run(&mut command)?;
        let line = measured
            .stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .ok_or("the simulated run printed nothing")?;
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("the simulated run's output: {e}"))?;
        runs.push((value, measured.peak_kib / 1024.0));
    }
    let of = |name: &str| {
        Summary::of(
            runs.iter()
                .map(|(v, _)| v[name].as_f64().unwrap_or(f64::NAN))
                .collect(),
        )
    };
    Ok(SimResult {
        sizes,
        max_window: of("max_window"),
        min_window: of("min_window"),
        throttled: of("throttled"),
        polls: of("polls"),
        succeeded: of("succeeded"),
        simulated_s: of("simulated_s"),
        wall_s: of("wall_s"),
        peak_mib: Summary::of(runs.iter().map(|(_, mib)| *mib).collect()),
    })
}

/// The child: the fake server in process, on tokio's paused clock, which the client's
/// rate limiter, the batch waiter's delays and the server's windows all read; real HTTP on
/// loopback between them. Prints one JSON line.
pub fn sim_child(args: &[&str]) -> std::result::Result<(), String> {
    use taskapi::feishu::FeishuClient;
    use taskapi::runtime::{RateLimit, RateLimits};
    use taskapi::testing::FakeServer;
    let numbers: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let [tasks, limit, client_rate, pending] = numbers[..] else {
        return Err("usage: shared-sim-child TASKS LIMIT CLIENT_RATE PENDING_POLLS".into());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let fake = FakeServer::start().await.map_err(|e| e.to_string())?;
        fake.set_rate_limit(Some(limit as u32));
        fake.set_pending_polls_per_task(Some(pending as u32));
        let client: FeishuClient = fake
            .client()
            .rate_limits(RateLimits::uniform(RateLimit::per_second(
                client_rate as u32,
            )))
            .build()
            .map_err(|e| e.to_string())?;
        let wall = Instant::now();
        let started = tokio::time::Instant::now();
        let requests =
            (0..tasks).map(|i| (i, client.get_export_task(format!("ticket-{i}"), "doc")));
        // Each task's maximum wait counts from its own first poll, which may come late
        // when many tasks share the limit.
        let mut batch = client
            .wait_many_export_task(requests)
            .max_wait(Duration::from_secs(24 * 3600));
        while batch.next().await.is_some() {}
        let summary = batch.summary();
        let simulated_s = started.elapsed().as_secs_f64();
        let wall_s = wall.elapsed().as_secs_f64();
        let stats = fake.stats();
        let arrivals = stats.arrivals_ms.get(ENDPOINT).cloned().unwrap_or_default();
        let windows = full_windows(&arrivals);
        println!(
            "{}",
            serde_json::json!({
                "succeeded": summary.succeeded,
                "polls": arrivals.len(),
                "throttled": stats.throttled,
                "max_window": windows.iter().max(),
                "min_window": windows.iter().min(),
                "simulated_s": simulated_s,
                "wall_s": wall_s,
            })
        );
        Ok(())
    })
}
