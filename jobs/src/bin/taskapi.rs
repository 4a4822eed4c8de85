//! `taskapi`: call an endpoint, wait for a task, or back up a folder from a shell. See
//! `taskapi --help`.

#![forbid(unsafe_code)]

fn main() {
    std::process::exit(taskapi::runtime::cli::main_with(
        &taskapi::cli::COMMANDS,
        taskapi_jobs::cli::EXTENSIONS,
    ));
}
