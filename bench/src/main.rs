//! `cargo xtask bench [--quick]`: measures the generator, the generated code's compile cost,
//! the client's overhead against hand-written reqwest (servers in other processes), the CLI's
//! cold start against curl, token single-flight and waiter efficiency; prints the tables and
//! writes BENCHMARKS.md (`--quick`: a smoke run, written to target/ instead).
#![forbid(unsafe_code)]

mod cli_start;
mod client;
mod compile;
mod generation;
mod servers;
mod stats;
mod synthetic;
mod tokens;
mod waiting;

use std::fmt::Write as _;
use std::process::ExitCode;

/// How much to measure.
struct Plan {
    quick: bool,
    runs: usize,
    generation_sizes: &'static [usize],
    compile_sizes: &'static [usize],
    client: client::Sizes,
    /// CLI cold start: runs of each tool per round.
    cli_runs: usize,
    concurrent_calls: usize,
    jobs: &'static [u64],
}

const FULL: Plan = Plan {
    quick: false,
    runs: 5,
    generation_sizes: &[10, 100, 1000],
    compile_sizes: &[100, 1000],
    client: client::Sizes {
        rounds: 7,
        sequential_blocks: 40,
        sequential_calls: 500,
        in_flight: 64,
        concurrent_blocks: 10,
        concurrent_calls: 2000,
    },
    cli_runs: 20,
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
};

