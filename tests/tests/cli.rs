//! The `taskapi` CLI contract: output and exit codes, against a server on 127.0.0.1.

mod common;

use common::{FEISHU_TOKEN, error_reply, json, serve};
use std::collections::HashMap;
use taskapi::cli::{
    EXIT_API, EXIT_OK, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_USAGE, EXIT_WAIT_TIMEOUT, Outcome,
    run,
};
use taskapi::{dingtalk, feishu};
use wiremock::{MockServer, ResponseTemplate};

async fn cli(args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let args = std::iter::once("taskapi")
        .chain(args.iter().copied())
        .map(Into::into)
        .collect();
    run(args, &|name| env.get(name).cloned()).await
}

/// Runs the CLI with `--base-url` pointing at `server`.
async fn cli_at(server: &MockServer, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let uri = server.uri();
    let args: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--base-url", uri.as_str()])
        .collect();
    cli(&args, env).await
}

const FEISHU_ENV: &[(&str, &str)] = &[("FEISHU_ACCESS_TOKEN", FEISHU_TOKEN)];

#[tokio::test]
async fn success_prints_the_data_as_one_json_line_with_wire_names() {
    let server = serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let args = [
        "feishu.drive.export_task.get",
        "--ticket",
        "T",
        "--token",
        "D",
    ];
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 1);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let example: serde_json::Value = serde_json::from_str(feishu::GET_EXPORT_TASK_EXAMPLE).unwrap();
    assert_eq!(
        printed, example["data"],
        "wire names and wire values, `data` only"
    );

    // --base-url is global: it may come before the subcommand too.
    let server = serve(json(200, dingtalk::GET_TASK_INFO_EXAMPLE)).await;
    let args = [
        "--base-url",
        &server.uri(),
        "dingtalk.doc.task_info.get",
        "--task-id",
        "12345678",
    ];
    let out = cli(&args, &[("DINGTALK_ACCESS_TOKEN", "dt")]).await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let example: serde_json::Value = serde_json::from_str(dingtalk::GET_TASK_INFO_EXAMPLE).unwrap();
    assert_eq!(printed, example, "DingTalk prints the body");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), "/v2.0/doc/task/info/12345678");
}

#[tokio::test]
async fn every_endpoint_has_a_subcommand_and_every_documented_code_exits_3() {
    let model = common::model();
    let dir = tempfile::tempdir().unwrap();
    for (provider, endpoint) in common::endpoints(&model) {
        let flags = common::required_args(endpoint, dir.path());
        let mut args = vec![endpoint.id.as_str()];
        args.extend(flags.iter().map(String::as_str));
        let env = [(provider.token_env.as_str(), "tok")];
        for case in &endpoint.errors {
            let status = case.http_status.unwrap_or(400);
            let server = serve(error_reply(
                &provider.key,
                status,
                &case.code,
                "server says",
                "req-7",
            ))
            .await;
            let out = cli_at(&server, &args, &env).await;
            assert_eq!(
                out.exit_code, EXIT_API,
                "{} {}: {out:?}",
                endpoint.id, case.code
            );
            assert!(out.stdout.is_empty());
            for line in [
                format!("code: {}\n", case.code),
                "message: server says\n".to_owned(),
                format!("hint: {}\n", case.hint),
                "request id: req-7\n".to_owned(),
            ] {
                assert!(
                    out.stderr.contains(&line),
                    "{line:?} missing from:\n{}",
                    out.stderr
                );
            }
        }
    }
}

