//! The fault matrix, driven by the specs: every endpoint against every documented code and
//! every fault the fake server can make, each with the typed outcome expected and the number
//! of requests (retries only where retryable). Each run writes the cases it checked to
//! `fault-matrix.md` in the target dir; nothing is compared with a committed copy, so a new
//! spec is in the matrix with no step besides `cargo xtask gen`.

mod common;

use codegen::model::{Code, Endpoint, FieldRust, Provider, TypeDef};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::time::Duration;
use taskapi::runtime::{RetryPolicy, TransportErrorKind};
use taskapi::testing::{Called, FakeServer, Fault, call_by_id};

const MAX_ATTEMPTS: usize = 3;
const REPLY_CAP: usize = 64 * 1024;

/// What a case should end in.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// Success, and the printed data satisfies a check.
    Ok(&'static str),
    /// An error variant (by its name in Debug output), and whether it is retried.
    Err { variant: String, retried: bool },
}

/// Scripts the fake for one case, given the endpoint id.
type Script = Box<dyn Fn(&FakeServer, &str)>;
/// An extra check on the printed data of a successful case.
type Check = Box<dyn Fn(&Value) -> bool>;

struct Case {
    name: String,
    script: Script,
    expect: Expect,
    check: Option<Check>,
    /// The failure proves the server did not act (throttled): even a call that is not
    /// idempotent is sent again.
    throttled: bool,
}

/// What a call came to, whatever the endpoint.
#[derive(Debug)]
enum Seen {
    Ok(Value),
    Err {
        debug: String,
        display: String,
        retryable: bool,
        transport: Option<TransportErrorKind>,
    },
}

/// Calls endpoint `id` on the fake with the generated `call_by_id`: no code per endpoint
/// here, so a new spec is in the matrix as soon as it is generated.
async fn call(id: &str, fake: &FakeServer) -> Seen {
    let settings = fake
        .settings()
        .retry(
            RetryPolicy::default()
                .max_attempts(MAX_ATTEMPTS as u32)
                .base_delay(Duration::from_millis(1)),
        )
        .attempt_timeout(Duration::from_millis(300))
        .max_reply_bytes(REPLY_CAP);
    match call_by_id(id, &settings).await {
        Some(Called::Ok(data)) => Seen::Ok(data),
        Some(Called::Err(e)) => Seen::Err {
            debug: e.debug,
            display: e.display,
            retryable: e.retryable,
            transport: e.transport,
        },
        other => panic!("{id}: {other:?}"),
    }
}

fn err(variant: &str, retried: bool) -> Expect {
    Expect::Err {
        variant: variant.to_owned(),
        retried,
    }
}

fn case(
    name: impl Into<String>,
    expect: Expect,
    script: impl Fn(&FakeServer, &str) + 'static,
) -> Case {
    Case {
        name: name.into(),
        script: Box::new(script),
        expect,
        check: None,
        throttled: false,
    }
}

/// The struct named `name` among the endpoint's types.
fn struct_def<'e>(endpoint: &'e Endpoint, name: &str) -> Option<&'e codegen::model::StructDef> {
    endpoint.types.iter().find_map(|t| match t {
        TypeDef::Struct(s) if s.name == name => Some(s),
        _ => None,
    })
}

/// The example's data with every may-be-absent field (at any depth: in nested objects, in
/// each element of an array of objects, in each value of a map of them) changed by `edit`.
fn edit_optional_fields(
    endpoint: &Endpoint,
    value: &mut Value,
    type_name: &str,
    edit: &dyn Fn(&mut serde_json::Map<String, Value>, &str),
) {
    let Some(def) = struct_def(endpoint, type_name) else {
        return;
    };
    let Some(object) = value.as_object_mut() else {
        return;
    };
    for field in &def.fields {
        if let Some(inner) = object.get_mut(&field.wire) {
            match &field.ty {
                FieldRust::Named(nested) => edit_optional_fields(endpoint, inner, nested, edit),
                FieldRust::List(item) | FieldRust::Map(item) => {
                    if let FieldRust::Named(nested) = &**item {
                        let each: Vec<&mut Value> = match inner {
                            Value::Array(items) => items.iter_mut().collect(),
                            Value::Object(values) => values.values_mut().collect(),
                            _ => Vec::new(),
                        };
                        for element in each {
                            edit_optional_fields(endpoint, element, nested, edit);
                        }
                    }
                }
                FieldRust::Scalar(_) => {}
            }
        }
        if !field.required {
            edit(object, &field.wire);
        }
    }
}

