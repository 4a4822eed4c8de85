//! Backups: `taskapi backup folder` against `taskapi serve-fake --tree N` (the server in
//! another process): the steady pace of export creates next to the create limit in effect,
//! the peak memory of a backup of a large tree, the calls of a rerun with nothing to do;
//! and, in this process, the time the record takes to commit one item's change of state.

use crate::measure;
use crate::servers::{self, CLIENT_CPU, Pinning};
use crate::stats::Summary;
use std::path::Path;
use std::time::Instant;
use taskapi::runtime::testing::{FakeStats, STATS_PATH};
use taskapi_jobs::fake::FakeTree;
use taskapi_jobs::record::{Job, Listed, Record, Remote, State};

const ACCESS_TOKEN: &str = "t-bench";
/// The routes counted.
pub const CREATE: &str = "feishu.drive.export_task.create";
pub const LIST: &str = "feishu.drive.file.list";
/// `--rate-limit` of the pace runs: this fraction of every documented limit.
pub const PACE_FRACTION: f64 = 30.0;
/// The documented create limit, per second (100 a minute).
pub const CREATE_LIMIT: f64 = 100.0 / 60.0;
/// Workers of a backup (`--jobs`).
pub const JOBS: usize = 32;
/// Workers of the memory runs: the most `--jobs` takes, so that a 100,000-item tree is
/// done in minutes (each export is first polled half a second after its start, so a
/// worker finishes at most about two items a second).
pub const MEMORY_JOBS: usize = 256;
/// Time from an export's create to its success, ms, for the pace runs and the memory runs.
pub const PACE_READY_MS: u64 = 100;
pub const MEMORY_READY_MS: u64 = 10;
/// `--rate-limit` of the memory runs: limits far above anything reached.
pub const MEMORY_FRACTION: f64 = 1000.0;
/// Largest file or export of the memory runs' tree, bytes.
pub const MEMORY_MAX_SIZE: u64 = 64;
/// The share of creates dropped at each end of a pace run, by time.
pub const EDGE: f64 = 0.10;
/// The target for the steady create pace over the create limit in effect.
pub const TARGET_RATIO: f64 = 0.85;
/// The target for a backup's peak memory, MiB.
pub const TARGET_PEAK_MIB: f64 = 64.0;

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Items of the pace runs' tree (`--tree`), and runs (each followed by a rerun).
    pub tree: usize,
    pub pace_runs: usize,
    /// Items of the memory runs' tree, and runs.
    pub memory_tree: usize,
    pub memory_runs: usize,
    /// Items recorded before the timed changes, and runs (each item changes twice a run).
    pub record_items: usize,
    pub record_runs: usize,
}

pub struct Result {
    pub sizes: Sizes,
    /// Pace runs: creates in all, creates in the steady state, their pace per second, and
    /// its ratio to the limit in effect; the backup's wall seconds.
    pub creates: Summary,
    pub steady_creates: Summary,
    pub pace: Summary,
    pub ratio: Summary,
    pub pace_seconds: Summary,
    /// Reruns: list calls, calls of any other route, and the routes those were.
    pub rerun_lists: Summary,
    pub rerun_others: Summary,
    pub rerun_other_routes: Vec<String>,
    pub rerun_seconds: Summary,
    /// Memory runs: drive items of the tree, peak RSS in MiB, wall seconds.
    pub memory_items: usize,
    pub memory_peak_mib: Summary,
    pub memory_seconds: Summary,
    /// One committed change of state, µs: the median of each run, and the 99th percentile
    /// of each run.
    pub record_us: Summary,
    pub record_p99_us: Summary,
}

