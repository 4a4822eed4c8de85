//! `cargo xtask bench [--quick] [--only PART,...] [--baseline REV]`: measures the generator, the generated
//! code's compile cost, the client's overhead against hand-written reqwest (servers in other
//! processes), the CLI's cold start against curl, download throughput against curl and the
//! CLI's peak memory while downloading, token single-flight, waiter efficiency, the memory of
//! a batch wait's pending tasks and doc-page reading (`docread`); prints the tables and
//! writes BENCHMARKS.md (`--quick`: a smoke run, and `--only`: some parts, both written to
//! target/ instead).
//!
//! This file only reads the command line: `plan.rs` says how much to measure, `run.rs` runs
//! the parts (one module each, e.g. `download/`) into `results.rs`, and `report/` writes
//! their sections. The same binary is also each child process the parts start.
#![forbid(unsafe_code)]

/// The allocator of the generator, as `cargo xtask gen` runs it (the client benchmarks compare two clients in this same binary, so both get it): see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod backup;
mod batch;
mod cli_start;
mod client;
mod command_line;
mod compile;
mod download;
mod generation;
mod lists;
mod measure;
mod pages;
mod plan;
mod report;
mod results;
mod run;
mod servers;
mod shared;
#[cfg(test)]
mod smoke;
mod stats;
mod synthetic;
mod tokens;
mod upload;
mod waiting;

use plan::{FULL, QUICK};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    // `--baseline REV` may come anywhere in a run's arguments.
    let baseline = match args.iter().position(|a| *a == "--baseline") {
        Some(at) if at + 1 < args.len() => {
            let rev = args[at + 1];
            args.drain(at..=at + 1);
            Some(rev)
        }
        Some(_) => {
            eprintln!(
                "error: --baseline needs a git revision; {}",
                command_line::USAGE
            );
            return ExitCode::from(2);
        }
        None => None,
    };
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
        [] => run::bench(&FULL, None, baseline),
        ["--quick"] => run::bench(&QUICK, None, baseline),
        ["--only", parts] => {
            command_line::only(parts).and_then(|parts| run::bench(&FULL, Some(&parts), baseline))
        }
        ["--quick", "--only", parts] | ["--only", parts, "--quick"] => {
            command_line::only(parts).and_then(|parts| run::bench(&QUICK, Some(&parts), baseline))
        }
        _ => Err(command_line::USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
