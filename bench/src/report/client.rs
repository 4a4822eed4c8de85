//! The client overhead section: the generated client against hand-written reqwest, per
//! server, in wall time, CPU time and memory.

use super::verdict::met;
use crate::client;
use std::fmt::Write as _;

/// The heading, how the clients were run, the table, and how to reproduce it.
pub fn section(r: &mut String, command: &str, client: &client::Result) {
    let _ = writeln!(
        r,
        "\n## Client overhead (drive-export query, server in another process)\n"
    );
    method(r, client);
    table(r, client);
    let _ = writeln!(
        r,
        "\nReproduce: `{command}` (release build; it builds the `taskapi` binary for \
         `taskapi serve-fake`, and uses nginx when an `nginx` binary is on the PATH or in \
         /usr/sbin, e.g. after `apt-get install nginx-light`). Without anything else running, \
         spreads are narrower: on a shared machine compare ratios, not absolute times."
    );
}

/// How the clients were run and timed, with the sizes and the servers of this run.
fn method(r: &mut String, client: &client::Result) {
    let sizes = client.sizes;
    let servers: Vec<&str> = client.servers.iter().map(|s| s.server.as_str()).collect();
    let _ = writeln!(
        r,
        "The generated client (`get_export_task(..).send()`) against a hand-written reqwest + serde \
         call decoding the same struct (URL formatted once, no timeout), each in its own process \
         on a current-thread runtime, against servers in other processes: {}; {}. Skipped: {}. \
         The two clients run alternately in the same run (A/B/A/B blocks, the order swapped on \
         every block); a figure is the median (min–max) over {} rounds, a ratio is taken per \
         round. Sequential: {} blocks of {} calls per client per round. In flight: {} calls at a \
         time, {} blocks of {} calls. CPU: the client process's own CPU time per call, which \
         other load disturbs less than wall time.\n",
        servers.join(", "),
        client.pinning,
        if client.skipped.is_empty() {
            "none".to_owned()
        } else {
            client.skipped.join("; ")
        },
        sizes.rounds,
        sizes.sequential_blocks,
        sizes.sequential_calls,
        sizes.in_flight,
        sizes.concurrent_blocks,
        sizes.concurrent_calls,
    );
}

/// One row per measure and server: both clients, their ratio and its target.
fn table(r: &mut String, client: &client::Result) {
    let sizes = client.sizes;
    let _ = writeln!(
        r,
        "| server | measure | generated `taskapi` | hand-written | generated / hand-written | target |\n\
         | --- | --- | ---: | ---: | ---: | --- |"
    );
    for s in &client.servers {
        let row = |r: &mut String, measure: &str, pair: &client::Pair, decimals, target: &str| {
            let _ = writeln!(
                r,
                "| {} | {measure} | {} | {} | {} | {target} |",
                s.server,
                pair.generated.show(decimals),
                pair.hand_written.show(decimals),
                pair.ratio.show(3),
            );
        };
        let sequential = s.sequential_us.ratio.median;
        row(
            r,
            "sequential: µs per call",
            &s.sequential_us,
            1,
            &format!("at most 1.05: {}", met(sequential <= 1.05)),
        );
        row(
            r,
            "sequential: CPU µs per call",
            &s.sequential_cpu_us,
            1,
            "",
        );
        let throughput = s.concurrent_per_s.ratio.median;
        row(
            r,
            &format!("{} in flight: calls per second", sizes.in_flight),
            &s.concurrent_per_s,
            0,
            &format!("at least 0.95: {}", met(throughput >= 0.95)),
        );
        row(
            r,
            &format!("{} in flight: CPU µs per call", sizes.in_flight),
            &s.concurrent_cpu_us,
            1,
            "",
        );
        let _ = writeln!(
            r,
            "| {} | peak memory at the end (KiB) | {:.0} | {:.0} | {:.3} | |",
            s.server,
            s.peak_kib[0],
            s.peak_kib[1],
            s.peak_kib[0] / s.peak_kib[1]
        );
    }
}
