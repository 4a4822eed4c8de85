//! The jobs' subcommands, added to the generated ones in the `taskapi` binary:
//! `taskapi backup folder|wiki|status` (`backup.rs`, with `status.rs`), its progress on
//! stderr (`progress.rs`), and the fake tree's `serve-fake` flags.

mod backup;
mod progress;
mod status;

use taskapi::runtime::cli::{Extension, FakeExtension, Outcome};

/// What the binary adds to the generated subcommands.
pub static EXTENSIONS: &[Extension] = &[Extension {
    command: backup::command,
    run: backup::run,
    serve_fake: Some(FakeExtension {
        args: crate::fake::serve::fake_args,
        setup: crate::fake::serve::setup_from_args,
    }),
}];

/// A usage error (exit 2) with its message.
fn usage(message: impl std::fmt::Display) -> Outcome {
    Outcome {
        exit_code: taskapi::runtime::cli::EXIT_USAGE,
        stdout: String::new(),
        stderr: format!("error: {message}\n"),
    }
}

/// An error and its causes on one line.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
