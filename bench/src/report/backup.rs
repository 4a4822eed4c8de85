//! The backups section: the steady pace of export creates against the limit in effect, the
//! calls of a rerun with nothing to do, the peak memory of a backup, and the time the
//! record takes to commit one change of state.

use super::verdict::met;
use crate::backup;
use std::fmt::Write as _;

pub fn section(r: &mut String, command: &str, b: &backup::Result) {
    let s = b.sizes;
    let limit = backup::CREATE_LIMIT * backup::PACE_FRACTION;
    let _ = writeln!(
        r,
        "\n## Backups (`taskapi backup folder` against `taskapi serve-fake --tree`)\n"
    );
    let _ = writeln!(
        r,
        "Pace: `taskapi --rate-limit {fraction} backup folder ROOT DIR --jobs {jobs}` over a \
         tree of {tree} items (`serve-fake --tree {tree} --export-ready-ms {ready}`), a fresh \
         DIR and server each run, {runs} runs; the fake's arrival times of `{create}`, the \
         first and last {edge:.0}% by time dropped, give the steady pace, next to the create \
         limit in effect (100 a minute × {fraction} = {limit:.0}/s). After each, the same \
         backup again on the finished DIR: the calls it made, per route. Memory: a backup of \
         a tree of {memory} items (`--tree {memory} --tree-max-size {max} --export-ready-ms \
         {mready}`, `--rate-limit {mfraction} --jobs {mjobs}`: limits far above the pace \
         reached), peak RSS of the backup process, {mruns} runs. Record: in this process, \
         {items} items recorded in a fresh record (tmpdir, on this machine's disk; SQLite WAL, \
         `synchronous=FULL`), then each set exporting and done, one write at a time: each a \
         commit of its own, synced, timed (a backup's workers writing at once share commits); \
         {rruns} runs.\n",
        fraction = backup::PACE_FRACTION,
        jobs = backup::JOBS,
        tree = s.tree,
        ready = backup::PACE_READY_MS,
        runs = s.pace_runs,
        create = backup::CREATE,
        edge = backup::EDGE * 100.0,
        memory = s.memory_tree,
        max = backup::MEMORY_MAX_SIZE,
        mready = backup::MEMORY_READY_MS,
        mfraction = backup::MEMORY_FRACTION,
        mjobs = backup::MEMORY_JOBS,
        mruns = s.memory_runs,
        items = s.record_items,
        rruns = s.record_runs,
    );
    let others = if b.rerun_other_routes.is_empty() {
        String::new()
    } else {
        format!(" ({})", b.rerun_other_routes.join(", "))
    };
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n\
         | creates per run, all / steady state | {} / {} |\n\
         | steady create pace, per s | {} |\n\
         | ratio to the limit in effect ({limit:.0}/s) | {} |\n\
         | backup wall time, s | {} |\n\
         | rerun: list calls / other calls{others} | {} / {} |\n\
         | rerun wall time, s | {} |\n\
         | memory: items in the record | {} |\n\
         | memory: peak RSS, MiB | {} |\n\
         | memory: wall time, s | {} |\n\
         | record: one change of state, µs (median of a run) | {} |\n\
         | record: one change of state, µs (99th percentile of a run) | {} |",
        b.creates.show(0),
        b.steady_creates.show(0),
        b.pace.show(1),
        b.ratio.show(3),
        b.pace_seconds.show(1),
        b.rerun_lists.show(0),
        b.rerun_others.show(0),
        b.rerun_seconds.show(2),
        b.memory_items,
        b.memory_peak_mib.show(1),
        b.memory_seconds.show(1),
        b.record_us.show(0),
        b.record_p99_us.show(0),
    );
    let full_size = s.memory_tree >= 100_000;
    let size_note = if full_size {
        String::new()
    } else {
        format!(
            " (measured on {} items, not 100,000: a quick run)",
            s.memory_tree
        )
    };
    let _ = writeln!(
        r,
        "\nTargets: steady pace at least {} of the limit (median): {}; the rerun makes list \
         calls only, in every run: {}; a backup under {:.0} MiB in every run{size_note}: {}. \
         The record's time per change has no target: it is the cost of durability on this \
         disk. Reproduce: `{command}`.",
        backup::TARGET_RATIO,
        met(b.ratio.median >= backup::TARGET_RATIO),
        met(b.rerun_others.max == 0.0 && b.rerun_lists.min > 0.0),
        backup::TARGET_PEAK_MIB,
        met(b.memory_peak_mib.max < backup::TARGET_PEAK_MIB),
    );
}