pub fn run(taskapi: &Path, pinning: &Pinning, sizes: Sizes) -> std::result::Result<Result, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    let stats = |url: &str| runtime.block_on(fetch_stats(&http, url));

    let (mut creates, mut steady, mut pace, mut ratio, mut seconds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut lists, mut others, mut other_routes, mut rerun_seconds) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..sizes.pace_runs {
        let fake = servers::fake_with(taskapi, &tree_flags(sizes.tree, PACE_READY_MS, None))?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let measured = backup(taskapi, pinning, &fake.url, dir.path(), PACE_FRACTION, JOBS)?;
        let after = stats(&fake.url)?;
        let arrivals = after.arrivals_ms.get(CREATE).cloned().unwrap_or_default();
        let (kept, per_second) = steady_pace(&arrivals)
            .ok_or_else(|| format!("{} creates: too few for a pace", arrivals.len()))?;
        creates.push(arrivals.len() as f64);
        steady.push(kept as f64);
        pace.push(per_second);
        ratio.push(per_second / (CREATE_LIMIT * PACE_FRACTION));
        seconds.push(measured.wall_seconds);

        let rerun = backup(taskapi, pinning, &fake.url, dir.path(), PACE_FRACTION, JOBS)?;
        let again = stats(&fake.url)?;
        let mut other = 0;
        for (route, n) in &again.requests {
            let added = n - after.requests.get(route).copied().unwrap_or(0);
            if route == LIST {
                lists.push(added as f64);
            } else if added > 0 {
                other += added;
                other_routes.push(format!("{route} ({added})"));
            }
        }
        others.push(other as f64);
        rerun_seconds.push(rerun.wall_seconds);
    }

    let mut peaks = Vec::new();
    let mut memory_seconds = Vec::new();
    let mut memory_items = 0;
    for _ in 0..sizes.memory_runs {
        let fake = servers::fake_with(
            taskapi,
            &tree_flags(sizes.memory_tree, MEMORY_READY_MS, Some(MEMORY_MAX_SIZE)),
        )?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let measured = backup(
            taskapi,
            pinning,
            &fake.url,
            dir.path(),
            MEMORY_FRACTION,
            MEMORY_JOBS,
        )?;
        memory_items = listed_items(dir.path())?;
        peaks.push(measured.peak_kib / 1024.0);
        memory_seconds.push(measured.wall_seconds);
    }

    let (record_us, record_p99_us) = record_changes(sizes.record_items, sizes.record_runs)?;
    Ok(Result {
        sizes,
        creates: Summary::of(creates),
        steady_creates: Summary::of(steady),
        pace: Summary::of(pace),
        ratio: Summary::of(ratio),
        pace_seconds: Summary::of(seconds),
        rerun_lists: Summary::of(lists),
        rerun_others: Summary::of(others),
        rerun_other_routes: other_routes,
        rerun_seconds: Summary::of(rerun_seconds),
        memory_items,
        memory_peak_mib: Summary::of(peaks),
        memory_seconds: Summary::of(memory_seconds),
        record_us: Summary::of(record_us),
        record_p99_us: Summary::of(record_p99_us),
    })
}

/// `serve-fake`'s flags for a tree of `items`.
fn tree_flags(items: usize, ready_ms: u64, max_size: Option<u64>) -> Vec<String> {
    let mut flags = vec![
        "--tree".into(),
        items.to_string(),
        "--export-ready-ms".into(),
        ready_ms.to_string(),
    ];
    if let Some(max) = max_size {
        flags.extend(["--tree-max-size".into(), max.to_string()]);
    }
    flags
}

/// `taskapi backup folder ROOT DIR` against `url`, to its end (an error unless it exits
/// with 0: everything backed up), under the measuring wrapper.
fn backup(
    taskapi: &Path,
    pinning: &Pinning,
    url: &str,
    dir: &Path,
    fraction: f64,
    jobs: usize,
) -> std::result::Result<measure::Measured, String> {
    let mut command = measure::command(pinning, CLIENT_CPU, taskapi)?;
    command
        .args(["--base-url", url, "--rate-limit", &fraction.to_string()])
        .args(["backup", "folder", FakeTree::ROOT_FOLDER])
        .arg(dir)
        .args(["--jobs", &jobs.to_string(), "--json"])
        .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
        .env_remove("FEISHU_APP_ID")
        .env_remove("FEISHU_APP_SECRET")
        .env_remove("RUST_LOG");
    measure::run(&mut command).map_err(|e| format!("backup: {e}"))
}

