//! Spec fidelity, end to end: replies the documents allow must decode, and codes the
//! documents say to retry must be retried, for every endpoint in the specs.
//!
//! Endpoints are reached by id through the CLI driver (`taskapi::cli::run`), the one entry
//! that dispatches to every endpoint's typed request and reply without an arm per endpoint,
//! against the fake server generated from the same specs.

mod common;

use codegen::model::{Code, Endpoint, Field, FieldRust, Provider, ScalarType, StructKind, TypeDef};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use taskapi::cli::{EXIT_API, EXIT_OK, EXIT_TASK_FAILED, Outcome, run};
use taskapi::feishu::FeishuClient;
use taskapi::testing::FakeServer;

/// The value the tests pass for every required request parameter.
const PARAM_VALUE: &str = "x1";

/// Runs the CLI for `endpoint` against `fake`, with every required parameter set.
async fn call(
    fake: &FakeServer,
    provider: &Provider,
    endpoint: &Endpoint,
    extra: &[&str],
) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["taskapi".into(), endpoint.id.clone()];
    args.extend(common::required_args(endpoint, dir.path()));
    args.extend(["--base-url".to_owned(), fake.uri()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let env: HashMap<String, String> =
        HashMap::from([(provider.token_env.clone(), "test-token".to_owned())]);
    run(args.into_iter().map(Into::into).collect(), &|name| {
        env.get(name).cloned()
    })
    .await
}

/// The reply's structs (a request body's fields are the page's to require).
fn structs(endpoint: &Endpoint) -> impl Iterator<Item = &codegen::model::StructDef> {
    endpoint.types.iter().filter_map(|t| match t {
        TypeDef::Struct(s) if s.kind == StructKind::Reply => Some(s),
        _ => None,
    })
}

fn struct_named<'e>(endpoint: &'e Endpoint, name: &str) -> &'e codegen::model::StructDef {
    structs(endpoint)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("{}: no struct {name}", endpoint.id))
}

/// A field that echoes a request parameter (import's `ticket`, DingTalk's `taskId`, export's
/// document `token`): what identifies the task, the only kind of reply field a spec may mark
/// required.
fn echoes_a_param(endpoint: &Endpoint, field: &Field) -> bool {
    endpoint.params.iter().any(|p| p.wire == field.wire)
}

/// The reply object `name` with nothing but the fields echoing a request parameter (at any
/// depth, with the objects on the way to them); `None` when it has none.
fn task_key_only(endpoint: &Endpoint, name: &str) -> Option<Value> {
    let mut object = Map::new();
    for field in &struct_named(endpoint, name).fields {
        let value = match &field.ty {
            FieldRust::Named(nested) if structs(endpoint).any(|s| &s.name == nested) => {
                task_key_only(endpoint, nested)
            }
            FieldRust::Scalar(ScalarType::String) if echoes_a_param(endpoint, field) => {
                Some(json!(PARAM_VALUE))
            }
            _ => None,
        };
        if let Some(value) = value {
            object.insert(field.wire.clone(), value);
        }
    }
    (!object.is_empty()).then_some(Value::Object(object))
}

