//! What the shared-state tests (`shared_tokens.rs`, `shared_limits.rs`) use: a World of
//! one `redis-server` (`taskapi_tests::redis`: a test without one prints one line and
//! passes, unless `TASKAPI_REQUIRE_REDIS` is set), the fake server, and the endpoint the
//! `taskapi` processes call, picked from the specs: a plain status read (a waiter, no body,
//! no chain) of a provider with a token endpoint and a documented invalid-token code.
//! The tests of a binary run one at a time (`SERIAL`): they count requests and time slots.

#![allow(dead_code)] // each test binary uses a different subset

use crate::common::{self, APP_ID, APP_SECRET};
use codegen::model::{Code, Endpoint, Provider};
use std::collections::HashMap;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use taskapi::testing::FakeServer;
use taskapi_tests::redis::RedisServer;

pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const STATIC_TOKEN: &str = "static-token-for-limits-0123456789";

/// A Redis, a fake server, and the endpoint the processes call.
pub struct World {
    pub redis: RedisServer,
    pub fake: Arc<FakeServer>,
    pub provider: Provider,
    pub endpoint: Endpoint,
    pub invalid_code: Code,
    pub args: Vec<String>,
    _dir: tempfile::TempDir,
}

/// `None` when the test is skipped (no redis-server).
pub async fn world() -> Option<World> {
    let redis = RedisServer::start()?;
    // Built (or found current) now, not inside a timed part of a test.
    common::taskapi_binary();
    let model = common::model();
    let (provider, endpoint, invalid_code) = common::endpoints(&model)
        .into_iter()
        .filter(|(p, e)| {
            p.token.is_some()
                && e.waiter.is_some()
                && e.body.is_none()
                && e.starts.is_none()
                && e.download.is_none()
        })
        .find_map(|(p, e)| Some((p, e, p.token_invalid_codes.first()?)))
        .expect("a status read of a provider with managed tokens and an invalid-token code");
    let dir = tempfile::tempdir().unwrap();
    let args = common::required_args(endpoint, dir.path());
    let fake = Arc::new(FakeServer::start().await.unwrap());
    Some(World {
        redis,
        fake,
        provider: provider.clone(),
        endpoint: endpoint.clone(),
        invalid_code: invalid_code.clone(),
        args,
        _dir: dir,
    })
}

impl World {
    pub fn token_route(&self) -> String {
        format!("{}.token", self.provider.key)
    }

    pub fn token_fetches(&self) -> usize {
        self.fake.requests(&self.token_route())
    }

    pub fn calls(&self) -> usize {
        self.fake.requests(&self.endpoint.id)
    }

    /// The scope of the app's keys, as the client names it: the app id and the origin of
    /// the server it talks to (the fake's `http://127.0.0.1:<port>`).
    pub fn app_scope(&self) -> String {
        let origin = self.fake.uri().trim_end_matches('/').to_owned();
        taskapi::runtime::shared::scope(&self.provider.key, &format!("app:{APP_ID}@{origin}"))
    }

    /// The endpoint's subcommand as a process with app credentials and the Redis URL in
    /// its environment (and nothing else from the test's).
    pub fn command(&self, extra: &[&str], env: &[(&str, &str)]) -> Command {
        let token = self.provider.token.as_ref().unwrap();
        let mut command = Command::new(common::taskapi_binary());
        command
            .arg(&self.endpoint.id)
            .args(&self.args)
            .args(["--base-url", &self.fake.uri()])
            .args(extra)
            .env_clear()
            .env(&token.id_env, APP_ID)
            .env(&token.secret_env, APP_SECRET)
            .env("TASKAPI_REDIS_URL", self.redis.url())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// `n` processes started at once; their outputs.
    pub async fn run(&self, n: usize, extra: &[&str], env: &[(&str, &str)]) -> Vec<Output> {
        let children: Vec<_> = (0..n)
            .map(|_| self.command(extra, env).spawn().expect("taskapi starts"))
            .collect();
        let mut outputs = Vec::new();
        for child in children {
            let output = tokio::task::spawn_blocking(move || child.wait_with_output())
                .await
                .unwrap()
                .unwrap();
            outputs.push(output);
        }
        outputs
    }

    /// Whether the last call of the endpoint sent `token` (in whichever auth header).
    pub fn last_call_sent(&self, token: &str) -> bool {
        let last = self.fake.last_request(&self.endpoint.id).unwrap();
        last.headers.iter().any(|(_, value)| value.contains(token))
    }

    /// Scripts the endpoint's next reply (after those scripted) as the invalid-token code.
    pub fn refuse_token(&self) {
        let script = self.fake.endpoint_by_id(&self.endpoint.id).unwrap();
        match &self.invalid_code {
            Code::Int(n) => script.error(*n),
            Code::Str(s) => script.error(s.as_str()),
        };
    }

    /// Scripts the endpoint's next reply as the invalid-token code, then its example.
    pub fn refuse_next_token(&self) {
        self.refuse_token();
        let script = self.fake.endpoint_by_id(&self.endpoint.id).unwrap();
        script.reply(&script.example());
    }
}

pub fn assert_all_succeeded(outputs: &[Output]) {
    for output in outputs {
        assert!(
            output.status.success(),
            "{:?}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The CLI in this process, with `env` as its environment.
pub async fn cli(args: Vec<String>, env: &[(&str, &str)]) -> taskapi::cli::Outcome {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let args = std::iter::once("taskapi".to_owned())
        .chain(args)
        .map(Into::into)
        .collect();
    taskapi::cli::run(args, &|name| env.get(name).cloned()).await
}

/// The first status read of a provider with managed tokens, and its complete arguments.
pub fn status_read(dir: &std::path::Path) -> (Provider, Vec<String>) {
    let model = common::model();
    let (provider, endpoint) = common::endpoints(&model)
        .into_iter()
        .find(|(p, e)| p.token.is_some() && e.waiter.is_some() && e.body.is_none())
        .expect("a status read of a provider with managed tokens");
    let mut args = vec![endpoint.id.clone()];
    args.extend(common::required_args(endpoint, dir));
    (provider.clone(), args)
}
