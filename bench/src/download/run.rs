//! The downloads part: each server in turn, then everything summed up for the report.

use super::content::BYTES;
use super::curl::{self, Curl};
use super::figures::{Memory, Result, Sizes};
use super::rounds;
use crate::servers::{Pinning, Server};
use crate::stats::Summary;
use std::path::Path;
use taskapi::feishu::DOWNLOAD_EXPORT_FILE;

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
    let curl_version = curl.as_deref().map(curl::version);
    let curl_start_cpu_ms = match &curl {
        Some(curl) => Some(curl::start_cpu(curl, &fake.url, pinning)?),
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
        results.push(rounds::measure(
            server,
            curl.as_ref(),
            cli,
            &dir,
            sizes,
            pinning,
        )?);
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
