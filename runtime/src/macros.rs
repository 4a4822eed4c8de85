//! Items every generated endpoint has, the same but for names and a table: written once
//! here and expanded in each endpoint module, so that the generated files hold what differs
//! from endpoint to endpoint, each fact once (a code's hint, a status value's meaning).

/// `Display` and `Error` of an endpoint's error enum `$error` (which implements
/// [`EndpointError`](crate::EndpointError)), whose text starts with the id of the endpoint
/// `$info` (an [`EndpointInfo`](crate::EndpointInfo)). Its accessors come from
/// [`ErrorDetails`](crate::ErrorDetails), implemented once for every endpoint error.
#[doc(hidden)]
#[macro_export]
macro_rules! endpoint_error_methods {
    ($error:ident, $info:ident) => {
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
        impl $request {
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
        impl $request {
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

/// A generated struct's serde impls, through its [`Record`](crate::wire::Record) impl (one
/// reading and one writing loop for every struct, instead of a derive per struct).
#[doc(hidden)]
#[macro_export]
macro_rules! record_serde {
    ($record:ident) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $record {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::read(deserializer)
            }
        }

        impl $crate::__serde::Serialize for $record {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::wire::write(self, serializer)
            }
        }
    };
}

/// An enum of the values a spec lists, each with its meaning, and `Unknown(raw)` for any
/// other: the enum (its variants documented with their value and meaning), `value()`,
/// `description()`, `From<raw>`, serde as the raw value, and a placeholder (`Unknown`).
/// `i64` or `String` values; each value and meaning is written once, in the invocation,
/// which is written as an enum so that it reads (and prints) like one:
///
/// ```ignore
/// listed_enum! {
///     /// Export task status.
///     #[values(i64)]
///     pub enum ExportJobStatus {
///         #[meaning = "成功 (success)"]
///         Success = 0,
///     }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! listed_enum {
    (
        $(#[doc = $doc:literal])*
        #[values(i64)]
        pub enum $name:ident {
            $(#[meaning = $description:literal] $variant:ident = $value:literal,)*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = ::std::concat!("`", $value, "`: ", $description)] $variant,)*
            /// A value the spec does not list; the raw value is kept.
            Unknown(i64),
        }

        impl $name {
            /// The value as it travels.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => *value,
                }
            }

            /// What the value means, from the spec; `None` for `Unknown`.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                match self {
                    $(Self::$variant => ::std::option::Option::Some($description),)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::__serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl $crate::wire::Placeholder for $name {
            fn placeholder() -> Self {
                Self::Unknown(0)
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        #[values(String)]
        pub enum $name:ident {
            $(#[meaning = $description:literal] $variant:ident = $value:literal,)*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = ::std::concat!("`", $value, "`: ", $description)] $variant,)*
            /// A value the spec does not list; the raw value is kept.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as it travels.
            pub fn value(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }

            /// What the value means, from the spec; `None` for `Unknown`.
            pub fn description(&self) -> ::std::option::Option<&'static str> {
                match self {
                    $(Self::$variant => ::std::option::Option::Some($description),)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.value())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }

        impl $crate::wire::Placeholder for $name {
            fn placeholder() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
    };
}

/// An endpoint's error enum: one variant per documented code (its docs given, then the
/// page's hint, written once: the variant's docs and the hint the error carries are the
/// same text), the provider's common codes, unknown codes and the failures below the API;
/// for a download, `Output` too. With its [`EndpointError`](crate::EndpointError) impl
/// (codes matched by `codes`: `as_i64` or `as_str`), accessors, `Display` and `Error`.
/// The invocation is written as an enum:
///
/// ```ignore
/// endpoint_error! {
///     /// Everything `feishu.drive.export_task.get` can fail with.
///     #[endpoint(GET_EXPORT_TASK, common = super::FeishuCommonError, codes = as_i64)]
///     pub enum GetExportTaskError {
///         /// `1069901`, HTTP 500: internal error
///         #[hint = "服务内部错误"]
///         #[retryable]
///         InternalError = 1069901,
///     }
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! endpoint_error {
    (
        $(#[doc = $doc:literal])*
        #[endpoint($info:ident, common = $common:path, codes = $lookup:ident $(, $download:ident)?)]
        pub enum $name:ident {
            $(
                $(#[doc = $vdoc:literal])*
                #[hint = $hint:literal]
                $(#[$retryable:ident])?
                $variant:ident = $code:literal,
            )*
        }
    ) => {
        $crate::endpoint_error!(@enum [$(#[doc = $doc])*] $name, $info, $common, $lookup,
            [$([$(#[doc = $vdoc])*] $variant = $code, $hint, [$($retryable)?];)*]
            $($download)?);
    };
    (@enum [$($meta:tt)*] $name:ident, $info:ident, $common:path, $lookup:ident,
        [$([$($vmeta:tt)*] $variant:ident = $code:literal, $hint:literal, [$($retry:ident)?];)*]) => {
        $crate::endpoint_error!(@make [$($meta)*] $name, $info, $common, $lookup,
            [$([$($vmeta)*] $variant = $code, $hint, [$($retry)?];)*] [] []);
    };
    (@enum [$($meta:tt)*] $name:ident, $info:ident, $common:path, $lookup:ident,
        [$([$($vmeta:tt)*] $variant:ident = $code:literal, $hint:literal, [$($retry:ident)?];)*] download) => {
        $crate::endpoint_error!(@make [$($meta)*] $name, $info, $common, $lookup,
            [$([$($vmeta)*] $variant = $code, $hint, [$($retry)?];)*]
            [
                /// The file could not be written here (disk full, no permission).
                Output($crate::OutputError),
            ]
            [Self::Output(e) => $crate::Failure::Output(e),]);
        impl $crate::DownloadError for $name {
            fn from_output(error: $crate::OutputError) -> Self {
                Self::Output(error)
            }
        }
    };
    (@make [$($meta:tt)*] $name:ident, $info:ident, $common:path, $lookup:ident,
        [$([$($vmeta:tt)*] $variant:ident = $code:literal, $hint:literal, [$($retry:ident)?];)*]
        [$($extra:tt)*] [$($extra_failure:tt)*]) => {
        $($meta)*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $($vmeta)*
                #[doc = ""]
                #[doc = $hint]
                #[doc = $crate::__retryable_doc!($($retry)?)]
                $variant($crate::ApiError),
            )*
            /// One of the provider's common codes (tokens, permissions, rate limits).
            Common($common, $crate::ApiError),
            /// A code the documentation does not list; code and message are kept.
            Unknown($crate::ApiError),
            /// No complete reply: connection refused or reset, timeout.
            Transport($crate::TransportError),
            /// A complete reply that is not what the spec describes (HTML page, truncated JSON).
            Decode($crate::DecodeError),
            /// Refused before sending: a parameter cannot be sent as given.
            InvalidRequest($crate::InvalidRequest),
            /// No access token could be had (e.g. the app secret is wrong).
            Token($crate::TokenError),
            $($extra)*
        }

        impl $crate::EndpointError for $name {
            fn from_api(error: $crate::ApiError) -> Self {
                match error.code().$lookup() {
                    $(::std::option::Option::Some($code) => {
                        Self::$variant(error.documented($hint, $crate::__is_retryable!($($retry)?)))
                    })*
                    _ => match <$common>::from_code(error.code()) {
                        ::std::option::Option::Some(common) => {
                            Self::Common(common, error.documented(common.hint(), common.is_retryable()))
                        }
                        ::std::option::Option::None => Self::Unknown(error),
                    },
                }
            }

            fn from_transport(error: $crate::TransportError) -> Self {
                Self::Transport(error)
            }

            fn from_decode(error: $crate::DecodeError) -> Self {
                Self::Decode(error)
            }

            fn from_invalid_request(error: $crate::InvalidRequest) -> Self {
                Self::InvalidRequest(error)
            }

            fn from_token(error: $crate::TokenError) -> Self {
                Self::Token(error)
            }

            fn failure(&self) -> $crate::Failure<'_> {
                match self {
                    $(Self::$variant(e) => $crate::Failure::Api(e),)*
                    Self::Common(_, e) | Self::Unknown(e) => $crate::Failure::Api(e),
                    Self::Transport(e) => $crate::Failure::Transport(e),
                    Self::Decode(e) => $crate::Failure::Decode(e),
                    Self::InvalidRequest(e) => $crate::Failure::InvalidRequest(e),
                    Self::Token(e) => $crate::Failure::Token(e),
                    $($extra_failure)*
                }
            }
        }

        $crate::endpoint_error_methods!($name, $info);
    };
}

/// Whether a documented code is marked `#[retryable]`.
#[doc(hidden)]
#[macro_export]
macro_rules! __is_retryable {
    (retryable) => {
        true
    };
    () => {
        false
    };
}

/// The last line of a documented code's docs: whether trying again may help.
#[doc(hidden)]
#[macro_export]
macro_rules! __retryable_doc {
    (retryable) => {
        "\nRetryable."
    };
    () => {
        ""
    };
}
