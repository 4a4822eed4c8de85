//! Rate-limit slots shared through a real Redis by separate clients, what Redis holds
//! (no secret, app id or token in any key or value), a bad Redis URL (its password masked)
//! and a Redis down from the start. The world and the endpoint: `shared/mod.rs`.

mod common;
mod shared;

use common::{APP_ID, APP_SECRET};
use shared::{SERIAL, STATIC_TOKEN, assert_all_succeeded, cli, status_read, world};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use taskapi::testing::FakeServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separate_clients_share_rate_limit_slots() {
    let _serial = SERIAL.lock().await;
    let Some(world) = world().await else { return };
    const CALLS: usize = 30;
    // 10 calls a second for every endpoint; 30 clients (each its own `Core`, connection to
    // Redis and runtime, as processes have) started at once.
    let args: Vec<String> = ["taskapi", world.endpoint.id.as_str()]
        .into_iter()
        .map(str::to_owned)
        .chain(world.args.iter().cloned())
        .chain([
            "--base-url".into(),
            world.fake.uri(),
            "--rate-limit".into(),
            "10/s".into(),
        ])
        .chain(["--redis-url".into(), world.redis.url()])
        .collect();
    let env: HashMap<String, String> =
        HashMap::from([(world.provider.token_env.clone(), STATIC_TOKEN.to_owned())]);
    let sampler = {
        let fake = world.fake.clone();
        let id = world.endpoint.id.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let count = fake.requests(&id);
                samples.push((Instant::now(), count));
                if count >= CALLS || Instant::now() > deadline {
                    return samples;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    let clients: Vec<_> = (0..CALLS)
        .map(|_| {
            let (args, env) = (args.clone(), env.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let args = args.into_iter().map(Into::into).collect();
                runtime.block_on(taskapi::cli::run(args, &|name| env.get(name).cloned()))
            })
        })
        .collect();
    for client in clients {
        let outcome = tokio::task::spawn_blocking(move || client.join().unwrap())
            .await
            .unwrap();
        assert_eq!(outcome.exit_code, 0, "{outcome:?}");
    }
    let samples = sampler.await.unwrap();

    assert_eq!(world.calls(), CALLS);
    let first = samples.iter().find(|(_, n)| *n >= 1).unwrap().0;
    let last = samples.last().unwrap().0;
    // 29 intervals of 100 ms from the first slot to the last.
    assert!(
        last - first >= Duration::from_millis(2500),
        "{:?}",
        last - first
    );
    let busiest = samples
        .iter()
        .map(|(start, before)| {
            let after = samples
                .iter()
                .take_while(|(t, _)| *t <= *start + Duration::from_secs(1))
                .last()
                .map_or(*before, |(_, n)| *n);
            after - before
        })
        .max()
        .unwrap();
    assert!(busiest <= 11, "{busiest} calls within one second at 10/s");
}

#[tokio::test]
async fn a_reservation_too_late_for_its_caller_pushes_no_slot_out() {
    use taskapi::runtime::shared::{RedisState, SharedState};
    let _serial = SERIAL.lock().await;
    let Some(redis) = taskapi_tests::redis::RedisServer::start() else {
        return;
    };
    let state = RedisState::new(&redis.url())
        .unwrap()
        .timeout(Duration::from_secs(2));
    let (scope, key) = ("test:0123456789abcdef", "route");
    let interval = Duration::from_secs(1);
    let first = state
        .reserve_slot(scope, key, interval, None)
        .await
        .unwrap();
    assert!(
        first.is_some_and(|wait| wait < Duration::from_millis(100)),
        "{first:?}"
    );
    // The next slot is about a second away: too late for callers that wait 100 ms at most.
    for _ in 0..20 {
        let late = state
            .reserve_slot(scope, key, interval, Some(Duration::from_millis(100)))
            .await
            .unwrap();
        assert_eq!(late, None, "nothing reserved");
    }
    // They pushed nothing: the next caller gets the slot after the first, within one
    // interval (not 21).
    let next = state
        .reserve_slot(scope, key, interval, None)
        .await
        .unwrap();
    let wait = next.expect("no limit on the wait");
    assert!(
        wait <= interval && wait > Duration::from_millis(500),
        "{wait:?}"
    );
    // A caller that can wait that long is served, one interval later still.
    let patient = state
        .reserve_slot(scope, key, interval, Some(Duration::from_secs(3)))
        .await
        .unwrap()
        .expect("within its wait");
    assert!(patient > interval && patient <= interval * 2, "{patient:?}");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_holds_no_secret_no_app_id_and_no_token() {
    let _serial = SERIAL.lock().await;
    let Some(world) = world().await else { return };
    // A shared fetch, a refusal and its new token, and rate-limited calls on a static token.
    assert_all_succeeded(&world.run(2, &[], &[]).await);
    world.refuse_next_token();
    assert_all_succeeded(&world.run(1, &[], &[]).await);
    let token = world.provider.token.as_ref().unwrap();
    // Empty credentials count as unset: the static token is used.
    let env = [
        (world.provider.token_env.as_str(), STATIC_TOKEN),
        (token.id_env.as_str(), ""),
        (token.secret_env.as_str(), ""),
    ];
    let limited = world.run(1, &["--rate-limit", "10/s"], &env);
    assert_all_succeeded(&limited.await);
    assert_eq!(world.token_fetches(), 2);

    let dump = world.redis.dump();
    let token_key = format!("taskapi:{{{}}}:token", world.app_scope());
    let stored = dump
        .iter()
        .find(|(key, _)| key == token_key.as_bytes())
        .map(|(_, value)| value)
        .expect("the app's token is stored under its scope");
    assert!(
        stored[0].len() > 24 + 16,
        "a nonce, the ciphertext and its tag"
    );
    assert!(
        dump.len() >= 2,
        "the token and a limit key: {} keys",
        dump.len()
    );
    let forbidden = [APP_SECRET, APP_ID, "fake-token-", STATIC_TOKEN];
    for (key, values) in &dump {
        for text in &forbidden {
            let shown = String::from_utf8_lossy(key);
            assert!(!contains(key, text), "{text:?} in the key {shown}");
            assert!(shown.starts_with("taskapi:{"), "{shown}");
            for value in values {
                assert!(!contains(value, text), "{text:?} in the value of {shown}");
            }
        }
    }
}

#[tokio::test]
async fn a_bad_redis_url_is_a_usage_error_that_shows_no_password() {
    let dir = tempfile::tempdir().unwrap();
    let (provider, args) = status_read(dir.path());
    for url in [
        "http://user:pa55w0rd@127.0.0.1/",
        // The password in the query of a socket URL (the database number is bad).
        "redis+unix:///run/redis.sock?pass=pa55w0rd&db=first",
        "unix:///run/redis.sock?db=first&password=pa55w0rd",
        // No scheme: it parses with the scheme `user`.
        "user:pa55w0rd@127.0.0.1:6379",
    ] {
        let mut args = args.clone();
        args.extend(["--redis-url".into(), url.into()]);
        let out = cli(args, &[(provider.token_env.as_str(), STATIC_TOKEN)]).await;
        assert_eq!(out.exit_code, taskapi::cli::EXIT_USAGE, "{url}: {out:?}");
        assert!(out.stderr.contains("Redis URL"), "{url}: {}", out.stderr);
        assert!(!out.stderr.contains("pa55w0rd"), "{url}: {}", out.stderr);
    }
}

#[tokio::test]
async fn a_redis_that_is_down_from_the_start_costs_the_call_nothing() {
    let fake = FakeServer::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (provider, mut args) = status_read(dir.path());
    args.extend(["--base-url".into(), fake.uri()]);
    let token = provider.token.as_ref().unwrap();
    // Nothing listens there: connection refused, at once.
    let down = common::closed_port_url().replace("http://", "redis://");
    let env = [
        (token.id_env.as_str(), APP_ID),
        (token.secret_env.as_str(), APP_SECRET),
        ("TASKAPI_REDIS_URL", down.as_str()),
    ];
    for _ in 0..2 {
        let out = cli(args.clone(), &env).await;
        assert_eq!(out.exit_code, 0, "{out:?}");
    }
    assert_eq!(
        fake.requests(&format!("{}.token", provider.key)),
        2,
        "one fetch per client"
    );
}
