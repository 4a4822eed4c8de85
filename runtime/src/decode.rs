//! Turning a complete reply into the endpoint's data or a failure, by the provider's
//! envelope. Nothing here panics or drops information: whatever cannot be decoded becomes a
//! [`DecodeError`] holding the status and the start of the body (credentials masked).

use super::error::{ApiError, DecodeError, ErrorCode, Failed};
use super::provider::Envelope;
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

/// The reply's data, for callers that do not need its raw text: the same outcome as
/// [`reply`], with a success in Feishu's envelope decoded in one pass over the body.
///
/// The one pass is taken only where its outcome is certain: a 2xx reply whose `code` is 0
/// and comes before `data`, every field of the expected type. Anything else (an error, a
/// reply that does not match the spec, fields in another order) is decoded again by
/// [`reply`], which words the error.
pub(crate) fn data<T: DeserializeOwned>(
    envelope: Envelope,
    request_id_body_field: Option<&str>,
    reply: &Reply<'_>,
) -> Result<T, Failed> {
    if envelope == Envelope::CodeMsgData
        && reply.is_success()
        && let Ok(text) = std::str::from_utf8(reply.body)
        && let Ok(Success(Some(data))) = serde_json::from_str::<Success<T>>(text)
    {
        return Ok(data);
    }
    self::reply(envelope, request_id_body_field, reply).map(|decoded| decoded.data)
}

/// A success in Feishu's envelope, decoded in one pass: `None` (or an error) when the reply
/// is anything else, for [`reply`] to decode.
struct Success<T>(Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Success<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SuccessVisitor(std::marker::PhantomData))
    }
}

struct SuccessVisitor<T>(std::marker::PhantomData<fn() -> T>);

impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for SuccessVisitor<T> {
    type Value = Success<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the API's JSON envelope")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        // Each field at most once, as the derived `CodeMsg` requires.
        let (mut code, mut msg, mut error) = (None, false, false);
        let mut data = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.0.as_ref() {
                "code" if code.is_none() => code = Some(map.next_value::<Option<i64>>()?),
                "msg" if !msg => {
                    map.next_value::<Text>()?;
                    msg = true;
                }
                "error" if !error => {
                    map.next_value::<Option<ErrorDetail>>()?;
                    error = true;
                }
                // Only once `code` said success: the data of an error is not decoded.
                "data" if data.is_none() && code == Some(Some(0)) => {
                    data = Some(map.next_value::<Option<DataObject<T>>>()?);
                }
                "code" | "msg" | "error" | "data" => return Err(A::Error::custom("undecided")),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        if code != Some(Some(0)) {
            return Ok(Success(None));
        }
        match data.flatten() {
            Some(DataObject(data)) => Ok(Success(Some(data))),
            // A success without `data` (or with `null`) is an empty object.
            None => serde_json::from_str("{}")
                .map(|data| Success(Some(data)))
                .map_err(A::Error::custom),
        }
    }
}

/// A map key, borrowed from the body unless it has escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A string whose value is not needed (`msg` of a success): checked, not kept.
struct Text;

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, _: &str) -> Result<Text, E> {
                Ok(Text)
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// `T` from a JSON object only: serde would also take an array for a struct.
struct DataObject<T>(T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for DataObject<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(ObjectOnly(deserializer)).map(DataObject)
    }
}

/// A deserializer that offers its value to any visitor as a map only.
struct ObjectOnly<D>(D);

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Data {
        #[serde(default)]
        status: Option<i64>,
        #[serde(default)]
        name: Option<String>,
    }

    fn outcome(result: Result<Data, Failed>) -> String {
        format!("{result:?}")
    }

    /// The one-pass decoding of a success gives exactly what decoding the envelope and then
    /// the data gives, for successes and for everything that is not one.
    #[test]
    fn one_pass_decoding_agrees_with_two() {
        let bodies: &[&[u8]] = &[
            br#"{"code":0,"msg":"success","data":{"status":1,"name":"a"}}"#,
            br#"{"code":0,"data":{"status":1},"msg":"success","extra":[1,{"x":null}]}"#,
            br#"{"msg":"ok","code":0,"data":{"name":"a\"\u00e9"}}"#,
            br#"{"code":0,"msg":"success"}"#,
            br#"{"code":0,"msg":"success","data":null}"#,
            br#"{"code":0,"msg":"success","data":{}}"#,
            br#"{"code":0,"msg":"success","data":[1,"a"]}"#,
            br#"{"code":0,"msg":"success","data":"text"}"#,
            br#"{"code":0,"msg":"success","data":{"status":"one"}}"#,
            br#"{"code":0,"msg":"success","data":{"status":1}} trailing"#,
            br#"{"data":{"status":1},"code":0,"msg":"success"}"#,
            br#"{"code":0,"code":0,"data":{"status":1}}"#,
            br#"{"code":0,"data":{"status":1},"data":{"status":2}}"#,
            br#"{"code":0,"msg":5,"data":{"status":1}}"#,
            br#"{"code":0,"msg":null,"data":{"status":1}}"#,
            br#"{"code":0,"msg":"ok","error":{"log_id":"L1"},"data":{"status":1}}"#,
            br#"{"code":0,"msg":"ok","error":{"log_id":7},"data":{"status":1}}"#,
            br#"{"code":null,"msg":"ok","data":{"status":1}}"#,
            br#"{"code":"0","msg":"ok","data":{"status":1}}"#,
            br#"{"code":1069906,"msg":"docs deleted","data":{"status":1}}"#,
            br#"{"code":99991663,"msg":"token t-secret invalid"}"#,
            br#"{"msg":"no code","data":{"status":1}}"#,
            br#"[0,"success",{"status":1}]"#,
            br#"<html>502</html>"#,
            b"",
            b"{\"code\":0,\"msg\":\"ok\",\"data\":{\"name\":\"\xff\"}}",
            b"{\"code\":0,\"msg\":\"ok\",\"x\":\"\xff\",\"data\":{}}",
        ];
        for status in [200, 201, 400, 500] {
            for body in bodies {
                let r = Reply {
                    status,
                    request_id: Some("req".into()),
                    retry_after: None,
                    body,
                    known_secrets: &["t-secret"],
                };
                let two = reply::<Data>(Envelope::CodeMsgData, None, &r).map(|d| d.data);
                let one = data::<Data>(Envelope::CodeMsgData, None, &r);
                assert_eq!(
                    outcome(one),
                    outcome(two),
                    "HTTP {status}: {}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }

    #[test]
    fn one_pass_decodes_a_success() {
        let r = Reply {
            status: 200,
            request_id: None,
            retry_after: None,
            body: br#"{"code":0,"msg":"success","data":{"status":3,"name":"n"}}"#,
            known_secrets: &[],
        };
        let data = data::<Data>(Envelope::CodeMsgData, None, &r).unwrap();
        assert_eq!(
            data,
            Data {
                status: Some(3),
                name: Some("n".into())
            }
        );
    }
}
