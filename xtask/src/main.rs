//! `cargo xtask gen` writes the generated client modules from `specs/`;
//! `cargo xtask gen --check` writes nothing and fails, with a diff, when they are stale.

#![forbid(unsafe_code)]

mod sync;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask gen [--check]

  gen           regenerate generated/src/api/ from specs/
  gen --check   write nothing; fail with a diff if the checked-in output is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        ["gen"] => sync::Mode::Write,
        ["gen", "--check"] => sync::Mode::Check,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match sync::run(&sync::workspace_root(), mode) {
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
