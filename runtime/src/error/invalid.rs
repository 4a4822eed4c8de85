//! A request refused before sending: [`InvalidRequest`].

use std::fmt;

/// The request was refused before sending: a parameter cannot be sent as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    param: &'static str,
    reason: String,
}

impl InvalidRequest {
    pub(crate) fn new(param: &'static str, reason: impl Into<String>) -> Self {
        InvalidRequest {
            param,
            reason: reason.into(),
        }
    }

    /// The parameter's wire name.
    pub fn param(&self) -> &'static str {
        self.param
    }
}

impl std::error::Error for InvalidRequest {}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid parameter `{}`: {}", self.param, self.reason)
    }
}
