//! `cargo xtask bench [--quick]`: measures the generator, the generated code's compile cost,
//! the client's overhead against hand-written reqwest, token single-flight and waiter
//! efficiency; prints the tables and writes BENCHMARKS.md (`--quick`: a smoke run, written
//! to target/ instead).
#![forbid(unsafe_code)]

mod client;
mod compile;
mod generation;
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
    client_calls: usize,
    concurrent_calls: usize,
    jobs: &'static [u64],
}

const FULL: Plan = Plan {
    quick: false,
    runs: 5,
    generation_sizes: &[10, 100, 1000],
    compile_sizes: &[100, 1000],
    client_calls: 2000,
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
};

const QUICK: Plan = Plan {
    quick: true,
    runs: 2,
    generation_sizes: &[10, 100],
    compile_sizes: &[],
    client_calls: 200,
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["client-child", variant, url, calls] => {
            match (client::Variant::parse(variant), calls.parse()) {
                (Some(variant), Ok(calls)) => client::child(variant, url, calls),
                _ => Err("usage: client-child generated|hand-written URL CALLS".into()),
            }
        }
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
    let client = client::run(plan.client_calls, plan.runs)?;
    eprintln!("token single-flight ...");
    let tokens = tokens::run(plan.concurrent_calls, plan.runs)?;
    eprintln!("waiter efficiency ...");
    let waiting = waiting::run(plan.jobs, plan.runs)?;
    let report = report(
        plan,
        &generation,
        &compile,
        &client,
        &tokens,
        &waiting,
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

fn report(
    plan: &Plan,
    generation: &[generation::SetResult],
    compile: &[compile::CheckResult],
    client: &client::Result,
    tokens: &tokens::Result,
    waiting: &[waiting::JobResult],
    took: std::time::Duration,
) -> String {
    let mut r = String::new();
    let command = if plan.quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let _ = writeln!(r, "# Benchmarks\n");
    let _ = writeln!(
        r,
        "Written by `{command}` (release build) in {:.0} s. Each figure: median (min–max) over {} runs.\n",
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
        if let [small, large] = compile {
            let _ = writeln!(
                r,
                "\nGrowth {} -> {} endpoints: {:.1}x.",
                small.endpoints,
                large.endpoints,
                large.seconds.median / small.seconds.median
            );
        }
    }

    let _ = writeln!(
        r,
        "\n## Client overhead ({} sequential drive-export queries against one local fake server)\n",
        client.calls
    );
    let _ = writeln!(
        r,
        "| client | µs per call | peak memory (KiB) |\n| --- | ---: | ---: |"
    );
    let _ = writeln!(
        r,
        "| generated `taskapi` | {} | {} |",
        client.generated.show(1),
        client.generated_peak_kib.show(0)
    );
    let _ = writeln!(
        r,
        "| hand-written reqwest + serde | {} | {} |",
        client.hand_written.show(1),
        client.hand_written_peak_kib.show(0)
    );
    let _ = writeln!(
        r,
        "\nRatio generated / hand-written, per round: {} (target at most 1.10: {}).",
        client.ratio.show(3),
        met(client.ratio.median <= 1.10)
    );

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
