//! Turning a complete reply into the endpoint's data or a failure, by the provider's
//! envelope. Nothing here panics or drops information: whatever cannot be decoded becomes a
//! [`DecodeError`] holding the status and the start of the body.

use super::client::Envelope;
use super::error::{ApiError, DecodeError, ErrorCode, Failed};
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
}

impl Reply<'_> {
    fn decode_error(&self, request_id: Option<String>, reason: String) -> Failed {
        Failed::Decode(
            DecodeError::new(self.status, request_id, reason, self.body)
                .with_retry_after(self.retry_after),
        )
    }

    fn api_error(&self, code: ErrorCode, message: String, request_id: Option<String>) -> Failed {
        Failed::Api(
            ApiError::new(self.status, code, message, request_id)
                .with_retry_after(self.retry_after),
        )
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

pub(crate) fn reply<T: DeserializeOwned>(
    envelope: Envelope,
    request_id_body_field: Option<&str>,
    reply: Reply<'_>,
) -> Result<T, Failed> {
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
fn code_msg<T: DeserializeOwned>(reply: Reply<'_>, wrapped: bool) -> Result<T, Failed> {
    let envelope: CodeMsg<'_> = match serde_json::from_slice(reply.body) {
        Ok(envelope) => envelope,
        Err(e) => {
            return Err(reply.decode_error(
                reply.request_id.clone(),
                format!("not the API's JSON envelope: {e}"),
            ));
        }
    };
    let request_id = reply
        .request_id
        .clone()
        .or_else(|| envelope.error.and_then(|e| e.log_id));
    match envelope.code {
        None => Err(reply.decode_error(request_id, "the reply has no `code` field".into())),
        Some(0) if !reply.is_success() => {
            Err(reply.decode_error(request_id, format!("HTTP {} with code 0", reply.status)))
        }
        Some(0) => {
            let parsed = if wrapped {
                // A success without `data` is an empty object, not an error.
                serde_json::from_str(envelope.data.map_or("{}", RawValue::get))
            } else {
                serde_json::from_slice(reply.body)
            };
            parsed.map_err(|e| {
                reply.decode_error(
                    request_id,
                    format!("the reply does not match the spec: {e}"),
                )
            })
        }
        Some(code) => Err(reply.api_error(ErrorCode::Int(code), envelope.msg, request_id)),
    }
}

/// DingTalk: the bare object on 2xx; `{"code", "message", "requestid"}` otherwise.
fn bare<T: DeserializeOwned>(
    reply: Reply<'_>,
    request_id_body_field: Option<&str>,
) -> Result<T, Failed> {
    if reply.is_success() {
        return serde_json::from_slice(reply.body).map_err(|e| {
            reply.decode_error(
                reply.request_id.clone(),
                format!("the reply does not match the spec: {e}"),
            )
        });
    }
    let object =
        match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(reply.body) {
            Ok(object) => object,
            Err(e) => {
                let reason = format!("HTTP {} and not a JSON error body: {e}", reply.status);
                return Err(reply.decode_error(reply.request_id.clone(), reason));
            }
        };
    let text = |key: &str| object.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let request_id = request_id_body_field
        .and_then(text)
        .or_else(|| reply.request_id.clone());
    let code = match object.get("code") {
        Some(serde_json::Value::String(code)) if !code.is_empty() => ErrorCode::Str(code.clone()),
        Some(serde_json::Value::Number(n)) => ErrorCode::Str(n.to_string()),
        _ => {
            let reason = format!("HTTP {} and the error body has no `code`", reply.status);
            return Err(reply.decode_error(request_id, reason));
        }
    };
    Err(reply.api_error(code, text("message").unwrap_or_default(), request_id))
}