fn cases(provider: &Provider, endpoint: &Endpoint) -> Vec<Case> {
    let mut cases = Vec::new();
    let rate_limit_code = provider.rate_limit_reply.as_ref().map(|(_, code)| code);
    for error in &endpoint.errors {
        let code = error.code.clone();
        let mut documented = case(
            format!("documented code {}", error.code),
            err(&error.variant, error.retryable),
            move |fake, id| {
                let script = fake.endpoint_by_id(id).unwrap();
                match &code {
                    Code::Int(n) => script.error(*n),
                    Code::Str(s) => script.error(s.as_str()),
                };
            },
        );
        documented.throttled =
            error.http_status == Some(429) || rate_limit_code == Some(&error.code);
        cases.push(documented);
    }
    let unknown = if provider.key == "feishu" {
        Code::Int(4_242_424)
    } else {
        Code::Str("brandNewCode".into())
    };
    cases.push(case(
        format!("unknown code {unknown}"),
        err("Unknown", false),
        move |fake, id| {
            let script = fake.endpoint_by_id(id).unwrap();
            match &unknown {
                Code::Int(n) => script.error(*n),
                Code::Str(s) => script.error(s.as_str()),
            };
        },
    ));
    if let Some((_, code)) = &provider.rate_limit_reply {
        let common = provider
            .common_errors
            .iter()
            .find(|c| &c.code == code)
            .unwrap();
        let mut throttled = case(
            "rate limited, with reset header",
            err(&format!("Common({}", common.variant), common.retryable),
            |fake, id| {
                fake.endpoint_by_id(id)
                    .unwrap()
                    .fault(Fault::RateLimited { reset_seconds: 0 });
            },
        );
        throttled.throttled = true;
        cases.push(throttled);
    }
    let fault = |name: &str, expect: Expect, fault: Fault| {
        case(name, expect, move |fake, id| {
            fake.endpoint_by_id(id).unwrap().fault(fault.clone());
        })
    };
    cases.push(fault(
        "500 with an HTML page",
        err("Decode", false),
        Fault::Html(500),
    ));
    cases.push(fault(
        "502 with an empty body",
        err("Decode", true),
        Fault::Empty(502),
    ));
    cases.push(fault(
        "truncated JSON",
        err("Decode", false),
        Fault::TruncatedJson,
    ));
    cases.push(fault(
        "reply slower than the timeout",
        err("Transport", true),
        Fault::Slow(Duration::from_secs(3)),
    ));
    cases.push(fault(
        "connection reset mid-reply",
        err("Transport", true),
        Fault::ResetMidReply,
    ));
    cases.push(fault(
        "reply over the cap, with Content-Length",
        err("Transport", false),
        Fault::Oversized {
            bytes: REPLY_CAP * 3,
            chunked: false,
        },
    ));
    cases.push(fault(
        "reply over the cap, chunked",
        err("Transport", false),
        Fault::Oversized {
            bytes: REPLY_CAP * 3,
            chunked: true,
        },
    ));
    let reply = |name: &str, expect: Expect, data: Value| {
        case(name, expect, move |fake, id| {
            fake.endpoint_by_id(id).unwrap().reply(&data);
        })
    };
    let Some(response) = endpoint.json_response() else {
        // A download: its success is a file; JSON that is not an error is no file.
        cases.push(reply(
            "a JSON success where a file belongs",
            err("Decode", false),
            json!({}),
        ));
        return cases;
    };
    cases.push(reply(
        "a JSON array where an object belongs",
        err("Decode", false),
        json!([1, 2]),
    ));
    cases.push(reply(
        "a string where an object belongs",
        err("Decode", false),
        json!("done"),
    ));

    let example = common::example_data(provider, endpoint);
    let mut wrong_types = example.clone();
    let listed = struct_def(endpoint, response).map_or(&[][..], |def| &def.fields);
    if let Some(object) = wrong_types.as_object_mut() {
        for (wire, value) in object.iter_mut() {
            // An array of objects would take a list of objects: it gets an object.
            let list = listed
                .iter()
                .any(|f| &f.wire == wire && matches!(f.ty, FieldRust::List(_)));
            *value = if list {
                json!({"unexpected": true})
            } else {
                json!([{"unexpected": true}])
            };
        }
    }
    // A reply with no fields (a create that returns nothing) has no type to get wrong.
    if wrong_types.as_object().is_some_and(|o| !o.is_empty()) {
        cases.push(reply(
            "a wrong type in every field",
            err("Decode", false),
            wrong_types,
        ));
    }

    let mut nulls = example.clone();
    edit_optional_fields(endpoint, &mut nulls, response, &|object, wire| {
        object.insert(wire.to_owned(), Value::Null);
    });
    cases.push(reply(
        "null in every optional field",
        Expect::Ok("decodes"),
        nulls,
    ));

    let mut missing = example.clone();
    edit_optional_fields(endpoint, &mut missing, response, &|object, wire| {
        object.remove(wire);
    });
    cases.push(reply(
        "every optional field missing",
        Expect::Ok("decodes"),
        missing,
    ));

    let mut extra = example.clone();
    add_unknown_fields(&mut extra);
    let mut expected = example.clone();
    strip_unlisted(&mut expected);
    let mut with_extra = reply(
        "unknown extra fields at every level",
        Expect::Ok("equals the example"),
        extra,
    );
    with_extra.check = Some(Box::new(move |printed| printed == &expected));
    cases.push(with_extra);

    if let Some(waiter) = &endpoint.waiter {
        let raw = if waiter.status_is_integer {
            json!(987_654)
        } else {
            json!("brand_new_state")
        };
        let mut unknown_status = example.clone();
        common::set_at(&mut unknown_status, &waiter.status, raw.clone());
        let path = waiter.status.clone();
        let mut unknown_case = reply(
            "an unknown status value",
            Expect::Ok("keeps the raw value"),
            unknown_status,
        );
        unknown_case.check = Some(Box::new(move |printed| {
            let found = common::values_at(printed, &path);
            !found.is_empty() && found.iter().all(|v| *v == &raw)
        }));
        cases.push(unknown_case);
    }
    cases
}

