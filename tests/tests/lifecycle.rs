//! Whole lifecycles against the fake server, driven by the specs: every request as its spec
//! says it goes on the wire, every chain (start, wait, download) from start to end, failed
//! and overlong tasks, cut downloads resumed or restarted (never leaving a partial file),
//! and calls that create something sent again only when the server surely did nothing.
//! No endpoint is named here: a new spec is walked as soon as it is generated.

mod common;

use codegen::model::{Code, Endpoint, FeedFrom, PathPart, PathStep, Provider, ScalarType, TypeDef};
use codegen::spec::{BodyContent, FileFactKind, ParamIn};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use taskapi::cli::{EXIT_OK, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_WAIT_TIMEOUT};
use taskapi::runtime::{RetryPolicy, TransportErrorKind};
use taskapi::testing::{
    Called, CalledError, ClientSettings, FAKE_ACCESS_TOKEN, FakeServer, Fault, Recorded,
    call_by_id, content,
};

use common::{CLI_TOKEN, cli, multipart_parts, part};

/// What an upload sends: `common::required_args` writes these bytes to the `--file` it
/// names, and the generated `call_by_id` uploads them too (`codegen/src/emit/example.rs`).
const UPLOAD_BYTES: &[u8] = b"example";
/// Waits that poll at once, so a chain of a few polls takes milliseconds.
const FAST_WAIT: [&str; 5] = ["--wait", "--min-delay", "0.01", "--max-delay", "0.02"];
const MAX_ATTEMPTS: u32 = 3;
const OUTCOME_UNKNOWN: &str = "may or may not have acted";

// ---- helpers ----

/// The `--flag value` pairs of an invocation (every flag `required_args` gives has a value).
fn flag_values(args: &[String]) -> HashMap<String, String> {
    args.chunks(2)
        .filter_map(|pair| match pair {
            [flag, value] => Some((flag.strip_prefix("--")?.to_owned(), value.clone())),
            _ => None,
        })
        .collect()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(MAX_ATTEMPTS)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// Percent-decoding (and `+` as a space, in a query).
fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_pairs(got: &Recorded) -> Vec<(String, String)> {
    got.query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k, true), decode(v, true))
        })
        .collect()
}

/// The path with its placeholders filled, decoded.
fn filled_path(endpoint: &Endpoint, values: &HashMap<String, String>) -> String {
    endpoint
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(i) => {
                let param = &endpoint.params[*i];
                values
                    .get(&param.cli_flag)
                    .unwrap_or_else(|| {
                        panic!("{}: no value for path param {}", endpoint.id, param.wire)
                    })
                    .clone()
            }
        })
        .collect()
}

/// Whether `path` has the template's shape: its literal segments, and a non-empty segment
/// where each placeholder is.
fn matches_template(template: &str, path: &str) -> bool {
    let want: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    want.len() == got.len()
        && want.iter().zip(&got).all(|(w, g)| {
            if w.starts_with('{') && w.ends_with('}') {
                !g.is_empty()
            } else {
                w == g
            }
        })
}

fn at_steps<'v>(value: &'v Value, steps: &[PathStep]) -> Option<&'v Value> {
    steps.iter().try_fold(value, |v, s| v.get(&s.wire))
}

fn code_json(code: &Code) -> Value {
    match code {
        Code::Int(n) => json!(n),
        Code::Str(s) => json!(s),
    }
}

/// The wire values of a waiter's status enum variants named `names`.
fn status_values(endpoint: &Endpoint, names: &[String]) -> Vec<Value> {
    let waiter = endpoint.waiter.as_ref().expect("a waiter");
    let Some(TypeDef::Enum(status)) = endpoint
        .types
        .iter()
        .find(|t| matches!(t, TypeDef::Enum(e) if e.name == waiter.status_enum))
    else {
        panic!("{}: no status enum {}", endpoint.id, waiter.status_enum);
    };
    names
        .iter()
        .map(|name| {
            let variant = status.variants.iter().find(|v| &v.name == name).unwrap();
            code_json(&variant.value)
        })
        .collect()
}

