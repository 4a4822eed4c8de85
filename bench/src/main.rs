//! `cargo xtask bench [--quick] [--only PART,...]`: measures the generator, the generated
//! code's compile cost, the client's overhead against hand-written reqwest (servers in other
//! processes), the CLI's cold start against curl, download throughput against curl and the
//! CLI's peak memory while downloading, token single-flight, waiter efficiency, the memory of
//! a batch wait's pending tasks and doc-page reading (`docread`); prints the tables and
//! writes BENCHMARKS.md (`--quick`: a smoke run, and `--only`: some parts, both written to
//! target/ instead).
#![forbid(unsafe_code)]

/// The allocator of the generator, as `cargo xtask gen` runs it (the client benchmarks compare two clients in this same binary, so both get it): see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod batch;
mod cli_start;
mod client;
mod compile;
mod download;
mod generation;
mod measure;
mod pages;
mod servers;
mod shared;
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
    download: download::Sizes,
    concurrent_calls: usize,
    jobs: &'static [u64],
    shared: shared::Sizes,
    shared_sim: shared::SimSizes,
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
    download: download::Sizes {
        rounds: 7,
        per_round: 4,
    },
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
    shared: shared::Sizes {
        tasks: 2000,
        limit: 400,
        client_rate: 388,
        pending_polls: 1,
        workers: &[1, 4, 8],
        runs: 2,
    },
    shared_sim: shared::SimSizes {
        tasks: 10_000,
        limit: 20,
        client_rate: 19,
        pending_polls: 1,
        runs: 3,
    },
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
    download: download::Sizes {
        rounds: 2,
        per_round: 1,
    },
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
    shared: shared::Sizes {
        tasks: 200,
        limit: 100,
        client_rate: 97,
        pending_polls: 1,
        workers: &[1, 4],
        runs: 1,
    },
    shared_sim: shared::SimSizes {
        tasks: 1000,
        limit: 20,
        client_rate: 19,
        pending_polls: 1,
        runs: 1,
    },
};

/// The parts `--only` can name, in the order they run.
const PARTS: [&str; 10] = [
    "generation",
    "compile",
    "client",
    "cli",
    "download",
    "tokens",
    "waiting",
    "batch",
    "pages",
    "shared",
];

const USAGE: &str = "usage: cargo xtask bench [--quick] [--only PART,...] \
                     (parts: generation, compile, client, cli, download, tokens, waiting, batch, pages, shared)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        // Child processes the bench starts.
        ["client-child", variant, url] => match client::Variant::parse(variant) {
            Some(variant) => client::child(variant, url),
            None => Err("usage: client-child generated|hand-written URL".into()),
        },
        ["download-child", url] => download::child(url),
        ["batch-child", tasks] => batch::child(tasks),
        ["measure-child", program, args @ ..] => measure::wrapper(program, args),
        ["shared-sim-child", args @ ..] => shared::sim_child(args),
        [] => bench(&FULL, None),
        ["--quick"] => bench(&QUICK, None),
        ["--only", parts] => only(parts).and_then(|parts| bench(&FULL, Some(&parts))),
        ["--quick", "--only", parts] | ["--only", parts, "--quick"] => {
            only(parts).and_then(|parts| bench(&QUICK, Some(&parts)))
        }
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The parts named by `--only`, checked.
fn only(list: &str) -> Result<Vec<&'static str>, String> {
    list.split(',')
        .map(|name| {
            PARTS
                .into_iter()
                .find(|part| *part == name.trim())
                .ok_or_else(|| format!("no part {name:?}; {USAGE}"))
        })
        .collect()
}

