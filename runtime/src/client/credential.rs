//! The token an attempt sends and its header value: the call's user token, the client's
//! static token, or the token source's.
//!
//! Apart from the attempt that uses it because it is the one place that knows which tokens
//! can be refreshed: only a fetched token is handed back for invalidation when the provider
//! refuses it.

use super::core::Core;
use crate::error::{Failed, TokenError};
use crate::options::CallOptions;
use crate::provider::auth_value;
use crate::token::AccessToken;
use reqwest::header::HeaderValue;

/// The token an attempt sends and its header value.
pub(super) enum Credential<'a> {
    /// Prepared when the client was built (a static token).
    Prepared(&'a AccessToken, &'a HeaderValue),
    /// From the token source or the call's user token: kept, for invalidation.
    Fetched(AccessToken, HeaderValue),
}

impl Credential<'_> {
    pub(super) fn parts(&self) -> (&AccessToken, &HeaderValue) {
        match self {
            Credential::Prepared(token, value) => (token, value),
            Credential::Fetched(token, value) => (token, value),
        }
    }

    /// The token to invalidate when the provider refuses it (never a prepared one: a
    /// static token cannot be refreshed).
    pub(super) fn into_fetched(self) -> Option<AccessToken> {
        match self {
            Credential::Prepared(..) => None,
            Credential::Fetched(token, _) => Some(token),
        }
    }
}

impl Core {
    /// The token for an attempt and its header value: the call's user token, the prepared
    /// static token, or the token source's (its header value reused while it is the same).
    pub(super) async fn credential(&self, options: &CallOptions) -> Result<Credential<'_>, Failed> {
        let unsendable = || {
            Failed::Token(TokenError::other(
                "the token source gave a token that is empty or has characters an HTTP header cannot carry",
            ))
        };
        if let Some(token) = &options.user_token {
            let value = auth_value(self.provider, token).ok_or_else(unsendable)?;
            return Ok(Credential::Fetched(token.clone(), value));
        }
        if let Some((token, value)) = &self.prepared.static_auth {
            return Ok(Credential::Prepared(token, value));
        }
        let token = self
            .token
            .token(&self.context)
            .await
            .map_err(Failed::Token)?;
        let mut last = self
            .prepared
            .last_auth
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let value = match &*last {
            Some((cached, value)) if *cached == token => value.clone(),
            _ => {
                let value = auth_value(self.provider, &token).ok_or_else(unsendable)?;
                *last = Some((token.clone(), value.clone()));
                value
            }
        };
        drop(last);
        Ok(Credential::Fetched(token, value))
    }
}