/// The defect: reply fields that no page or SDK model marks required (`result`, `status`)
/// were `required: true`, so a partial reply failed to decode. Neither the pages nor the
/// official SDK models (every field optional) mark a reply field required; the only field a
/// spec may require is the task's key, echoing the request's parameter. A reply carrying
/// nothing else must decode, and print back as it came.
#[tokio::test]
async fn partial_replies_decode_when_only_the_task_key_is_present() {
    let model = common::model();
    let mut problems = Vec::new();
    for (provider, endpoint) in common::endpoints(&model) {
        for def in structs(endpoint) {
            for field in def.fields.iter().filter(|f| f.required) {
                if !echoes_a_param(endpoint, field) {
                    problems.push(format!(
                        "{}: `{}.{}` is required, but no page or SDK model requires it",
                        endpoint.id, def.name, field.wire
                    ));
                }
            }
        }
        // A download's success is a file, not JSON.
        let Some(response) = endpoint.json_response() else {
            continue;
        };
        let partial = task_key_only(endpoint, response).unwrap_or_else(|| json!({}));
        let fake = FakeServer::start().await.unwrap();
        fake.endpoint_by_id(&endpoint.id).unwrap().reply(&partial);
        let out = call(&fake, provider, endpoint, &[]).await;
        if out.exit_code != EXIT_OK {
            problems.push(format!(
                "{}: the partial reply {partial} does not decode: exit {}, {}",
                endpoint.id,
                out.exit_code,
                out.stderr.trim()
            ));
            continue;
        }
        let printed: Value = serde_json::from_str(&out.stdout).unwrap();
        if printed != partial {
            problems.push(format!(
                "{}: the partial reply {partial} printed back as {printed}",
                endpoint.id
            ));
        }
        // A waiter reads its status through optional objects (`result.job_status`): a reply
        // without them says nothing yet, so waiting goes on to the next reply.
        if endpoint.waiter.is_some() {
            let fake = FakeServer::start().await.unwrap();
            fake.endpoint_by_id(&endpoint.id)
                .unwrap()
                .reply(&partial)
                .reply(&common::example_data(provider, endpoint));
            let wait = ["--wait", "--min-delay", "0.01", "--max-delay", "0.02"];
            let out = call(&fake, provider, endpoint, &wait).await;
            let requests = fake.requests(&endpoint.id);
            if ![EXIT_OK, EXIT_TASK_FAILED].contains(&out.exit_code) || requests != 2 {
                problems.push(format!(
                    "{}: waiting through the partial reply {partial}: exit {}, {requests} requests, {}",
                    endpoint.id,
                    out.exit_code,
                    out.stderr.trim()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The defect: DingTalk's `unknownError` (HTTP 500) was not `retryable`, though a 500 is the
/// reply whose documented remedy is to try again (`systemError`, the page's other 500:
/// 服务繁忙,请稍后重试). Every documented code whose HTTP status is 5xx (the endpoint's and
/// the provider's common ones) states `retryable` (validation refuses a spec that does not),
/// and is retried as it states: answered once with the code and then with the doc example,
/// a call with two attempts succeeds, unless the spec says trying again cannot help
/// (DingTalk answers a missing document with a 500).
#[tokio::test]
async fn documented_server_errors_such_as_unknown_error_are_retried() {
    let model = common::model();
    let mut tried = 0;
    for (provider, endpoint) in common::endpoints(&model) {
        let server_errors = endpoint
            .errors
            .iter()
            .chain(&provider.common_errors)
            .filter(|e| e.http_status.is_some_and(|s| s >= 500));
        for error in server_errors {
            tried += 1;
            let what = format!(
                "{} code {} (HTTP {:?})",
                endpoint.id, error.code, error.http_status
            );
            let fake = FakeServer::start().await.unwrap();
            let script = fake.endpoint_by_id(&endpoint.id).unwrap();
            match &error.code {
                Code::Int(n) => script.error(*n),
                Code::Str(s) => script.error(s.as_str()),
            };
            if endpoint.json_response().is_some() {
                script.reply(&common::example_data(provider, endpoint));
            } else {
                script.file();
            }
            let out = call(&fake, provider, endpoint, &["--max-attempts", "2"]).await;
            if !error.retryable {
                assert_eq!(out.exit_code, EXIT_API, "{what}: {out:?}");
                assert_eq!(fake.requests(&endpoint.id), 1, "{what}: requests");
                continue;
            }
            if endpoint.idempotent {
                assert_eq!(out.exit_code, EXIT_OK, "{what}: {out:?}");
                assert_eq!(fake.requests(&endpoint.id), 2, "{what}: requests");
            } else {
                // A call that creates something, answered with an error: the server may
                // have acted before failing, so it is not sent again.
                assert_eq!(out.exit_code, EXIT_API, "{what}: {out:?}");
                assert_eq!(fake.requests(&endpoint.id), 1, "{what}: requests");
            }
        }
    }
    assert!(tried > 0, "no documented 5xx code: nothing was checked");
}

/// The defect: fields the official SDK models have were missing from the specs, so a reply
/// carrying them lost them. oapi-sdk-go `service/drive/v1` `ExportTask` adds `token` and
/// `sub_id` to the export page's fields; `ImportTask` adds `file_extension`, `file_token`,
/// `file_name` and `point` (`ImportTaskMountPoint`: `mount_type`, `mount_key`). The meeting
/// export, task_check and DingTalk replies already had every field of their SDK models.
#[tokio::test]
async fn sdk_model_fields_decode_into_typed_fields() {
    let fake = FakeServer::start().await.unwrap();
    let client: FeishuClient = fake.client().build().unwrap();

    fake.endpoint_by_id("feishu.drive.export_task.get")
        .unwrap()
        .reply(&json!({"result": {
            "file_extension": "csv",
            "token": "shtcnSource",
            "type": "sheet",
            "file_name": "销售表",
            "sub_id": "6e5ed3",
            "file_token": "boxcnCsv",
            "file_size": 1024,
            "job_error_msg": "success",
            "job_status": 0
        }}));
    let export = client
        .get_export_task("T", "shtcnSource")
        .send()
        .await
        .unwrap()
        .result
        .unwrap();
    assert_eq!(export.token.as_deref(), Some("shtcnSource"));
    assert_eq!(export.sub_id.as_deref(), Some("6e5ed3"));
    assert_eq!(export.file_token.as_deref(), Some("boxcnCsv"));

    fake.endpoint_by_id("feishu.drive.import_task.get")
        .unwrap()
        .reply(&json!({"result": {
            "ticket": "7369583175086912356",
            "file_extension": "xlsx",
            "file_token": "boxcnrHpsg1QDqXAAAyachabcef",
            "type": "sheet",
            "file_name": "销售表",
            "point": {"mount_type": 1, "mount_key": "AbqrfuRTjlJEIJduwDwcnIabcef"},
            "job_status": 0,
            "job_error_msg": "success",
            "token": "Fm7osyjtMh5o7Ktrv32c73abcef",
            "url": "https://example.feishu.cn/sheets/Fm7osyjtMh5o7Ktrv32c73abcef",
            "extra": []
        }}));
    let import = client
        .get_import_task("7369583175086912356")
        .send()
        .await
        .unwrap()
        .result
        .unwrap();
    assert_eq!(import.file_extension.as_deref(), Some("xlsx"));
    assert_eq!(
        import.file_token.as_deref(),
        Some("boxcnrHpsg1QDqXAAAyachabcef")
    );
    assert_eq!(import.file_name.as_deref(), Some("销售表"));
    let point = import.point.unwrap();
    assert_eq!(point.mount_type, Some(1));
    assert_eq!(
        point.mount_key.as_deref(),
        Some("AbqrfuRTjlJEIJduwDwcnIabcef")
    );
}
