//! `taskapi`: query a task's status from a shell. See `taskapi --help`.

#![forbid(unsafe_code)]

fn main() {
    std::process::exit(taskapi::cli::main());
}
