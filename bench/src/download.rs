//! Downloads: the generated client's throughput against `curl` fetching the same URL from
//! the same server, and the `taskapi` CLI's peak memory while it downloads a large file.
//!
//! The servers run in processes of their own, on their own CPU: `taskapi serve-fake
//! --download-size` (it makes the file's bytes as it sends them, any size in bounded memory,
//! and sets the pace: its CPU is the bottleneck), and, when installed, nginx serving the same
//! bytes from a file with `sendfile` (fast enough that the client's side sets the pace). The
//! library side is a long-lived child process (its own current-thread runtime and
//! connection) driven over stdin, like the client-overhead children: `download_export_file`
//! into /dev/null (`to_writer`) or into a file (`to_file`), timed inside the child from the
//! request to the last byte written. The curl side is one `curl -sSf -o DEST` process per
//! download, timed by curl itself (`%{time_total}`, which leaves out its process start):
//! neither figure includes starting a process. The two alternate download by download (the
//! order swapped every time) within a round, and a ratio is taken per round.
//!
//! `to_file` writes through a temporary file that it syncs (`fsync`) and renames onto the
//! target; `curl -o` neither syncs nor renames. So the file comparison is made twice: against
//! curl as it is, and against curl followed by an `fsync` of its file (timed by the bench,
//! added to curl's time), the same durability. Each download's file is synced before the
//! next starts, so that no download pays for another's write-back.
//!
//! Memory: the `taskapi` CLI (`<download id> --output FILE`) run under the `measure-child`
//! wrapper, which reads the peak resident set size of that one process (`ru_maxrss`).

use crate::measure::{self, Measured};
use crate::servers::{CLIENT_CPU, Pinning, Server};
use crate::stats::Summary;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::task::{Context, Poll};
use std::time::Instant;
use taskapi::feishu::{DOWNLOAD_EXPORT_FILE, FeishuClient};

const FILE_TOKEN: &str = "boxcnxe5OdjlAkNgSNdsJvabcef";
const ACCESS_TOKEN: &str = "t-bench";

/// The size of every download: 200 MiB.
pub const BYTES: u64 = 200 * 1024 * 1024;

/// The CLI's peak memory target for a download of [`BYTES`], KiB.
pub const PEAK_TARGET_KIB: f64 = 32.0 * 1024.0;

/// The throughput target, library / curl.
pub const RATIO_TARGET: f64 = 0.9;

/// How much to download.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub rounds: usize,
    /// Downloads of each side per round, for each target (/dev/null, a file).
    pub per_round: usize,
}

/// One figure for both sides, per round.
#[derive(Debug, Clone)]
pub struct Pair {
    pub library: Summary,
    pub curl: Summary,
    /// library / curl, per round.
    pub ratio: Summary,
}

/// The generated client against curl, on one server.
#[derive(Debug, Clone)]
pub struct VersusCurl {
    /// MB/s into /dev/null.
    pub null: Pair,
    /// MB/s into a file, curl unsynced.
    pub file: Pair,
    /// MB/s into a file, curl's time plus an `fsync` of its file.
    pub file_synced: Pair,
    /// CPU ms per 100 MB into /dev/null (curl's less its start, measured alone).
    pub null_cpu: Pair,
}

/// Everything measured against one server.
#[derive(Debug, Clone)]
pub struct ServerResult {
    pub server: String,
    /// The library alone (measured whether or not curl is there): MB/s.
    pub library_null: Summary,
    pub library_file: Summary,
    /// `None` when curl is not installed.
    pub curl: Option<VersusCurl>,
}

