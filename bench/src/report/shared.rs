//! The section of many processes sharing one app's rate limits and tokens through Redis,
//! and of its simulated row: one process waiting for many tasks on a simulated clock.

use super::verdict::met;
use crate::shared;
use std::fmt::Write as _;

/// The heading, how it was run, the table, failed runs and the targets with Redis.
pub fn section(r: &mut String, command: &str, s: &shared::Result) {
    let _ = writeln!(
        r,
        "\n## Many processes, one app (rate limits and tokens shared through Redis)\n"
    );
    method(r, s);
    if let Err(why) = &s.redis {
        let _ = writeln!(r, "Redis rows skipped: {why}.\n");
    }
    table(r, s);
    failed_runs(r, s);
    redis_targets(r, s);
    let _ = writeln!(
        r,
        "\nReproduce: `{command}` (uses `redis-server` from the PATH)."
    );
}

/// How the workers and the server were run, and why at this L and this client rate.
fn method(r: &mut String, s: &shared::Result) {
    let z = s.sizes;
    let _ = writeln!(
        r,
        "{} tasks of `{}`, shared out among N worker processes of the `taskapi` CLI \
         (`--batch FILE --wait`, app credentials: tokens are fetched, not given; `--rate-limit {}/s`), \
         against `taskapi serve-fake --rate-limit {} --pending-polls {}` in another process: \
         L = {} requests per second per endpoint, in fixed 1 s windows of the server's clock, \
         each task pending for {} poll(s) and then done ({} polls at the least). With Redis: \
         the workers share their slots and the app's token through {} (started by the bench \
         on a free loopback port, emptied before each run); without, each limits itself. \
         Figures from the server's own record (`GET /_fake/stats`): requests per full 1 s \
         window (the windows cut by the run's start and end left out) as a fraction of L, \
         throttled replies, tokens issued; median (min–max) over {} runs.\n\n\
         Why L = {}, not the issue's 20 per second: {} polls at 20 a second take {:.0} s per run, \
         and {} configurations of {} runs would take over {:.0} minutes; at L = {} a run takes \
         about {:.0} s. What is measured (each window's share of L, throttled replies, token \
         fetches) does not depend on L, and the simulated row below runs at L = 20. Why the \
         workers get {}/s, not L: the slots are spaced evenly, but each request reaches the \
         server a little late (a millisecond or so, more under load), so against fixed windows \
         a window now and then catches L + 1 (2 throttled replies in a trial of 4 workers at \
         exactly L/s); 3% under L leaves room for that, as the default fraction of 0.9 does for \
         real providers.\n",
        z.tasks,
        shared::ENDPOINT,
        z.client_rate,
        z.limit,
        z.pending_polls,
        z.limit,
        z.pending_polls,
        z.tasks * (z.pending_polls as usize + 1),
        s.redis.as_deref().unwrap_or("Redis"),
        z.runs,
        z.limit,
        z.tasks * (z.pending_polls as usize + 1),
        (z.tasks * (z.pending_polls as usize + 1)) as f64 / 20.0,
        z.workers.len() * 2,
        z.runs,
        (z.workers.len() * 2 * z.runs) as f64 * (z.tasks * (z.pending_polls as usize + 1)) as f64
            / 20.0
            / 60.0,
        z.limit,
        (z.tasks * (z.pending_polls as usize + 1)) as f64 / f64::from(z.client_rate),
        z.client_rate,
    );
}

/// One row per configuration: N workers, with Redis or without.
fn table(r: &mut String, s: &shared::Result) {
    let _ = writeln!(
        r,
        "| workers | Redis | busiest window / L | quietest window / L | throttled | tokens fetched | poll requests | wall (s) |\n\
         | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for row in &s.rows {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.workers,
            if row.redis { "shared" } else { "none" },
            row.max_rate.show(3),
            row.min_rate.show(3),
            row.throttled.show(0),
            row.tokens.show(0),
            row.polls.show(0),
            row.wall_s.show(1),
        );
    }
}

/// The runs whose workers did not all end every task, if any.
fn failed_runs(r: &mut String, s: &shared::Result) {
    let failed: Vec<String> = s
        .rows
        .iter()
        .flat_map(|row| {
            row.failed_runs
                .iter()
                .map(move |f| format!("{} workers: {f}", row.workers))
        })
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(
            r,
            "\nRuns that did not end every task: {}.",
            failed.join("; ")
        );
    }
}

/// The targets, judged on the rows with Redis (without it, each worker limits itself and
/// fetches its own token: nothing to meet).
fn redis_targets(r: &mut String, s: &shared::Result) {
    let with_redis: Vec<&shared::Row> = s.rows.iter().filter(|row| row.redis).collect();
    if !with_redis.is_empty() {
        let within = with_redis
            .iter()
            .all(|row| row.max_rate.max <= 1.0 && row.min_rate.min >= 0.95);
        let unthrottled = with_redis.iter().all(|row| row.throttled.max == 0.0);
        let one_token = with_redis.iter().all(|row| row.tokens.max == 1.0);
        let _ = writeln!(
            r,
            "\nTargets with Redis, in every run: every full window within 5% under L: {}; no \
             throttled reply: {}; one token fetch for all processes: {}.",
            met(within),
            met(unthrottled),
            met(one_token)
        );
    }
}

/// The simulated row: one process, many tasks, its clock paused and driven by tokio.
pub fn sim_section(r: &mut String, command: &str, s: &shared::SimResult) {
    let z = s.sizes;
    let _ = writeln!(
        r,
        "\n### One process waiting for {} tasks (simulated clock)\n",
        z.tasks
    );
    let _ = writeln!(
        r,
        "`client.wait_many_export_task(..)` (the batch waiter behind `--batch`, spec delays) for \
         {} tasks, each pending for {} poll(s), with `RateLimits::uniform({}/s)`, against the fake \
         server in the same process throttling beyond L = {} per second (the issue's figure: \
         the clock is simulated, so L costs no wall time). Tokio's paused clock drives the \
         limiter, the waiter's delays and the server's windows; requests are real HTTP on \
         loopback. One child process per run, its peak RSS read by a wrapper; median (min–max) \
         over {} runs.\n",
        z.tasks, z.pending_polls, z.client_rate, z.limit, z.runs
    );
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n\
         | tasks succeeded | {} |\n\
         | polls | {} |\n\
         | polls in the busiest full 1 s window (L = {}) | {} |\n\
         | polls in the quietest full window (fewer near the end: the last tasks wait out their delay) | {} |\n\
         | throttled replies | {} |\n\
         | simulated time (s) | {} |\n\
         | wall time (s) | {} |\n\
         | peak RSS (MiB) | {} |",
        s.succeeded.show(0),
        s.polls.show(0),
        z.limit,
        s.max_window.show(0),
        s.min_window.show(0),
        s.throttled.show(0),
        s.simulated_s.show(0),
        s.wall_s.show(2),
        s.peak_mib.show(1),
    );
    let _ = writeln!(
        r,
        "\nTargets, in every run: every task succeeded: {}; no window above L: {}; no throttled \
         reply: {}. Reproduce: `{command}`.",
        met(s.succeeded.min == z.tasks as f64),
        met(s.max_window.max <= f64::from(z.limit)),
        met(s.throttled.max == 0.0)
    );
}
