//! The real `taskapi` binary, run as a person would (the in-process contract tests are in
//! the workspace's `tests/` crate). Needs the `cli` feature (a default one).
#![cfg(feature = "cli")]

use std::process::{Command, Stdio};
use std::sync::{Mutex, mpsc};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// The binary with `args`, and `token` as the only token variable.
fn taskapi_command(args: &[String], token: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taskapi"));
    command
        .args(args)
        .env_remove("FEISHU_ACCESS_TOKEN")
        .env_remove("DINGTALK_ACCESS_TOKEN");
    if let Some(token) = token {
        command.env("FEISHU_ACCESS_TOKEN", token);
    }
    command
}

/// A server answering every GET with the folder task example.
async fn folder_task_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            taskapi::feishu::CHECK_FOLDER_TASK_EXAMPLE,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

fn taskapi(args: &[String], token: Option<&str>) -> std::process::Output {
    taskapi_command(args, token)
        .output()
        .expect("the taskapi binary runs")
}

#[tokio::test]
async fn binary_prints_json_and_exits_by_the_contract() {
    let server = folder_task_server().await;
    let args: Vec<String> = [
        "feishu.drive.file.task_check",
        "--task-id",
        "7",
        "--base-url",
        &server.uri(),
    ]
    .map(String::from)
    .to_vec();

    let with_token = args.clone();
    let ok = tokio::task::spawn_blocking(move || taskapi(&with_token, Some("t-token")))
        .await
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "{\"status\":\"success\"}\n"
    );

    let no_token = tokio::task::spawn_blocking(move || taskapi(&args, None))
        .await
        .unwrap();
    assert_eq!(no_token.status.code(), Some(2), "{no_token:?}");
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("FEISHU_ACCESS_TOKEN"));
}

#[tokio::test]
async fn rust_log_traces_calls_on_stderr_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/open-apis/auth/v3/tenant_access_token/internal",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        r#"{"code":0,"msg":"ok","tenant_access_token":"t-traced-token-value","expire":7200}"#,
        "application/json",
    ))
    .mount(&server)
    .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            taskapi::feishu::CHECK_FOLDER_TASK_EXAMPLE,
            "application/json",
        ))
        .mount(&server)
        .await;
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_taskapi"))
            .args([
                "feishu.drive.file.task_check",
                "--task-id",
                "7",
                "--base-url",
                &uri,
            ])
            .env_remove("FEISHU_ACCESS_TOKEN")
            .env("FEISHU_APP_ID", "cli_traced")
            .env("FEISHU_APP_SECRET", "traced-secret-value")
            .env("RUST_LOG", "taskapi=trace")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("taskapi.call") && stderr.contains("taskapi.token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("traced-secret-value") && !stderr.contains("t-traced-token-value"),
        "{stderr}"
    );
}