async fn fetch_stats(http: &reqwest::Client, url: &str) -> std::result::Result<FakeStats, String> {
    let body = http
        .get(format!("{url}{STATS_PATH}"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| format!("the fake's stats: {e}"))
}

/// The creates of the steady state (the first and last [`EDGE`] by time dropped), and
/// their pace: intervals over the time they span, per second. `None` under 3 kept.
pub fn steady_pace(arrivals_ms: &[u32]) -> Option<(usize, f64)> {
    let mut sorted = arrivals_ms.to_vec();
    sorted.sort_unstable();
    let edge = (sorted.len() as f64 * EDGE).floor() as usize;
    let kept = &sorted[edge..sorted.len() - edge];
    let (first, last) = (*kept.first()?, *kept.last()?);
    if kept.len() < 3 || last == first {
        return None;
    }
    let span = f64::from(last - first) / 1000.0;
    Some((kept.len(), (kept.len() - 1) as f64 / span))
}

/// Items a finished backup recorded, read from its record.
fn listed_items(dir: &Path) -> std::result::Result<usize, String> {
    let record = Record::open_to_read(dir, Job::Backup).map_err(|e| e.to_string())?;
    let counts = record.counts().map_err(|e| e.to_string())?;
    Ok(counts.states.values().sum::<u64>() as usize)
}

/// `items` recorded in a fresh record, then each set exporting and done, every change
/// timed: per run, the median and the 99th percentile, µs.
pub fn record_changes(
    items: usize,
    runs: usize,
) -> std::result::Result<(Vec<f64>, Vec<f64>), String> {
    let e = |e: taskapi_jobs::record::RecordError| e.to_string();
    let (mut medians, mut p99s) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let source = Remote::Folder {
            token: FakeTree::ROOT_FOLDER.to_owned(),
        };
        let record = Record::open_for_job(dir.path(), Job::Backup, &source).map_err(e)?;
        let run = record.begin_run(0).map_err(e)?;
        let page: Vec<Listed> = (0..items)
            .map(|i| {
                Listed::new(
                    format!("item{i}"),
                    None,
                    "docx".into(),
                    format!("obj{i}"),
                    format!("Document {i}"),
                    Some("1700000000".into()),
                    State::Listed,
                    None,
                )
            })
            .collect();
        record.record_listed(run, &page).map_err(e)?;
        let mut times = Vec::with_capacity(items * 2);
        for i in 0..items {
            let id = format!("item{i}");
            let started = Instant::now();
            record.set_exporting(&id, "ticket").map_err(e)?;
            times.push(started.elapsed().as_secs_f64() * 1e6);
            let started = Instant::now();
            record.set_done(&id, 1024, Some("1700000000")).map_err(e)?;
            times.push(started.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(f64::total_cmp);
        let p99 = times[((times.len() as f64 * 0.99) as usize).min(times.len() - 1)];
        medians.push(Summary::of(times).median);
        p99s.push(p99);
    }
    Ok((medians, p99s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steady_pace_drops_the_edges() {
        // 100 creates: 10 in the first second, 80 at 50/s, 10 in a late burst.
        let mut arrivals: Vec<u32> = (0..10).map(|i| i * 100).collect();
        arrivals.extend((0..80).map(|i| 1000 + i * 20));
        arrivals.extend((0..10).map(|i| 5000 + i));
        let (kept, pace) = steady_pace(&arrivals).unwrap();
        assert_eq!(kept, 80);
        assert!((pace - 50.0).abs() < 1e-9, "{pace}");
        assert_eq!(steady_pace(&[1, 2]), None);
    }
}