fn find<'m>(model: &'m [(&'m Provider, &'m Endpoint)], id: &str) -> &'m Endpoint {
    model
        .iter()
        .find(|(_, e)| e.id == id)
        .unwrap_or_else(|| panic!("no endpoint {id} in the specs"))
        .1
}

fn scalar_json(ty: ScalarType, text: &str) -> Value {
    match ty {
        ScalarType::String | ScalarType::Int64String => json!(text),
        ScalarType::Integer => json!(text.parse::<i64>().unwrap()),
        ScalarType::Number => json!(text.parse::<f64>().unwrap()),
        ScalarType::Boolean => json!(text.parse::<bool>().unwrap()),
    }
}

/// What an invocation sent, when known: its flag values (the CLI), or only that the
/// generated `call_by_id` sent its example arguments (the library).
enum Sent<'a> {
    Flags(&'a HashMap<String, String>),
    Example,
}

/// Checks a recorded request against the endpoint's spec: method, path, required query
/// and header parameters, token, and body (JSON or multipart).
fn check_on_the_wire(
    what: &str,
    provider: &Provider,
    endpoint: &Endpoint,
    got: &Recorded,
    sent: &Sent<'_>,
    token: &str,
) {
    assert_eq!(got.method, endpoint.method.as_str(), "{what}: method");
    let path = decode(&got.path, false);
    match sent {
        Sent::Flags(values) => {
            assert_eq!(path, filled_path(endpoint, values), "{what}: path")
        }
        Sent::Example => assert!(
            matches_template(&endpoint.path_template, &path),
            "{what}: path {path} does not fit {}",
            endpoint.path_template
        ),
    }
    let pairs = query_pairs(got);
    for param in endpoint.params.iter().filter(|p| p.required) {
        let value = match sent {
            Sent::Flags(values) => values.get(&param.cli_flag).cloned(),
            Sent::Example => None,
        };
        match param.location {
            ParamIn::Path => {}
            ParamIn::Query => match &value {
                Some(value) => assert!(
                    pairs.contains(&(param.wire.clone(), value.clone())),
                    "{what}: query {:?} lacks {}={value}",
                    got.query,
                    param.wire
                ),
                None => assert!(
                    pairs.iter().any(|(k, _)| k == &param.wire),
                    "{what}: query {:?} lacks {}",
                    got.query,
                    param.wire
                ),
            },
            ParamIn::Header => {
                let header = got.header(&param.wire);
                assert!(header.is_some(), "{what}: no header {}", param.wire);
                if let Some(value) = &value {
                    assert_eq!(
                        header,
                        Some(value.as_str()),
                        "{what}: header {}",
                        param.wire
                    );
                }
            }
        }
    }
    let auth = match &provider.auth_scheme {
        Some(scheme) => format!("{scheme} {token}"),
        None => token.to_owned(),
    };
    assert_eq!(
        got.header(&provider.auth_header),
        Some(auth.as_str()),
        "{what}: token header"
    );
    let Some(body) = &endpoint.body else {
        assert!(
            got.body.is_empty(),
            "{what}: a body where the spec has none"
        );
        return;
    };
    let content_type = got.header("content-type").unwrap_or_default();
    let example: Option<Value> = body
        .example
        .as_deref()
        .map(|e| serde_json::from_str(e).expect("the body example is JSON"));
    // Body flags given (the CLI without an example body): each field at its place.
    let leaves: Vec<(&codegen::model::BodyLeaf, &String)> = match sent {
        Sent::Flags(values) if example.is_none() => body
            .leaves
            .iter()
            .filter_map(|leaf| Some((leaf, values.get(&leaf.cli_flag)?)))
            .collect(),
        _ => Vec::new(),
    };
    match body.content {
        BodyContent::Json => {
            assert!(
                content_type.starts_with("application/json"),
                "{what}: content-type {content_type}"
            );
            let received: Value = serde_json::from_slice(&got.body)
                .unwrap_or_else(|e| panic!("{what}: the body is not JSON: {e}"));
            if let Some(example) = &example {
                assert_eq!(&received, example, "{what}: the body is the example");
            }
            for (leaf, text) in &leaves {
                let at = leaf
                    .wire_path
                    .iter()
                    .try_fold(&received, |v, key| v.get(key));
                assert_eq!(
                    at,
                    Some(&scalar_json(leaf.ty, text)),
                    "{what}: body field {:?} (--{})",
                    leaf.wire_path,
                    leaf.cli_flag
                );
            }
        }
        BodyContent::Multipart => {
            assert!(
                content_type.starts_with("multipart/form-data"),
                "{what}: content-type {content_type}"
            );
            let parts = multipart_parts(&got.body, content_type);
            // The text parts given: the example's fields, or the flags, or (the library's
            // example arguments) at least every required field.
            let mut expected: Vec<(String, Option<String>)> = Vec::new();
            if let Some(Value::Object(fields)) = &example {
                for (wire, value) in fields {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    expected.push((wire.clone(), Some(text)));
                }
            }
            for (leaf, text) in &leaves {
                expected.push((leaf.wire_path.join("."), Some((*text).clone())));
            }
            if matches!(sent, Sent::Example) {
                for field in body.fields.iter().filter(|f| f.required) {
                    expected.push((field.wire.clone(), None));
                }
            }
            assert!(!expected.is_empty(), "{what}: no text part to look for");
            for (wire, text) in &expected {
                let found = part(&parts, wire)
                    .unwrap_or_else(|| panic!("{what}: no part {wire:?} in the form"));
                if let Some(text) = text {
                    assert_eq!(
                        String::from_utf8_lossy(found),
                        text.as_str(),
                        "{what}: part {wire}"
                    );
                }
            }
            if let Some(file) = &body.file {
                let found = part(&parts, &file.wire)
                    .unwrap_or_else(|| panic!("{what}: no file part {:?}", file.wire));
                assert_eq!(found, UPLOAD_BYTES, "{what}: the file part's bytes");
                // The parts that state facts of the file, given or not, state the file's.
                for (wire, fact) in &file.from_file {
                    let expected = match fact {
                        FileFactKind::Size => UPLOAD_BYTES.len().to_string(),
                        FileFactKind::Adler32 => adler2::adler32_slice(UPLOAD_BYTES).to_string(),
                    };
                    let found = part(&parts, wire)
                        .unwrap_or_else(|| panic!("{what}: no part {wire:?} ({fact:?})"));
                    assert_eq!(
                        String::from_utf8_lossy(found),
                        expected,
                        "{what}: part {wire} states the file's {fact:?}"
                    );
                }
            }
        }
    }
}

