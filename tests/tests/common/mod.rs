//! Shared helpers: the real specs (loaded with the generator's own loader, so tests follow
//! the specs instead of repeating them) and canned provider replies.

#![allow(dead_code)] // each test binary uses a different subset

use codegen::model::{Code, Endpoint, Model, Provider};
use std::path::Path;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const FEISHU_TOKEN: &str = "t-test-tenant-token-0123456789";
pub const DINGTALK_TOKEN: &str = "dingtalk-test-token-0123456789";

/// The model of the checked-in specs.
pub fn model() -> Model {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let (set, problems) = codegen::load::load(root, "specs");
    assert!(
        problems.is_empty() && codegen::validate::validate(&set).is_empty(),
        "specs are valid"
    );
    codegen::model::build(&set)
}

pub fn endpoints(model: &Model) -> Vec<(&Provider, &Endpoint)> {
    model
        .providers
        .iter()
        .flat_map(|p| p.endpoints.iter().map(move |e| (p, e)))
        .collect()
}

/// An error reply in the provider's shape.
pub fn error_reply(
    provider: &str,
    status: u16,
    code: &Code,
    message: &str,
    request_id: &str,
) -> ResponseTemplate {
    match (provider, code) {
        ("feishu", Code::Int(code)) => ResponseTemplate::new(status)
            .insert_header("X-Tt-Logid", request_id)
            .set_body_raw(
                format!(r#"{{"code":{code},"msg":"{message}","data":{{}}}}"#),
                "application/json",
            ),
        ("dingtalk", Code::Str(code)) => ResponseTemplate::new(status).set_body_raw(
            format!(r#"{{"code":"{code}","message":"{message}","requestid":"{request_id}"}}"#),
            "application/json",
        ),
        other => panic!("no error shape for {other:?}"),
    }
}

pub fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// A server on 127.0.0.1 that answers every GET with `reply`.
pub async fn serve(reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(reply)
        .mount(&server)
        .await;
    server
}

/// The doc example's data: under `data` for Feishu, the whole body for DingTalk.
pub fn example_data(provider: &Provider, endpoint: &Endpoint) -> serde_json::Value {
    let body: serde_json::Value = serde_json::from_str(&endpoint.example).unwrap();
    match provider.envelope {
        codegen::spec::EnvelopeStyle::CodeMsgData => body["data"].clone(),
        _ => body,
    }
}
