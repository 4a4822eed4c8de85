//! [`Core`], the handle every generated client wraps, and what its clones share.
//!
//! Kept apart from the calls it sends (`send.rs` and the files it uses) so that the builder
//! and the download path can name the handle without reaching into the retry loop.

use crate::auth::{TokenContext, TokenSource};
use crate::http::ReplyHeaders;
use crate::limit::Limiter;
use crate::provider::ProviderInfo;
use crate::retry::RetryPolicy;
use crate::token::AccessToken;
use crate::transfer::TransferPolicy;
use crate::url::BaseUrl;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::sync::{Arc, Mutex};

/// The shared part of every provider client: a handle, cheap to clone (one reference
/// count), so that each request owns one and its future can be spawned. Clones share the
/// connection pool, the token cache and the rate-limit slots.
#[derive(Clone)]
pub struct Core(Arc<CoreState>);

/// What a [`Core`] handle shares.
pub struct CoreState {
    pub(super) context: TokenContext,
    pub(super) token: Arc<dyn TokenSource>,
    pub(super) retry: RetryPolicy,
    pub(super) provider: &'static ProviderInfo,
    pub(super) prepared: Arc<Prepared>,
    /// The slots of the client's rate limits, shared by its clones.
    pub(super) limiter: Arc<Limiter>,
    /// How slow and how long an upload's file or a download's body may be.
    pub(super) transfer: TransferPolicy,
}

/// What every call would otherwise work out again: computed once, when the client is built.
pub(super) struct Prepared {
    /// The base URL, parsed.
    pub(super) base: BaseUrl,
    /// The provider's auth header name.
    pub(super) auth_header: HeaderName,
    /// The static token given to the builder and its header value.
    pub(super) static_auth: Option<(AccessToken, HeaderValue)>,
    /// The last token a token source gave and its header value: managed tokens change
    /// rarely, so most calls reuse it.
    pub(super) last_auth: Mutex<Option<(AccessToken, HeaderValue)>>,
    /// The reply headers read on every call.
    pub(super) reply_headers: ReplyHeaders,
}

impl std::ops::Deref for Core {
    type Target = CoreState;

    fn deref(&self) -> &CoreState {
        &self.0
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("provider", &self.provider.name)
            .field("base_url", &self.context.base_url)
            .field("token", &self.token)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// A core for `provider`, with what every call would otherwise work out again computed
    /// now (`Prepared`). Called by the builder once it has checked the parts.
    // One call site, the builder, which names every part.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        context: TokenContext,
        token: Arc<dyn TokenSource>,
        retry: RetryPolicy,
        provider: &'static ProviderInfo,
        base: BaseUrl,
        auth_header: HeaderName,
        static_auth: Option<(AccessToken, HeaderValue)>,
        limiter: Limiter,
        transfer: TransferPolicy,
    ) -> Self {
        Core(Arc::new(CoreState {
            context,
            token,
            retry,
            provider,
            limiter: Arc::new(limiter),
            transfer,
            prepared: Arc::new(Prepared {
                base,
                auth_header,
                static_auth,
                last_auth: Mutex::new(None),
                reply_headers: ReplyHeaders::new(provider),
            }),
        }))
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.context.base_url
    }
}
