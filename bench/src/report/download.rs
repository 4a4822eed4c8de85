//! The downloads section: the generated client's throughput and CPU against curl, per
//! server and destination, then the CLI's peak memory while it downloads.

use super::verdict::met;
use crate::{download, stats};
use std::fmt::Write as _;

/// The heading, how both sides were run, the throughput table, then the memory table.
pub fn section(r: &mut String, command: &str, d: &download::Result) {
    let mib = d.bytes as f64 / 1024.0 / 1024.0;
    let _ = writeln!(
        r,
        "\n## Downloads ({mib:.0} MiB, server in another process)\n"
    );
    method(r, d);
    match &d.curl_version {
        Some(version) => versus_curl(r, version, d),
        None => library_alone(r, d),
    }
    memory(r, command, d);
}

/// What was downloaded from where, and how each side was timed.
fn method(r: &mut String, d: &download::Result) {
    let servers: Vec<&str> = d.servers.iter().map(|s| s.server.as_str()).collect();
    let _ = writeln!(
        r,
        "`{}`, from servers in other processes: {}. Skipped: {}. \
         `taskapi serve-fake --download-size {}` makes the bytes as it sends them, and its CPU \
         sets the pace; nginx sends the same bytes from a file with `sendfile`, fast enough \
         that the client's side sets it. The generated client (`download_export_file(..)`, \
         in its own process on a current-thread runtime, one connection kept) downloads into \
         /dev/null (`to_writer`, a writer calling `write(2)` per chunk, as curl does) and \
         into a file (`to_file`: a temporary file, synced, renamed onto the target), timed \
         in the process from the request to the last byte written; `curl -sSf -o DEST` \
         fetches the same URL, one process per download, timed by curl itself \
         (`%{{time_total}}`): neither figure includes starting a process. `curl -o FILE` \
         does not sync its file: the \"curl + fsync\" rows add the time of an `fsync` of \
         curl's file, made by the bench right after curl exits, for the same durability as \
         `to_file`. CPU: the client's own time per 100 MB into /dev/null; curl's less {} ms, \
         what a curl process fetching a 404 takes (its start and exit). The two sides \
         alternate download by download (the order swapped every time), {} downloads of each \
         per target per round; a figure is the median (min–max) over {} rounds, a ratio is \
         taken per round; MB = 10^6 bytes; {}.\n",
        d.endpoint,
        servers.join(", "),
        if d.skipped.is_empty() {
            "none".to_owned()
        } else {
            d.skipped.join("; ")
        },
        d.bytes,
        d.curl_start_cpu_ms
            .map_or("nothing".to_owned(), |s| s.show(1)),
        d.sizes.per_round,
        d.sizes.rounds,
        d.pinning,
    );
}

/// Per server, the client against curl version `version`: MB/s and CPU per destination.
fn versus_curl(r: &mut String, version: &str, d: &download::Result) {
    let _ = writeln!(
        r,
        "| server | measure | generated `taskapi` | {version} | taskapi / curl | target |\n\
         | --- | --- | ---: | ---: | ---: | --- |"
    );
    for s in &d.servers {
        let Some(c) = &s.curl else { continue };
        let target = |ratio: &stats::Summary| {
            format!(
                "at least {}: {}",
                download::RATIO_TARGET,
                met(ratio.median >= download::RATIO_TARGET)
            )
        };
        let mut row = |measure: &str, pair: &download::Pair, decimals, target: String| {
            let _ = writeln!(
                r,
                "| {} | {measure} | {} | {} | {} | {target} |",
                s.server,
                pair.library.show(decimals),
                pair.curl.show(decimals),
                pair.ratio.show(3),
            );
        };
        row("to /dev/null: MB/s", &c.null, 0, target(&c.null.ratio));
        row(
            "to /dev/null: CPU ms per 100 MB",
            &c.null_cpu,
            1,
            String::new(),
        );
        row(
            "to a file: MB/s (`to_file` synced, curl not)",
            &c.file,
            0,
            target(&c.file.ratio),
        );
        row(
            "to a file: MB/s (curl + fsync)",
            &c.file_synced,
            0,
            target(&c.file_synced.ratio),
        );
    }
}

/// Without curl, the client's MB/s alone.
fn library_alone(r: &mut String, d: &download::Result) {
    let _ = writeln!(
        r,
        "curl is not installed: no comparison. The generated client alone:\n\n\
         | server | to /dev/null: MB/s | to a file: MB/s |\n| --- | ---: | ---: |"
    );
    for s in &d.servers {
        let _ = writeln!(
            r,
            "| {} | {} | {} |",
            s.server,
            s.library_null.show(0),
            s.library_file.show(0)
        );
    }
}

/// The CLI's peak memory downloading into a file (and curl's, when installed), with its
/// target.
fn memory(r: &mut String, command: &str, d: &download::Result) {
    let mib = d.bytes as f64 / 1024.0 / 1024.0;
    let _ = writeln!(
        r,
        "\nPeak memory downloading {mib:.0} MiB into a file from `taskapi serve-fake`, one run \
         per round (`ru_maxrss` of that process alone, read by a wrapper process that waits for \
         it):\n"
    );
    let _ = writeln!(
        r,
        "| program | peak RSS (MiB) | MB/s, process start to exit |\n| --- | ---: | ---: |"
    );
    let _ = writeln!(
        r,
        "| `{}` | {} | {} |",
        d.cli_command,
        scaled(&d.cli_peak_kib, 1.0 / 1024.0).show(1),
        d.cli_mb_s.show(0)
    );
    if let Some(curl) = &d.curl_peak_kib {
        let _ = writeln!(
            r,
            "| `curl -sSf -o FILE` | {} | |",
            scaled(curl, 1.0 / 1024.0).show(1)
        );
    }
    let _ = writeln!(
        r,
        "\nTarget: the CLI's peak under {:.0} MiB in every round: {}. Reproduce: `{command}` \
         (uses curl when it is on the PATH, and nginx as for the client overhead).",
        download::PEAK_TARGET_KIB / 1024.0,
        met(d.cli_peak_kib.max < download::PEAK_TARGET_KIB)
    );
}

/// `s` with every figure multiplied by `factor`.
fn scaled(s: &stats::Summary, factor: f64) -> stats::Summary {
    stats::Summary {
        median: s.median * factor,
        min: s.min * factor,
        max: s.max * factor,
        runs: s.runs,
    }
}
