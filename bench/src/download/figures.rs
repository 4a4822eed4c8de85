//! What the downloads come to: the targets, the figures the report shows, and the samples
//! and memory figures they are made of.

use crate::stats::Summary;

/// The CLI's peak memory target for a download of [`BYTES`](super::BYTES), KiB.
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
    /// Peak memory of the `taskapi` CLI downloading [`BYTES`](super::BYTES) into a file, KiB.
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
/// Where a download goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// /dev/null: the transfer alone.
    Null,
    /// A file of its own, checked and removed after.
    File,
}

/// One download's figures, or the sum of several.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    pub seconds: f64,
    /// Seconds of the `fsync` after curl (0 for the library).
    pub sync_seconds: f64,
    pub cpu_seconds: f64,
    pub peak_kib: f64,
}

impl Sample {
    /// Adds `s` to this total: its times summed, its peak the larger.
    pub fn add(&mut self, s: Sample) {
        self.seconds += s.seconds;
        self.sync_seconds += s.sync_seconds;
        self.cpu_seconds += s.cpu_seconds;
        self.peak_kib = self.peak_kib.max(s.peak_kib);
    }
}

/// Peak memory figures, KiB, and the CLI's MB/s.
#[derive(Default)]
pub struct Memory {
    pub cli_peaks: Vec<f64>,
    pub cli_mb_s: Vec<f64>,
    pub curl_peaks: Vec<f64>,
}
