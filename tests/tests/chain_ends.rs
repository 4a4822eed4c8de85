//! A chain ends with its start reply when that reply says no task was started: DingTalk's
//! copy with `isAsync: false` (the copy is in `syncCopyResult`), a file moved or deleted at
//! once (no `task_id`). Driven by the specs' `starts`: for every start endpoint, its doc
//! example made synchronous (the async flag false, else the fields that feed the poller
//! removed), run with `--wait`: the poller is never called and the start reply is printed.

mod common;

use codegen::model::{Endpoint, FeedFrom, PathStep, Provider};
use serde_json::Value;
use std::collections::HashMap;
use taskapi::cli::{EXIT_OK, EXIT_TASK_FAILED, Outcome, run};
use taskapi::testing::FakeServer;

/// The example's data with the async flag set to false, or without the reply fields that
/// would feed the poller.
fn synchronous_reply(provider: &Provider, endpoint: &Endpoint) -> Value {
    let chain = endpoint.starts.as_ref().unwrap();
    let mut data = common::example_data(provider, endpoint);
    match &chain.async_flag {
        Some(flag) => set(&mut data, flag, Some(Value::Bool(false))),
        None => {
            for feed in &chain.feeds {
                if let FeedFrom::Reply(steps) = &feed.from {
                    set(&mut data, steps, None);
                }
            }
        }
    }
    data
}

/// Sets (or, with `None`, removes) the field at `steps`.
fn set(data: &mut Value, steps: &[PathStep], value: Option<Value>) {
    let Some((last, parents)) = steps.split_last() else {
        return;
    };
    let mut here = data;
    for step in parents {
        here = &mut here[step.wire.as_str()];
    }
    if let Some(object) = here.as_object_mut() {
        match value {
            Some(value) => object.insert(last.wire.clone(), value),
            None => object.remove(&last.wire),
        };
    }
}

async fn cli(fake: &FakeServer, provider: &Provider, endpoint: &Endpoint) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["taskapi".into(), endpoint.id.clone(), "--wait".into()];
    args.extend(common::required_args(endpoint, dir.path()));
    args.extend(["--base-url".to_owned(), fake.uri()]);
    let env: HashMap<String, String> =
        HashMap::from([(provider.token_env.clone(), "test-token".to_owned())]);
    run(args.into_iter().map(Into::into).collect(), &|name| {
        env.get(name).cloned()
    })
    .await
}

#[tokio::test]
async fn a_start_reply_without_a_task_ends_the_chain_at_once() {
    let model = common::model();
    let mut checked = 0;
    for (provider, endpoint) in common::endpoints(&model) {
        let Some(chain) = &endpoint.starts else {
            continue;
        };
        let reply = synchronous_reply(provider, endpoint);
        let fake = FakeServer::start().await.unwrap();
        fake.endpoint_by_id(&endpoint.id).unwrap().reply(&reply);
        let out = cli(&fake, provider, endpoint).await;
        assert_eq!(out.exit_code, EXIT_OK, "{}: {out:?}", endpoint.id);
        assert_eq!(fake.requests(&chain.next_id), 0, "{}: polled", endpoint.id);
        let printed: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            printed, reply,
            "{}: the start reply is printed",
            endpoint.id
        );
        checked += 1;
    }
    assert!(checked > 0, "no start endpoint in the specs");
}

/// The contrast: the doc example itself starts a task, which is polled (the poller's example
/// says how it ended: DingTalk's is a partial failure, exit 5).
#[tokio::test]
async fn a_start_reply_with_a_task_is_polled() {
    let model = common::model();
    for (provider, endpoint) in common::endpoints(&model) {
        let Some(chain) = &endpoint.starts else {
            continue;
        };
        let fake = FakeServer::start().await.unwrap();
        let out = cli(&fake, provider, endpoint).await;
        assert!(
            [EXIT_OK, EXIT_TASK_FAILED].contains(&out.exit_code),
            "{}: {out:?}",
            endpoint.id
        );
        assert_eq!(fake.requests(&chain.next_id), 1, "{}: polls", endpoint.id);
    }
}
