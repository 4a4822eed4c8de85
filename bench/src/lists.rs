//! Lists: items per second through the generated `.items()` next to a hand-written reqwest
//! loop over the same pages (both against `taskapi serve-fake --list-items`, in this
//! process, alternating which goes first), and the peak memory of the CLI's `--all` over a
//! long list (its items stream to stdout, never held).

use crate::measure;
use crate::servers::{self, CLIENT_CPU, Pinning};
use crate::stats::Summary;
use serde::Deserialize;
use std::path::Path;
use std::time::Instant;
use taskapi::feishu::FeishuClient;

const ACCESS_TOKEN: &str = "t-bench";
/// The endpoint listed, its path and its documented largest page.
const ENDPOINT: &str = "feishu.drive.file.list";
const PATH: &str = "/open-apis/drive/v1/files";
const PAGE: usize = 200;
/// The target for the ratio of items per second, generated over hand-written.
pub const TARGET_RATIO: f64 = 0.95;
/// The target for the peak memory of `--all`, MiB.
pub const TARGET_PEAK_MIB: f64 = 32.0;

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Items listed by each side per round, and rounds.
    pub items: usize,
    pub rounds: usize,
    /// Items `--all` prints per run, and runs.
    pub cli_items: usize,
    pub cli_runs: usize,
}

pub struct Result {
    pub sizes: Sizes,
    /// Items per second, per side.
    pub generated: Summary,
    pub hand_written: Summary,
    /// Generated over hand-written, per round.
    pub ratio: Summary,
    /// `--all`: peak RSS in MiB and wall seconds.
    pub cli_peak_mib: Summary,
    pub cli_seconds: Summary,
}

pub fn run(taskapi: &Path, pinning: &Pinning, sizes: Sizes) -> std::result::Result<Result, String> {
    let fake = servers::fake_with(taskapi, &["--list-items".into(), sizes.items.to_string()])?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = FeishuClient::builder()
        .access_token(ACCESS_TOKEN)
        .base_url(&fake.url)
        // The rounds measure the client, not the endpoint's 20 calls a second.
        .rate_limits(taskapi::runtime::RateLimits::off())
        .build()
        .map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    // Warm both: connections, allocations.
    runtime.block_on(generated(&client))?;
    runtime.block_on(hand_written(&http, &fake.url))?;
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..sizes.rounds {
        let timed = |generated_side: bool| -> std::result::Result<f64, String> {
            let started = Instant::now();
            let items = if generated_side {
                runtime.block_on(generated(&client))?
            } else {
                runtime.block_on(hand_written(&http, &fake.url))?
            };
            if items != sizes.items {
                return Err(format!("listed {items} items of {}", sizes.items));
            }
            Ok(items as f64 / started.elapsed().as_secs_f64())
        };
        let (a, b) = if round % 2 == 0 {
            let a = timed(true)?;
            (a, timed(false)?)
        } else {
            let b = timed(false)?;
            (timed(true)?, b)
        };
        ours.push(a);
        theirs.push(b);
        ratios.push(a / b);
    }
    drop(fake);
    let (peak, seconds) = cli_memory(taskapi, pinning, sizes)?;
    Ok(Result {
        sizes,
        generated: Summary::of(ours),
        hand_written: Summary::of(theirs),
        ratio: Summary::of(ratios),
        cli_peak_mib: Summary::of(peak),
        cli_seconds: Summary::of(seconds),
    })
}

/// Every item through the generated client's `.items()`; how many.
async fn generated(client: &FeishuClient) -> std::result::Result<usize, String> {
    let mut items = client.list_files().items();
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.map_err(|e| e.to_string())?;
        n += 1;
    }
    Ok(n)
}

#[derive(Deserialize)]
struct Reply {
    code: i64,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    files: Vec<File>,
    next_page_token: Option<String>,
    has_more: Option<bool>,
}

/// The fields the spec lists for a file, as the generated `DriveFile` decodes them.
#[derive(Deserialize)]
#[allow(dead_code)] // decoded, as the generated client's are, and not read
struct File {
    token: Option<String>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    parent_token: Option<String>,
    url: Option<String>,
    shortcut_info: Option<Shortcut>,
    created_time: Option<String>,
    modified_time: Option<String>,
    owner_id: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Shortcut {
    target_type: Option<String>,
    target_token: Option<String>,
}

/// Every item through a minimal reqwest loop: the same requests, the same decoding, none
/// of the client's retries, limits, deadline or tracing; how many.
async fn hand_written(http: &reqwest::Client, base: &str) -> std::result::Result<usize, String> {
    let mut token: Option<String> = None;
    let mut n = 0;
    loop {
        let mut query = vec![("page_size", PAGE.to_string())];
        if let Some(token) = &token {
            query.push(("page_token", token.clone()));
        }
        let url = reqwest::Url::parse_with_params(&format!("{base}{PATH}"), &query)
            .map_err(|e| e.to_string())?;
        let body = http
            .get(url)
            .bearer_auth(ACCESS_TOKEN)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let reply: Reply = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let data = match (reply.code, reply.data) {
            (0, Some(data)) => data,
            (code, _) => return Err(format!("code {code}")),
        };
        n += data.files.len();
        match (data.has_more, data.next_page_token) {
            (Some(true), Some(next)) => token = Some(next),
            _ => return Ok(n),
        }
    }
}

/// `taskapi <list> --all` over `cli_items` items, stdout piped and counted: peak MiB and
/// wall seconds per run.
fn cli_memory(
    taskapi: &Path,
    pinning: &Pinning,
    sizes: Sizes,
) -> std::result::Result<(Vec<f64>, Vec<f64>), String> {
    let fake = servers::fake_with(
        taskapi,
        &["--list-items".into(), sizes.cli_items.to_string()],
    )?;
    let (mut peaks, mut seconds) = (Vec::new(), Vec::new());
    for _ in 0..sizes.cli_runs {
        let mut command = measure::command(pinning, CLIENT_CPU, taskapi)?;
        command
            .args([
                ENDPOINT,
                "--all",
                "--rate-limit",
                "off",
                "--base-url",
                &fake.url,
            ])
            .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET");
        let measured = measure::run(&mut command)?;
        let lines = measured.stdout.lines().filter(|l| !l.is_empty()).count();
        if lines != sizes.cli_items {
            return Err(format!(
                "--all printed {lines} items of {}",
                sizes.cli_items
            ));
        }
        peaks.push(measured.peak_kib / 1024.0);
        seconds.push(measured.wall_seconds);
    }
    Ok((peaks, seconds))
}
