//! `taskapi`: query a task's status from a shell. See `taskapi --help`.

fn main() {
    std::process::exit(taskapi::cli::main());
}