/// Checks that each parameter a chain feeds from a reply reached the next request with the
/// value that reply carried, and each fixed value as the spec states it.
fn check_fed(
    what: &str,
    feeds: &[codegen::model::Feed],
    reply: &Value,
    next: &Endpoint,
    got: &Recorded,
) {
    for feed in feeds {
        let value = match &feed.from {
            FeedFrom::Reply(steps) => match at_steps(reply, steps) {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => continue,
            },
            FeedFrom::Value { wire, .. } => wire.clone(),
            FeedFrom::Request { .. } => continue,
        };
        let param = next
            .params
            .iter()
            .find(|p| p.ident == feed.param_ident)
            .unwrap();
        match param.location {
            ParamIn::Path => assert!(
                decode(&got.path, false).split('/').any(|s| s == value),
                "{what}: {} = {value:?} not in the path {}",
                param.wire,
                got.path
            ),
            ParamIn::Query => assert!(
                query_pairs(got).contains(&(param.wire.clone(), value.clone())),
                "{what}: {} = {value:?} not in the query {:?}",
                param.wire,
                got.query
            ),
            ParamIn::Header => assert_eq!(got.header(&param.wire), Some(value.as_str()), "{what}"),
        }
    }
}

fn read_dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn called_err(what: &str, called: Option<Called>) -> CalledError {
    match called {
        Some(Called::Err(e)) => e,
        other => panic!("{what}: expected an error, got {other:?}"),
    }
}

