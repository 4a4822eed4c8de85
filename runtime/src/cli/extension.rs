//! [`Extension`]: a hand-written subcommand beside the generated ones (`taskapi backup` of
//! the `taskapi-jobs` crate), run with the same global flags, environment and client
//! settings as an endpoint's, and what it adds to `serve-fake`.

use super::call::Call;
use super::outcome::Dispatched;
use clap::{Arg, ArgMatches, Command};

/// A subcommand written by hand on top of the generated crate, given to
/// [`main_with`](super::main_with) or [`run_with`](super::run_with).
pub struct Extension {
    /// Its definition; its name must not be an endpoint's or a built-in command's.
    pub command: fn() -> Command,
    /// Runs it: `args` are its own matches; `call` builds clients from the global flags and
    /// the environment as for an endpoint ([`Call::managed_client`]).
    pub run: for<'a, 'b> fn(&'a ArgMatches, &'a Call<'b>) -> Dispatched<'a>,
    /// What it adds to `serve-fake`, if anything.
    pub serve_fake: Option<FakeExtension>,
}

/// Flags an [`Extension`] adds to `serve-fake`, and what they set up on the server.
pub struct FakeExtension {
    /// The flags.
    pub args: fn() -> Vec<Arg>,
    /// Sets up the started server from `serve-fake`'s matches; returns lines to print on
    /// stderr (e.g. the ids of what it serves), or why it cannot.
    pub setup: fn(&crate::testing::FakeServer, &ArgMatches) -> Result<Vec<String>, String>,
}

impl std::fmt::Debug for Extension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extension")
            .field("command", &(self.command)().get_name())
            .finish_non_exhaustive()
    }
}

/// The extension named `name`, if one is.
pub(super) fn find<'e>(extensions: &'e [Extension], name: &str) -> Option<&'e Extension> {
    extensions
        .iter()
        .find(|extension| (extension.command)().get_name() == name)
}
