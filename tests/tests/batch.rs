//! `--batch` with `--wait`: many tasks of a poll endpoint waited for at once, driven by the
//! specs: every poll endpoint whose request is its parameters alone is walked, its tasks
//! scripted one by one (by the key in their request) with the status values its waiter
//! lists, through the CLI in-process and the real binary.
//!
//! The scheduler itself (order of ends and of polls, counts, limits, 10,000 tasks on
//! simulated time) is tested in `runtime/src/batch/tests.rs`.

mod common;

use codegen::model::{Code, Endpoint, Model, Param, Provider, ScalarType, TypeDef, Waiter};
use codegen::spec::EnvelopeStyle;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use taskapi::cli::{
    EXIT_API, EXIT_OK, EXIT_TASK_FAILED, EXIT_USAGE, EXIT_WAIT_TIMEOUT, Outcome, run,
};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A poll endpoint `--batch` works for, and the parameter that tells its tasks apart.
struct Poller<'m> {
    provider: &'m Provider,
    endpoint: &'m Endpoint,
    waiter: &'m Waiter,
    key: &'m Param,
}

fn pollers(model: &Model) -> Vec<Poller<'_>> {
    let pollers: Vec<Poller<'_>> = common::endpoints(model)
        .into_iter()
        .filter(|(_, e)| e.body.is_none() && e.json_response().is_some())
        .filter_map(|(provider, endpoint)| {
            Some(Poller {
                provider,
                endpoint,
                waiter: endpoint.waiter.as_ref()?,
                key: endpoint.params.iter().find(|p| {
                    p.required
                        && !p.repeated
                        && p.enumeration.is_none()
                        && p.ty == ScalarType::String
                })?,
            })
        })
        .collect();
    assert!(!pollers.is_empty(), "the specs have poll endpoints");
    pollers
}

/// What a scripted task answers at one poll.
#[derive(Clone)]
enum Step {
    Status(Value),
    /// An error code the spec documents as not worth retrying.
    Error(ResponseTemplate),
}

impl Poller<'_> {
    fn id(&self) -> &str {
        &self.endpoint.id
    }

    fn pending(&self) -> Step {
        Step::Status(serde_json::from_str(self.waiter.first_pending.as_deref().unwrap()).unwrap())
    }

    fn success(&self) -> Step {
        Step::Status(serde_json::from_str(self.waiter.first_success.as_deref().unwrap()).unwrap())
    }

    /// The first failure status its waiter lists, if any.
    fn failure(&self) -> Option<Step> {
        let name = self.waiter.failure.first()?;
        self.endpoint.types.iter().find_map(|t| match t {
            TypeDef::Enum(en) if en.name == self.waiter.status_enum => en
                .variants
                .iter()
                .find(|v| &v.name == name)
                .map(|v| Step::Status(code_json(&v.value))),
            _ => None,
        })
    }

    /// An error code of its spec that is not retried.
    fn api_error(&self) -> Option<Step> {
        let case = self.endpoint.errors.iter().find(|e| !e.retryable)?;
        Some(Step::Error(common::error_reply(
            &self.provider.key,
            case.http_status.unwrap_or(400),
            &case.code,
            "scripted",
            "req-batch",
        )))
    }

    /// The doc example's reply with the status set to `status`.
    fn reply(&self, status: &Value) -> ResponseTemplate {
        let mut data = common::example_data(self.provider, self.endpoint);
        common::set_at(&mut data, &self.waiter.status, status.clone());
        let body = match self.provider.envelope {
            EnvelopeStyle::CodeMsgData => json!({"code": 0, "msg": "success", "data": data}),
            _ => data,
        };
        common::json(200, &body.to_string())
    }

    /// A line of parameters for the task `key`: the key parameter, and every other
    /// required parameter with a value of its type.
    fn line(&self, key: &str) -> Value {
        let mut line = serde_json::Map::new();
        for p in self.endpoint.params.iter().filter(|p| p.required) {
            let value = if p.wire == self.key.wire {
                json!(key)
            } else {
                match (&p.enumeration, p.ty) {
                    (Some((name, _)), _) => first_enum_value(self.endpoint, name),
                    (None, ScalarType::Integer | ScalarType::Int64String) => json!(7),
                    (None, ScalarType::Number) => json!(1.5),
                    (None, ScalarType::Boolean) => json!(true),
                    (None, ScalarType::String) => json!("x1"),
                }
            };
            let value = if p.repeated { json!([value]) } else { value };
            line.insert(p.wire.clone(), value);
        }
        Value::Object(line)
    }

    /// Where the status sits in a printed `data` (the first element's, for a status per
    /// element: `reply` sets them all alike).
    fn status_in<'v>(&self, data: &'v Value) -> &'v Value {
        common::values_at(data, &self.waiter.status)
            .first()
            .copied()
            .unwrap_or(&Value::Null)
    }
}

