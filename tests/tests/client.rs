//! The generated client against a real HTTP server on 127.0.0.1 (wiremock).

mod common;

use common::{DINGTALK_TOKEN, FEISHU_TOKEN, error_reply, json, serve};
use taskapi::ErrorDetails;
use taskapi::dingtalk::{self, DingTalkClient, GetTaskInfoError, TaskStatus};
use taskapi::feishu::{self, *};
use taskapi::runtime::{BuildError, ErrorCode, TransportErrorKind};
use taskapi::testing::{Called, CalledError, ClientSettings, call_by_id};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn feishu(server: &MockServer) -> FeishuClient {
    FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}

fn dingtalk(server: &MockServer) -> DingTalkClient {
    DingTalkClient::builder()
        .access_token(DINGTALK_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// Calls endpoint `id` against `server` with the generated `call_by_id` (no code per
/// endpoint here: a new spec is walked as soon as it is generated) and returns its error.
async fn call_expecting_error(id: &str, server: &MockServer) -> CalledError {
    let settings = ClientSettings::new(server.uri(), FEISHU_TOKEN);
    match call_by_id(id, &settings).await {
        Some(Called::Err(error)) => error,
        other => panic!("{id}: expected an error, got {other:?}"),
    }
}

/// Every documented code of every endpoint, and every common code on every endpoint, is
/// served with the provider's error shape and must come back as its own variant, carrying
/// the code, status, request id, the server's message and what the spec says of it.
#[tokio::test]
async fn every_documented_and_common_code_maps_to_its_variant() {
    let model = common::model();
    let mut documented = 0;
    for (provider, endpoint) in common::endpoints(&model) {
        let documented_cases = endpoint
            .errors
            .iter()
            .map(|c| (c, format!("{}(", c.variant)));
        let common_cases = provider
            .common_errors
            .iter()
            .map(|c| (c, format!("Common({}, ", c.variant)));
        for (case, expected_variant) in documented_cases.chain(common_cases) {
            let status = case.http_status.unwrap_or(400);
            let reply = error_reply(
                &provider.key,
                status,
                &case.code,
                "from the server",
                "req-42",
            );
            let seen = call_expecting_error(&endpoint.id, &serve(reply).await).await;
            let what = format!("{} code {}", endpoint.id, case.code);
            assert!(
                seen.debug.starts_with(&expected_variant),
                "{what}: expected {expected_variant}.., got {}",
                seen.debug
            );
            assert_eq!(
                seen.code.as_ref().map(ToString::to_string),
                Some(case.code.to_string()),
                "{what}"
            );
            assert_eq!(
                seen.hint,
                Some(case.hint.as_str()).filter(|h| !h.is_empty()),
                "{what}"
            );
            assert_eq!(seen.retryable, case.retryable, "{what}");
            assert_eq!(seen.http_status, Some(status), "{what}");
            assert_eq!(seen.request_id.as_deref(), Some("req-42"), "{what}");
            assert!(
                seen.debug.contains("from the server"),
                "{what}: the server's message is kept"
            );
            documented += usize::from(expected_variant.ends_with('('));
        }
    }
    let in_specs: usize = common::endpoints(&model)
        .iter()
        .map(|(_, e)| e.errors.len())
        .sum();
    assert!(in_specs > 0);
    assert_eq!(documented, in_specs, "every documented code was served");
}

#[tokio::test]
async fn every_doc_example_decodes() {
    let server = serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let data = feishu(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap();
    let result = data.result.unwrap();
    assert_eq!(result.job_status, Some(ExportJobStatus::Success));
    assert_eq!(result.file_size, Some(34356));
    assert_eq!(result.type_.as_deref(), Some("doc"));
    assert_eq!(
        result.file_token.as_deref(),
        Some("boxcnxe5OdjlAkNgSNdsJvabcef")
    );

    let server = serve(json(200, feishu::GET_IMPORT_TASK_EXAMPLE)).await;
    let data = feishu(&server).get_import_task("t").send().await.unwrap();
    let result = data.result.unwrap();
    assert_eq!(result.job_status, Some(ImportJobStatus::Success));
    assert_eq!(result.extra, Some(vec!["2000".to_owned()]));

    let server = serve(json(200, feishu::GET_MEETING_EXPORT_EXAMPLE)).await;
    let data = feishu(&server)
        .get_meeting_export("t")
        .send()
        .await
        .unwrap();
    assert_eq!(data.status, Some(MeetingExportStatus::Done));
    assert_eq!(data.fail_msg.as_deref(), Some("no permission"));

    let server = serve(json(200, feishu::CHECK_FOLDER_TASK_EXAMPLE)).await;
    let data = feishu(&server).check_folder_task("t").send().await.unwrap();
    assert_eq!(data.status, Some(FolderTaskStatus::Success));

    let server = serve(json(200, dingtalk::GET_TASK_INFO_EXAMPLE)).await;
    let data = dingtalk(&server).get_task_info("t").send().await.unwrap();
    assert_eq!(data.status, Some(TaskStatus::PartlyFailed));
    assert_eq!(
        (data.total_count, data.succ_count, data.fail_count),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(data.task_id.as_deref(), Some("abcd"));
}

#[tokio::test]
async fn unknown_code_keeps_code_and_message() {
    let server = serve(error_reply(
        "feishu",
        400,
        &codegen::model::Code::Int(1069999),
        "brand new",
        "log-9",
    ))
    .await;
    let err = feishu(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap_err();
    let GetExportTaskError::Unknown(api) = &err else {
        panic!("expected Unknown, got {err:?}")
    };
    assert_eq!(api.code(), &ErrorCode::Int(1069999));
    assert_eq!(api.message(), "brand new");
    assert_eq!(err.request_id(), Some("log-9"));
    assert!(!err.is_retryable());

    let server = serve(error_reply(
        "dingtalk",
        409,
        &codegen::model::Code::Str("newCode".into()),
        "new",
        "rid",
    ))
    .await;
    let err = dingtalk(&server)
        .get_task_info("t")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetTaskInfoError::Unknown(api) if api.code() == &ErrorCode::Str("newCode".into())),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("rid"));
}

#[tokio::test]
async fn unknown_enum_values_decode_as_unknown_and_keep_the_raw_value() {
    let body = r#"{"code":0,"msg":"success","data":{"result":{"job_status":4242,"file_token":"","extra_field":[1,2]}}}"#;
    let server = serve(json(200, body)).await;
    let data = feishu(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap();
    assert_eq!(
        data.result.as_ref().and_then(|r| r.job_status),
        Some(ExportJobStatus::Unknown(4242))
    );
    assert_eq!(
        serde_json::to_value(&data).unwrap()["result"]["job_status"],
        4242
    );

    let server = serve(json(
        200,
        r#"{"code":0,"msg":"ok","data":{"status":"paused"}}"#,
    ))
    .await;
    let data = feishu(&server).check_folder_task("t").send().await.unwrap();
    assert_eq!(
        data.status,
        Some(FolderTaskStatus::Unknown("paused".into()))
    );

    let server = serve(json(200, r#"{"status":17}"#)).await;
    let data = dingtalk(&server).get_task_info("t").send().await.unwrap();
    assert_eq!(data.status, Some(TaskStatus::Unknown(17)));
    assert_eq!(data.task_id, None, "absent fields are None");
}

#[tokio::test]
async fn token_error_inside_http_200_is_an_api_error() {
    let server = serve(json(
        200,
        r#"{"code":99991663,"msg":"Invalid access token for authorization."}"#,
    ))
    .await;
    let err = feishu(&server)
        .get_import_task("t")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            GetImportTaskError::Common(FeishuCommonError::InvalidAccessToken, _)
        ),
        "{err:?}"
    );
    assert_eq!(err.http_status(), Some(200));
    assert_eq!(err.code(), Some(&ErrorCode::Int(99991663)));
}

#[tokio::test]
async fn html_502_is_a_retryable_decode_error_with_an_excerpt() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = serve(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    let err = feishu(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap_err();
    let GetExportTaskError::Decode(decode) = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(decode.http_status(), 502);
    assert!(
        decode
            .excerpt()
            .starts_with("<html><head><title>502 Bad Gateway")
    );
    assert!(err.is_retryable());

    let server = serve(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;
    let err = dingtalk(&server)
        .get_task_info("t")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetTaskInfoError::Decode(d) if d.http_status() == 502),
        "{err:?}"
    );
}

#[tokio::test]
async fn truncated_json_and_wrong_types_are_decode_errors() {
    let truncated = &feishu::GET_EXPORT_TASK_EXAMPLE[..80];
    let server = serve(json(200, truncated)).await;
    let err = feishu(&server)
        .get_export_task("t", "d")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetExportTaskError::Decode(d) if d.excerpt() == truncated.replace('\n', " ")),
        "{err:?}"
    );
    assert!(!err.is_retryable(), "a broken 200 is not a gateway hiccup");

    let server = serve(json(200, r#"{"code":0,"data":{"status":"three"}}"#)).await;
    let err = feishu(&server)
        .get_meeting_export("t")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GetMeetingExportError::Decode(d) if d.reason().contains("does not match the spec")),
        "{err:?}"
    );

    let server = serve(json(200, r#"{"totalCount":"many"}"#)).await;
    let err = dingtalk(&server)
        .get_task_info("t")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, GetTaskInfoError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn path_and_query_values_cannot_escape_their_place() {
    let server = serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    feishu(&server)
        .get_export_task("a/../b?x#y", "doc&token=evil#f")
        .send()
        .await
        .unwrap();
    let server_dt = serve(json(200, dingtalk::GET_TASK_INFO_EXAMPLE)).await;
    dingtalk(&server_dt)
        .get_task_info("../../v1.0/oauth2/accessToken")
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let url = &requests[0].url;
    assert_eq!(
        url.path(),
        "/open-apis/drive/v1/export_tasks/a%2F..%2Fb%3Fx%23y"
    );
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![("token".to_owned(), "doc&token=evil#f".to_owned())]
    );
    assert_eq!(url.fragment(), None);

    let requests = server_dt.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        "/v2.0/doc/task/info/..%2F..%2Fv1.0%2Foauth2%2FaccessToken"
    );
}

#[tokio::test]
async fn dot_segments_and_empty_params_are_refused_before_sending() {
    let server = serve(json(200, feishu::GET_IMPORT_TASK_EXAMPLE)).await;
    for ticket in ["", ".", ".."] {
        let err = feishu(&server)
            .get_import_task(ticket)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, GetImportTaskError::InvalidRequest(e) if e.param() == "ticket"),
            "{err:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn tokens_go_in_each_providers_header_style() {
    let server = MockServer::start().await;
    Mock::given(header(
        "authorization",
        format!("Bearer {FEISHU_TOKEN}").as_str(),
    ))
    .respond_with(json(200, feishu::CHECK_FOLDER_TASK_EXAMPLE))
    .expect(1)
    .mount(&server)
    .await;
    Mock::given(path("/v2.0/doc/task/info/1"))
        .and(header("x-acs-dingtalk-access-token", DINGTALK_TOKEN))
        .respond_with(json(200, dingtalk::GET_TASK_INFO_EXAMPLE))
        .expect(1)
        .mount(&server)
        .await;
    feishu(&server).check_folder_task("x").send().await.unwrap();
    dingtalk(&server).get_task_info("1").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests[1].headers.get("authorization").is_none(),
        "DingTalk gets no Authorization header"
    );
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = serve(json(200, feishu::CHECK_FOLDER_TASK_EXAMPLE)).await;
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(format!("{}/proxy/feishu/", server.uri()))
        .build()
        .unwrap();
    client.check_folder_task("a b").send().await.unwrap();
    let url = &server.received_requests().await.unwrap()[0].url;
    assert_eq!(
        url.path(),
        "/proxy/feishu/open-apis/drive/v1/files/task_check"
    );
    assert_eq!(url.query(), Some("task_id=a+b"));
}

#[tokio::test]
async fn connection_refused_is_a_retryable_transport_error() {
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(common::closed_port_url())
        .build()
        .unwrap();
    let err = client.get_meeting_export("t").send().await.unwrap_err();
    let GetMeetingExportError::Transport(transport) = &err else {
        panic!("expected Transport, got {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    assert!(err.is_retryable());
    assert_eq!(err.http_status(), None);
}

#[tokio::test]
async fn tokens_never_appear_in_debug_or_errors() {
    let server = serve(json(401, "<html>Unauthorized</html>")).await;
    let client = feishu(&server);
    let err = client.get_export_task("t", "d").send().await.unwrap_err();
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(FEISHU_TOKEN), "token leaked into: {text}");
    }
    let client = dingtalk(&server);
    assert!(!format!("{client:?}").contains(DINGTALK_TOKEN));
    // A token no header can carry is refused when building, without showing it.
    let err = FeishuClient::builder()
        .access_token("t-line\nbreak")
        .base_url(server.uri())
        .build()
        .unwrap_err();
    assert_eq!(err, BuildError::InvalidAccessToken);
    assert!(!err.to_string().contains("line"), "{err}");
}

#[tokio::test]
async fn client_defaults_and_invalid_base_urls() {
    let client = FeishuClient::new(FEISHU_TOKEN).unwrap();
    assert_eq!(client.base_url(), FeishuClient::FEISHU_BASE_URL);
    assert_eq!(
        DingTalkClient::new("x").unwrap().base_url(),
        "https://api.dingtalk.com"
    );
    assert_eq!(FeishuClient::LARK_BASE_URL, "https://open.larksuite.com");
    for bad in ["not a url", "ftp://example.com", "https://example.com/?q=1"] {
        let err = FeishuClient::builder()
            .access_token("t")
            .base_url(bad)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("invalid base URL"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn errors_chain_from_a_transport_failure_to_the_io_error() {
    let client = FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(common::closed_port_url())
        .retry(taskapi::runtime::RetryPolicy::none())
        // The wait below polls at once: with the endpoint's documented limit, its slot
        // would come after its 100 ms and end it with the time limit, not the io error.
        .rate_limits(taskapi::runtime::RateLimits::off())
        .build()
        .unwrap();
    let err = client.get_meeting_export("t").send().await.unwrap_err();

    // As `anyhow`/`eyre` report it: each level's text, then its source.
    let mut chain: Vec<&(dyn std::error::Error + 'static)> = vec![&err];
    while let Some(source) = chain.last().unwrap().source() {
        chain.push(source);
    }
    let io = chain
        .iter()
        .find_map(|e| e.downcast_ref::<std::io::Error>())
        .unwrap_or_else(|| panic!("no io::Error in {chain:?}"));
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    // No level repeats the text of the level below it.
    for pair in chain.windows(2) {
        assert!(
            !pair[0].to_string().contains(&pair[1].to_string()) || pair[1].to_string().is_empty(),
            "{:?} repeats {:?}",
            pair[0].to_string(),
            pair[1].to_string()
        );
    }

    // A wait that ends with that error as its last poll's keeps the chain.
    let wait = client
        .wait_meeting_export("t")
        .min_delay(std::time::Duration::from_millis(10))
        .max_wait(std::time::Duration::from_millis(100))
        .await
        .expect_err("the server is down");
    let mut source = std::error::Error::source(&wait);
    let mut found = false;
    while let Some(cause) = source {
        found |= cause.downcast_ref::<std::io::Error>().is_some();
        source = cause.source();
    }
    assert!(found, "{wait}");
}