// ---- 1: requests on the wire ----

#[tokio::test]
async fn every_request_goes_on_the_wire_as_its_spec_says() {
    let model = common::model();
    let all = common::endpoints(&model);
    for (provider, endpoint) in &all {
        let fake = FakeServer::start().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let args = common::required_args(endpoint, dir.path());
        let out = cli(provider, endpoint, &args, &fake.uri()).await;
        let what = format!("CLI {}", endpoint.id);
        assert_eq!(out.exit_code, EXIT_OK, "{what}: {out:?}");
        assert_eq!(fake.requests(&endpoint.id), 1, "{what}: requests");
        let got = fake
            .last_request(&endpoint.id)
            .unwrap_or_else(|| panic!("{what}: no request recorded"));
        let values = flag_values(&args);
        check_on_the_wire(
            &what,
            provider,
            endpoint,
            &got,
            &Sent::Flags(&values),
            CLI_TOKEN,
        );
    }

    // The library: the first endpoint of each body kind, with its example arguments.
    for kind in [BodyContent::Json, BodyContent::Multipart] {
        let Some((provider, endpoint)) = all
            .iter()
            .find(|(_, e)| e.body.as_ref().is_some_and(|b| b.content == kind))
        else {
            continue;
        };
        let fake = FakeServer::start().await.unwrap();
        let what = format!("library {}", endpoint.id);
        match call_by_id(&endpoint.id, &fake.settings()).await {
            Some(Called::Ok(_)) => {}
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(fake.requests(&endpoint.id), 1, "{what}: requests");
        let got = fake.last_request(&endpoint.id).unwrap();
        check_on_the_wire(
            &what,
            provider,
            endpoint,
            &got,
            &Sent::Example,
            FAKE_ACCESS_TOKEN,
        );
    }
}

// ---- 2: chains ----

#[tokio::test]
async fn every_chain_runs_start_to_end_against_the_fake() {
    const SIZE: u64 = 300_000;
    let model = common::model();
    let all = common::endpoints(&model);
    let mut chains = 0;
    // A chain that does not end well is reported with the others, not alone.
    let mut failed_chains = Vec::new();
    for (provider, start) in &all {
        let Some(chain) = &start.starts else { continue };
        chains += 1;
        let poller = find(&all, &chain.next_id);
        let download = poller
            .download
            .as_ref()
            .map(|d| (d, find(&all, &d.next_id)));
        let fake = FakeServer::start().await.unwrap();
        fake.set_pending_polls(2);
        fake.set_download_size(SIZE);
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        let mut args = common::required_args(start, dir.path());
        args.extend(FAST_WAIT.map(str::to_owned));
        if download.is_some() {
            args = common::with_output(&args, &target);
        }
        let what = format!("{} --wait", start.id);
        let out = cli(provider, start, &args, &fake.uri()).await;
        if out.exit_code != EXIT_OK {
            failed_chains.push(format!(
                "{what}: exit {} (expected {EXIT_OK}) after {} polls of {}; stdout {:?}; stderr {:?}",
                out.exit_code,
                fake.requests(&poller.id),
                poller.id,
                out.stdout.trim(),
                out.stderr.trim()
            ));
            continue;
        }
        assert_eq!(fake.requests(&start.id), 1, "{what}: start requests");
        assert_eq!(
            fake.requests(&poller.id),
            3,
            "{what}: {} polled twice pending, then done",
            poller.id
        );
        // The poller was asked about the task the start reply named.
        let poll = fake.last_request(&poller.id).unwrap();
        let started = common::example_data(provider, start);
        check_fed(&what, &chain.feeds, &started, poller, &poll);

        let printed: Value = serde_json::from_str(out.stdout.trim())
            .unwrap_or_else(|e| panic!("{what}: stdout is not JSON ({e}): {:?}", out.stdout));
        let waiter = poller.waiter.as_ref().expect("a poller has a waiter");
        let success = status_values(poller, &waiter.success);
        match download {
            Some((feed, file_endpoint)) => {
                assert_eq!(fake.requests(&file_endpoint.id), 1, "{what}: downloads");
                let bytes = std::fs::read(&target)
                    .unwrap_or_else(|e| panic!("{what}: no file at {}: {e}", target.display()));
                assert_eq!(bytes.len() as u64, SIZE, "{what}: file size");
                assert!(bytes == content(0..SIZE), "{what}: file content differs");
                assert_eq!(
                    printed["path"],
                    json!(target.display().to_string()),
                    "{what}"
                );
                assert_eq!(printed["bytes"], json!(SIZE), "{what}: {printed}");
                let status = common::values_at(&printed["data"], &waiter.status);
                assert!(
                    !status.is_empty() && status.iter().all(|s| success.contains(s)),
                    "{what}: final data {printed}"
                );
                // The download was asked for the file the final poll named.
                let fetched = fake.last_request(&file_endpoint.id).unwrap();
                check_fed(
                    &what,
                    &feed.feeds,
                    &common::example_data(provider, poller),
                    file_endpoint,
                    &fetched,
                );
            }
            None => {
                let status = common::values_at(&printed, &waiter.status);
                assert!(
                    !status.is_empty() && status.iter().all(|s| success.contains(s)),
                    "{what}: final data {printed}"
                );
            }
        }
    }
    assert!(chains > 0, "the specs declare no chain");
    assert!(
        failed_chains.is_empty(),
        "{} of {chains} chains did not end in success against the fake:\n{}",
        failed_chains.len(),
        failed_chains.join("\n")
    );
}

// ---- 3: a failed task, a task that outlives the wait ----

#[tokio::test]
async fn a_task_that_fails_exits_5_and_one_that_runs_too_long_exits_6() {
    let model = common::model();
    let all = common::endpoints(&model);
    let (provider, start, poller) = all
        .iter()
        .find_map(|(provider, start)| {
            let poller = find(&all, &start.starts.as_ref()?.next_id);
            let waiter = poller.waiter.as_ref()?;
            (!waiter.failure.is_empty()).then_some((*provider, *start, poller))
        })
        .expect("a chain whose poller's waiter has a failure status");
    let waiter = poller.waiter.as_ref().unwrap();
    let failure = status_values(poller, &waiter.failure[..1]).remove(0);
    let dir = tempfile::tempdir().unwrap();
    let mut args = common::required_args(start, dir.path());
    args.extend(FAST_WAIT.map(str::to_owned));

    let fake = FakeServer::start().await.unwrap();
    let mut failed = common::example_data(provider, poller);
    common::set_at(&mut failed, &waiter.status, failure.clone());
    fake.endpoint_by_id(&poller.id).unwrap().reply(&failed);
    let out = cli(provider, start, &args, &fake.uri()).await;
    let what = format!(
        "{} --wait, {} answers status {failure}",
        start.id, poller.id
    );
    assert_eq!(out.exit_code, EXIT_TASK_FAILED, "{what}: {out:?}");
    assert_eq!(
        fake.requests(&poller.id),
        1,
        "{what}: a failure ends the wait"
    );
    let printed: Value = serde_json::from_str(out.stdout.trim())
        .unwrap_or_else(|e| panic!("{what}: the final data is printed ({e}): {out:?}"));
    assert_eq!(
        common::values_at(&printed, &waiter.status),
        [&failure],
        "{what}: {printed}"
    );

    let fake = FakeServer::start().await.unwrap();
    fake.set_pending_polls(1000);
    let args: Vec<String> = args
        .into_iter()
        .chain(["--max-wait".to_owned(), "1".to_owned()])
        .collect();
    let out = cli(provider, start, &args, &fake.uri()).await;
    let what = format!("{} --wait --max-wait 1, pending for 1000 polls", start.id);
    assert_eq!(out.exit_code, EXIT_WAIT_TIMEOUT, "{what}: {out:?}");
    assert!(out.stdout.is_empty(), "{what}: {out:?}");
    assert!(fake.requests(&poller.id) >= 1, "{what}: never polled");
}

// ---- 4-6: cut downloads ----

#[tokio::test]
async fn a_wait_whose_replies_carry_no_status_times_out_saying_so() {
    let model = common::model();
    let mut pollers = 0;
    for (provider, poller) in common::endpoints(&model) {
        let Some(waiter) = &poller.waiter else {
            continue;
        };
        // A required status missing is a reply that does not decode (the fault matrix).
        if waiter.status.iter().any(|step| step.required) {
            continue;
        }
        pollers += 1;
        let fake = FakeServer::start().await.unwrap();
        // The example with its status field removed: a reply the spec does not describe.
        let mut data = common::example_data(provider, poller);
        let last = waiter.status.last().unwrap();
        common::remove_at(&mut data, &waiter.status);
        fake.endpoint_by_id(&poller.id).unwrap().reply(&data);
        let dir = tempfile::tempdir().unwrap();
        let mut args = common::required_args(poller, dir.path());
        args.extend(FAST_WAIT.map(str::to_owned));
        args.extend(["--max-wait".to_owned(), "0.3".to_owned()]);
        let out = cli(provider, poller, &args, &fake.uri()).await;
        let what = format!("{} --wait, replies without {:?}", poller.id, last.wire);
        assert_eq!(out.exit_code, EXIT_WAIT_TIMEOUT, "{what}: {out:?}");
        assert!(
            out.stderr.contains("carried no status"),
            "{what}: the timeout says the state is unknown: {}",
            out.stderr
        );
    }
    assert!(pollers > 0, "the specs declare no waiter");
}

fn download_endpoints<'m>(
    all: &[(&'m Provider, &'m Endpoint)],
) -> Vec<(&'m Provider, &'m Endpoint)> {
    let downloads: Vec<_> = all
        .iter()
        .filter(|(_, e)| e.json_response().is_none())
        .copied()
        .collect();
    assert!(!downloads.is_empty(), "the specs declare no download");
    downloads
}

