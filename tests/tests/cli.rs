//! The `taskapi` CLI contract: output and exit codes, against a server on 127.0.0.1.

mod common;

use common::{FEISHU_TOKEN, error_reply, json};
use std::collections::HashMap;
use taskapi::cli::{EXIT_API, EXIT_OK, EXIT_TRANSPORT, EXIT_USAGE, Outcome, run};
use taskapi::{dingtalk, feishu};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(reply)
        .mount(&server)
        .await;
    server
}

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

const FEISHU_ENV: &[(&str, &str)] = &[("FEISHU_ACCESS_TOKEN", FEISHU_TOKEN)];

#[tokio::test]
async fn success_prints_the_data_as_one_json_line_with_wire_names() {
    let server = serve(json(200, feishu::GET_EXPORT_TASK_EXAMPLE)).await;
    let out = cli(
        &[
            "feishu.drive.export_task.get",
            "--ticket",
            "T",
            "--token",
            "D",
            "--base-url",
            &server.uri(),
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 1);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let example: serde_json::Value = serde_json::from_str(feishu::GET_EXPORT_TASK_EXAMPLE).unwrap();
    assert_eq!(
        printed, example["data"],
        "wire names and wire values, `data` only"
    );

    let server = serve(json(200, dingtalk::GET_TASK_INFO_EXAMPLE)).await;
    let out = cli(
        &[
            "--base-url",
            &server.uri(),
            "dingtalk.doc.task_info.get",
            "--task-id",
            "12345678",
        ],
        &[("DINGTALK_ACCESS_TOKEN", "dt")],
    )
    .await;
    assert_eq!(out.exit_code, EXIT_OK, "{out:?}");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let example: serde_json::Value = serde_json::from_str(dingtalk::GET_TASK_INFO_EXAMPLE).unwrap();
    assert_eq!(printed, example, "DingTalk prints the body");
    assert_eq!(
        server.received_requests().await.unwrap()[0].url.path(),
        "/v2.0/doc/task/info/12345678"
    );
}

#[tokio::test]
async fn every_endpoint_has_a_subcommand_and_every_documented_code_exits_3() {
    let model = common::model();
    for (provider, endpoint) in common::endpoints(&model) {
        let flags: Vec<String> = endpoint
            .params
            .iter()
            .filter(|p| p.required)
            .flat_map(|p| [format!("--{}", p.cli_flag), "x1".to_owned()])
            .collect();
        let env = [(provider.token_env.as_str(), "tok")];
        for case in &endpoint.errors {
            let server = serve(error_reply(
                &provider.key,
                case.http_status.unwrap_or(400),
                &case.code,
                "server says",
                "req-7",
            ))
            .await;
            let mut args = vec![endpoint.id.as_str(), "--base-url"];
            let uri = server.uri();
            args.push(&uri);
            args.extend(flags.iter().map(String::as_str));
            let out = cli(&args, &env).await;
            assert_eq!(
                out.exit_code, EXIT_API,
                "{} {}: {out:?}",
                endpoint.id, case.code
            );
            assert!(out.stdout.is_empty());
            assert!(
                out.stderr.contains(&format!("code: {}\n", case.code)),
                "{}",
                out.stderr
            );
            assert!(
                out.stderr.contains("message: server says\n"),
                "{}",
                out.stderr
            );
            assert!(
                out.stderr.contains(&format!("hint: {}\n", case.hint)),
                "{}",
                out.stderr
            );
            assert!(out.stderr.contains("request id: req-7\n"), "{}", out.stderr);
        }
    }
}

#[tokio::test]
async fn unknown_and_common_codes_exit_3() {
    let server = serve(json(200, r#"{"code":99991663,"msg":"invalid token"}"#)).await;
    let out = cli(
        &[
            "feishu.vc.export.get",
            "--task-id",
            "1",
            "--base-url",
            &server.uri(),
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(out.stderr.contains("code: 99991663"));
    assert!(out.stderr.contains("hint: 访问令牌无效"));

    let server = serve(json(400, r#"{"code":7777777,"msg":"new"}"#)).await;
    let out = cli(
        &[
            "feishu.vc.export.get",
            "--task-id",
            "1",
            "--base-url",
            &server.uri(),
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_API, "{out:?}");
    assert!(out.stderr.contains("code: 7777777"));
}

#[tokio::test]
async fn transport_failures_and_undecodable_replies_exit_4() {
    let server =
        serve(ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"))
            .await;
    let out = cli(
        &[
            "feishu.drive.import_task.get",
            "--ticket",
            "1",
            "--base-url",
            &server.uri(),
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");
    assert!(
        out.stderr.contains("HTTP 502") && out.stderr.contains("<html>Bad Gateway"),
        "{}",
        out.stderr
    );

    let server = serve(json(200, r#"{"code":0,"data":{"result":{"job_st"#)).await;
    let out = cli(
        &[
            "feishu.drive.import_task.get",
            "--ticket",
            "1",
            "--base-url",
            &server.uri(),
        ],
        FEISHU_ENV,
    )
    .await;
    assert_eq!(out.exit_code, EXIT_TRANSPORT, "{out:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let out = cli(
        &[
            "feishu.drive.import_task.get",
            "--ticket",
            "1",
            "--base-url",
            &base,
        ],
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