/// `taskapi ... > /dev/full`: the result cannot be written, which is an error (exit 1 and a
/// message on stderr), for a call's data as for `--help`.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn stdout_write_failure_exits_1_with_a_message() {
    let server = folder_task_server().await;
    let call = [
        "feishu.drive.file.task_check",
        "--task-id",
        "7",
        "--base-url",
        &server.uri(),
    ]
    .map(String::from)
    .to_vec();
    for args in [call, vec!["--help".to_owned()]] {
        let output = tokio::task::spawn_blocking(move || {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full opens");
            let output = taskapi_command(&args, Some("t-token"))
                .stdout(full)
                .output()
                .expect("the taskapi binary runs");
            (args, output)
        })
        .await
        .unwrap();
        let (args, output) = output;
        assert_eq!(
            output.status.code(),
            Some(taskapi::cli::EXIT_OUTPUT),
            "{args:?}: {output:?}"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("error: cannot write the output to stdout: ")
                && stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// Answers a request only when the test lets it through (or gives up on it), so that the
/// test can act before the binary has anything to print.
struct Gated {
    open: Mutex<mpsc::Receiver<()>>,
    reply: ResponseTemplate,
}

impl Respond for Gated {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let _ = self.open.lock().unwrap().recv();
        self.reply.clone()
    }
}

/// `taskapi ... | head -c0`: the reader went away before the result was written. Like other
/// tools, the binary ends quietly with the call's own exit code (here 5, a failed task whose
/// data goes to stdout): the same code and stderr as when the output is read.
#[tokio::test]
async fn stdout_closed_pipe_ends_quietly_with_the_commands_exit_code() {
    let (open, gate) = mpsc::channel();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Gated {
            open: Mutex::new(gate),
            reply: ResponseTemplate::new(200).set_body_raw(
                r#"{"code":0,"msg":"success","data":{"status":"failed"}}"#,
                "application/json",
            ),
        })
        .mount(&server)
        .await;
    let args: Vec<String> = [
        "feishu.drive.file.task_check",
        "--task-id",
        "7",
        "--wait",
        "--base-url",
        &server.uri(),
    ]
    .map(String::from)
    .to_vec();

    open.send(()).unwrap();
    let read_args = args.clone();
    let read = tokio::task::spawn_blocking(move || taskapi(&read_args, Some("t-token")))
        .await
        .unwrap();
    assert_eq!(
        read.status.code(),
        Some(taskapi::cli::EXIT_TASK_FAILED),
        "{read:?}"
    );
    assert_eq!(
        String::from_utf8_lossy(&read.stdout),
        "{\"status\":\"failed\"}\n"
    );

    let closed = tokio::task::spawn_blocking(move || {
        let mut child = taskapi_command(&args, Some("t-token"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the taskapi binary runs");
        // Close the only read end; the server answers (and the binary prints) only after.
        drop(child.stdout.take());
        open.send(()).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(closed.status.code(), read.status.code(), "{closed:?}");
    assert_eq!(
        String::from_utf8_lossy(&closed.stderr),
        String::from_utf8_lossy(&read.stderr),
        "a closed pipe printed an error"
    );
}

/// Proxies from the environment must not receive a token meant for a loopback server (in
/// clear text at that): the real binary, so that reqwest reads the real environment.
#[tokio::test]
async fn proxies_from_the_environment_never_receive_tokens_for_loopback_servers() {
    let server = folder_task_server().await;
    // Stands in for a proxy: it would receive the request, token included.
    let proxy = MockServer::start().await;
    let args: Vec<String> = [
        "feishu.drive.file.task_check",
        "--task-id",
        "7",
        "--base-url",
    ]
    .map(String::from)
    .into_iter()
    .chain([server.uri()])
    .collect();
    for variable in ["http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"] {
        let mut command = taskapi_command(&args, Some("t-proxy-test-token"));
        command
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .env(variable, proxy.uri());
        let out = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{variable}: {out:?}");
    }
    assert!(
        proxy.received_requests().await.unwrap().is_empty(),
        "the proxy saw a request"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

/// `taskapi --version` prints the crate's version (wired through the generated `Commands`).
#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        let output = taskapi(&[flag.to_owned()], None);
        assert_eq!(output.status.code(), Some(0), "{flag}: {output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            format!("taskapi {}\n", env!("CARGO_PKG_VERSION")),
            "{flag}"
        );
    }
}

/// `taskapi completions <shell>` prints a script that knows the endpoint subcommands.
#[test]
fn completions_name_the_endpoint_subcommands() {
    let bash = taskapi(&["completions".to_owned(), "bash".to_owned()], None);
    assert_eq!(bash.status.code(), Some(0), "{bash:?}");
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(script.contains("feishu.drive.export_task.get"), "{script}");
    assert!(script.contains("--base-url"), "{script}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let output = taskapi(&["completions".to_owned(), shell.to_owned()], None);
        assert_eq!(output.status.code(), Some(0), "{shell}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("dingtalk.doc.task_info.get"),
            "{shell}"
        );
    }
    let unknown = taskapi(&["completions".to_owned(), "cmd.exe".to_owned()], None);
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
}

/// A fake server process, killed when dropped.
struct ServeFake(std::process::Child);

impl Drop for ServeFake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `taskapi serve-fake` prints its URL as the first line and answers from the specs (here,
/// to the binary itself) until killed.
#[test]
fn serve_fake_prints_its_url_and_answers_from_the_specs() {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_taskapi"))
        .args(["serve-fake", "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the taskapi binary runs");
    let stdout = child.stdout.take().unwrap();
    let fake = ServeFake(child);
    let mut url = String::new();
    std::io::BufReader::new(stdout).read_line(&mut url).unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");

    let call = |args: &[&str]| {
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.extend(["--base-url".to_owned(), url.clone()]);
        taskapi_command(&args, Some("any-token"))
            .env("DINGTALK_ACCESS_TOKEN", "any-token")
            .output()
            .expect("the taskapi binary runs")
    };
    let export = call(&[
        "feishu.drive.export_task.get",
        "--ticket",
        "7108646852144136212",
        "--token",
        "docbcZVGtv1papC6jAVGiyabcef",
    ]);
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let printed: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    let example: serde_json::Value =
        serde_json::from_str(taskapi::feishu::GET_EXPORT_TASK_EXAMPLE).unwrap();
    assert_eq!(printed, example["data"]);
    // DingTalk too, with `--wait`: its example is a task that failed (status 2).
    let copy = call(&["dingtalk.doc.task_info.get", "--task-id", "abcd", "--wait"]);
    assert_eq!(copy.status.code(), Some(5), "{copy:?}");
    drop(fake);
}

/// An address in use is a transport failure (exit 4) naming the address.
#[test]
fn serve_fake_refuses_an_address_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = taskapi(&["serve-fake".into(), "--addr".into(), addr.clone()], None);
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("cannot listen on {addr}")),
        "{output:?}"
    );
}

/// An http base URL never needs TLS, so the binary loads no root certificates for it: with
/// them unreadable the call works, while an https base URL then fails to set up.
#[tokio::test]
async fn http_base_urls_load_no_root_certificates() {
    let server = folder_task_server().await;
    let run = |base_url: String| {
        let args: Vec<String> = [
            "feishu.drive.file.task_check",
            "--task-id",
            "7",
            "--base-url",
        ]
        .map(String::from)
        .into_iter()
        .chain([base_url])
        .collect();
        let mut command = taskapi_command(&args, Some("t-token"));
        command
            .env("SSL_CERT_FILE", "/nonexistent/taskapi-test/ca.pem")
            .env("SSL_CERT_DIR", "/nonexistent/taskapi-test/certs");
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    let http = run(server.uri()).await.unwrap();
    assert_eq!(http.status.code(), Some(0), "{http:?}");
    let https = run("https://open.feishu.cn".into()).await.unwrap();
    assert_eq!(https.status.code(), Some(2), "{https:?}");
    assert!(
        String::from_utf8_lossy(&https.stderr).contains("cannot set up the HTTP client"),
        "{https:?}"
    );
}