#[tokio::test]
async fn a_cut_download_is_resumed_by_range() {
    const SIZE: u64 = 1_000_000;
    const CUT: u64 = 300_000;
    let model = common::model();
    for (provider, endpoint) in download_endpoints(&common::endpoints(&model)) {
        let fake = FakeServer::start().await.unwrap();
        fake.set_download_size(SIZE);
        fake.endpoint_by_id(&endpoint.id)
            .unwrap()
            .fault(Fault::CutDownload { after: CUT })
            .file();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("resumed.bin");
        let args = common::with_output(&common::required_args(endpoint, dir.path()), &target);
        let out = cli(provider, endpoint, &args, &fake.uri()).await;
        let what = format!("{} cut after {CUT} bytes", endpoint.id);
        assert_eq!(out.exit_code, EXIT_OK, "{what}: {out:?}");
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len() as u64, SIZE, "{what}: file size");
        assert!(bytes == content(0..SIZE), "{what}: file content differs");
        assert_eq!(fake.requests(&endpoint.id), 2, "{what}: requests");
        let last = fake.last_request(&endpoint.id).unwrap();
        assert_eq!(
            last.header("range"),
            Some(format!("bytes={CUT}-").as_str()),
            "{what}: the second request resumes"
        );
        let printed: Value = serde_json::from_str(out.stdout.trim()).unwrap();
        assert_eq!(printed["bytes"], json!(SIZE), "{what}: {printed}");
    }
}

