//! [`Call`]: one subcommand's parsed arguments and environment, which the generated
//! dispatch uses to build a client, run the call or its waiter, and get an [`Outcome`].

use super::outcome::{EXIT_OK, EXIT_TASK_FAILED, EXIT_WAIT_TIMEOUT, Outcome, Output, with_causes};
use crate::{
    AppCredentials, ClientBuilder, EndpointError, Pollable, Progress, ProviderClient, RetryPolicy,
    TokenApi, WaitError, WaitOutcome, WaitResult, Waiter,
};
use clap::{ArgMatches, Command};
use serde::Serialize;
use std::io::IsTerminal;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The variable naming the Redis to share state through when `--redis-url` is not given.
const REDIS_URL_ENV: &str = "TASKAPI_REDIS_URL";

/// Client settings from the global flags.
#[derive(Clone)]
pub(super) struct ClientOptions<'a> {
    pub(super) base_url: Option<&'a str>,
    pub(super) max_attempts: Option<u32>,
    pub(super) timeout: Option<Duration>,
    pub(super) rate_limits: Option<crate::RateLimits>,
    /// `--speed-limit`, `--speed-time` and `--transfer-time` over the defaults.
    pub(super) transfer: crate::TransferPolicy,
    pub(super) allow_insecure_http: bool,
    /// `--redis-url`; else `TASKAPI_REDIS_URL` is read.
    pub(super) redis_url: Option<&'a str>,
}

/// `--wait` and its delays.
#[derive(Clone, Copy)]
pub(super) struct WaitOptions {
    pub(super) wait: bool,
    pub(super) min_delay: Option<Duration>,
    pub(super) max_delay: Option<Duration>,
    pub(super) max_wait: Option<Duration>,
}

/// One subcommand's parsed arguments and the environment it runs in: what the generated
/// dispatch uses to build a client and a request, and to turn the result into an [`Outcome`].
pub struct Call<'a> {
    pub(super) args: &'a ArgMatches,
    /// The subcommand's definition, to name a flag in messages.
    pub(super) command: &'a Command,
    pub(super) options: ClientOptions<'a>,
    pub(super) wait: WaitOptions,
    pub(super) env: &'a dyn Fn(&str) -> Option<String>,
    /// The last reply's data as received, for printing.
    pub(super) raw: Arc<Mutex<Option<String>>>,
    /// Where text goes while the call runs (`--batch`).
    pub(super) output: &'a Output,
    /// With `--batch`: the subcommand as defined, its required flags required (the
    /// definition parsed holds them optional, since lines may give them).
    pub(super) strict: Option<&'a Command>,
}