fn code_json(code: &Code) -> Value {
    match code {
        Code::Int(n) => json!(n),
        Code::Str(s) => json!(s),
    }
}

fn first_enum_value(endpoint: &Endpoint, name: &str) -> Value {
    endpoint
        .types
        .iter()
        .find_map(|t| match t {
            TypeDef::Enum(en) if en.name == name => {
                en.variants.first().map(|v| code_json(&v.value))
            }
            _ => None,
        })
        .unwrap()
}

/// Each task's key and its script.
type Scripts<'k> = Vec<(&'k str, Vec<Step>)>;

/// Answers each task by its own script (found by its key in the request's path or query),
/// the last step repeating; counts each task's polls.
struct Tasks {
    replies: HashMap<String, Vec<ResponseTemplate>>,
    polls: Arc<Mutex<HashMap<String, usize>>>,
}

impl Respond for Tasks {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let candidates: Vec<String> = request
            .url
            .path_segments()
            .into_iter()
            .flatten()
            .map(percent_decode)
            .chain(request.url.query_pairs().map(|(_, v)| v.into_owned()))
            .collect();
        let Some(key) = candidates.iter().find(|c| self.replies.contains_key(*c)) else {
            return ResponseTemplate::new(404);
        };
        let mut polls = self.polls.lock().unwrap();
        let n = polls.entry(key.clone()).or_default();
        *n += 1;
        let script = &self.replies[key];
        script[(*n - 1).min(script.len() - 1)].clone()
    }
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| segment.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A server for `poller` answering each task (by key) by its script.
async fn serve(
    poller: &Poller<'_>,
    scripts: &[(&str, Vec<Step>)],
) -> (MockServer, Arc<Mutex<HashMap<String, usize>>>) {
    let replies = scripts
        .iter()
        .map(|(key, steps)| {
            let replies = steps
                .iter()
                .map(|step| match step {
                    Step::Status(status) => poller.reply(status),
                    Step::Error(reply) => reply.clone(),
                })
                .collect();
            (key.to_string(), replies)
        })
        .collect();
    let polls = Arc::new(Mutex::new(HashMap::new()));
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Tasks {
            replies,
            polls: polls.clone(),
        })
        .mount(&server)
        .await;
    (server, polls)
}

