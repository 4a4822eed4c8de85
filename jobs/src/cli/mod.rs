//! The jobs' subcommands, added to the generated ones in the `taskapi` binary.

/// What the binary adds to the generated subcommands.
pub static EXTENSIONS: &[taskapi::runtime::cli::Extension] = &[];
