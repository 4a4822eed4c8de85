//! The jobs' subcommands, added to the generated ones in the `taskapi` binary:
//! `taskapi backup folder|wiki|status` (`backup.rs`, with `status.rs`), `taskapi migrate
//! folder|status` (`migrate.rs`), `taskapi upload` (`upload.rs`), the jobs' progress on
//! stderr (`progress.rs`) and exit codes (`exit.rs`), and the fake tree's `serve-fake` flags.

mod backup;
mod exit;
mod migrate;
mod progress;
mod status;
mod upload;

use taskapi::runtime::cli::{Extension, FakeExtension};

/// What the binary adds to the generated subcommands.
pub static EXTENSIONS: &[Extension] = &[
    Extension {
        command: backup::command,
        run: backup::run,
        serve_fake: Some(FakeExtension {
            args: crate::fake::serve::fake_args,
            setup: crate::fake::serve::setup_from_args,
        }),
    },
    Extension {
        command: migrate::command,
        run: migrate::run,
        serve_fake: None,
    },
    Extension {
        command: upload::command,
        run: upload::run,
        serve_fake: None,
    },
];