/// Writes `lines` to a file and runs the poller's subcommand on it with `--batch --wait`.
async fn batch(
    poller: &Poller<'_>,
    server: &MockServer,
    lines: &[String],
    max_wait: &str,
) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tasks.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let args: Vec<String> = [
        "taskapi",
        poller.id(),
        "--batch",
        file.to_str().unwrap(),
        "--wait",
        "--min-delay",
        "0.01",
        "--max-delay",
        "0.01",
        "--max-wait",
        max_wait,
        "--rate-limit",
        "off",
        "--base-url",
        &server.uri(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let token_env = poller.provider.token_env.clone();
    run(args.into_iter().map(Into::into).collect(), &move |name| {
        (name == token_env).then(|| "tok".to_owned())
    })
    .await
}

fn printed(out: &Outcome) -> Vec<Value> {
    out.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

fn by_line(out: &Outcome) -> HashMap<u64, Value> {
    printed(out)
        .into_iter()
        .map(|v| (v["line"].as_u64().unwrap(), v))
        .collect()
}

#[tokio::test]
async fn every_poller_waits_for_a_batch_and_prints_each_task_as_it_ends() {
    let model = common::model();
    for poller in pollers(&model) {
        let (pending, success) = (poller.pending(), poller.success());
        let failure = poller.failure();
        let mut scripts = vec![
            ("task-a", vec![success.clone()]),
            (
                "task-b",
                vec![pending.clone(), pending.clone(), success.clone()],
            ),
        ];
        if let Some(failure) = &failure {
            scripts.push(("task-c", vec![pending.clone(), failure.clone()]));
        }
        let (server, polls) = serve(&poller, &scripts).await;
        let mut lines: Vec<String> = scripts
            .iter()
            .map(|(key, _)| poller.line(key).to_string())
            .collect();
        lines.insert(1, "   ".to_owned()); // blank lines are ignored
        let out = batch(&poller, &server, &lines, "30").await;
        let expected = if failure.is_some() {
            EXIT_TASK_FAILED
        } else {
            EXIT_OK
        };
        assert_eq!(out.exit_code, expected, "{}: {out:?}", poller.id());
        let ended = by_line(&out);
        assert_eq!(ended.len(), scripts.len(), "{}: {out:?}", poller.id());
        let expect = |line: u64, key: &str, outcome: &str, status: &Step, polls_wanted: usize| {
            let task = &ended[&line];
            assert_eq!(task["params"], poller.line(key), "{}", poller.id());
            assert_eq!(task["outcome"], outcome, "{}: {task}", poller.id());
            let Step::Status(status) = status else {
                unreachable!()
            };
            assert_eq!(
                poller.status_in(&task["data"]),
                status,
                "{}: {task}",
                poller.id()
            );
            assert_eq!(
                polls.lock().unwrap()[key],
                polls_wanted,
                "{} {key}",
                poller.id()
            );
        };
        expect(1, "task-a", "succeeded", &success, 1);
        expect(3, "task-b", "succeeded", &success, 3);
        if let Some(failure) = &failure {
            expect(4, "task-c", "failed", failure, 2);
            assert!(
                ended[&4]["error"]
                    .as_str()
                    .unwrap()
                    .contains("the task failed")
            );
        }
        assert!(ended[&1].get("error").is_none());
        assert!(
            out.stderr
                .contains(&format!("batch: 2 succeeded, {} failed", scripts.len() - 2)),
            "{}",
            out.stderr
        );
    }
}

#[tokio::test]
async fn the_exit_code_is_the_most_serious_outcome() {
    let model = common::model();
    for poller in pollers(&model) {
        let (pending, success) = (poller.pending(), poller.success());
        let mut cases: Vec<(&str, Scripts<'_>, i32)> = vec![
            (
                "all succeed",
                vec![
                    ("t1", vec![success.clone()]),
                    ("t2", vec![pending.clone(), success.clone()]),
                ],
                EXIT_OK,
            ),
            (
                "one still running at --max-wait",
                vec![("t1", vec![success.clone()]), ("t2", vec![pending.clone()])],
                EXIT_WAIT_TIMEOUT,
            ),
        ];
        if let Some(failure) = poller.failure() {
            cases.push((
                "a failure wins over a timeout",
                vec![("t1", vec![failure.clone()]), ("t2", vec![pending.clone()])],
                EXIT_TASK_FAILED,
            ));
            if let Some(error) = poller.api_error() {
                cases.push((
                    "a task that cannot be polled wins over a failure",
                    vec![
                        ("t1", vec![failure.clone()]),
                        ("t2", vec![pending.clone(), error]),
                    ],
                    EXIT_API,
                ));
            }
        }
        for (case, scripts, expected) in cases {
            let (server, _) = serve(&poller, &scripts).await;
            let lines: Vec<String> = scripts
                .iter()
                .map(|(key, _)| poller.line(key).to_string())
                .collect();
            let out = batch(&poller, &server, &lines, "0.3").await;
            assert_eq!(out.exit_code, expected, "{} {case}: {out:?}", poller.id());
            assert_eq!(printed(&out).len(), scripts.len(), "{} {case}", poller.id());
            if expected == EXIT_WAIT_TIMEOUT {
                let task = &by_line(&out)[&2];
                assert_eq!(task["outcome"], "timed_out", "{task}");
                assert!(
                    task["error"]
                        .as_str()
                        .unwrap()
                        .contains("did not end within")
                );
            }
            if expected == EXIT_API {
                let task = &by_line(&out)[&2];
                assert_eq!(task["outcome"], "error", "{task}");
                assert!(
                    task["error"].as_str().unwrap().contains("scripted"),
                    "{task}"
                );
            }
        }
    }
}

#[tokio::test]
async fn lines_that_cannot_be_used_are_reported_by_number_and_skipped() {
    let model = common::model();
    for poller in pollers(&model) {
        let (server, polls) = serve(
            &poller,
            &[
                ("good-1", vec![poller.success()]),
                ("good-2", vec![poller.success()]),
            ],
        )
        .await;
        let key = &poller.key.wire;
        let mut unknown = poller.line("x");
        unknown["no_such_param"] = json!("x");
        let mut missing = poller.line("x");
        missing.as_object_mut().unwrap().remove(key);
        let mut mistyped = poller.line("x");
        mistyped[key] = json!({"a": 1});
        let lines = vec![
            poller.line("good-1").to_string(),
            r#"{"not json"#.to_owned(),
            missing.to_string(),
            unknown.to_string(),
            mistyped.to_string(),
            String::new(),
            "[1, 2]".to_owned(),
            poller.line("good-2").to_string(),
        ];
        let out = batch(&poller, &server, &lines, "30").await;
        assert_eq!(out.exit_code, EXIT_USAGE, "{}: {out:?}", poller.id());
        for reported in [
            "line 2: not valid JSON".to_owned(),
            format!("line 3: missing parameter `{key}`; skipped"),
            "line 4: unknown parameter `no_such_param`".to_owned(),
            format!("line 5: `{key}`: expected a string, a number or a boolean; skipped"),
            "line 7: expected a JSON object of parameters; skipped".to_owned(),
            "5 lines skipped".to_owned(),
        ] {
            assert!(
                out.stderr.contains(&reported),
                "{}: {reported:?} not in\n{}",
                poller.id(),
                out.stderr
            );
        }
        assert!(!out.stderr.contains("line 6"), "a blank line is no error");
        let ended = by_line(&out);
        assert_eq!(
            ended
                .keys()
                .copied()
                .collect::<std::collections::BTreeSet<_>>(),
            [1, 8].into()
        );
        assert!(ended.values().all(|t| t["outcome"] == "succeeded"));
        assert_eq!(polls.lock().unwrap().len(), 2, "skipped lines sent nothing");
    }
}

#[tokio::test]
async fn batch_needs_wait_and_a_readable_input() {
    let model = common::model();
    let poller = pollers(&model).remove(0);
    let server = MockServer::start().await;
    let args = |batch: &str, wait: bool| {
        let mut args = vec![
            "taskapi".to_owned(),
            poller.id().to_owned(),
            "--batch".into(),
            batch.into(),
        ];
        if wait {
            args.push("--wait".into());
        }
        args.extend(["--base-url".into(), server.uri()]);
        args.into_iter().map(Into::into).collect::<Vec<_>>()
    };
    let token_env = poller.provider.token_env.clone();
    let env = move |name: &str| (name == token_env).then(|| "tok".to_owned());
    let out = run(args("tasks.jsonl", false), &env).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(
        out.stderr
            .contains("--batch waits for the task of every line: add --wait")
    );
    let out = run(args("/no/such/file.jsonl", true), &env).await;
    assert_eq!(out.exit_code, EXIT_USAGE, "{out:?}");
    assert!(
        out.stderr
            .contains("--batch /no/such/file.jsonl: cannot read it"),
        "{out:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn dropping_a_running_batch_stops_its_polls() {
    let model = common::model();
    for poller in pollers(&model) {
        let keys: Vec<String> = (0..10).map(|i| format!("slow-{i}")).collect();
        let scripts: Vec<(&str, Vec<Step>)> = keys
            .iter()
            .map(|k| (k.as_str(), vec![poller.pending()]))
            .collect();
        let (server, polls) = serve(&poller, &scripts).await;
        let lines: Vec<String> = keys.iter().map(|k| poller.line(k).to_string()).collect();
        let total = || polls.lock().unwrap().values().sum::<usize>();
        let running = Box::pin(batch(&poller, &server, &lines, "30"));
        let polled_a_while = async {
            while total() < 40 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::select! {
            out = running => panic!("{}: ended by itself: {out:?}", poller.id()),
            () = polled_a_while => {}
        }
        // `running` is dropped here, and with it the batch; a request already on the wire
        // may still land: let it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let after_drop = total();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(total(), after_drop, "{}", poller.id());
        assert_eq!(polls.lock().unwrap().len(), 10, "every task was polled");
    }
}

#[tokio::test]
async fn the_binary_prints_each_task_as_it_ends_from_stdin() {
    let model = common::model();
    let binary = common::taskapi_binary();
    for poller in pollers(&model) {
        // One task ends at once, the other runs until --max-wait (60 s): the first line must
        // come out while the process is still waiting for the second.
        let (server, _) = serve(
            &poller,
            &[
                ("fast", vec![poller.success()]),
                ("slow", vec![poller.pending()]),
            ],
        )
        .await;
        let mut child = std::process::Command::new(&binary)
            .args([poller.id(), "--batch", "-", "--wait", "--max-wait", "60"])
            .args([
                "--min-delay",
                "0.05",
                "--max-delay",
                "0.05",
                "--rate-limit",
                "off",
            ])
            .args(["--base-url", &server.uri()])
            .env(&poller.provider.token_env, "tok")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}\n{}", poller.line("slow"), poller.line("fast")).unwrap();
        drop(stdin);
        let stdout = child.stdout.take().unwrap();
        let first = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        });
        let first = tokio::time::timeout(Duration::from_secs(30), first)
            .await
            .expect("the first task's line came out while the other still ran")
            .unwrap()
            .unwrap();
        let still_running = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let first: Value = serde_json::from_str(&first).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {first:?}; stderr: {}",
                poller.id(),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        assert_eq!(first["line"], 2, "{}: {first}", poller.id());
        assert_eq!(first["outcome"], "succeeded", "{}: {first}", poller.id());
        assert!(
            still_running,
            "{}: the slow task kept it running",
            poller.id()
        );
    }
}