pub struct Result {
    pub sizes: Sizes,
    pub bytes: u64,
    /// Where the processes ran.
    pub pinning: String,
    pub servers: Vec<ServerResult>,
    /// Servers that could not be used, and why.
    pub skipped: Vec<String>,
    /// `curl --version`'s first words, e.g. `curl 7.88.1`; `None` when not installed.
    pub curl_version: Option<String>,
    /// CPU ms of a curl process fetching a 404 (its start, connection and exit): taken off
    /// curl's CPU per download.
    pub curl_start_cpu_ms: Option<Summary>,
    /// Peak memory of the `taskapi` CLI downloading [`BYTES`] into a file, KiB.
    pub cli_peak_kib: Summary,
    /// The CLI's MB/s from process start to exit (file synced and renamed).
    pub cli_mb_s: Summary,
    /// Peak memory of curl downloading into a file, KiB.
    pub curl_peak_kib: Option<Summary>,
    /// The CLI command measured, for the report.
    pub cli_command: String,
    /// The endpoint downloaded, for the report.
    pub endpoint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Null,
    File,
}

/// One download's figures.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    seconds: f64,
    /// Seconds of the `fsync` after curl (0 for the library).
    sync_seconds: f64,
    cpu_seconds: f64,
    peak_kib: f64,
}

/// The path both sides fetch.
pub fn download_path() -> String {
    DOWNLOAD_EXPORT_FILE
        .path
        .replace("{file_token}", FILE_TOKEN)
}

/// Writes the fake server's content, [`BYTES`] of it, to `path`: what nginx serves.
pub fn write_content(path: &Path) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let piece = 4 * 1024 * 1024;
    let mut offset = 0;
    while offset < BYTES {
        let end = (offset + piece).min(BYTES);
        file.write_all(&taskapi::testing::content(offset..end))?;
        offset = end;
    }
    // Synced, so that its write-back does not fall on the first downloads measured.
    file.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// Against each server (the first a `taskapi serve-fake` started with `--download-size`
/// [`BYTES`], which the CLI's memory runs use too; the others serving the same file).
pub fn run(
    taskapi: &Path,
    servers: &[&Server],
    skipped: Vec<String>,
    sizes: Sizes,
    pinning: &Pinning,
) -> std::result::Result<Result, String> {
    let fake = servers.first().ok_or("no server to download from")?;
    let curl = crate::servers::find_program("curl");
    let curl_version = curl.as_ref().map(|curl| {
        Command::new(curl)
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).into_owned();
                let words: Vec<&str> = text.split_whitespace().take(2).collect();
                (words.len() == 2).then(|| words.join(" "))
            })
            .unwrap_or_else(|| "curl".to_owned())
    });
    let curl_start_cpu_ms = match &curl {
        Some(curl) => Some(curl_start_cpu(curl, &fake.url, pinning)?),
        None => None,
    };
    let curl = curl.map(|program| Curl {
        program,
        start_cpu_seconds: curl_start_cpu_ms.map_or(0.0, |s| s.median / 1000.0),
    });
    // Files go where temporary files go (a disk, not memory, on the machines this runs on).
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    let mut memory = Memory::default();
    for (i, server) in servers.iter().enumerate() {
        eprintln!("  from {} at {}", server.name, server.url);
        // The CLI's memory: against the fake, once per round.
        let cli = (i == 0).then_some((taskapi, &mut memory));
        results.push(measure(server, curl.as_ref(), cli, &dir, sizes, pinning)?);
    }
    Ok(Result {
        sizes,
        bytes: BYTES,
        pinning: pinning.describe(),
        servers: results,
        skipped,
        curl_version,
        curl_start_cpu_ms,
        cli_peak_kib: Summary::of(memory.cli_peaks),
        cli_mb_s: Summary::of(memory.cli_mb_s),
        curl_peak_kib: curl.is_some().then(|| Summary::of(memory.curl_peaks)),
        cli_command: format!(
            "taskapi {} --file-token .. --output FILE --base-url http://127.0.0.1:..",
            DOWNLOAD_EXPORT_FILE.id
        ),
        endpoint: format!(
            "{} {}",
            DOWNLOAD_EXPORT_FILE.method, DOWNLOAD_EXPORT_FILE.path
        ),
    })
}

/// curl, and the CPU time its start costs.
struct Curl {
    program: PathBuf,
    start_cpu_seconds: f64,
}

/// Peak memory figures, KiB, and the CLI's MB/s.
#[derive(Default)]
struct Memory {
    cli_peaks: Vec<f64>,
    cli_mb_s: Vec<f64>,
    curl_peaks: Vec<f64>,
}

