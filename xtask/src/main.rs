//! `cargo xtask gen` writes the generated client modules from `specs/`;
//! `cargo xtask gen --check` writes nothing and fails, with a diff, when they are stale.
//!
//! The checkout is found at run time ([`codegen::workspace_root`]: the `CARGO_MANIFEST_DIR`
//! cargo sets for `cargo run`, else the current directory), never from the path this
//! binary was built from: checkouts sharing a target directory share this binary.

#![forbid(unsafe_code)]

/// The allocator of the generator: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod docs;
mod features;
mod sync;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command> [options]; cargo xtask <command> --help

  gen            regenerate generated/src/api/ from specs/
  gen --check    write nothing; fail with a diff if the checked-in output is stale
  bench          run the benchmarks (release build) and write BENCHMARKS.md
  bench --quick  a smoke run of the benchmarks (written to target/)
  docs check     compare every doc page under docs/ with the spec that cites it
  docs import    draft a spec from a doc page
  features       lint the generated crate with each provider and API family alone";

const GEN_HELP: &str = "usage: cargo xtask gen [--check]

Regenerates generated/src/api/ from specs/ in the checkout it runs in. A spec problem is
reported as file:line:col: field: message, every problem at once, and nothing is written.

  --check    write nothing; fail with a unified diff (stale, missing or extra files) and
             the fix when the checked-in output is not what the specs generate";

const BENCH_HELP: &str = "usage: cargo xtask bench [--quick] [--only PART,...] [--baseline REV]

Builds the benchmarks in release mode and runs them: generation, compile cost, the client
against hand-written reqwest + serde, the CLI's start, downloads, tokens, waiting, batch
memory, page reading, lists, backups, uploads, processes sharing Redis. Writes
BENCHMARKS.md.

  --quick          a smoke run with tiny sizes, written to target/BENCHMARKS.quick.md
  --only PARTS     some parts (e.g. compile,download), written to target/BENCHMARKS.only.md
  --baseline REV   the compile part also builds what git revision REV's generator writes
                   for the same specs, alternating with this checkout's";

const DOCS_HELP: &str =
    "usage: cargo xtask docs check | import <page> [--provider P] [--id ID] [--write]

  check      for every spec with a `doc:` page under docs/, compare each fact the page
             states (method, path, parameters, fields, enum values, error table, rate
             limit, scopes, ...) with the spec; print every disagreement, located in both
             files. Deliberate differences are the spec's `overrides:` entries.
  import     write a draft spec for <page> to stdout (TODOs where only a person can
             decide); with a spec for --id already there, print the differences instead;
             --write updates that spec's page-derived facts in place";

const FEATURES_HELP: &str = "usage: cargo xtask features [cargo options, e.g. --locked]

Runs `cargo clippy -p taskapi --no-default-features --features F -- -D warnings` for every
provider and API family F the specs generate, one at a time, and once with no feature: what
an app that turns the defaults off and names one family builds.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        [command, "--help" | "-h", ..] => return help(command),
        ["gen"] => sync::Mode::Write,
        ["gen", "--check"] => sync::Mode::Check,
        ["bench", rest @ ..] => return bench(rest),
        ["docs", "check"] => return docs_check(),
        ["docs", "import", rest @ ..] => return docs_import(rest),
        ["features", rest @ ..] => return features(rest),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let Some(root) = workspace_root() else {
        return ExitCode::FAILURE;
    };
    match sync::run(&root, mode) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask <command> --help`: the command's own help, without running anything.
fn help(command: &str) -> ExitCode {
    let text = match command {
        "gen" => GEN_HELP,
        "bench" => BENCH_HELP,
        "docs" => DOCS_HELP,
        "features" => FEATURES_HELP,
        _ => {
            eprintln!("unknown command `{command}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    println!("{text}");
    ExitCode::SUCCESS
}

/// The checkout to work on, or `None` after saying on stderr why it cannot be found.
fn workspace_root() -> Option<std::path::PathBuf> {
    codegen::workspace_root()
        .map_err(|message| eprintln!("error: {message}"))
        .ok()
}

/// The benchmarks live in their own crate (so `gen` never depends on the generated code
/// compiling); they run in release mode.
fn bench(args: &[&str]) -> ExitCode {
    let Some(root) = workspace_root() else {
        return ExitCode::FAILURE;
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "taskapi-bench",
            "--",
        ])
        .args(args)
        .current_dir(root)
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cannot run the benchmarks: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask features [cargo options]`.
fn features(extra: &[&str]) -> ExitCode {
    let Some(root) = workspace_root() else {
        return ExitCode::FAILURE;
    };
    summary_or_report(features::check_each(&root, extra))
}

/// `cargo xtask docs check`.
fn docs_check() -> ExitCode {
    let Some(root) = workspace_root() else {
        return ExitCode::FAILURE;
    };
    summary_or_report(docs::check(&root))
}

/// A check's one-line summary on stdout, or its report on stderr and a failure.
fn summary_or_report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprintln!("{report}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask docs import <page> [--provider P] [--id ID] [--write]`.
fn docs_import(args: &[&str]) -> ExitCode {
    let Some(root) = workspace_root() else {
        return ExitCode::FAILURE;
    };
    match docs::import(&root, args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
