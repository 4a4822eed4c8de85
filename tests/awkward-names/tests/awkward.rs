//! The awkward names work end to end, against the fake server generated from the same specs.

use taskapi_awkward_names::api::testing::FakeServer;
use taskapi_awkward_names::r#type::{self as provider, Clone as CloneReply, From as Status};

#[tokio::test]
async fn awkward_names_call_wait_and_fail_like_any_other() {
    let fake = FakeServer::start().await.unwrap();
    let client: provider::Result = fake.client().build().unwrap();

    // `api` answers with the doc example; its reply type is `Option`.
    let reply: provider::Option = client.api("1").send().await.unwrap();
    assert_eq!(reply.self_.as_deref(), Some("s"));
    assert_eq!(reply.task_id.as_deref(), Some("1"));
    assert_eq!(reply.taskid.as_deref(), Some("2"));

    // `type` (a keyword) waits until its status is done.
    let script = fake.r#type();
    let mut running: CloneReply = script.example();
    running.status = Some(Status::Running);
    script.reply(&running).reply(&script.example());
    let outcome = client
        .wait_type("1")
        .min_delay(std::time::Duration::from_millis(1))
        .await
        .unwrap();
    assert!(matches!(
        outcome,
        taskapi_runtime::WaitOutcome::Succeeded(_)
    ));
    assert_eq!(script.requests(), 2);

    // A documented error named `Result`, on the operation named `endpoint` (whose error enum
    // is `EndpointError`, like the runtime's trait).
    fake.endpoint_by_id("type.awkward.endpoint.get")
        .unwrap()
        .error(1070908);
    let err = client.endpoint("1").send().await.unwrap_err();
    assert!(matches!(err, provider::EndpointError::Result(_)), "{err:?}");

    // The query parameter `Type` keeps its wire name and its `max_length`.
    let err = client.std("1").type_("too long!").send().await.unwrap_err();
    assert!(
        matches!(err, provider::StdError::InvalidRequest(_)),
        "{err:?}"
    );
}

/// Every field type of the lifecycle format goes on the wire as its spec says: a header
/// parameter with dashes, a repeated query parameter, a body with a float, an int64 sent as
/// a string, a map, a nested object and an array of objects holding another, and a reply
/// with a float, a map of objects and an array of objects.
#[tokio::test]
async fn every_field_type_goes_on_the_wire_and_comes_back() {
    let fake = FakeServer::start().await.unwrap();
    let client: provider::Result = fake.client().build().unwrap();
    let reply = client
        .body(1.5, 1_655_276_858, provider::HashMap::new("abcd"))
        .x_request_id("req-1")
        .tags(vec!["a".to_owned(), "b".to_owned()])
        .labels([("k".to_owned(), 7)].into_iter().collect())
        .iterator(vec![
            provider::Arc::new("abc")
                .ok(vec![provider::Weak::new().err("de"), provider::Weak::new()]),
            provider::Arc::new("f"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.ratio, Some(0.5));
    assert_eq!(reply.counts.unwrap()["a"].n, Some(1));
    let elements: Vec<provider::Mutex> = reply.default.unwrap();
    assert_eq!(elements.len(), 2);
    assert_eq!(
        (elements[0].n, elements[0].name.as_deref()),
        (Some(1), None)
    );
    assert_eq!(
        (elements[1].n, elements[1].name.as_deref()),
        (Some(2), Some("x"))
    );

    let sent = fake.last_request("type.awkward.body.create").unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.header("x-request-id"), Some("req-1"));
    assert_eq!(sent.query.as_deref(), Some("tags=a&tags=b"));
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "self": 1.5, "since": "1655276858", "labels": {"k": 7}, "Vec": {"String": "abcd"},
            "Iterator": [{"String": "abc", "Ok": [{"Err": "de"}, {}]}, {"String": "f"}],
        })
    );

    // `max_length` holds for a field of a nested object too, before any traffic.
    let requests = fake.requests("type.awkward.body.create");
    let err = client
        .body(1.0, 1, provider::HashMap::new("too long"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, provider::BodyError::InvalidRequest(_)),
        "{err:?}"
    );
    assert_eq!(fake.requests("type.awkward.body.create"), requests);

    // And for each element of an array of objects, and of one inside it.
    for (iterator, field) in [
        (
            vec![provider::Arc::new("abc"), provider::Arc::new("abcd")],
            "String",
        ),
        (
            vec![provider::Arc::new("abc").ok(vec![
                provider::Weak::new(),
                provider::Weak::new().err("xyz"),
            ])],
            "Err",
        ),
    ] {
        let err = client
            .body(1.0, 1, provider::HashMap::new("ok"))
            .iterator(iterator)
            .send()
            .await
            .unwrap_err();
        match &err {
            provider::BodyError::InvalidRequest(invalid) => assert_eq!(invalid.param(), field),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(fake.requests("type.awkward.body.create"), requests);
}

/// A workflow that uploads first, every name around it awkward: the method is a keyword
/// (`r#move`), the start takes a field named `path` (the file's argument is `path_`), the
/// upload's parts are named like the generated code's locals, and a JSON member's key needs
/// escaping.
#[tokio::test]
async fn an_upload_first_workflow_with_awkward_names_runs_end_to_end() {
    let fake = FakeServer::start().await.unwrap();
    let client: provider::Result = fake.client().build().unwrap();
    let dir = std::env::temp_dir().join(format!("awkward-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notes.txt");
    std::fs::write(&file, b"awkward").unwrap();

    let done = client
        .r#move(&file, "target", provider::Kind::Doc)
        .min_delay(std::time::Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(done.uploaded.data.as_deref(), Some("tok-1"));
    assert!(matches!(
        done.then.task,
        Some(taskapi_runtime::WaitOutcome::Succeeded(_))
    ));

    let upload = fake.last_request("type.awkward.upload.create").unwrap();
    let text = String::from_utf8_lossy(&upload.body);
    assert!(text.contains("notes.txt"), "the file name: {text}");
    assert!(
        text.contains(r#"{"\"quoted\" key":"doc","path":"target","Into":"txt"}"#),
        "the JSON member text, its key escaped: {text}"
    );
    let start = fake.last_request("type.awkward.start.create").unwrap();
    let body: serde_json::Value = serde_json::from_slice(&start.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"path": "target", "upload": "doc", "data": "tok-1", "Into": "txt"})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