#[tokio::test]
async fn without_ranges_a_cut_download_starts_again() {
    const SIZE: u64 = 1_000_000;
    const CUT: u64 = 300_000;
    let model = common::model();
    for (provider, endpoint) in download_endpoints(&common::endpoints(&model)) {
        let script = |fake: &FakeServer| {
            fake.set_download_size(SIZE);
            fake.set_accept_ranges(false);
            fake.endpoint_by_id(&endpoint.id)
                .unwrap()
                .fault(Fault::CutDownload { after: CUT })
                .file();
        };
        // Into a file: thrown away and fetched whole again.
        let fake = FakeServer::start().await.unwrap();
        script(&fake);
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("restarted.bin");
        let args = common::with_output(&common::required_args(endpoint, dir.path()), &target);
        let out = cli(provider, endpoint, &args, &fake.uri()).await;
        let what = format!("{} without ranges, cut after {CUT} bytes", endpoint.id);
        assert_eq!(out.exit_code, EXIT_OK, "{what}: {out:?}");
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len() as u64, SIZE, "{what}: file size");
        assert!(bytes == content(0..SIZE), "{what}: file content differs");
        assert_eq!(fake.requests(&endpoint.id), 2, "{what}: requests");
        assert_eq!(
            fake.last_request(&endpoint.id).unwrap().header("range"),
            None,
            "{what}: the second request asks for the whole file"
        );

        // Onto stdout (the real binary, so the bytes land in a pipe): what went out cannot
        // be taken back, so the download fails with a transport error.
        let fake = FakeServer::start().await.unwrap();
        script(&fake);
        let stdout_args = common::with_output(&args, Path::new("-"));
        let mut command = std::process::Command::new(common::taskapi_binary());
        command
            .arg(&endpoint.id)
            .args(&stdout_args)
            .args(["--base-url", &fake.uri()])
            .env(&provider.token_env, CLI_TOKEN);
        let output = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        let what = format!("{what}, --output -");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(EXIT_TRANSPORT),
            "{what}: stderr {stderr}"
        );
        let written = output.stdout.len() as u64;
        assert!(written < SIZE, "{what}: {written} bytes on stdout");
        assert!(
            output.stdout == content(0..written),
            "{what}: stdout is not the file's first {written} bytes"
        );
    }
}