const QUICK: Plan = Plan {
    quick: true,
    runs: 2,
    generation_sizes: &[10, 100],
    compile_sizes: &[],
    client: client::Sizes {
        rounds: 2,
        sequential_blocks: 4,
        sequential_calls: 100,
        in_flight: 64,
        concurrent_blocks: 2,
        concurrent_calls: 640,
    },
    cli_runs: 4,
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["client-child", variant, url] => match client::Variant::parse(variant) {
            Some(variant) => client::child(variant, url),
            None => Err("usage: client-child generated|hand-written URL".into()),
        },
        [] => bench(&FULL),
        ["--quick"] => bench(&QUICK),
        _ => Err("usage: cargo xtask bench [--quick]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench(plan: &Plan) -> Result<(), String> {
    // Found at run time: checkouts sharing a target directory share this binary.
    let root = codegen::workspace_root()?;
    let started = std::time::Instant::now();
    eprintln!("generation ...");
    let generation = generation::run(&root, plan.generation_sizes, plan.runs)?;
    eprintln!("compile cost ...");
    let compile = compile::run(&root, plan.compile_sizes, plan.runs)?;
    eprintln!("client overhead ...");
    let taskapi = servers::build_taskapi(&root)?;
    let pinning = servers::Pinning::detect();
    let fake = servers::fake(&taskapi, &pinning)?;
    let mut skipped = Vec::new();
    let nginx = match servers::nginx(taskapi::feishu::GET_EXPORT_TASK_EXAMPLE, &pinning) {
        Ok(Some(nginx)) => Some(nginx),
        Ok(None) => {
            skipped.push("nginx: not installed".to_owned());
            None
        }
        Err(e) => {
            eprintln!("  nginx skipped: {e}");
            skipped.push(format!("nginx: could not be started ({e})"));
            None
        }
    };
    let servers: Vec<&servers::Server> = std::iter::once(&fake).chain(&nginx).collect();
    let client = client::run(&servers, skipped, plan.client, &pinning)?;
    drop(nginx);
    eprintln!("CLI cold start ...");
    let cli = cli_start::run(&taskapi, &fake.url, plan.client.rounds, plan.cli_runs)?;
    drop(fake);
    eprintln!("token single-flight ...");
    let tokens = tokens::run(plan.concurrent_calls, plan.runs)?;
    eprintln!("waiter efficiency ...");
    let waiting = waiting::run(plan.jobs, plan.runs)?;
    let report = report(
        plan,
        &Results {
            generation,
            compile,
            client,
            cli,
            tokens,
            waiting,
        },
        started.elapsed(),
    );
    println!("{report}");
    let out = if plan.quick {
        root.join("target/BENCHMARKS.quick.md")
    } else {
        root.join("BENCHMARKS.md")
    };
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&out, report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// Everything measured, for the report.
struct Results {
    generation: Vec<generation::SetResult>,
    compile: Vec<compile::CheckResult>,
    client: client::Result,
    cli: cli_start::Result,
    tokens: tokens::Result,
    waiting: Vec<waiting::JobResult>,
}

fn report(plan: &Plan, results: &Results, took: std::time::Duration) -> String {
    let Results {
        generation,
        compile,
        client,
        cli,
        tokens,
        waiting,
    } = results;
    let mut r = String::new();
    let command = if plan.quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let _ = writeln!(r, "# Benchmarks\n");
    let _ = writeln!(
        r,
        "Written by `{command}` (release build) in {:.0} s. Each figure: median (min–max) over {} runs unless its section says otherwise.\n",
        took.as_secs_f64(),
        plan.runs
    );
    let _ = writeln!(r, "Machine: {}\n", machine());

    let _ = writeln!(r, "## Generation (load + validate + emit + format)\n");
    let _ = writeln!(
        r,
        "| spec set | endpoints | time (ms) | per endpoint (ms) | generated lines | lines per endpoint |"
    );
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for g in generation {
        let ms = stats::Summary {
            median: g.seconds.median * 1000.0,
            min: g.seconds.min * 1000.0,
            max: g.seconds.max * 1000.0,
            runs: g.seconds.runs,
        };
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} | {:.0} |",
            g.name,
            g.endpoints,
            ms.show(1),
            g.per_endpoint_ms().show(2),
            g.lines,
            g.lines as f64 / g.endpoints.max(1) as f64
        );
    }
    let by_size = |n: usize| {
        generation
            .iter()
            .find(|g| g.name == format!("synthetic {n}"))
    };
    if let (Some(hundred), Some(thousand)) = (by_size(100), by_size(1000)) {
        let growth = thousand.seconds.median / hundred.seconds.median;
        let _ = writeln!(
            r,
            "\nTargets: 1,000 endpoints in {:.3} s (under 1 s: {}); growth t(1000)/t(100) = {growth:.1}x (at most 12x: {}).",
            thousand.seconds.median,
            met(thousand.seconds.median < 1.0),
            met(growth <= 12.0)
        );
    }

    let _ = writeln!(
        r,
        "\n## Compile cost (`cargo check` of the client crate, real + synthetic endpoints)\n"
    );
    if compile.is_empty() {
        let _ = writeln!(r, "Skipped in quick mode (it builds a scratch workspace).");
    } else {
        let _ = writeln!(
            r,
            "| synthetic endpoints | cargo check (s) |\n| ---: | ---: |"
        );
        for c in compile {
            let _ = writeln!(r, "| {} | {} |", c.endpoints, c.seconds.show(2));
        }
        if let [small, large] = compile.as_slice() {
            let _ = writeln!(
                r,
                "\nGrowth {} -> {} endpoints: {:.1}x.",
                small.endpoints,
                large.endpoints,
                large.seconds.median / small.seconds.median
            );
        }
    }

    client_section(&mut r, command, client);
    cli_section(&mut r, command, cli);

    let _ = writeln!(
        r,
        "\n## Token single-flight ({} concurrent first calls, managed credentials)\n",
        tokens.concurrent
    );
    let _ = writeln!(
        r,
        "Token requests per run: {:?} (must be 1: {}). Wall time for all calls: {} ms.",
        tokens.token_requests,
        met(tokens.token_requests.iter().all(|n| *n == 1)),
        tokens.wall_ms.show(1)
    );

    let _ = writeln!(
        r,
        "\n## Waiter efficiency (simulated clock, drive export defaults)\n"
    );
    let _ = writeln!(
        r,
        "| job length (s) | polls | detection delay (s) | fixed 5 s: polls | fixed 5 s: delay (s) | delay bound (s) |"
    );
    let _ = writeln!(r, "| ---: | ---: | ---: | ---: | ---: | ---: |");
    for w in waiting {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} | {:.1} |",
            w.job_secs,
            w.polls.show(0),
            w.delay_secs.show(2),
            w.fixed_polls,
            w.fixed_delay_secs,
            w.delay_bound_secs
        );
    }
    let fewer = waiting
        .iter()
        .filter(|w| w.job_secs >= 60)
        .all(|w| w.polls.max < w.fixed_polls as f64);
    let bounded = waiting
        .iter()
        .all(|w| w.delay_secs.max <= w.delay_bound_secs);
    let _ = writeln!(
        r,
        "\nTargets: fewer polls than fixed 5 s from 60 s on, in every run: {}; detection delay at most 20% of the job + the minimum delay, in every run: {}.",
        met(fewer),
        met(bounded)
    );
    r
}

