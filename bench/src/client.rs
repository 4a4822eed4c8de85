//! Client overhead: the same drive-export query through the generated client and through a
//! minimal hand-written reqwest + serde call decoding the same struct, against servers in
//! other processes (`taskapi serve-fake`, and nginx when installed).
//!
//! Each client runs in its own long-lived child process (its own runtime, connection pool
//! and peak memory), driven over stdin: the parent alternates blocks of calls between the two
//! (A/B/A/B, the order swapped on every block), so that whatever else the machine does falls
//! on both alike, and takes the ratio per round. Two shapes: sequential calls, and 64 calls
//! in flight. Besides wall time, each child reports the CPU time its threads used, which
//! other load on the machine disturbs much less.

use crate::servers::{CLIENT_CPU, Pinning, Server};
use crate::stats::Summary;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use taskapi::feishu::{ExportTaskData, FeishuClient};

const TICKET: &str = "7108646852144136212";
const DOC_TOKEN: &str = "docbcZVGtv1papC6jAVGiyabcef";
const ACCESS_TOKEN: &str = "t-bench";

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

/// How many calls to make.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub rounds: usize,
    /// Sequential: blocks per round and calls per block, for each client.
    pub sequential_blocks: usize,
    pub sequential_calls: usize,
    /// In flight at once.
    pub in_flight: usize,
    /// Concurrent: blocks per round and calls per block, for each client.
    pub concurrent_blocks: usize,
    pub concurrent_calls: usize,
}

/// One measured figure for both clients, per round.
#[derive(Debug, Clone)]
pub struct Pair {
    pub generated: Summary,
    pub hand_written: Summary,
    /// generated / hand-written, per round.
    pub ratio: Summary,
}

/// Everything measured against one server.
#[derive(Debug, Clone)]
pub struct ServerResult {
    pub server: String,
    /// Wall time per sequential call, µs.
    pub sequential_us: Pair,
    /// CPU time of the client per sequential call, µs.
    pub sequential_cpu_us: Pair,
    /// Calls per second with `in_flight` calls at once.
    pub concurrent_per_s: Pair,
    /// CPU time of the client per call with `in_flight` calls at once, µs.
    pub concurrent_cpu_us: Pair,
    /// Peak resident memory of each client process at the end, KiB.
    pub peak_kib: [f64; 2],
}

pub struct Result {
    pub sizes: Sizes,
    /// Where the processes ran.
    pub pinning: String,
    pub servers: Vec<ServerResult>,
    /// Servers that could not be used, and why.
    pub skipped: Vec<String>,
}

pub fn run(
    servers: &[&Server],
    skipped: Vec<String>,
    sizes: Sizes,
    pinning: &Pinning,
) -> std::result::Result<Result, String> {
    let mut results = Vec::new();
    for server in servers {
        eprintln!("  against {} at {}", server.name, server.url);
        results.push(measure(server, sizes, pinning)?);
    }
    Ok(Result {
        sizes,
        pinning: pinning.describe(),
        servers: results,
        skipped,
    })
}

fn measure(
    server: &Server,
    sizes: Sizes,
    pinning: &Pinning,
) -> std::result::Result<ServerResult, String> {
    let mut generated = Client::spawn(Variant::Generated, &server.url, pinning)?;
    let mut hand_written = Client::spawn(Variant::HandWritten, &server.url, pinning)?;
    let mut sequential = Rounds::default();
    let mut concurrent = Rounds::default();
    for round in 0..sizes.rounds {
        let mut this = [Totals::default(); 2];
        for block in 0..sizes.sequential_blocks {
            let command = format!("seq {}", sizes.sequential_calls);
            alternate(
                &mut generated,
                &mut hand_written,
                &mut this,
                round + block,
                &command,
            )?;
        }
        sequential.push(this, sizes.sequential_blocks * sizes.sequential_calls);
        let mut this = [Totals::default(); 2];
        for block in 0..sizes.concurrent_blocks {
            let command = format!("par {} {}", sizes.concurrent_calls, sizes.in_flight);
            alternate(
                &mut generated,
                &mut hand_written,
                &mut this,
                round + block,
                &command,
            )?;
        }
        concurrent.push(this, sizes.concurrent_blocks * sizes.concurrent_calls);
        eprintln!(
            "    round {}: sequential {:.1} / {:.1} µs per call, {} in flight {:.0} / {:.0} calls/s (generated / hand-written)",
            round + 1,
            sequential.wall_us[0].last().unwrap_or(&f64::NAN),
            sequential.wall_us[1].last().unwrap_or(&f64::NAN),
            sizes.in_flight,
            concurrent.per_s(0).last().unwrap_or(&f64::NAN),
            concurrent.per_s(1).last().unwrap_or(&f64::NAN),
        );
    }
    let peak_kib = [generated.peak_kib()?, hand_written.peak_kib()?];
    Ok(ServerResult {
        server: server.name.clone(),
        sequential_us: pair(&sequential.wall_us),
        sequential_cpu_us: pair(&sequential.cpu_us),
        concurrent_per_s: pair(&[concurrent.per_s(0), concurrent.per_s(1)]),
        concurrent_cpu_us: pair(&concurrent.cpu_us),
        peak_kib,
    })
}

