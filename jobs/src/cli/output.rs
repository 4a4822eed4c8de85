//! Errors as the subcommands print them.

use taskapi::runtime::cli::Outcome;

pub(super) use taskapi::runtime::with_causes;

/// A usage error (exit 2) with its message.
pub(super) fn usage(message: impl std::fmt::Display) -> Outcome {
    Outcome {
        exit_code: taskapi::runtime::cli::EXIT_USAGE,
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
    }
}
