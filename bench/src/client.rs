//! Client overhead: the same sequential drive-export queries through the generated client
//! and through a minimal hand-written reqwest + serde call decoding the same struct, against
//! one fake server. Each run is a child process (so its peak memory is its own), and the
//! two variants alternate so that machine noise falls on both.

use crate::stats::Summary;
use serde::Deserialize;
use std::process::Command;
use std::time::{Duration, Instant};
use taskapi::feishu::{ExportTaskData, FeishuClient};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Generated,
    HandWritten,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Generated => "generated",
            Variant::HandWritten => "hand-written",
        }
    }

    pub fn parse(name: &str) -> Option<Variant> {
        [Variant::Generated, Variant::HandWritten]
            .into_iter()
            .find(|v| v.name() == name)
    }
}

pub struct Result {
    pub calls: usize,
    /// Microseconds per call.
    pub generated: Summary,
    pub hand_written: Summary,
    /// Peak resident memory, KiB.
    pub generated_peak_kib: Summary,
    pub hand_written_peak_kib: Summary,
    /// generated / hand-written time per call, per round.
    pub ratio: Summary,
}

const WARMUP: usize = 50;

/// Runs `calls` queries in this process and prints `seconds peak_kib` (the child side).
pub fn child(variant: Variant, url: &str, calls: usize) -> std::result::Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let elapsed = runtime.block_on(async {
        match variant {
            Variant::Generated => generated(url, calls).await,
            Variant::HandWritten => hand_written(url, calls).await,
        }
    })?;
    println!("{} {}", elapsed.as_secs_f64(), peak_kib().unwrap_or(0));
    Ok(())
}

async fn generated(url: &str, calls: usize) -> std::result::Result<Duration, String> {
    let client = FeishuClient::builder()
        .access_token("t-bench")
        .base_url(url)
        .build()
        .map_err(|e| e.to_string())?;
    let mut started = Instant::now();
    for i in 0..WARMUP + calls {
        if i == WARMUP {
            started = Instant::now();
        }
        let data = client
            .get_export_task("7108646852144136212", "docbcZVGtv1papC6jAVGiyabcef")
            .send()
            .await;
        data.map_err(|e| e.to_string())?;
    }
    Ok(started.elapsed())
}

/// What a careful person writes by hand: the envelope, the same data struct, one GET.
#[derive(Deserialize)]
struct Envelope {
    code: i64,
    msg: String,
    data: Option<ExportTaskData>,
}

async fn hand_written(url: &str, calls: usize) -> std::result::Result<Duration, String> {
    let client = reqwest::Client::new();
    let endpoint = format!(
        "{url}/open-apis/drive/v1/export_tasks/7108646852144136212?token=docbcZVGtv1papC6jAVGiyabcef"
    );
    let mut started = Instant::now();
    for i in 0..WARMUP + calls {
        if i == WARMUP {
            started = Instant::now();
        }
        let body = client
            .get(&endpoint)
            .header("Authorization", "Bearer t-bench")
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
        let envelope: Envelope = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if envelope.code != 0 || envelope.data.is_none() {
            return Err(format!("code {}: {}", envelope.code, envelope.msg));
        }
    }
    Ok(started.elapsed())
}

/// Peak resident set size of this process (`VmHWM`), KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run_child(variant: Variant, url: &str, calls: usize) -> std::result::Result<(f64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .args(["client-child", variant.name(), url, &calls.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "{} child failed: {}",
            variant.name(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace().map(str::parse::<f64>);
    match (fields.next(), fields.next()) {
        (Some(Ok(seconds)), Some(Ok(kib))) => Ok((seconds, kib)),
        _ => Err(format!("unexpected child output {text:?}")),
    }
}

pub fn run(calls: usize, rounds: usize) -> std::result::Result<Result, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let fake = runtime
        .block_on(taskapi::testing::FakeServer::start())
        .map_err(|e| e.to_string())?;
    let url = fake.uri();
    let (mut gen_us, mut hand_us, mut gen_kib, mut hand_kib, mut ratios) =
        (vec![], vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        // Alternate which goes first.
        let order = if round % 2 == 0 {
            [Variant::Generated, Variant::HandWritten]
        } else {
            [Variant::HandWritten, Variant::Generated]
        };
        let mut this_round = [0.0; 2];
        for variant in order {
            let (seconds, kib) = run_child(variant, &url, calls)?;
            let per_call = seconds * 1e6 / calls as f64;
            match variant {
                Variant::Generated => {
                    gen_us.push(per_call);
                    gen_kib.push(kib);
                    this_round[0] = per_call;
                }
                Variant::HandWritten => {
                    hand_us.push(per_call);
                    hand_kib.push(kib);
                    this_round[1] = per_call;
                }
            }
        }
        ratios.push(this_round[0] / this_round[1]);
        eprintln!(
            "  client: round {}: generated {:.1} µs, hand-written {:.1} µs per call",
            round + 1,
            this_round[0],
            this_round[1]
        );
    }
    drop(fake);
    Ok(Result {
        calls,
        generated: Summary::of(gen_us),
        hand_written: Summary::of(hand_us),
        generated_peak_kib: Summary::of(gen_kib),
        hand_written_peak_kib: Summary::of(hand_kib),
        ratio: Summary::of(ratios),
    })
}
