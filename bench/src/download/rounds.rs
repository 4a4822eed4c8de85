//! One server's rounds. In each, the library and curl alternate download by download (the
//! order swapped every time), into /dev/null and then into a file, and each ratio is taken
//! per round; against the fake server, the CLI's peak memory is read once per round too.

use super::cli;
use super::content::{BYTES, download_path};
use super::curl::Curl;
use super::figures::{Memory, Pair, Sample, ServerResult, Sizes, Target, VersusCurl};
use super::library::Library;
use crate::servers::{Pinning, Server};
use crate::stats::Summary;
use std::path::Path;

/// Every round against `server`. `cli`: the `taskapi` binary and where the memory figures
/// go, for the one server the CLI is measured against.
pub fn measure(
    server: &Server,
    curl: Option<&Curl>,
    mut cli: Option<(&Path, &mut Memory)>,
    dir: &tempfile::TempDir,
    sizes: Sizes,
    pinning: &Pinning,
) -> std::result::Result<ServerResult, String> {
    let mut sides = Sides {
        library: Library::spawn(&server.url, pinning)?,
        curl,
        url: format!("{}{}", server.url, download_path()),
        dir,
        pinning,
        n: 0,
    };
    let mb = BYTES as f64 / 1e6;
    let mut figures = RoundFigures::new(mb, sizes.per_round);
    for round in 0..sizes.rounds {
        for target in [Target::Null, Target::File] {
            let curl_peaks = cli.as_mut().map(|(_, memory)| &mut memory.curl_peaks);
            let (ours, theirs) = sides.alternate(round, target, sizes.per_round, curl_peaks)?;
            figures.push(target, ours, curl.map(|_| theirs));
        }
        let mut cli_peak = String::new();
        if let Some((taskapi, memory)) = cli.as_mut() {
            let measured = cli::download(taskapi, &server.url, dir, pinning)?;
            memory.cli_peaks.push(measured.peak_kib);
            memory.cli_mb_s.push(mb / measured.wall_seconds);
            cli_peak = format!("; CLI peak {:.1} MiB", measured.peak_kib / 1024.0);
        }
        figures.show_round(round, &cli_peak);
    }
    Ok(figures.server_result(server.name.clone(), curl.is_some()))
}

/// Both sides against one server, and the count that gives each download a file of its own.
struct Sides<'a> {
    library: Library,
    /// `None` when curl is not installed.
    curl: Option<&'a Curl>,
    /// The file's URL on the server.
    url: String,
    dir: &'a tempfile::TempDir,
    pinning: &'a Pinning,
    /// Downloads so far, both sides together.
    n: usize,
}

impl Sides<'_> {
    /// `per_round` downloads of each side into `target`, alternating: which goes first
    /// swaps every time, and from round to round. Each side's total; curl's peak memory
    /// for each download into a file goes to `curl_peaks`, when given.
    fn alternate(
        &mut self,
        round: usize,
        target: Target,
        per_round: usize,
        mut curl_peaks: Option<&mut Vec<f64>>,
    ) -> std::result::Result<(Sample, Sample), String> {
        let (mut ours, mut theirs) = (Sample::default(), Sample::default());
        for k in 0..per_round {
            self.n += 1;
            let curl_first = (round + k) % 2 == 1;
            let s = if curl_first {
                let s = self.curl_once(target)?;
                ours.add(self.library.download(target, self.dir, self.n)?);
                s
            } else {
                ours.add(self.library.download(target, self.dir, self.n)?);
                self.curl_once(target)?
            };
            if let (Some(_), Some(peaks), Target::File) =
                (self.curl, curl_peaks.as_deref_mut(), target)
            {
                peaks.push(s.peak_kib);
            }
            theirs.add(s);
        }
        Ok((ours, theirs))
    }

    /// One curl download; an empty sample when curl is not installed.
    fn curl_once(&self, target: Target) -> std::result::Result<Sample, String> {
        match self.curl {
            Some(curl) => curl.download(&self.url, target, self.dir, self.n, self.pinning),
            None => Ok(Sample::default()),
        }
    }
}

