//! Turning a complete reply into the endpoint's data or a failure, by the provider's
//! envelope. Nothing here panics or drops information: whatever cannot be decoded becomes a
//! [`DecodeError`] holding the status and the start of the body (credentials masked).

use super::client::Envelope;
use super::error::{ApiError, DecodeError, ErrorCode, Failed};
use super::redact::redact;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::time::Duration;

/// A complete HTTP reply, as the decoder needs it.
pub(crate) struct Reply<'a> {
    pub status: u16,
    /// From the provider's request-id headers.
    pub request_id: Option<String>,
    /// From `Retry-After` or the provider's rate-limit reset header.
    pub retry_after: Option<Duration>,
    pub body: &'a [u8],
    /// The credentials the request carried, masked in every error made from this reply.
    pub known_secrets: &'a [&'a str],
}

/// The decoded data and its JSON exactly as received (Feishu: the `data` object; otherwise
/// the body).
pub(crate) struct Decoded<'a, T> {
    pub data: T,
    pub raw: &'a str,
}

impl<'a> Reply<'a> {
    fn decode_error(&self, request_id: Option<String>, reason: &str) -> Failed {
        Failed::Decode(
            DecodeError::new(
                self.status,
                request_id,
                reason,
                self.body,
                self.known_secrets,
            )
            .with_retry_after(self.retry_after),
        )
    }

    fn api_error(&self, code: ErrorCode, message: &str, request_id: Option<String>) -> Failed {
        let message = redact(message, self.known_secrets);
        Failed::Api(
            ApiError::new(self.status, code, message, request_id)
                .with_retry_after(self.retry_after),
        )
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text: JSON is UTF-8, so anything else is undecodable.
    fn text(&self) -> Result<&'a str, Failed> {
        std::str::from_utf8(self.body).map_err(|e| {
            self.decode_error(self.request_id.clone(), &format!("not UTF-8 text: {e}"))
        })
    }

    /// Decodes the reply's data into `T`, which must be a JSON object: serde would also
    /// accept an array for a struct (`[]` as "every field absent"), which no provider means.
    fn data<'r, T: DeserializeOwned>(
        &self,
        raw: &'r str,
        request_id: Option<String>,
    ) -> Result<Decoded<'r, T>, Failed> {
        if !raw.trim_start().starts_with('{') {
            return Err(self.decode_error(request_id, "the reply's data is not a JSON object"));
        }
        serde_json::from_str(raw)
            .map(|data| Decoded { data, raw })
            .map_err(|e| {
                self.decode_error(
                    request_id,
                    &format!("the reply does not match the spec: {e}"),
                )
            })
    }
}

pub(crate) fn reply<'a, T: DeserializeOwned>(
    envelope: Envelope,
    request_id_body_field: Option<&str>,
    reply: &Reply<'a>,
) -> Result<Decoded<'a, T>, Failed> {
    match envelope {
        Envelope::CodeMsgData => code_msg(reply, true),
        Envelope::CodeMsgFlat => code_msg(reply, false),
        Envelope::Bare => bare(reply, request_id_body_field),
    }
}

/// Feishu's `{"code", "msg", "data"}`. `data` is kept raw until `code` says it is a success.
#[derive(Deserialize)]
struct CodeMsg<'a> {
    code: Option<i64>,
    #[serde(default)]
    msg: String,
    #[serde(borrow)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    log_id: Option<String>,
}

/// `wrapped`: the data sits under `data` (API calls); otherwise beside `code` (token reply).
fn code_msg<'a, T: DeserializeOwned>(
    reply: &Reply<'a>,
    wrapped: bool,
) -> Result<Decoded<'a, T>, Failed> {
    let text = reply.text()?;
    let envelope: CodeMsg<'a> = serde_json::from_str(text).map_err(|e| {
        reply.decode_error(
            reply.request_id.clone(),
            &format!("not the API's JSON envelope: {e}"),
        )
    })?;
    let request_id = reply
        .request_id
        .clone()
        .or_else(|| envelope.error.and_then(|e| e.log_id));
    match envelope.code {
        None => Err(reply.decode_error(request_id, "the reply has no `code` field")),
        Some(0) if !reply.is_success() => {
            Err(reply.decode_error(request_id, &format!("HTTP {} with code 0", reply.status)))
        }
        // A success without `data` is an empty object, not an error.
        Some(0) if wrapped => reply.data(envelope.data.map_or("{}", RawValue::get), request_id),
        Some(0) => reply.data(text, request_id),
        Some(code) => Err(reply.api_error(ErrorCode::Int(code), &envelope.msg, request_id)),
    }
}

/// DingTalk: the bare object on 2xx; `{"code", "message", "requestid"}` otherwise. A 2xx
/// reply in the error shape is an error too: a gateway or an older API version sends them.
fn bare<'a, T: DeserializeOwned>(
    reply: &Reply<'a>,
    request_id_body_field: Option<&str>,
) -> Result<Decoded<'a, T>, Failed> {
    let text = reply.text()?;
    if reply.is_success() {
        let decoded = reply.data(text, reply.request_id.clone())?;
        // Cheap test first: replies in the error shape name a `code`.
        if text.contains("\"code\"")
            && let Ok(object) = serde_json::from_str::<serde_json::Map<_, _>>(text)
            && object.contains_key("message")
            && let Some(code) = string_code(&object)
        {
            return Err(bare_error(reply, &object, code, request_id_body_field));
        }
        return Ok(decoded);
    }
    let object = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(object) => object,
        Err(e) => {
            let reason = format!("HTTP {} and not a JSON error body: {e}", reply.status);
            return Err(reply.decode_error(reply.request_id.clone(), &reason));
        }
    };
    let code = match (string_code(&object), object.get("code")) {
        (Some(code), _) => code,
        (None, Some(serde_json::Value::Number(n))) => ErrorCode::Str(n.to_string()),
        (None, _) => {
            let reason = format!("HTTP {} and the error body has no `code`", reply.status);
            let request_id = body_request_id(reply, &object, request_id_body_field);
            return Err(reply.decode_error(request_id, &reason));
        }
    };
    Err(bare_error(reply, &object, code, request_id_body_field))
}

type Object = serde_json::Map<String, serde_json::Value>;

fn string_code(object: &Object) -> Option<ErrorCode> {
    match object.get("code") {
        Some(serde_json::Value::String(code)) if !code.is_empty() => {
            Some(ErrorCode::Str(code.clone()))
        }
        _ => None,
    }
}

fn body_request_id(reply: &Reply<'_>, object: &Object, field: Option<&str>) -> Option<String> {
    field
        .and_then(|key| object.get(key)?.as_str())
        .map(str::to_owned)
        .or_else(|| reply.request_id.clone())
}

fn bare_error(
    reply: &Reply<'_>,
    object: &Object,
    code: ErrorCode,
    request_id_body_field: Option<&str>,
) -> Failed {
    let message = object
        .get("message")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let request_id = body_request_id(reply, object, request_id_body_field);
    reply.api_error(code, message, request_id)
}
