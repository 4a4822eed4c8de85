//! The curl side: `curl -sSf -o DEST`, one process per download, timed by curl itself
//! (`%{time_total}`, which leaves out its process start). Its CPU time is taken less what a
//! curl process costs with no body to fetch, measured apart.

use super::content::{ACCESS_TOKEN, BYTES, check_and_remove, file_path};
use super::figures::{Sample, Target};
use crate::measure;
use crate::servers::{CLIENT_CPU, Pinning};
use crate::stats::Summary;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// curl, and the CPU time its start costs.
pub struct Curl {
    pub program: PathBuf,
    pub start_cpu_seconds: f64,
}

/// `curl --version`'s first two words, e.g. `curl 7.88.1`; `curl` when it says otherwise.
pub fn version(curl: &Path) -> String {
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
}

/// CPU ms of curl fetching a 404 from `base` (median of 5): everything but a body.
pub fn start_cpu(
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

impl Curl {
    /// One download; into a file, followed by an `fsync` of it, timed apart.
    pub fn download(
        &self,
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
            measure::command(pinning, CLIENT_CPU, &self.program)?
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
            cpu_seconds: (measured.cpu_seconds - self.start_cpu_seconds).max(0.0),
            peak_kib: measured.peak_kib,
        })
    }
}