/// Runs `command` on both clients, the order swapped by `turn`, adding to `totals`.
fn alternate(
    generated: &mut Client,
    hand_written: &mut Client,
    totals: &mut [Totals; 2],
    turn: usize,
    command: &str,
) -> std::result::Result<(), String> {
    let (first, second) = if turn.is_multiple_of(2) {
        ((0, &mut *generated), (1, &mut *hand_written))
    } else {
        ((1, &mut *hand_written), (0, &mut *generated))
    };
    for (index, client) in [first, second] {
        let (wall, cpu) = client.run(command)?;
        totals[index].wall += wall;
        totals[index].cpu += cpu;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    wall: f64,
    cpu: f64,
}

/// Per-call figures of each round, for [generated, hand-written].
#[derive(Default)]
struct Rounds {
    wall_us: [Vec<f64>; 2],
    cpu_us: [Vec<f64>; 2],
}

impl Rounds {
    fn push(&mut self, totals: [Totals; 2], calls: usize) {
        for (i, t) in totals.iter().enumerate() {
            self.wall_us[i].push(t.wall * 1e6 / calls as f64);
            self.cpu_us[i].push(t.cpu * 1e6 / calls as f64);
        }
    }

    fn per_s(&self, i: usize) -> Vec<f64> {
        self.wall_us[i].iter().map(|us| 1e6 / us).collect()
    }
}

fn pair(values: &[Vec<f64>; 2]) -> Pair {
    let ratios = values[0]
        .iter()
        .zip(&values[1])
        .map(|(g, h)| g / h)
        .collect();
    Pair {
        generated: Summary::of(values[0].clone()),
        hand_written: Summary::of(values[1].clone()),
        ratio: Summary::of(ratios),
    }
}

/// A client child process.
struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    fn spawn(
        variant: Variant,
        url: &str,
        pinning: &Pinning,
    ) -> std::result::Result<Client, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = pinning
            .command(CLIENT_CPU, &exe)
            .args(["client-child", variant.name(), url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err("no pipes to the client child".into());
        };
        let mut client = Client {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        // Ready once warmed up.
        client.line()?;
        Ok(client)
    }

    fn line(&mut self) -> std::result::Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => Ok(line.trim().to_owned()),
            _ => Err("a client child ended early (see its error above)".into()),
        }
    }

    fn ask(&mut self, command: &str) -> std::result::Result<String, String> {
        writeln!(self.stdin, "{command}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("cannot talk to a client child: {e}"))?;
        self.line()
    }

    /// Wall and CPU seconds of a command.
    fn run(&mut self, command: &str) -> std::result::Result<(f64, f64), String> {
        let reply = self.ask(command)?;
        let mut fields = reply.split_whitespace().map(str::parse::<f64>);
        match (fields.next(), fields.next()) {
            (Some(Ok(wall)), Some(Ok(cpu))) => Ok((wall, cpu)),
            _ => Err(format!("unexpected client child output {reply:?}")),
        }
    }

    fn peak_kib(&mut self) -> std::result::Result<f64, String> {
        let reply = self.ask("peak")?;
        reply
            .parse()
            .map_err(|_| format!("unexpected client child output {reply:?}"))
    }
}

