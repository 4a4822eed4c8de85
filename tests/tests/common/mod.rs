//! Shared helpers: the real specs (loaded with the generator's own loader, so tests follow
//! the specs instead of repeating them) and canned provider replies.

#![allow(dead_code)] // each test binary uses a different subset

use codegen::model::{Code, Endpoint, Model, Provider};
use std::time::Duration;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::{AppCredentials, RetryPolicy};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const FEISHU_TOKEN: &str = "t-test-tenant-token-0123456789";
pub const DINGTALK_TOKEN: &str = "dingtalk-test-token-0123456789";

/// The model of the checked-in specs.
pub fn model() -> Model {
    let root = codegen::workspace_root().unwrap();
    let (set, problems) = codegen::load::load(&root, "specs");
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

/// `http://127.0.0.1:<port>` where nothing listens (the port was free a moment ago):
/// connections are refused.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
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

/// A server on 127.0.0.1 that answers every request with `reply`.
pub async fn serve(reply: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(reply)
        .mount(&server)
        .await;
    server
}

/// Flags that make a complete invocation of `endpoint`'s subcommand, from its spec: every
/// required parameter (an enum's first listed value), the body (the page's example body,
/// else every required body flag), the upload's file and a download's output, written
/// under `dir`.
pub fn required_args(endpoint: &Endpoint, dir: &std::path::Path) -> Vec<String> {
    use codegen::model::{ScalarType, TypeDef};
    let scalar = |ty: ScalarType| match ty {
        ScalarType::String => "x1",
        ScalarType::Integer | ScalarType::Int64String => "1",
        ScalarType::Number => "1.5",
        ScalarType::Boolean => "true",
    };
    let first_value = |name: &str| {
        endpoint.types.iter().find_map(|t| match t {
            TypeDef::Enum(en) if en.name == name => {
                en.variants.first().map(|v| v.value.to_string())
            }
            _ => None,
        })
    };
    let mut args = Vec::new();
    for p in endpoint.params.iter().filter(|p| p.required) {
        let value = match &p.enumeration {
            Some((name, _)) => first_value(name).unwrap_or_default(),
            None => scalar(p.ty).to_owned(),
        };
        args.extend([format!("--{}", p.cli_flag), value]);
    }
    if let Some(body) = &endpoint.body {
        match &body.example {
            Some(example) => args.extend(["--body".to_owned(), example.clone()]),
            None => {
                for leaf in body.leaves.iter().filter(|l| l.required) {
                    args.extend([format!("--{}", leaf.cli_flag), scalar(leaf.ty).to_owned()]);
                }
            }
        }
        if body.file.is_some() {
            let file = dir.join("upload.bin");
            std::fs::write(&file, b"example").unwrap();
            args.extend(["--file".to_owned(), file.display().to_string()]);
        }
    }
    if endpoint.json_response().is_none() {
        args.extend([
            "--output".to_owned(),
            dir.join("download.bin").display().to_string(),
        ]);
    }
    args
}

/// The doc example's data: under `data` for Feishu, the whole body for DingTalk.
pub fn example_data(provider: &Provider, endpoint: &Endpoint) -> serde_json::Value {
    let body: serde_json::Value = serde_json::from_str(&endpoint.example).unwrap();
    match provider.envelope {
        // A success without `data` (a create that returns nothing) decodes as an empty
        // object, as the runtime reads it.
        codegen::spec::EnvelopeStyle::CodeMsgData => match &body["data"] {
            serde_json::Value::Null => serde_json::json!({}),
            data => data.clone(),
        },
        _ => body,
    }
}

// ---- managed-token helpers (runtime and redaction tests) ----

pub const APP_ID: &str = "cli_a1b2c3d4e5";
pub const APP_SECRET: &str = "s3cr3t-app-secret-value-0123456789";
pub const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";
pub const EXPORT_PATH: &str = "/open-apis/drive/v1/export_tasks/T";

/// Retries that do not slow the suite down.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

pub fn managed(server: &MockServer) -> FeishuClient {
    FeishuClient::builder()
        .app_credentials(AppCredentials::new(APP_ID, APP_SECRET))
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .unwrap()
}

pub fn static_client(server: &MockServer) -> FeishuClient {
    FeishuClient::builder()
        .access_token(FEISHU_TOKEN)
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .unwrap()
}

pub fn token_reply(token: &str, expire: i64) -> ResponseTemplate {
    json(
        200,
        &format!(r#"{{"code":0,"msg":"ok","tenant_access_token":"{token}","expire":{expire}}}"#),
    )
}

/// Mounts token replies served in order, one each.
pub async fn mount_tokens(server: &MockServer, replies: Vec<ResponseTemplate>) {
    for reply in replies {
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .and(body_json(
                serde_json::json!({"app_id": APP_ID, "app_secret": APP_SECRET}),
            ))
            .respond_with(reply)
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
}

pub async fn mount_export(server: &MockServer, reply: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(EXPORT_PATH))
        .respond_with(reply)
        .mount(server)
        .await;
}

pub async fn hits(server: &MockServer, wanted_path: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == wanted_path)
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

// ---- the real binary (lifecycle and download_memory tests) ----

/// The `taskapi` binary of this checkout, as a person runs it. `CARGO_BIN_EXE_taskapi` exists
/// only in the `taskapi-jobs` package's own tests, so it is built here with cargo (once per test
/// binary; a no-op when it is current), as `cargo xtask bench` does, and never stale.
pub fn taskapi_binary() -> std::path::PathBuf {
    static BINARY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            let root = codegen::workspace_root().unwrap();
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let output = std::process::Command::new(cargo)
                .args([
                    "build",
                    "--quiet",
                    "--package",
                    "taskapi-jobs",
                    "--bin",
                    "taskapi",
                    "--message-format=json-render-diagnostics",
                ])
                .current_dir(&root)
                .stderr(std::process::Stdio::inherit())
                .output()
                .expect("cargo runs");
            assert!(
                output.status.success(),
                "cargo build of the taskapi binary failed"
            );
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .filter(|m| {
                    m["reason"] == "compiler-artifact"
                        && m["target"]["name"] == "taskapi"
                        && m["target"]["kind"][0] == "bin"
                })
                .find_map(|m| m["executable"].as_str().map(std::path::PathBuf::from))
                .expect("cargo build names the taskapi executable")
        })
        .clone()
}

