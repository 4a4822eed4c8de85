//! The report, BENCHMARKS.md: a header (the command, how long it took, the machine), then a
//! section for each part measured, in the order the parts run. Each part's section is in
//! the file of the part's name here, beside the part's measuring module at the crate's top.

mod backup;
mod batch;
mod cli_start;
mod client;
mod compile;
mod download;
mod generation;
mod lists;
mod machine;
mod pages;
mod shared;
mod tokens;
mod upload;
mod verdict;
mod waiting;

use crate::plan::Plan;
use crate::results::Results;
use std::fmt::Write as _;

/// The report's Markdown, for what `results` holds.
pub fn render(
    plan: &Plan,
    only: Option<&[&str]>,
    baseline: Option<&str>,
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
    let command = match baseline {
        Some(rev) => format!("{command} --baseline {rev}"),
        None => command,
    };
    let command = command.as_str();
    let _ = writeln!(r, "# Benchmarks\n");
    let _ = writeln!(
        r,
        "Written by `{command}` (release build) in {:.0} s. Each figure: median (min–max) over {} runs unless its section says otherwise.\n",
        took.as_secs_f64(),
        plan.runs
    );
    let _ = writeln!(r, "Machine: {}\n", machine::describe());

    if let Some(generation) = &results.generation {
        generation::section(&mut r, generation);
    }
    if let Some(compile) = &results.compile {
        compile::section(&mut r, compile);
    }
    if let Some(client) = &results.client {
        client::section(&mut r, command, client);
    }
    if let Some(cli) = &results.cli {
        cli_start::section(&mut r, command, cli);
    }
    if let Some(download) = &results.download {
        download::section(&mut r, command, download);
    }
    if let Some(tokens) = &results.tokens {
        tokens::section(&mut r, tokens);
    }
    if let Some(waiting) = &results.waiting {
        waiting::section(&mut r, waiting);
    }
    if let Some(batch) = &results.batch {
        batch::section(&mut r, command, batch);
    }
    if let Some(pages) = &results.pages {
        pages::section(&mut r, command, pages);
    }
    if let Some(lists) = &results.lists {
        lists::section(&mut r, command, lists);
    }
    if let Some(b) = &results.backup {
        backup::section(&mut r, command, b);
    }
    if let Some(u) = &results.upload {
        upload::section(&mut r, command, u);
    }
    if let Some(shared) = &results.shared {
        shared::section(&mut r, command, shared);
    }
    if let Some(sim) = &results.shared_sim {
        shared::sim_section(&mut r, command, sim);
    }
    r
}