impl Call<'_> {
    /// A flag's value, parsed by the type the generated subcommand declared for it.
    pub fn value<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<T> {
        self.args.get_one::<T>(id).cloned()
    }

    /// Every value of a repeated flag (an array parameter), parsed by its declared type.
    pub fn values<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Vec<T> {
        self.args
            .get_many::<T>(id)
            .map(|values| values.cloned().collect())
            .unwrap_or_default()
    }

    /// A client for the provider, with the static token from its environment variable.
    pub fn client<C: ProviderClient>(&self) -> Result<C, Outcome> {
        let var = C::PROVIDER.token_env;
        let token = self
            .var(var)
            .ok_or_else(|| Outcome::usage(format!("set {var} to an access token")))?;
        self.build(ClientBuilder::<C>::default().access_token(token))
    }

    /// A client with managed tokens when both app credential variables are set, or else
    /// with the static token variable.
    pub fn managed_client<C: TokenApi + ProviderClient>(&self) -> Result<C, Outcome> {
        let (id_var, secret_var) = C::CREDENTIALS_ENV;
        match (self.var(id_var), self.var(secret_var)) {
            (Some(id), Some(secret)) => self.build(
                ClientBuilder::<C>::default().app_credentials(AppCredentials::new(id, secret)),
            ),
            (None, None) => self.client::<C>(),
            (Some(_), None) => Err(Outcome::usage(format!(
                "{id_var} is set but {secret_var} is not"
            ))),
            (None, Some(_)) => Err(Outcome::usage(format!(
                "{secret_var} is set but {id_var} is not"
            ))),
        }
    }

    /// Whether `--wait` was given.
    pub fn waiting(&self) -> bool {
        self.wait.wait
    }

    /// An inspector for the request that keeps the last reply's data as received.
    pub fn keep_raw(&self) -> impl Fn(&str) + Send + Sync + 'static {
        let raw = Arc::clone(&self.raw);
        move |json: &str| *raw.lock().unwrap_or_else(|p| p.into_inner()) = Some(json.to_owned())
    }

    pub(super) fn take_raw(&self) -> Option<String> {
        self.raw.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// The flag that sets the parameter with this wire name, e.g. `--task-id`.
    pub(super) fn flag(&self, param: &str) -> Option<String> {
        self.command
            .get_arguments()
            .find(|arg| arg.get_id() == param)
            .and_then(|arg| arg.get_long())
            .map(|long| format!("--{long}"))
    }

    /// Turns a call's result into output and an exit code.
    pub fn outcome<T: Serialize, E: EndpointError>(&self, result: Result<T, E>) -> Outcome {
        match result {
            Ok(data) => Outcome::data(&data, self.take_raw(), EXIT_OK, String::new()),
            Err(error) => Outcome::failure(&error, |param| self.flag(param)),
        }
    }

    /// Turns a wait's result into output and an exit code.
    fn wait_outcome<P: Pollable>(&self, result: WaitResult<P>) -> Outcome
    where
        P::Data: Serialize,
    {
        match result {
            Ok(WaitOutcome::Succeeded(data)) => {
                Outcome::data(&data, self.take_raw(), EXIT_OK, String::new())
            }
            Ok(WaitOutcome::Failed {
                status,
                message,
                data,
            }) => Outcome::data(
                &data,
                self.take_raw(),
                EXIT_TASK_FAILED,
                format!(
                    "error: {}\n",
                    task_failed(status.as_ref(), message.as_deref())
                ),
            ),
            Err(WaitError::Call(error)) => Outcome::failure(&error, |param| self.flag(param)),
            Err(timed_out @ WaitError::TimedOut { .. }) => Outcome {
                exit_code: EXIT_WAIT_TIMEOUT,
                stdout: String::new(),
                stderr: format!("error: {}\n", with_causes(&timed_out)),
            },
        }
    }

    /// Runs a waiter with the flags' delays, reporting progress on stderr when it is a terminal.
    pub async fn wait<P: Pollable>(&self, mut waiter: Waiter<'_, P>) -> Outcome
    where
        P::Data: Serialize,
    {
        if let Some(delay) = self.wait.min_delay {
            waiter = waiter.min_delay(delay);
        }
        if let Some(delay) = self.wait.max_delay {
            waiter = waiter.max_delay(delay);
        }
        if let Some(wait) = self.wait.max_wait {
            waiter = waiter.max_wait(wait);
        }
        if progress_on_terminal() {
            waiter = waiter.on_progress(print_progress);
        }
        self.wait_outcome::<P>(waiter.await)
    }

    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|value| !value.is_empty())
    }

    fn build<C: ProviderClient>(&self, mut builder: ClientBuilder<C>) -> Result<C, Outcome> {
        let options = &self.options;
        if let Some(url) = options.base_url {
            builder = builder.base_url(url);
        }
        if let Some(attempts) = options.max_attempts {
            builder = builder.retry(RetryPolicy::default().max_attempts(attempts));
        }
        if let Some(timeout) = options.timeout {
            builder = builder.attempt_timeout(timeout);
        }
        if let Some(limits) = &options.rate_limits {
            builder = builder.rate_limits(limits.clone());
        }
        let redis_url = options
            .redis_url
            .map(str::to_owned)
            .or_else(|| self.var(REDIS_URL_ENV));
        if let Some(url) = redis_url {
            // Connected on first use: a Redis that is down costs a warning, not the call.
            let state = crate::shared::RedisState::new(&url).map_err(Outcome::usage)?;
            builder = builder.shared_state(Arc::new(state));
        }
        builder
            .transfer_policy(options.transfer)
            .allow_insecure_http(options.allow_insecure_http)
            .build()
            .map_err(Outcome::usage)
    }
}

/// What a failed task's end says: its status and the reply's message.
pub(super) fn task_failed<S: std::fmt::Debug>(status: Option<&S>, message: Option<&str>) -> String {
    let status = status.map_or_else(|| "none".to_owned(), |s| format!("{s:?}"));
    let message = message
        .filter(|m| !m.is_empty())
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    format!("the task failed with status {status}{message}")
}

/// Whether a wait reports its progress: when stderr is a terminal.
pub(super) fn progress_on_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// One line on stderr per change of a task's state.
pub(super) fn print_progress<S: std::fmt::Debug>(p: &Progress<'_, S>) {
    let status = p
        .status
        .map_or_else(|| "none".to_owned(), |s| format!("{s:?}"));
    let counts = match (p.done, p.total) {
        (Some(done), Some(total)) => format!(", {done}/{total}"),
        _ => String::new(),
    };
    // Not `eprintln!`: a closed stderr must not panic a wait.
    let _ = writeln!(
        std::io::stderr(),
        "waiting: {status}{counts} after {:.1}s, {} polls",
        p.elapsed.as_secs_f64(),
        p.polls
    );
}