/// CPU ms of curl fetching a 404 from `base` (median of 5): everything but a body.
fn curl_start_cpu(
    curl: &Path,
    base: &str,
    pinning: &Pinning,
) -> std::result::Result<Summary, String> {
    let mut ms = Vec::new();
    for _ in 0..5 {
        let measured = measure::run(
            measure::command(pinning, CLIENT_CPU, curl)?
                .args(["-sS", "-o", "/dev/null"])
                .arg(format!("{base}/taskapi-bench-no-such-path")),
        )?;
        ms.push(measured.cpu_seconds * 1000.0);
    }
    Ok(Summary::of(ms))
}

fn measure(
    server: &Server,
    curl: Option<&Curl>,
    mut cli: Option<(&Path, &mut Memory)>,
    dir: &tempfile::TempDir,
    sizes: Sizes,
    pinning: &Pinning,
) -> std::result::Result<ServerResult, String> {
    let mut library = Library::spawn(&server.url, pinning)?;
    let url = format!("{}{}", server.url, download_path());
    let mb = BYTES as f64 / 1e6;
    let per_100_mb =
        |cpu_seconds: f64| cpu_seconds * 1000.0 / (mb * sizes.per_round as f64 / 100.0);
    let mut library_mb_s: [Vec<f64>; 2] = Default::default();
    let mut curl_mb_s: [Vec<f64>; 2] = Default::default();
    let (mut synced_curl, mut synced_ratio) = (vec![], vec![]);
    let mut ratios: [Vec<f64>; 2] = Default::default();
    let (mut library_cpu, mut curl_cpu, mut cpu_ratio) = (vec![], vec![], vec![]);
    let mut n = 0;
    for round in 0..sizes.rounds {
        for (t, target) in [Target::Null, Target::File].into_iter().enumerate() {
            let (mut ours, mut theirs) = (Sample::default(), Sample::default());
            for k in 0..sizes.per_round {
                n += 1;
                let curl_first = (round + k) % 2 == 1;
                let curl_once = || match curl {
                    Some(curl) => curl_download(curl, &url, target, dir, n, pinning),
                    None => Ok(Sample::default()),
                };
                let s = if curl_first {
                    let s = curl_once()?;
                    add(&mut ours, library.download(target, dir, n)?);
                    s
                } else {
                    add(&mut ours, library.download(target, dir, n)?);
                    curl_once()?
                };
                if let (Some(_), Some((_, memory)), Target::File) = (curl, cli.as_mut(), target) {
                    memory.curl_peaks.push(s.peak_kib);
                }
                add(&mut theirs, s);
            }
            let ours_mb_s = mb * sizes.per_round as f64 / ours.seconds;
            library_mb_s[t].push(ours_mb_s);
            if target == Target::Null {
                library_cpu.push(per_100_mb(ours.cpu_seconds));
            }
            if curl.is_some() {
                let theirs_mb_s = mb * sizes.per_round as f64 / theirs.seconds;
                curl_mb_s[t].push(theirs_mb_s);
                ratios[t].push(ours_mb_s / theirs_mb_s);
                match target {
                    Target::Null => {
                        let cpu = per_100_mb(theirs.cpu_seconds);
                        curl_cpu.push(cpu);
                        cpu_ratio.push(per_100_mb(ours.cpu_seconds) / cpu);
                    }
                    Target::File => {
                        let synced =
                            mb * sizes.per_round as f64 / (theirs.seconds + theirs.sync_seconds);
                        synced_curl.push(synced);
                        synced_ratio.push(ours_mb_s / synced);
                    }
                }
            }
        }
        let mut cli_peak = String::new();
        if let Some((taskapi, memory)) = cli.as_mut() {
            let measured = cli_download(taskapi, &server.url, dir, pinning)?;
            memory.cli_peaks.push(measured.peak_kib);
            memory.cli_mb_s.push(mb / measured.wall_seconds);
            cli_peak = format!("; CLI peak {:.1} MiB", measured.peak_kib / 1024.0);
        }
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        eprintln!(
            "    round {}: /dev/null {:.0} / {:.0} MB/s, {:.1} / {:.1} CPU ms per 100 MB, file {:.0} / {:.0} (synced {:.0}) MB/s (library / curl){cli_peak}",
            round + 1,
            last(&library_mb_s[0]),
            last(&curl_mb_s[0]),
            last(&library_cpu),
            last(&curl_cpu),
            last(&library_mb_s[1]),
            last(&curl_mb_s[1]),
            last(&synced_curl),
        );
    }
    let pair = |ours: &[f64], theirs: &[f64], ratio: &[f64]| Pair {
        library: Summary::of(ours.to_vec()),
        curl: Summary::of(theirs.to_vec()),
        ratio: Summary::of(ratio.to_vec()),
    };
    let versus = curl.map(|_| VersusCurl {
        null: pair(&library_mb_s[0], &curl_mb_s[0], &ratios[0]),
        file: pair(&library_mb_s[1], &curl_mb_s[1], &ratios[1]),
        file_synced: pair(&library_mb_s[1], &synced_curl, &synced_ratio),
        null_cpu: pair(&library_cpu, &curl_cpu, &cpu_ratio),
    });
    Ok(ServerResult {
        server: server.name.clone(),
        library_null: Summary::of(library_mb_s[0].clone()),
        library_file: Summary::of(library_mb_s[1].clone()),
        curl: versus,
    })
}

