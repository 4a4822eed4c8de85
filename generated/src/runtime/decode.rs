//! Turning a complete reply into the endpoint's data or its typed error, by the provider's
//! envelope. Nothing here panics or drops information: whatever cannot be decoded becomes a
//! [`DecodeError`] holding the status and the start of the body.

use super::client::{Envelope, ProviderInfo};
use super::error::{ApiError, DecodeError, EndpointError, ErrorCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

pub(crate) fn reply<T: DeserializeOwned, E: EndpointError>(
    provider: &ProviderInfo,
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> Result<T, E> {
    match provider.envelope {
        Envelope::CodeMsgData => code_msg_data(status, request_id, body),
        Envelope::Bare => bare(provider, status, request_id, body),
    }
}

/// Feishu's `{"code", "msg", "data"}`. `data` is kept raw until `code` says it is a success.
#[derive(Deserialize)]
struct CodeMsgData<'a> {
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

fn code_msg_data<T: DeserializeOwned, E: EndpointError>(
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> Result<T, E> {
    let fail = |request_id: Option<String>, reason: String| {
        Err(E::from_decode(DecodeError::new(
            status, request_id, reason, body,
        )))
    };
    let envelope: CodeMsgData<'_> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) => return fail(request_id, format!("not the API's JSON envelope: {e}")),
    };
    let request_id = request_id.or_else(|| envelope.error.and_then(|e| e.log_id));
    match envelope.code {
        None => fail(request_id, "the reply has no `code` field".into()),
        Some(0) if !(200..300).contains(&status) => {
            fail(request_id, format!("HTTP {status} with code 0"))
        }
        Some(0) => {
            // A success without `data` is an empty object, not an error.
            let data = envelope.data.map_or("{}", RawValue::get);
            serde_json::from_str(data)
                .or_else(|e| fail(request_id, format!("`data` does not match the spec: {e}")))
        }
        Some(code) => Err(E::from_api(ApiError::new(
            status,
            ErrorCode::Int(code),
            envelope.msg,
            request_id,
        ))),
    }
}

fn bare<T: DeserializeOwned, E: EndpointError>(
    provider: &ProviderInfo,
    status: u16,
    request_id: Option<String>,
    body: &[u8],
) -> Result<T, E> {
    if (200..300).contains(&status) {
        return serde_json::from_slice(body).map_err(|e| {
            E::from_decode(DecodeError::new(
                status,
                request_id,
                format!("the reply does not match the spec: {e}"),
                body,
            ))
        });
    }
    // An error body: {"code": "...", "message": "...", "requestid": "..."}.
    let object = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
        Ok(object) => object,
        Err(e) => {
            return Err(E::from_decode(DecodeError::new(
                status,
                request_id,
                format!("HTTP {status} and not a JSON error body: {e}"),
                body,
            )));
        }
    };
    let text = |key: &str| object.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let request_id = provider.request_id_body_field.and_then(text).or(request_id);
    let code = match object.get("code") {
        Some(serde_json::Value::String(code)) if !code.is_empty() => ErrorCode::Str(code.clone()),
        Some(serde_json::Value::Number(n)) => ErrorCode::Str(n.to_string()),
        _ => {
            return Err(E::from_decode(DecodeError::new(
                status,
                request_id,
                format!("HTTP {status} and the error body has no `code`"),
                body,
            )));
        }
    };
    let message = text("message").unwrap_or_default();
    Err(E::from_api(ApiError::new(
        status, code, message, request_id,
    )))
}
