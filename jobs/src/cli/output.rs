//! Errors as the subcommands print them.

use taskapi::runtime::cli::Outcome;

/// A usage error (exit 2) with its message.
pub(super) fn usage(message: impl std::fmt::Display) -> Outcome {
    Outcome {
        exit_code: taskapi::runtime::cli::EXIT_USAGE,
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
    }
}

/// An error and its causes on one line.
pub(super) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