fn add(total: &mut Sample, s: Sample) {
    total.seconds += s.seconds;
    total.sync_seconds += s.sync_seconds;
    total.cpu_seconds += s.cpu_seconds;
    total.peak_kib = total.peak_kib.max(s.peak_kib);
}

/// A fresh path for download `n`; nothing is there.
fn file_path(dir: &tempfile::TempDir, who: &str, n: usize) -> PathBuf {
    dir.path().join(format!("{who}-{n}.bin"))
}

/// Size check, then removal (not timed).
fn check_and_remove(path: &Path) -> std::result::Result<(), String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    std::fs::remove_file(path).map_err(|e| e.to_string())?;
    if len != BYTES {
        return Err(format!("{} has {len} bytes, not {BYTES}", path.display()));
    }
    Ok(())
}

/// One `curl` download; into a file, followed by an `fsync` of it, timed apart.
fn curl_download(
    curl: &Curl,
    url: &str,
    target: Target,
    dir: &tempfile::TempDir,
    n: usize,
    pinning: &Pinning,
) -> std::result::Result<Sample, String> {
    let path = match target {
        Target::Null => PathBuf::from("/dev/null"),
        Target::File => file_path(dir, "curl", n),
    };
    let measured = measure::run(
        measure::command(pinning, CLIENT_CPU, &curl.program)?
            .args([
                "-sSf",
                "-H",
                &format!("Authorization: Bearer {ACCESS_TOKEN}"),
            ])
            .arg("-o")
            .arg(&path)
            .args(["-w", "%{time_total} %{size_download}", url]),
    )?;
    let mut words = measured.stdout.split_whitespace().map(str::parse::<f64>);
    let (Some(Ok(seconds)), Some(Ok(bytes))) = (words.next(), words.next()) else {
        return Err(format!("unexpected curl output {:?}", measured.stdout));
    };
    if bytes != BYTES as f64 {
        return Err(format!("curl downloaded {bytes} bytes, not {BYTES}"));
    }
    let mut sync_seconds = 0.0;
    if target == Target::File {
        let started = Instant::now();
        std::fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("cannot sync {}: {e}", path.display()))?;
        sync_seconds = started.elapsed().as_secs_f64();
        check_and_remove(&path)?;
    }
    Ok(Sample {
        seconds,
        sync_seconds,
        cpu_seconds: (measured.cpu_seconds - curl.start_cpu_seconds).max(0.0),
        peak_kib: measured.peak_kib,
    })
}