/// An unknown field in every object, the elements of arrays included.
fn add_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for inner in object.values_mut() {
                add_unknown_fields(inner);
            }
            object.insert(
                "zz_field_from_the_future".into(),
                json!({"nested": [1, "two", null]}),
            );
        }
        Value::Array(items) => items.iter_mut().for_each(add_unknown_fields),
        _ => {}
    }
}

/// The example as the client prints it: the doc examples list no field the spec lacks,
/// so this only drops nulls the client would not print (in array elements too).
fn strip_unlisted(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.retain(|_, v| !v.is_null());
            object.values_mut().for_each(strip_unlisted);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_unlisted),
        _ => {}
    }
}

#[tokio::test]
async fn every_endpoint_against_every_code_and_fault() {
    let model = common::model();
    let mut table = String::from(
        "# Fault matrix\n\nWritten by `tests/tests/fault_matrix.rs` from the specs, as it checked them. \
         Client: 3 attempts,\n300 ms per attempt, 64 KiB reply cap.\n\n\
         | endpoint | case | expected | requests |\n| --- | --- | --- | --- |\n",
    );
    let mut ran = 0;
    for (provider, endpoint) in common::endpoints(&model) {
        for case in cases(provider, endpoint) {
            let fake = FakeServer::start().await.unwrap();
            (case.script)(&fake, &endpoint.id);
            let result = call(&endpoint.id, &fake).await;
            let requests = fake.requests(&endpoint.id);
            let what = format!("{} / {}", endpoint.id, case.name);
            // A call that is not idempotent is sent again only when the failure proves the
            // server did nothing (throttled).
            let resent = endpoint.idempotent || case.throttled;
            let expected_requests = match &case.expect {
                Expect::Ok(_) => 1,
                Expect::Err { retried: true, .. } if resent => MAX_ATTEMPTS,
                Expect::Err { .. } => 1,
            };
            match (&case.expect, &result) {
                (Expect::Ok(_), Seen::Ok(printed)) => {
                    if let Some(check) = &case.check {
                        assert!(check(printed), "{what}: {printed}");
                    }
                }
                (
                    Expect::Err { variant, retried },
                    Seen::Err {
                        debug,
                        display,
                        retryable,
                        transport,
                    },
                ) => {
                    // Without a provider's answer (a code), a call that creates something
                    // may have created it: the error says so.
                    let unanswered = variant == "Transport" || variant == "Decode";
                    assert_eq!(
                        display.contains("may or may not have acted"),
                        !endpoint.idempotent && unanswered && !case.throttled,
                        "{what}: {display}"
                    );
                    assert!(
                        debug.starts_with(&format!("{variant}("))
                            || debug.starts_with(variant.as_str()),
                        "{what}: got {debug}"
                    );
                    assert_eq!(retryable, retried, "{what}: {debug}");
                    if case.name.starts_with("reply over the cap") {
                        assert_eq!(*transport, Some(TransportErrorKind::TooLarge), "{what}");
                    }
                    if case.name.starts_with("reply slower") {
                        assert_eq!(*transport, Some(TransportErrorKind::Timeout), "{what}");
                    }
                }
                _ => panic!("{what}: expected {:?}, got {result:?}", case.expect),
            }
            assert_eq!(requests, expected_requests, "{what}: requests");
            let expected = match &case.expect {
                Expect::Ok(note) => format!("Ok ({note})"),
                Expect::Err { variant, retried } => {
                    let shown = if variant.contains('(') {
                        format!("{variant}, _)")
                    } else {
                        variant.clone()
                    };
                    let note = match (*retried, resent) {
                        (true, true) => ", retried",
                        (true, false) => ", retryable, not resent (not idempotent)",
                        (false, _) => "",
                    };
                    format!("`{shown}`{note}")
                }
            };
            let _ = writeln!(
                table,
                "| `{}` | {} | {expected} | {requests} |",
                endpoint.id, case.name
            );
            ran += 1;
        }
    }
    let _ = write!(table, "\n{ran} cases.\n");
    println!("fault matrix: {ran} cases");
    let path = target_dir().join("fault-matrix.md");
    std::fs::write(&path, &table).unwrap();
    println!("fault matrix written to {}", path.display());
}

/// The target dir this test was built in: the binary is `<target>/<profile>/deps/<name>`.
/// (Not the nearest `CACHEDIR.TAG`: a target dir nested in another, as the import trial's
/// is, has none of its own.)
fn target_dir() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .expect("a test binary lives in <target>/<profile>/deps")
        .to_path_buf()
}
