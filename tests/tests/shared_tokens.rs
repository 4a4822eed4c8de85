//! Tokens shared through a real Redis by `taskapi` processes (`--redis-url`,
//! `TASKAPI_REDIS_URL`): one fetch per refresh across processes, a refused token fetched
//! anew once for all, a dead holder's lock that expires, and a Redis that dies mid-wait.
//! The world and the endpoint: `shared/mod.rs`.

mod common;
mod shared;

use shared::{SERIAL, assert_all_succeeded, world};
use std::time::{Duration, Instant};
use taskapi::testing::Fault;

const TOKEN_FALLBACK: &str = "tokens fall back to this process's own cache";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_fetch_one_token_between_them() {
    let _serial = SERIAL.lock().await;
    let Some(world) = world().await else { return };
    // Slow enough that every process asks while the first fetch is under way.
    world
        .fake
        .endpoint_by_id(&world.token_route())
        .unwrap()
        .fault(Fault::Slow(Duration::from_millis(500)));

    let outputs = world.run(8, &[], &[]).await;

    assert_all_succeeded(&outputs);
    assert_eq!(world.token_fetches(), 1, "one fetch for 8 processes");
    assert_eq!(world.calls(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_fetched_anew_once_for_every_process() {
    let _serial = SERIAL.lock().await;
    let Some(world) = world().await else { return };
    assert_all_succeeded(&world.run(1, &[], &[]).await);
    assert_eq!(world.token_fetches(), 1);

    // The next process reads fake-token-1 from Redis, sees it refused, forgets it in Redis
    // and fetches fake-token-2 (without the shared invalidation it would read
    // fake-token-1 back and fetch nothing).
    world.refuse_next_token();
    assert_all_succeeded(&world.run(1, &[], &[]).await);
    assert_eq!(world.token_fetches(), 2);
    assert!(world.last_call_sent("fake-token-2"));

    // Every later process uses the new token, fetching nothing.
    assert_all_succeeded(&world.run(2, &[], &[]).await);
    assert_eq!(world.token_fetches(), 2);
    assert!(world.last_call_sent("fake-token-2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_left_by_a_dead_holder_expires() {
    let _serial = SERIAL.lock().await;
    let Some(world) = world().await else { return };
    let lock = format!("taskapi:{{{}}}:token:lock", world.app_scope());
    let mut redis = world.redis.connection();
    let set = Instant::now();
    let () = redis::cmd("SET")
        .arg(&lock)
        .arg("a-holder-that-crashed")
        .arg("PX")
        .arg(1500)
        .query(&mut redis)
        .unwrap();

    assert_all_succeeded(&world.run(1, &[], &[]).await);

    let waited = set.elapsed();
    assert_eq!(world.token_fetches(), 1);
    assert!(
        waited >= Duration::from_millis(1490),
        "fetched under the dead lock after {waited:?}"
    );
    // Well before its own give-up time (its lock expiry: the attempt timeout, 30 s, plus
    // 1 s): it took the lock as soon as the old one expired.
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    let exists = |key: &str| -> bool {
        redis::cmd("EXISTS")
            .arg(key)
            .query(&mut world.redis.connection())
            .unwrap()
    };
    assert!(!exists(&lock), "the new holder released its lock");
    assert!(exists(&format!("taskapi:{{{}}}:token", world.app_scope())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_whose_redis_dies_keeps_working_and_warns_once() {
    let _serial = SERIAL.lock().await;
    let Some(mut world) = world().await else {
        return;
    };
    let route = world
        .fake
        .routes()
        .iter()
        .find(|r| r.id == world.endpoint.id)
        .unwrap();
    let task = route.task.expect("a waiter's route has a task shape");
    let script = world.fake.endpoint_by_id(&world.endpoint.id).unwrap();
    let with_status = |status: &str| {
        let mut data = script.example();
        task.set_status(&mut data, serde_json::from_str(status).unwrap());
        data
    };
    let (pending, success) = (with_status(task.pending), with_status(task.success));
    // Polls 1 and 2 pending (Redis alive for the first), 3 refuses the token (after Redis
    // died: the new token comes without Redis), then pending until the task succeeds.
    script.reply(&pending).reply(&pending);
    world.refuse_token();
    script.reply(&pending).reply(&pending).reply(&success);

    let child = world
        .command(
            &["--wait", "--min-delay", "0.3", "--max-delay", "0.3"],
            &[("RUST_LOG", "warn")],
        )
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while world.calls() < 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    world.redis.kill();
    let polls_before_the_kill = world.calls();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}\n{stderr}", output.status);
    assert_eq!(
        polls_before_the_kill, 1,
        "Redis died before the token was refused"
    );
    assert_eq!(world.calls(), 6, "5 polls and the refused one's retry");
    assert_eq!(
        world.token_fetches(),
        2,
        "the first, and the refused one's successor"
    );
    assert_eq!(stderr.matches(TOKEN_FALLBACK).count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
