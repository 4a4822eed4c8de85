//! A bench run: the parts the plan and `--only` ask for, one after another, then the
//! report, printed and written to BENCHMARKS.md (or, for a partial or quick run, to a file
//! under target/ that leaves the committed one alone).

use crate::plan::Plan;
use crate::results::Results;
use crate::{
    backup, batch, cli_start, client, compile, download, generation, lists, pages, report,
};
use crate::{servers, shared, tokens, upload, waiting};
use std::path::{Path, PathBuf};

/// Runs the parts, then writes the report.
/// `baseline`: a git revision whose generator's output the compile part also measures.
pub fn bench(plan: &Plan, only: Option<&[&str]>, baseline: Option<&str>) -> Result<(), String> {
    // Found at run time: checkouts sharing a target directory share this binary.
    let root = codegen::workspace_root()?;
    let started = std::time::Instant::now();
    let results = run_parts(&root, plan, only, baseline)?;
    let report = report::render(plan, only, baseline, &results, started.elapsed());
    println!("{report}");
    let out = report_path(&root, plan, only);
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&out, report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Where the report goes: only a full run of every part replaces BENCHMARKS.md.
fn report_path(root: &Path, plan: &Plan, only: Option<&[&str]>) -> PathBuf {
    match (plan.quick, only.is_some()) {
        (false, false) => root.join("BENCHMARKS.md"),
        (true, false) => root.join("target/BENCHMARKS.quick.md"),
        (false, true) => root.join("target/BENCHMARKS.only.md"),
        (true, true) => root.join("target/BENCHMARKS.quick.only.md"),
    }
}

/// Each part wanted, in the order `command_line.rs` lists them.
fn run_parts(
    root: &Path,
    plan: &Plan,
    only: Option<&[&str]>,
    baseline: Option<&str>,
) -> Result<Results, String> {
    let wants = |part: &str| only.is_none_or(|parts| parts.contains(&part));
    let mut results = Results::default();
    if wants("generation") {
        eprintln!("generation ...");
        results.generation = Some(generation::run(root, plan.generation_sizes, plan.runs)?);
    }
    if wants("compile") {
        eprintln!("compile cost ...");
        results.compile = Some(compile::run(root, plan.compile_sizes, plan.runs, baseline)?);
    }
    // These three need the release `taskapi` binary; the first two share its fake server.
    if wants("client") || wants("cli") || wants("download") {
        let taskapi = servers::build_taskapi(root)?;
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
        results.pages = Some(pages::run(root, pages::PAGES, plan.runs)?);
    }
    if wants("lists") {
        eprintln!("lists ...");
        let taskapi = servers::build_taskapi(root)?;
        let pinning = servers::Pinning::detect();
        results.lists = Some(lists::run(&taskapi, &pinning, plan.lists)?);
    }
    if wants("backup") {
        eprintln!("backups ...");
        let taskapi = servers::build_taskapi(root)?;
        let pinning = servers::Pinning::detect();
        results.backup = Some(backup::run(&taskapi, &pinning, plan.backup)?);
    }
    if wants("upload") {
        eprintln!("uploads ...");
        let taskapi = servers::build_taskapi(root)?;
        let pinning = servers::Pinning::detect();
        results.upload = Some(upload::run(&taskapi, &pinning, plan.upload)?);
    }
    if wants("shared") {
        eprintln!("many processes, one app ...");
        let taskapi = servers::build_taskapi(root)?;
        results.shared = Some(shared::run(&taskapi, plan.shared)?);
        eprintln!("one process, many tasks, simulated clock ...");
        results.shared_sim = Some(shared::sim(plan.shared_sim)?);
    }
    Ok(results)
}

/// The client against the fake server, and nginx when installed.
fn client_overhead(
    plan: &Plan,
    fake: &servers::Server,
    pinning: &servers::Pinning,
) -> Result<client::Result, String> {
    let mut skipped = Vec::new();
    let nginx = if_started(
        servers::nginx(taskapi::feishu::GET_EXPORT_TASK_EXAMPLE, pinning),
        &mut skipped,
    );
    let servers: Vec<&servers::Server> = std::iter::once(fake).chain(&nginx).collect();
    client::run(&servers, skipped, plan.client, pinning)
}

/// Downloads from a fake server of their own (serving large files), and from nginx serving
/// the same file when installed.
fn downloads(
    plan: &Plan,
    taskapi: &Path,
    pinning: &servers::Pinning,
) -> Result<download::Result, String> {
    let fake = servers::fake(taskapi, pinning, Some(download::BYTES))?;
    let mut skipped = Vec::new();
    let nginx = if_started(
        servers::nginx_file(&download::download_path(), download::write_content, pinning),
        &mut skipped,
    );
    let servers: Vec<&servers::Server> = std::iter::once(&fake).chain(&nginx).collect();
    download::run(taskapi, &servers, skipped, plan.download, pinning)
}

/// nginx when it started; else none, the reason noted in `skipped` for the report (a
/// missing or failing nginx leaves its rows out rather than failing the run).
fn if_started(
    nginx: Result<Option<servers::Server>, String>,
    skipped: &mut Vec<String>,
) -> Option<servers::Server> {
    match nginx {
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
    }
}