/// The token the in-process CLI runs with (its provider's token variable).
pub const CLI_TOKEN: &str = "t-lifecycle-token";

/// Runs the CLI in-process: `<id> <args> --base-url <base>` with the provider's token set.
pub async fn cli(
    provider: &Provider,
    endpoint: &Endpoint,
    args: &[String],
    base: &str,
) -> taskapi::cli::Outcome {
    let argv: Vec<std::ffi::OsString> = ["taskapi", endpoint.id.as_str()]
        .into_iter()
        .map(str::to_owned)
        .chain(args.iter().cloned())
        .chain(["--base-url".to_owned(), base.to_owned()])
        .map(std::ffi::OsString::from)
        .collect();
    let var = provider.token_env.clone();
    taskapi::cli::run(argv, &|name| (name == var).then(|| CLI_TOKEN.to_owned())).await
}

/// `args` with the value of `--output` replaced by `path` (added when absent).
pub fn with_output(args: &[String], path: &std::path::Path) -> Vec<String> {
    let mut args = args.to_vec();
    match args.iter().position(|a| a == "--output") {
        Some(i) => args[i + 1] = path.display().to_string(),
        None => args.extend(["--output".to_owned(), path.display().to_string()]),
    }
    args
}

// ---- multipart bodies ----

/// A multipart body's parts: (headers, content).
pub fn multipart_parts(body: &[u8], content_type: &str) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .expect("a multipart boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut pieces = split_bytes(body, &delimiter).into_iter().skip(1);
    for piece in pieces.by_ref() {
        if piece.starts_with(b"--") {
            break; // the closing delimiter
        }
        let piece = piece.strip_prefix(b"\r\n").unwrap_or(piece);
        let piece = piece.strip_suffix(b"\r\n").unwrap_or(piece);
        let head_end = piece
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a part has headers and a blank line");
        let headers = String::from_utf8_lossy(&piece[..head_end]).into_owned();
        parts.push((headers, piece[head_end + 4..].to_vec()));
    }
    parts
}

fn split_bytes<'b>(haystack: &'b [u8], needle: &[u8]) -> Vec<&'b [u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            pieces.push(&haystack[start..i]);
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(&haystack[start..]);
    pieces
}

/// The content of the part named `wire`.
pub fn part<'p>(parts: &'p [(String, Vec<u8>)], wire: &str) -> Option<&'p [u8]> {
    let name = format!("name=\"{wire}\"");
    parts
        .iter()
        .find(|(headers, _)| headers.contains(&name))
        .map(|(_, content)| content.as_slice())
}

// ---- values at a model path (a waiter's may step into an array's elements) ----

/// The values at `steps`: one per element of an array a step goes on in (`each`).
pub fn values_at<'v>(
    value: &'v serde_json::Value,
    steps: &[codegen::model::PathStep],
) -> Vec<&'v serde_json::Value> {
    let Some((step, rest)) = steps.split_first() else {
        return vec![value];
    };
    let Some(next) = value.get(&step.wire) else {
        return Vec::new();
    };
    if step.each {
        let elements = next.as_array().map(Vec::as_slice).unwrap_or_default();
        elements.iter().flat_map(|e| values_at(e, rest)).collect()
    } else {
        values_at(next, rest)
    }
}

/// Sets the value at `steps`, making the objects on the way; in every element of an array
/// a step goes on in (an array that is not there gets one element).
pub fn set_at(
    value: &mut serde_json::Value,
    steps: &[codegen::model::PathStep],
    new: serde_json::Value,
) {
    let Some((step, rest)) = steps.split_first() else {
        *value = new;
        return;
    };
    let empty = if step.each {
        serde_json::json!([{}])
    } else {
        serde_json::json!({})
    };
    let next = value
        .as_object_mut()
        .expect("an object on the way")
        .entry(step.wire.clone())
        .or_insert(empty);
    if step.each {
        for element in next.as_array_mut().expect("an array").iter_mut() {
            set_at(element, rest, new.clone());
        }
    } else {
        set_at(next, rest, new);
    }
}

/// Removes the field at the end of `steps`, in every element of an array a step goes on in.
pub fn remove_at(value: &mut serde_json::Value, steps: &[codegen::model::PathStep]) {
    let Some((step, rest)) = steps.split_first() else {
        return;
    };
    if rest.is_empty() {
        if let Some(object) = value.as_object_mut() {
            object.remove(&step.wire);
        }
        return;
    }
    let Some(next) = value.get_mut(&step.wire) else {
        return;
    };
    if step.each {
        for element in next.as_array_mut().into_iter().flatten() {
            remove_at(element, rest);
        }
    } else {
        remove_at(next, rest);
    }
}

/// The busiest one-second window of sorted arrival times: how many arrived in the second
/// from which arrival.
pub fn busiest_second(arrivals: &[Duration]) -> (usize, Duration) {
    arrivals
        .iter()
        .enumerate()
        .map(|(i, from)| {
            let within = arrivals[i..]
                .iter()
                .take_while(|at| **at < *from + Duration::from_secs(1))
                .count();
            (within, *from)
        })
        .max_by_key(|(within, _)| *within)
        .unwrap_or((0, Duration::ZERO))
}