/// The child side: builds its client, warms up (connections for 64 in flight included),
/// says `ready`, then answers `seq N`, `par N K` with `wall_seconds cpu_seconds` and `peak`
/// with its peak resident memory in KiB, until stdin closes.
pub fn child(variant: Variant, url: &str) -> std::result::Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let call = Call::new(variant, url)?;
    runtime.block_on(async {
        call.sequential(200).await?;
        call.concurrent(1000, 64).await
    })?;
    let mut out = std::io::stdout().lock();
    let say = |out: &mut std::io::StdoutLock<'_>, text: String| {
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())
    };
    say(&mut out, "ready".into())?;
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let words: Vec<&str> = line.split_whitespace().collect();
        let numbers: Vec<usize> = words[1..].iter().filter_map(|w| w.parse().ok()).collect();
        let reply = match (words.first().copied(), numbers.as_slice()) {
            (Some("seq"), [calls]) => {
                let (wall, cpu) = timed(|| runtime.block_on(call.sequential(*calls)))?;
                format!("{wall} {cpu}")
            }
            (Some("par"), [calls, in_flight]) => {
                let (wall, cpu) = timed(|| runtime.block_on(call.concurrent(*calls, *in_flight)))?;
                format!("{wall} {cpu}")
            }
            (Some("peak"), []) => peak_kib().unwrap_or(0).to_string(),
            _ => return Err(format!("unknown command {line:?}")),
        };
        say(&mut out, reply)?;
    }
    Ok(())
}

fn timed(
    work: impl FnOnce() -> std::result::Result<(), String>,
) -> std::result::Result<(f64, f64), String> {
    let cpu = cpu_seconds();
    let started = Instant::now();
    work()?;
    let wall = started.elapsed().as_secs_f64();
    Ok((wall, cpu_seconds() - cpu))
}

/// One client, shared by the calls in flight.
#[derive(Clone)]
enum Call {
    Generated(FeishuClient),
    HandWritten(reqwest::Client, Arc<str>),
}

/// What a careful person writes by hand: the envelope, the same data struct, one GET.
#[derive(Deserialize)]
struct Envelope {
    code: i64,
    msg: String,
    data: Option<ExportTaskData>,
}

impl Call {
    fn new(variant: Variant, url: &str) -> std::result::Result<Call, String> {
        Ok(match variant {
            Variant::Generated => Call::Generated(
                FeishuClient::builder()
                    .access_token(ACCESS_TOKEN)
                    .base_url(url)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
            // The URL is formatted once: the hand-written loop polls one task.
            Variant::HandWritten => Call::HandWritten(
                reqwest::Client::new(),
                format!("{url}/open-apis/drive/v1/export_tasks/{TICKET}?token={DOC_TOKEN}").into(),
            ),
        })
    }

    async fn once(&self) -> std::result::Result<(), String> {
        match self {
            Call::Generated(client) => client
                .get_export_task(TICKET, DOC_TOKEN)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Call::HandWritten(client, endpoint) => {
                let body = client
                    .get(&**endpoint)
                    .header("Authorization", "Bearer t-bench")
                    .send()
                    .await
                    .map_err(|e| e.to_string())?
                    .bytes()
                    .await
                    .map_err(|e| e.to_string())?;
                let envelope: Envelope =
                    serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                if envelope.code != 0 || envelope.data.is_none() {
                    return Err(format!("code {}: {}", envelope.code, envelope.msg));
                }
                Ok(())
            }
        }
    }

    async fn sequential(&self, calls: usize) -> std::result::Result<(), String> {
        for _ in 0..calls {
            self.once().await?;
        }
        Ok(())
    }

    /// `calls` calls, `in_flight` at a time.
    async fn concurrent(&self, calls: usize, in_flight: usize) -> std::result::Result<(), String> {
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..in_flight {
            let (call, next) = (self.clone(), next.clone());
            tasks.spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    call.once().await?;
                }
                Ok::<(), String>(())
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.map_err(|e| e.to_string())??;
        }
        Ok(())
    }
}

/// CPU time used so far by this process's threads (Linux `schedstat`, nanoseconds); 0
/// where it cannot be read.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let nanos: u64 = tasks
        .filter_map(|task| {
            let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            text.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum();
    Duration::from_nanos(nanos).as_secs_f64()
}

/// Peak resident set size of this process (`VmHWM`), KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
