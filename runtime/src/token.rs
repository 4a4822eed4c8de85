//! Access tokens: kept out of Debug, Display and errors; and a token as a fetch gave it.

use std::fmt;
use std::time::Duration;

/// The longest lifetime believed from a token reply. Both providers issue 2-hour tokens; a
/// larger `expire` is an error or an attack, and `Instant + huge` would panic.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A token as a fetch (own, or another process's through shared state) gave it: `fresh_for`
/// is how long it may be used before a refresh; `None` for a token for one use only.
pub(crate) struct Obtained {
    pub(crate) token: AccessToken,
    pub(crate) fresh_for: Option<Duration>,
}

/// An access token as sent to the provider. Its `Debug` output is redacted, and nothing in
/// this crate ever formats its value.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The raw token, for callers that need to pass it on. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        AccessToken(token)
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        AccessToken(token.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = AccessToken::new("t-secret-value");
        assert!(!format!("{token:?}").contains("secret"));
        assert_eq!(token.expose(), "t-secret-value");
    }
}