/// The `taskapi` CLI downloading into a file, under the wrapper.
fn cli_download(
    taskapi: &Path,
    url: &str,
    dir: &tempfile::TempDir,
    pinning: &Pinning,
) -> std::result::Result<Measured, String> {
    let path = dir.path().join("cli.bin");
    let measured = measure::run(
        measure::command(pinning, CLIENT_CPU, taskapi)?
            .args([
                DOWNLOAD_EXPORT_FILE.id,
                "--file-token",
                FILE_TOKEN,
                "--output",
            ])
            .arg(&path)
            .args(["--base-url", url])
            .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET")
            .env_remove("RUST_LOG"),
    )?;
    let summary: serde_json::Value = serde_json::from_str(measured.stdout.trim())
        .map_err(|e| format!("unexpected CLI output {:?}: {e}", measured.stdout))?;
    if summary["bytes"] != BYTES {
        return Err(format!("the CLI reported {summary}, not {BYTES} bytes"));
    }
    check_and_remove(&path)?;
    Ok(measured)
}

/// The library child process.
struct Library {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Library {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Library {
    fn spawn(url: &str, pinning: &Pinning) -> std::result::Result<Library, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = pinning
            .command(CLIENT_CPU, &exe)
            .args(["download-child", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err("no pipes to the download child".into());
        };
        let mut library = Library {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        library.line()?;
        Ok(library)
    }

    fn line(&mut self) -> std::result::Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => Ok(line.trim().to_owned()),
            _ => Err("the download child ended early (see its error above)".into()),
        }
    }

    fn download(
        &mut self,
        target: Target,
        dir: &tempfile::TempDir,
        n: usize,
    ) -> std::result::Result<Sample, String> {
        let path = file_path(dir, "library", n);
        let command = match target {
            Target::Null => "null".to_owned(),
            Target::File => format!("file {}", path.display()),
        };
        writeln!(self.stdin, "{command}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("cannot talk to the download child: {e}"))?;
        let reply = self.line()?;
        let fields: Vec<f64> = reply
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let [seconds, cpu_seconds, bytes] = fields.as_slice() else {
            return Err(format!("unexpected download child output {reply:?}"));
        };
        if *bytes != BYTES as f64 {
            return Err(format!("the library downloaded {bytes} bytes, not {BYTES}"));
        }
        if target == Target::File {
            check_and_remove(&path)?;
        }
        Ok(Sample {
            seconds: *seconds,
            cpu_seconds: *cpu_seconds,
            ..Sample::default()
        })
    }
}

/// /dev/null as an `AsyncWrite` that calls `write(2)` for each chunk, as curl does: the
/// same sink for both sides (`tokio::fs::File` would hand every chunk to a blocking
/// thread; writing to /dev/null never blocks).
struct DevNull(std::fs::File);

impl tokio::io::AsyncWrite for DevNull {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The child side: builds its client, downloads once to warm up, says `ready`, then answers
/// `null` and `file PATH` with `wall_seconds cpu_seconds bytes`, until stdin closes.
pub fn child(url: &str) -> std::result::Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = FeishuClient::builder()
        .access_token(ACCESS_TOKEN)
        .base_url(url)
        // The rounds measure the transfer, not the endpoint's 100 calls a minute.
        .rate_limits(taskapi::runtime::RateLimits::off())
        .build()
        .map_err(|e| e.to_string())?;
    let mut null = DevNull(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map_err(|e| e.to_string())?,
    );
    let download = |target: Option<&str>, null: &mut DevNull| {
        runtime.block_on(async {
            let request = client.download_export_file(FILE_TOKEN);
            match target {
                None => request.to_writer(null).await,
                Some(path) => request.to_file(path).await,
            }
            .map_err(|e| e.to_string())
        })
    };
    download(None, &mut null)?;
    let mut out = std::io::stdout().lock();
    let say = |out: &mut std::io::StdoutLock<'_>, text: String| {
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())
    };
    say(&mut out, "ready".into())?;
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let target = match line.split_once(' ') {
            None if line == "null" => None,
            Some(("file", path)) => Some(path),
            _ => return Err(format!("unknown command {line:?}")),
        };
        let cpu = measure::own_cpu_seconds();
        let started = Instant::now();
        let bytes = download(target, &mut null)?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = measure::own_cpu_seconds() - cpu;
        say(&mut out, format!("{wall} {cpu} {bytes}"))?;
    }
    Ok(())
}
