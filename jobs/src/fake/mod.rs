//! A generated Drive folder tree and wiki space, served by the fake server.

/// `serve-fake`'s flags for the tree (placeholder until the tree lands).
#[cfg(feature = "cli")]
pub fn fake_args() -> Vec<clap::Arg> {
    Vec::new()
}

/// Sets up the tree from `serve-fake`'s flags.
#[cfg(feature = "cli")]
pub fn setup_from_args(
    _server: &taskapi::runtime::testing::FakeServer,
    _matches: &clap::ArgMatches,
) -> Result<Vec<String>, String> {
    Ok(Vec::new())
}
