//! Per-call settings: what every generated request builder carries besides its parameters.

use super::token::AccessToken;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Called with a reply's data as received; see [`CallOptions::inspect_raw`].
pub type RawInspector = Arc<dyn Fn(&str) + Send + Sync>;

/// Settings for one call, set through the request builder's methods.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) user_token: Option<AccessToken>,
    pub(crate) time_limit: Option<Duration>,
    pub(crate) inspect_raw: Option<RawInspector>,
}

impl CallOptions {
    /// Sends the call with this token instead of the client's (never refreshed).
    pub fn user_token(mut self, token: AccessToken) -> Self {
        self.user_token = Some(token);
        self
    }

    /// Bounds the whole call, retries and their waits included: each attempt's timeout is
    /// cut to the time left, no retry starts after it, and a server asking for a longer
    /// wait than what is left ends the call at once.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// The settings the next request of a chain inherits: the user token (a task started
    /// with a user's token is polled and fetched with it), nothing else.
    pub fn for_next_call(&self) -> CallOptions {
        CallOptions {
            user_token: self.user_token.clone(),
            ..CallOptions::default()
        }
    }

    /// Calls `inspect` with the reply's data exactly as received (Feishu: the `data`
    /// object; DingTalk: the body), once it decoded: fields the spec does not know included.
    pub fn inspect_raw(mut self, inspect: RawInspector) -> Self {
        self.inspect_raw = Some(inspect);
        self
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("user_token", &self.user_token)
            .field("time_limit", &self.time_limit)
            .field("inspect_raw", &self.inspect_raw.is_some())
            .finish()
    }
}