#[tokio::test]
async fn a_failed_download_leaves_nothing_at_the_target() {
    let model = common::model();
    for (provider, endpoint) in download_endpoints(&common::endpoints(&model)) {
        let args_dir = tempfile::tempdir().unwrap();
        let args = common::required_args(endpoint, args_dir.path());

        // A fresh directory: nothing there afterwards, not even a temporary file.
        let fake = FakeServer::start().await.unwrap();
        fake.endpoint_by_id(&endpoint.id)
            .unwrap()
            .fault(Fault::CutDownload { after: 100 });
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("never.bin");
        let out = cli(
            provider,
            endpoint,
            &common::with_output(&args, &target),
            &fake.uri(),
        )
        .await;
        let what = format!("{} cut every time", endpoint.id);
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(out.stdout.is_empty(), "{what}: {out:?}");
        assert!(!target.exists(), "{what}: the target exists");
        assert_eq!(
            read_dir_names(dir.path()),
            Vec::<String>::new(),
            "{what}: files left"
        );

        // A target that exists keeps its content.
        let fake = FakeServer::start().await.unwrap();
        fake.endpoint_by_id(&endpoint.id)
            .unwrap()
            .fault(Fault::CutDownload { after: 100 });
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("existing.bin");
        std::fs::write(&target, b"the old content").unwrap();
        let out = cli(
            provider,
            endpoint,
            &common::with_output(&args, &target),
            &fake.uri(),
        )
        .await;
        let what = format!("{what}, onto an existing file");
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert_eq!(
            std::fs::read(&target).unwrap(),
            b"the old content",
            "{what}"
        );
        assert_eq!(
            read_dir_names(dir.path()),
            vec!["existing.bin".to_owned()],
            "{what}: files left"
        );
    }
}

