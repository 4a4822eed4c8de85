//! Items every generated endpoint has, the same but for a type's name: written once here
//! and expanded in each endpoint module, so that the generated files hold what differs
//! from endpoint to endpoint (and render and compile faster).

/// The accessors, `Display` and `Error` of an endpoint's error enum `$error` (which
/// implements [`EndpointError`](crate::EndpointError)), whose text starts with the id of
/// the endpoint `$info` (an [`EndpointInfo`](crate::EndpointInfo)).
#[doc(hidden)]
#[macro_export]
macro_rules! endpoint_error_methods {
    ($error:ident, $info:ident) => {
        impl $error {
            /// The API error, when the provider answered with a code.
            pub fn api_error(&self) -> ::std::option::Option<&$crate::ApiError> {
                $crate::EndpointError::failure(self).api_error()
            }

            /// The HTTP status, when a reply arrived.
            pub fn http_status(&self) -> ::std::option::Option<u16> {
                $crate::EndpointError::failure(self).http_status()
            }

            /// The provider's error code, when it sent one.
            pub fn code(&self) -> ::std::option::Option<&$crate::ErrorCode> {
                $crate::EndpointError::failure(self).code()
            }

            /// The request id to quote in support tickets, when the reply carried one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                $crate::EndpointError::failure(self).request_id()
            }

            /// How many requests were sent before giving up (retries included).
            pub fn attempts(&self) -> u32 {
                $crate::EndpointError::failure(self).attempts()
            }

            /// The documentation's troubleshooting hint (排查建议) for this code.
            pub fn hint(&self) -> ::std::option::Option<&'static str> {
                self.api_error().and_then($crate::ApiError::hint)
            }

            /// Whether trying again may succeed: codes the spec marks retryable, timeouts,
            /// connection failures, gateway errors.
            pub fn is_retryable(&self) -> bool {
                $crate::EndpointError::failure(self).is_retryable()
            }
        }

        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}: {}", $info.id, $crate::EndpointError::failure(self))
            }
        }

        /// The failure's text is part of this error's; `source` goes on to its cause (for a
        /// transport failure, reqwest's causes down to the `io::Error`).
        impl ::std::error::Error for $error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                $crate::EndpointError::failure(self).source()
            }
        }
    };
}

/// The per-call settings of a generated request type `$request` (a struct with an
/// `options: CallOptions` field): a time limit and a raw-reply inspector.
#[doc(hidden)]
#[macro_export]
macro_rules! request_settings {
    ($request:ident) => {
        impl $request<'_> {
            /// Bounds this call, retries and their waits included: each attempt's timeout is
            /// cut to the time left, no retry starts after it, and a server asking for a
            /// longer wait than what is left ends the call at once.
            pub fn time_limit(mut self, limit: ::std::time::Duration) -> Self {
                self.options = self.options.time_limit(limit);
                self
            }

            /// Calls `inspect` with the reply's data exactly as received, once it decoded
            /// (fields the spec does not list included): for logging or passing it on.
            pub fn inspect_raw(
                mut self,
                inspect: impl ::std::ops::Fn(&str) + ::std::marker::Send + ::std::marker::Sync + 'static,
            ) -> Self {
                self.options = self.options.inspect_raw(::std::sync::Arc::new(inspect));
                self
            }
        }
    };
}

/// `user_access_token`, for a request type `$request` whose endpoint accepts user tokens.
#[doc(hidden)]
#[macro_export]
macro_rules! user_token_setting {
    ($request:ident) => {
        impl $request<'_> {
            /// Sends this request with a user access token (`u-...`) instead of the client's
            /// token. A user token is not refreshed by the client.
            pub fn user_access_token(
                mut self,
                token: impl ::std::convert::Into<$crate::AccessToken>,
            ) -> Self {
                self.options = self.options.user_token(token.into());
                self
            }
        }
    };
}