#[tokio::test]
async fn unknown_and_common_codes_exit_3() {
    let args = ["feishu.vc.export.get", "--task-id", "1"];
    let server = serve(json(200, r#"{"code":99991663,"msg":"invalid token"}"#)).await;
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(out.stderr.contains("code: 99991663"));
    assert!(out.stderr.contains("hint: 访问令牌无效"));

    let server = serve(json(400, r#"{"code":7777777,"msg":"new"}"#)).await;
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(out.stderr.contains("code: 7777777"));
}

#[tokio::test]
async fn transport_failures_and_undecodable_replies_exit_4() {
    let args = ["feishu.drive.import_task.get", "--ticket", "1"];
    let page = ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html");
    let out = cli_at(&serve(page).await, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert!(
        out.stderr.contains("HTTP 502") && out.stderr.contains("<html>Bad Gateway"),
        "{}",
        out.stderr
    );

    let truncated = json(200, r#"{"code":0,"data":{"result":{"job_st"#);
    let out = cli_at(&serve(truncated).await, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let out = cli(
        &[args[0], args[1], args[2], "--base-url", &base],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert!(!out.stderr.contains(FEISHU_TOKEN));
}

#[tokio::test]
async fn usage_errors_exit_2() {
    // Missing token.
    let out = cli(&["feishu.vc.export.get", "--task-id", "1"], &[]).await;
    assert_eq!(out.exit_code, EXIT_USAGE);
    assert!(out.stderr.contains("FEISHU_ACCESS_TOKEN"), "{}", out.stderr);
    // Missing required flag, unknown flag, unknown command, no command.
    for args in [
        &["feishu.drive.export_task.get", "--ticket", "T"][..],
        &["feishu.vc.export.get", "--task-id", "1", "--bogus"],
        &["feishu.nothing.get"],
        &[],
    ] {
        let out = cli(args, FEISHU_ENV).await;
        assert_eq!(out.exit_code, EXIT_USAGE, "{args:?}: {out:?}");
        assert!(out.stdout.is_empty());
    }
    // A base URL that is not one, and a path parameter that cannot be sent.
    let out = cli(
        &[
            "feishu.vc.export.get",
            "--task-id",
            "1",
            "--base-url",
            "nope",
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    let out = cli(
        &[
            "feishu.vc.export.get",
            "--task-id",
            "..",
            "--base-url",
            "http://127.0.0.1:9",
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
}

#[tokio::test]
async fn help_lists_every_endpoint_and_exits_0() {
    let out = cli(&["--help"], &[]).await;
    assert_eq!(out.exit_code, EXIT_OK);
    for (_, endpoint) in common::endpoints(&common::model()) {
        assert!(
            out.stdout.contains(&endpoint.id),
            "{} missing from --help",
            endpoint.id
        );
    }
}

const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

fn token_requests(requests: &[wiremock::Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path() == TOKEN_PATH)
        .count()
}

#[tokio::test]
async fn app_credentials_in_the_environment_select_managed_tokens() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path(TOKEN_PATH))
        .respond_with(json(
            200,
            r#"{"code":0,"msg":"ok","tenant_access_token":"t-managed","expire":7200}"#,
        ))
        .mount(&server)
        .await;
    wiremock::Mock::given(wiremock::matchers::header(
        "authorization",
        "Bearer t-managed",
    ))
    .respond_with(json(200, feishu::CHECK_FOLDER_TASK_EXAMPLE))
    .mount(&server)
    .await;
    let env = [
        ("FEISHU_APP_ID", "cli_app"),
        ("FEISHU_APP_SECRET", "the-secret"),
    ];
    let out = cli_at(
        &server,
        &["feishu.drive.file.task_check", "--task-id", "1"],
        &env,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    assert_eq!(
        token_requests(&server.received_requests().await.unwrap()),
        1
    );

    // Half the credentials is a usage error that names the missing variable.
    let out = cli_at(
        &server,
        &["feishu.drive.file.task_check", "--task-id", "1"],
        &env[..1],
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("FEISHU_APP_SECRET"), "{}", out.stderr);
}

#[tokio::test]
async fn a_wrong_secret_exits_3_with_the_code_and_without_the_secret() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path(TOKEN_PATH))
        .respond_with(json(200, r#"{"code":99991543,"msg":"app secret invalid"}"#))
        .mount(&server)
        .await;
    let env = [
        ("FEISHU_APP_ID", "cli_app"),
        ("FEISHU_APP_SECRET", "wrong-secret-value"),
    ];
    let out = cli_at(&server, &["feishu.vc.export.get", "--task-id", "1"], &env).await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(out.stderr.contains("code: 99991543"), "{}", out.stderr);
    assert!(
        out.stderr.contains("hint: app_id 或 app_secret 错误。"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("wrong-secret-value"));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "not retried"
    );
}

#[tokio::test]
async fn max_attempts_and_timeout_flags_and_the_last_failures_exit_code() {
    let args = ["feishu.drive.import_task.get", "--ticket", "1"];
    let gateway = serve(ResponseTemplate::new(503)).await;
    let out = cli_at(
        &gateway,
        &[&args[..], &["--max-attempts", "1"]].concat(),
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert_eq!(gateway.received_requests().await.unwrap().len(), 1);

    let internal = serve(json(500, r#"{"code":1069901,"msg":"internal error"}"#)).await;
    let out = cli_at(
        &internal,
        &[&args[..], &["--max-attempts", "2"]].concat(),
        FEISHU_ENV,
    )
    .await;
    assert_eq!(
        out.exit_code, EXIT_API,
        "exhausted retries end with the last failure's code: {out:?}"
    );
    assert!(out.stderr.contains("after 2 attempts"), "{}", out.stderr);
    assert_eq!(internal.received_requests().await.unwrap().len(), 2);

    let slow = serve(
        json(200, feishu::GET_IMPORT_TASK_EXAMPLE).set_delay(std::time::Duration::from_secs(5)),
    )
    .await;
    let flags = ["--timeout", "0.1", "--max-attempts", "1"];
    let out = cli_at(&slow, &[&args[..], &flags[..]].concat(), FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert!(out.stderr.contains("Timeout"), "{}", out.stderr);

    for bad in [
        ["--max-attempts", "0"],
        ["--timeout", "-1"],
        ["--timeout", "soon"],
    ] {
        let out = cli_at(&slow, &[&args[..], &bad[..]].concat(), FEISHU_ENV).await;
        assert_eq!(out.exit_code, EXIT_USAGE, "{bad:?}: {out:?}");
    }
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_a_usage_error() {
    let args = [
        "feishu.vc.export.get",
        "--task-id",
        "1",
        "--base-url",
        "http://example.com",
    ];
    let out = cli(&args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("plain http"), "{}", out.stderr);
}

/// Serves `replies` in order, one per request, repeating the last.
struct Script(Vec<ResponseTemplate>, std::sync::atomic::AtomicUsize);

impl wiremock::Respond for Script {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.0[n.min(self.0.len() - 1)].clone()
    }
}

async fn scripted(replies: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(Script(replies, Default::default()))
        .mount(&server)
        .await;
    server
}

const FAST_WAIT: [&str; 5] = ["--wait", "--min-delay", "0.01", "--max-delay", "0.02"];

fn import(status: i64, token: &str) -> ResponseTemplate {
    json(
        200,
        &format!(
            r#"{{"code":0,"msg":"success","data":{{"result":{{"job_status":{status},"token":"{token}","job_error_msg":"e{status}"}}}}}}"#
        ),
    )
}

#[tokio::test]
async fn wait_exits_0_with_the_final_data() {
    let server = scripted(vec![import(1, ""), import(2, ""), import(0, "Fm7")]).await;
    let args = [
        &["feishu.drive.import_task.get", "--ticket", "1"][..],
        &FAST_WAIT,
    ]
    .concat();
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["result"]["token"], "Fm7");
    assert_eq!(printed["result"]["job_status"], 0);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn wait_exits_5_on_a_failed_task_and_still_prints_the_data() {
    let server = scripted(vec![import(2, ""), import(115, "")]).await;
    let args = [
        &["feishu.drive.import_task.get", "--ticket", "1"][..],
        &FAST_WAIT,
    ]
    .concat();
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_TASK_FAILED, "{out:?}");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["result"]["job_status"], 115);
    assert!(
        out.stderr.contains("FileTooLarge") && out.stderr.contains("e115"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn wait_exits_6_when_the_maximum_wait_runs_out() {
    let server = scripted(vec![import(2, "")]).await;
    let args = [
        &["feishu.drive.import_task.get", "--ticket", "1"][..],
        &FAST_WAIT,
        &["--max-wait", "0.2"],
    ]
    .concat();
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_WAIT_TIMEOUT, "{out:?}");
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("did not end within"), "{}", out.stderr);
}

#[tokio::test]
async fn wait_keeps_errors_exit_codes_and_delay_flags_need_wait() {
    let server = scripted(vec![json(
        404,
        r#"{"code":"notFound","message":"no task","requestid":"r1"}"#,
    )])
    .await;
    let args = [
        &["dingtalk.doc.task_info.get", "--task-id", "1"][..],
        &FAST_WAIT,
    ]
    .concat();
    let out = cli_at(&server, &args, &[("DINGTALK_ACCESS_TOKEN", "dt")]).await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");

    let out = cli_at(
        &server,
        &[
            "dingtalk.doc.task_info.get",
            "--task-id",
            "1",
            "--max-wait",
            "5",
        ],
        &[("DINGTALK_ACCESS_TOKEN", "dt")],
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
}

#[tokio::test]
async fn a_reply_over_the_cap_exits_4() {
    let fake = taskapi::testing::FakeServer::start().await.unwrap();
    fake.get_meeting_export()
        .fault(taskapi::testing::Fault::Oversized {
            bytes: taskapi::runtime::DEFAULT_MAX_REPLY_BYTES + 1,
            chunked: true,
        });
    let args = [
        "feishu.vc.export.get",
        "--task-id",
        "1",
        "--max-attempts",
        "1",
        "--base-url",
        &fake.uri(),
    ];
    let out = cli(&args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert!(out.stderr.contains("TooLarge"), "{}", out.stderr);
}

// ---- issue 10: input no request can carry, and output as received ----

#[tokio::test]
async fn unsendable_input_exits_2_naming_the_flag() {
    let server = serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let export = ["feishu.drive.export_task.get", "--ticket", "T", "--token"];

    let out = cli_at(
        &server,
        &[&export[..], &["D"]].concat(),
        &[("FEISHU_ACCESS_TOKEN", "t-a\r\nb")],
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("access token"), "{}", out.stderr);

    // `max_length: 27` in the spec.
    let long_token = "d".repeat(28);
    let out = cli_at(
        &server,
        &[&export[..], &[long_token.as_str()]].concat(),
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("--token"), "{}", out.stderr);

    // Too long for any request line.
    let long_ticket = "t".repeat(100_000);
    let args = [
        "feishu.drive.export_task.get",
        "--ticket",
        &long_ticket,
        "--token",
        "D",
    ];
    let out = cli_at(&server, &args, FEISHU_ENV).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(out.stderr.contains("--ticket"), "{}", out.stderr);

    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_cli_prints_the_reply_as_received_not_re_serialized() {
    // Pretty-printed, with a field the spec does not list and a float as the server spells it.
    let reply = r#"{"code": 0, "msg": "ok", "data": {
        "result": {"job_status": 0, "file_token": "boxcn", "added_later": {"x": 1.50}}
    }}"#;
    let server = serve(json(200, reply)).await;
    let expected = r#"{"result":{"job_status":0,"file_token":"boxcn","added_later":{"x":1.50}}}"#;
    for wait in [&[][..], &["--wait"][..]] {
        let args = [
            &[
                "feishu.drive.export_task.get",
                "--ticket",
                "T",
                "--token",
                "D",
            ][..],
            wait,
        ]
        .concat();
        let out = cli_at(&server, &args, FEISHU_ENV).await;
        assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
        assert_eq!(out.stdout, format!("{expected}\n"), "with {wait:?}");
    }
}