// ---- 7: resending calls that create something ----

#[tokio::test]
async fn calls_that_create_something_are_resent_only_when_nothing_was_done() {
    let model = common::model();
    let all = common::endpoints(&model);
    let mut creating = 0;
    for (provider, endpoint) in all.iter().filter(|(_, e)| !e.idempotent) {
        creating += 1;
        let id = endpoint.id.as_str();

        // (a) Nothing listens: the request never left, so it is sent again.
        let settings =
            ClientSettings::new(common::closed_port_url(), FAKE_ACCESS_TOKEN).retry(fast_retries());
        let what = format!("{id} against a closed port");
        let e = called_err(&what, call_by_id(id, &settings).await);
        assert_eq!(e.variant(), "Transport", "{what}: {}", e.debug);
        assert_eq!(
            e.transport,
            Some(TransportErrorKind::Connect),
            "{what}: {}",
            e.debug
        );
        assert_eq!(e.attempts, MAX_ATTEMPTS, "{what}: {}", e.display);
        assert!(
            e.display
                .contains(&format!("(after {MAX_ATTEMPTS} attempts)")),
            "{what}: {}",
            e.display
        );
        assert!(
            !e.display.contains(OUTCOME_UNKNOWN),
            "{what}: {}",
            e.display
        );

        // (b) A gateway error: the server may have acted, so it is not sent again.
        let fake = FakeServer::start().await.unwrap();
        fake.endpoint_by_id(id).unwrap().fault(Fault::Empty(502));
        let what = format!("{id} answered 502 empty");
        let e = called_err(
            &what,
            call_by_id(id, &fake.settings().retry(fast_retries())).await,
        );
        assert_eq!(fake.requests(id), 1, "{what}: requests");
        assert!(e.display.contains(OUTCOME_UNKNOWN), "{what}: {}", e.display);

        // (c) Throttled: the provider did nothing, so it is sent again.
        let fake = FakeServer::start().await.unwrap();
        let script = fake.endpoint_by_id(id).unwrap();
        script
            .fault(Fault::RateLimited { reset_seconds: 0 })
            .fault(Fault::RateLimited { reset_seconds: 0 });
        match endpoint.json_response() {
            Some(_) => script.reply(&common::example_data(provider, endpoint)),
            None => script.file(),
        };
        let what = format!("{id} throttled twice");
        match call_by_id(id, &fake.settings().retry(fast_retries())).await {
            Some(Called::Ok(_)) => {}
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(fake.requests(id), 3, "{what}: requests");
    }
    assert!(
        creating > 0,
        "the specs declare no call that is not idempotent"
    );

    // For contrast, a poller (idempotent) is sent again after the same gateway error.
    let (_, poller) = all
        .iter()
        .find(|(_, e)| e.idempotent && e.waiter.is_some())
        .expect("a poller in the specs");
    let fake = FakeServer::start().await.unwrap();
    fake.endpoint_by_id(&poller.id)
        .unwrap()
        .fault(Fault::Empty(502));
    let what = format!("{} answered 502 empty", poller.id);
    let e = called_err(
        &what,
        call_by_id(&poller.id, &fake.settings().retry(fast_retries())).await,
    );
    assert_eq!(
        fake.requests(&poller.id),
        MAX_ATTEMPTS as usize,
        "{what}: requests"
    );
    assert!(e.retryable, "{what}: {}", e.debug);
    assert!(
        !e.display.contains(OUTCOME_UNKNOWN),
        "{what}: {}",
        e.display
    );
}
