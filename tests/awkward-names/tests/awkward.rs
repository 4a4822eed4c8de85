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