/// One figure per round so far: MB/s and CPU ms per 100 MB of each side, and their ratios.
/// The pairs of arrays: index 0 into /dev/null, index 1 into a file.
struct RoundFigures {
    /// MB (10^6 bytes) per download.
    mb: f64,
    /// Downloads of each side per round and target.
    per_round: usize,
    library_mb_s: [Vec<f64>; 2],
    curl_mb_s: [Vec<f64>; 2],
    ratios: [Vec<f64>; 2],
    /// curl into a file, its time plus the `fsync` of its file.
    synced_curl: Vec<f64>,
    synced_ratio: Vec<f64>,
    /// CPU into /dev/null.
    library_cpu: Vec<f64>,
    curl_cpu: Vec<f64>,
    cpu_ratio: Vec<f64>,
}

impl RoundFigures {
    fn new(mb: f64, per_round: usize) -> RoundFigures {
        RoundFigures {
            mb,
            per_round,
            library_mb_s: Default::default(),
            curl_mb_s: Default::default(),
            ratios: Default::default(),
            synced_curl: Vec::new(),
            synced_ratio: Vec::new(),
            library_cpu: Vec::new(),
            curl_cpu: Vec::new(),
            cpu_ratio: Vec::new(),
        }
    }

    /// MB/s of a round's downloads of one side, which took `seconds` in all.
    fn mb_s(&self, seconds: f64) -> f64 {
        self.mb * self.per_round as f64 / seconds
    }

    /// CPU ms per 100 MB of a round's downloads of one side, which took `cpu_seconds`.
    fn per_100_mb(&self, cpu_seconds: f64) -> f64 {
        cpu_seconds * 1000.0 / (self.mb * self.per_round as f64 / 100.0)
    }

    /// A round's totals into `target`: the library's, and curl's when it is installed.
    fn push(&mut self, target: Target, ours: Sample, theirs: Option<Sample>) {
        let t = match target {
            Target::Null => 0,
            Target::File => 1,
        };
        let ours_mb_s = self.mb_s(ours.seconds);
        self.library_mb_s[t].push(ours_mb_s);
        if target == Target::Null {
            self.library_cpu.push(self.per_100_mb(ours.cpu_seconds));
        }
        let Some(theirs) = theirs else {
            return;
        };
        let theirs_mb_s = self.mb_s(theirs.seconds);
        self.curl_mb_s[t].push(theirs_mb_s);
        self.ratios[t].push(ours_mb_s / theirs_mb_s);
        match target {
            Target::Null => {
                let cpu = self.per_100_mb(theirs.cpu_seconds);
                self.curl_cpu.push(cpu);
                self.cpu_ratio.push(self.per_100_mb(ours.cpu_seconds) / cpu);
            }
            Target::File => {
                let synced = self.mb_s(theirs.seconds + theirs.sync_seconds);
                self.synced_curl.push(synced);
                self.synced_ratio.push(ours_mb_s / synced);
            }
        }
    }

    /// The progress line of round `round` (from 0): its figures, library / curl.
    fn show_round(&self, round: usize, cli_peak: &str) {
        let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
        eprintln!(
            "    round {}: /dev/null {:.0} / {:.0} MB/s, {:.1} / {:.1} CPU ms per 100 MB, file {:.0} / {:.0} (synced {:.0}) MB/s (library / curl){cli_peak}",
            round + 1,
            last(&self.library_mb_s[0]),
            last(&self.curl_mb_s[0]),
            last(&self.library_cpu),
            last(&self.curl_cpu),
            last(&self.library_mb_s[1]),
            last(&self.curl_mb_s[1]),
            last(&self.synced_curl),
        );
    }

    /// Every round's figures summed up; `versus_curl`: whether curl was measured.
    fn server_result(self, server: String, versus_curl: bool) -> ServerResult {
        let pair = |ours: &[f64], theirs: &[f64], ratio: &[f64]| Pair {
            library: Summary::of(ours.to_vec()),
            curl: Summary::of(theirs.to_vec()),
            ratio: Summary::of(ratio.to_vec()),
        };
        let versus = versus_curl.then(|| VersusCurl {
            null: pair(&self.library_mb_s[0], &self.curl_mb_s[0], &self.ratios[0]),
            file: pair(&self.library_mb_s[1], &self.curl_mb_s[1], &self.ratios[1]),
            file_synced: pair(&self.library_mb_s[1], &self.synced_curl, &self.synced_ratio),
            null_cpu: pair(&self.library_cpu, &self.curl_cpu, &self.cpu_ratio),
        });
        ServerResult {
            server,
            library_null: Summary::of(self.library_mb_s[0].clone()),
            library_file: Summary::of(self.library_mb_s[1].clone()),
            curl: versus,
        }
    }
}