fn bench(plan: &Plan, only: Option<&[&str]>) -> Result<(), String> {
    // Found at run time: checkouts sharing a target directory share this binary.
    let root = codegen::workspace_root()?;
    let started = std::time::Instant::now();
    let wants = |part: &str| only.is_none_or(|parts| parts.contains(&part));
    let mut results = Results::default();
    if wants("generation") {
        eprintln!("generation ...");
        results.generation = Some(generation::run(&root, plan.generation_sizes, plan.runs)?);
    }
    if wants("compile") {
        eprintln!("compile cost ...");
        results.compile = Some(compile::run(&root, plan.compile_sizes, plan.runs)?);
    }
    if wants("client") || wants("cli") || wants("download") {
        let taskapi = servers::build_taskapi(&root)?;
        let pinning = servers::Pinning::detect();
        if wants("client") || wants("cli") {
            let fake = servers::fake(&taskapi, &pinning, None)?;
            if wants("client") {
                eprintln!("client overhead ...");
                results.client = Some(client_overhead(plan, &fake, &pinning)?);
            }
            if wants("cli") {
                eprintln!("CLI cold start ...");
                results.cli = Some(cli_start::run(
                    &taskapi,
                    &fake.url,
                    plan.client.rounds,
                    plan.cli_runs,
                )?);
            }
        }
        if wants("download") {
            eprintln!("downloads ...");
            results.download = Some(downloads(plan, &taskapi, &pinning)?);
        }
    }
    if wants("tokens") {
        eprintln!("token single-flight ...");
        results.tokens = Some(tokens::run(plan.concurrent_calls, plan.runs)?);
    }
    if wants("waiting") {
        eprintln!("waiter efficiency ...");
        results.waiting = Some(waiting::run(plan.jobs, plan.runs)?);
    }
    if wants("batch") {
        eprintln!("batch wait memory ...");
        let sizes: &[usize] = if plan.quick {
            &[10_000]
        } else {
            &[10_000, 100_000]
        };
        results.batch = Some(batch::run(sizes, plan.runs)?);
    }
    if wants("pages") {
        eprintln!("page reading ...");
        results.pages = Some(pages::run(&root, pages::PAGES, plan.runs)?);
    }
    if wants("shared") {
        eprintln!("many processes, one app ...");
        let taskapi = servers::build_taskapi(&root)?;
        results.shared = Some(shared::run(&taskapi, plan.shared)?);
        eprintln!("one process, many tasks, simulated clock ...");
        results.shared_sim = Some(shared::sim(plan.shared_sim)?);
    }
    let report = report(plan, only, &results, started.elapsed());
    println!("{report}");
    let out = match (plan.quick, only.is_some()) {
        (false, false) => root.join("BENCHMARKS.md"),
        (true, false) => root.join("target/BENCHMARKS.quick.md"),
        (false, true) => root.join("target/BENCHMARKS.only.md"),
        (true, true) => root.join("target/BENCHMARKS.quick.only.md"),
    };
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&out, report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// The client against the fake server, and nginx when installed.
fn client_overhead(
    plan: &Plan,
    fake: &servers::Server,
    pinning: &servers::Pinning,
) -> Result<client::Result, String> {
    let mut skipped = Vec::new();
    let nginx = match servers::nginx(taskapi::feishu::GET_EXPORT_TASK_EXAMPLE, pinning) {
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
    let servers: Vec<&servers::Server> = std::iter::once(fake).chain(&nginx).collect();
    client::run(&servers, skipped, plan.client, pinning)
}

/// Downloads from a fake server of their own (serving large files), and from nginx serving
/// the same file when installed.
fn downloads(
    plan: &Plan,
    taskapi: &std::path::Path,
    pinning: &servers::Pinning,
) -> Result<download::Result, String> {
    let fake = servers::fake(taskapi, pinning, Some(download::BYTES))?;
    let mut skipped = Vec::new();
    let nginx =
        match servers::nginx_file(&download::download_path(), download::write_content, pinning) {
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
    download::run(taskapi, &servers, skipped, plan.download, pinning)
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// Everything measured, for the report: `None` for a part `--only` left out.
#[derive(Default)]
struct Results {
    generation: Option<Vec<generation::SetResult>>,
    compile: Option<Vec<compile::CheckResult>>,
    client: Option<client::Result>,
    cli: Option<cli_start::Result>,
    download: Option<download::Result>,
    tokens: Option<tokens::Result>,
    waiting: Option<Vec<waiting::JobResult>>,
    batch: Option<batch::Result>,
    pages: Option<pages::Result>,
    shared: Option<shared::Result>,
    shared_sim: Option<shared::SimResult>,
}

fn report(
    plan: &Plan,
    only: Option<&[&str]>,
    results: &Results,
    took: std::time::Duration,
) -> String {
    let mut r = String::new();
    let command = match (plan.quick, only) {
        (false, None) => "cargo xtask bench".to_owned(),
        (true, None) => "cargo xtask bench --quick".to_owned(),
        (false, Some(parts)) => format!("cargo xtask bench --only {}", parts.join(",")),
        (true, Some(parts)) => format!("cargo xtask bench --quick --only {}", parts.join(",")),
    };
    let command = command.as_str();
    let _ = writeln!(r, "# Benchmarks\n");
    let _ = writeln!(
        r,
        "Written by `{command}` (release build) in {:.0} s. Each figure: median (min–max) over {} runs unless its section says otherwise.\n",
        took.as_secs_f64(),
        plan.runs
    );
    let _ = writeln!(r, "Machine: {}\n", machine());

    if let Some(generation) = &results.generation {
        generation_section(&mut r, generation);
    }
    if let Some(compile) = &results.compile {
        compile_section(&mut r, compile);
    }
    if let Some(client) = &results.client {
        client_section(&mut r, command, client);
    }
    if let Some(cli) = &results.cli {
        cli_section(&mut r, command, cli);
    }
    if let Some(download) = &results.download {
        download_section(&mut r, command, download);
    }
    if let Some(tokens) = &results.tokens {
        tokens_section(&mut r, tokens);
    }
    if let Some(waiting) = &results.waiting {
        waiting_section(&mut r, waiting);
    }
    if let Some(batch) = &results.batch {
        batch_section(&mut r, command, batch);
    }
    if let Some(pages) = &results.pages {
        pages_section(&mut r, command, pages);
    }
    if let Some(shared) = &results.shared {
        shared_section(&mut r, command, shared);
    }
    if let Some(sim) = &results.shared_sim {
        shared_sim_section(&mut r, command, sim);
    }
    r
}

fn generation_section(r: &mut String, generation: &[generation::SetResult]) {
    let _ = writeln!(r, "## Generation (load + validate + emit + format)\n");
    let _ = writeln!(
        r,
        "Synthetic sets: one provider whose endpoints come in groups of four, shaped like the \
         real ones: {}. A set holds whole groups, then the start of one.\n",
        synthetic::GROUP
            .iter()
            .enumerate()
            .map(|(i, kind)| format!("({}) {kind}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    );
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
}

fn compile_section(r: &mut String, compile: &[compile::CheckResult]) {
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
}

fn tokens_section(r: &mut String, tokens: &tokens::Result) {
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
}

fn waiting_section(r: &mut String, waiting: &[waiting::JobResult]) {
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
}

fn batch_section(r: &mut String, command: &str, b: &batch::Result) {
    let _ = writeln!(
        r,
        "\n## Batch wait memory (pending tasks of one `BatchWaiter`, simulated clock)\n"
    );
    let _ = writeln!(
        r,
        "A child process (`{command}` runs it as `taskapi-bench batch-child N`) waits with one \
         `BatchWaiter` for N drive exports that never end until each times out (600 s simulated, \
         the spec's default): each task is the real generated request (15-byte ticket, 27-byte \
         document token) answered without the network. Peak RSS (`getrusage`, with the bench's \
         allocator, mimalloc) with N tasks, less the same child with none ({:.0} KiB), per task.\n",
        b.empty_kib.median
    );
    let _ = writeln!(
        r,
        "| pending tasks | peak RSS (KiB) | bytes per task | polls per task |\n| ---: | ---: | ---: | ---: |"
    );
    for s in &b.sizes {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {:.1} |",
            s.tasks,
            s.peak_kib.show(0),
            s.bytes_per_task.show(0),
            s.polls_per_task
        );
    }
    if let Some(ten_k) = b.sizes.iter().find(|s| s.tasks == 10_000) {
        let mb = ten_k.bytes_per_task.max * 10_000.0 / 1e6;
        let _ = writeln!(
            r,
            "\nTarget: 10,000 pending tasks in under 20 MB: {mb:.1} MB in the worst run: {}.",
            met(mb < 20.0)
        );
    }
}

fn pages_section(r: &mut String, command: &str, p: &pages::Result) {
    let _ = writeln!(
        r,
        "\n## Reading doc pages (`docread::read`, {} pages per run)\n",
        p.pages_per_run
    );
    let _ = writeln!(
        r,
        "The {} fixture pages under docread/tests/pages/ (four renderings, {:.0} KiB in all), \
         read one after another in turn until {} are read ({:.1} MiB); the files are in memory \
         before the clock starts, and every page was read once, untimed, before the first run.\n",
        p.fixtures,
        p.fixture_bytes as f64 / 1024.0,
        p.pages_per_run,
        p.bytes_per_run as f64 / 1024.0 / 1024.0
    );
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n| ms per {} pages | {} |\n| µs per page | {} |",
        pages::PAGES,
        p.per_target_ms().show(2),
        p.per_page_us().show(1)
    );
    let _ = writeln!(
        r,
        "\nTarget: {} pages in under {:.0} s, in every run: {}. Reproduce: `{command}`.",
        pages::PAGES,
        pages::TARGET_MS / 1000.0,
        met(p.per_target_ms().max < pages::TARGET_MS)
    );
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

fn download_section(r: &mut String, command: &str, d: &download::Result) {
    let mib = d.bytes as f64 / 1024.0 / 1024.0;
    let servers: Vec<&str> = d.servers.iter().map(|s| s.server.as_str()).collect();
    let _ = writeln!(
        r,
        "\n## Downloads ({mib:.0} MiB, server in another process)\n"
    );
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
    match &d.curl_version {
        Some(version) => {
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
        None => {
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
    }
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

fn shared_section(r: &mut String, command: &str, s: &shared::Result) {
    let z = s.sizes;
    let _ = writeln!(
        r,
        "\n## Many processes, one app (rate limits and tokens shared through Redis)\n"
    );
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
    if let Err(why) = &s.redis {
        let _ = writeln!(r, "Redis rows skipped: {why}.\n");
    }
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
    let _ = writeln!(
        r,
        "\nReproduce: `{command}` (uses `redis-server` from the PATH)."
    );
}

fn shared_sim_section(r: &mut String, command: &str, s: &shared::SimResult) {
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

/// `s` with every figure multiplied by `factor`.
fn scaled(s: &stats::Summary, factor: f64) -> stats::Summary {
    stats::Summary {
        median: s.median * factor,
        min: s.min * factor,
        max: s.max * factor,
        runs: s.runs,
    }
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
        let generation = crate::generation::run(&root, &[4], 1).unwrap();
        assert_eq!(generation.len(), 2);
        assert!(generation.iter().all(|g| g.lines > 0));
        let tokens = crate::tokens::run(50, 1).unwrap();
        assert_eq!(tokens.token_requests, [1]);
        let waiting = crate::waiting::run(&[2, 60], 1).unwrap();
        assert!(waiting[1].polls.median < waiting[1].fixed_polls as f64);
        let batch = crate::batch::simulate(100).unwrap();
        assert_eq!(batch.timed_out, 100);
        assert!(batch.polls > 100 * 10, "{batch:?}");
        let fixtures = crate::pages::fixtures(&root).unwrap();
        assert!(fixtures.len() >= 17 && fixtures.iter().all(|p| !p.ends_with("README.md")));
        let pages = crate::pages::run(&root, fixtures.len() + 3, 1).unwrap();
        assert!(pages.bytes_per_run > pages.fixture_bytes);
    }

    /// The simulated batch wait of the `shared` part, tiny (the processes sharing Redis need
    /// the release binary and a `redis-server`: `cargo xtask bench --quick --only shared`).
    #[test]
    fn the_simulated_many_tasks_wait_runs() {
        crate::shared::sim_child(&["50", "20", "19", "1"]).unwrap();
    }

    /// Every size is a valid spec set: whole groups of four, then any start of one (each
    /// chain names an endpoint written before it).
    #[test]
    fn synthetic_sets_of_any_size_validate() {
        for size in 1..=9 {
            let dir = tempfile::tempdir().unwrap();
            crate::synthetic::write(dir.path(), size).unwrap();
            if let Err(e) = codegen::generate(dir.path(), "specs") {
                panic!("{size} synthetic endpoints: {e}");
            }
        }
    }
}