fn client_section(r: &mut String, command: &str, client: &client::Result) {
    let sizes = client.sizes;
    let servers: Vec<&str> = client.servers.iter().map(|s| s.server.as_str()).collect();
    let _ = writeln!(
        r,
        "\n## Client overhead (drive-export query, server in another process)\n"
    );
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
    let _ = writeln!(
        r,
        "\nReproduce: `{command}` (release build; it builds the `taskapi` binary for \
         `taskapi serve-fake`, and uses nginx when an `nginx` binary is on the PATH or in \
         /usr/sbin, e.g. after `apt-get install nginx-light`). Without anything else running, \
         spreads are narrower: on a shared machine compare ratios, not absolute times."
    );
}

fn cli_section(r: &mut String, command: &str, cli: &cli_start::Result) {
    let _ = writeln!(
        r,
        "\n## CLI cold start (one drive-export query, process start to exit)\n"
    );
    let _ = writeln!(
        r,
        "`taskapi feishu.drive.export_task.get --ticket .. --token .. --base-url http://127.0.0.1:..` \
         against the `taskapi serve-fake` process, alternating with `curl -sSf` making the same \
         request; per round, the median of {} runs of each; median (min–max) over rounds.\n",
        cli.per_round
    );
    let _ = writeln!(r, "| program | ms per run |\n| --- | ---: |");
    let _ = writeln!(r, "| `taskapi` | {} |", cli.taskapi_ms.show(2));
    match (&cli.curl_ms, &cli.ratio) {
        (Some(curl), Some(ratio)) => {
            let _ = writeln!(r, "| `curl` | {} |", curl.show(2));
            let _ = writeln!(
                r,
                "\nRatio taskapi / curl, per round: {} (target at most 1.0: {}).",
                ratio.show(3),
                met(ratio.median <= 1.0)
            );
        }
        _ => {
            let _ = writeln!(r, "\ncurl is not installed: no comparison.");
        }
    }
    let _ = writeln!(
        r,
        "\nRoot certificates: an http base URL loads none (the query works with \
         `SSL_CERT_FILE`/`SSL_CERT_DIR` pointing nowhere): {}. Reproduce: `{command}`.",
        if cli.no_certificates_loaded {
            "yes"
        } else {
            "**no**"
        }
    );
}

/// Cores, CPU model, memory and toolchain, read from the machine.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU".to_owned(), |m| m.trim().to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or("unknown memory".to_owned(), |kib| {
            format!("{:.0} GiB", kib / 1024.0 / 1024.0)
        });
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores ({model}), {memory}, {rustc}")
}

#[cfg(test)]
mod smoke {
    //! Keeps the benchmark code from rotting: each part runs, tiny, in-process. Nothing
    //! here asserts a time.

    #[test]
    fn every_part_runs() {
        let root = codegen::workspace_root().unwrap();
        let generation = crate::generation::run(&root, &[3], 1).unwrap();
        assert_eq!(generation.len(), 2);
        assert!(generation.iter().all(|g| g.lines > 0));
        let tokens = crate::tokens::run(50, 1).unwrap();
        assert_eq!(tokens.token_requests, [1]);
        let waiting = crate::waiting::run(&[2, 60], 1).unwrap();
        assert!(waiting[1].polls.median < waiting[1].fixed_polls as f64);
    }
}
