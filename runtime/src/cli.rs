//! The engine of the `taskapi` command-line tool: the environment, global flags, output and
//! exit codes. The subcommands, one per endpoint, come from the generated crate as a
//! [`Commands`] table (`taskapi::cli`).
//!
//! Exit codes (a stable contract):
//! - 0: success; the decoded data as one JSON line on stdout (wire names and values)
//! - 1: the output could not be written to stdout (e.g. a full disk), whatever the call's
//!   outcome; a closed pipe (the reader went away, as with `| head`) is not an error and
//!   keeps the call's exit code
//! - 2: usage error (bad flags, missing token, bad or insecure base URL, unsendable parameter)
//! - 3: the API answered with an error code (documented, common or unknown), including the
//!   token endpoint (e.g. a wrong app secret)
//! - 4: transport failure or an undecodable reply
//! - 5: with `--wait`, the task ended in failure (the final data is still printed on stdout)
//! - 6: with `--wait`, the task was still running when `--max-wait` ran out
//!
//! After retries, the exit code is that of the last failure.
//!
//! Besides the endpoints: `taskapi completions <shell>` prints a completion script, and
//! `taskapi serve-fake [--addr 127.0.0.1:0]` (the binary only) serves the fake server
//! generated from the specs, printing its URL as the first line of stdout, until killed.

use crate::{
    ApiError, AppCredentials, ClientBuilder, EndpointError, Failure, Pollable, ProviderClient,
    RetryPolicy, TokenApi, WaitError, WaitOutcome, WaitResult, Waiter,
};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Serialize;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the generated crate contributes: its subcommands and how to run them.
pub struct Commands {
    /// The version printed by `--version`.
    pub version: &'static str,
    /// Where tokens come from, for `--help` (the variables named in the provider specs).
    pub tokens_help: &'static str,
    /// One subcommand per endpoint, named by endpoint id.
    pub commands: fn() -> Vec<Command>,
    /// The subcommands whose endpoint has a waiter (`--wait` works for these).
    pub waitable: &'static [&'static str],
    /// Runs the subcommand named by the first argument.
    pub dispatch: for<'a, 'b> fn(&'a str, &'a Call<'b>) -> Dispatched<'a>,
    /// The fake server's routes, for `taskapi serve-fake`.
    pub fake_routes: &'static [crate::testing::Route],
}

/// A running subcommand. Not `Send`: the CLI runs one call on its own runtime.
pub type Dispatched<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + 'a>>;

impl std::fmt::Debug for Commands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Commands")
            .field("version", &self.version)
            .field("waitable", &self.waitable)
            .finish_non_exhaustive()
    }
}

/// Success.
pub const EXIT_OK: i32 = 0;
/// Standard output could not be written (not for a closed pipe, which keeps the code).
pub const EXIT_OUTPUT: i32 = 1;
/// Bad flags, missing token, bad base URL, unsendable parameter.
pub const EXIT_USAGE: i32 = 2;
/// The API answered with an error code.
pub const EXIT_API: i32 = 3;
/// Transport failure or undecodable reply.
pub const EXIT_TRANSPORT: i32 = 4;
/// With `--wait`: the task ended in failure.
pub const EXIT_TASK_FAILED: i32 = 5;
/// With `--wait`: the maximum wait ran out.
pub const EXIT_WAIT_TIMEOUT: i32 = 6;

/// What a run ends with: text for stdout and stderr, and an exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The process exit code.
    pub exit_code: i32,
    /// Everything for standard output.
    pub stdout: String,
    /// Everything for standard error.
    pub stderr: String,
}

impl Outcome {
    fn usage(message: impl std::fmt::Display) -> Self {
        Outcome {
            exit_code: EXIT_USAGE,
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
        }
    }

    /// A usage error for a subcommand the table does not know.
    pub fn unknown_command(name: &str) -> Self {
        Self::usage(format!("unknown command `{name}`"))
    }

    /// The data as one JSON line on stdout: the reply's own JSON when it was kept (fields
    /// the spec does not know included), else the typed data re-serialized.
    fn data<T: Serialize>(data: &T, raw: Option<String>, exit_code: i32, stderr: String) -> Self {
        let line = match raw {
            Some(raw) => Ok(one_line(&raw)),
            None => serde_json::to_string(data),
        };
        match line {
            Ok(line) => Outcome {
                exit_code,
                stdout: line + "\n",
                stderr,
            },
            Err(e) => Outcome {
                exit_code: EXIT_TRANSPORT,
                stdout: String::new(),
                stderr: format!("error: cannot print the reply as JSON: {e}\n"),
            },
        }
    }

    fn failure<E: EndpointError>(error: &E, flag: impl Fn(&str) -> Option<String>) -> Self {
        let mut stderr = format!("error: {}\n", with_causes(error));
        let exit_code = match error.failure() {
            Failure::Api(api) => {
                describe_api_error(&mut stderr, api);
                EXIT_API
            }
            // The token endpoint answered with a code (e.g. a wrong secret).
            Failure::Token(token) => match token.api_error() {
                Some(api) => {
                    describe_api_error(&mut stderr, api);
                    EXIT_API
                }
                None => EXIT_TRANSPORT,
            },
            Failure::Decode(decode) => {
                if let Some(id) = decode.request_id() {
                    stderr.push_str(&format!("request id: {id}\n"));
                }
                EXIT_TRANSPORT
            }
            Failure::Transport(_) => EXIT_TRANSPORT,
            Failure::InvalidRequest(invalid) => {
                if let Some(flag) = flag(invalid.param()) {
                    stderr.push_str(&format!("fix the value of {flag}\n"));
                }
                EXIT_USAGE
            }
        };
        Outcome {
            exit_code,
            stdout: String::new(),
            stderr,
        }
    }
}

/// The error's text followed by its causes' (`source()` chain), as one line.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Compact JSON text on one line: whitespace outside strings dropped, everything else
/// (key order, number spelling, unknown fields) exactly as received.
fn one_line(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_whitespace() {
            continue;
        }
        out.push(c);
    }
    out
}

/// The lines a person needs to act on an API error or open a support ticket.
fn describe_api_error(stderr: &mut String, api: &ApiError) {
    stderr.push_str(&format!(
        "code: {}\nmessage: {}\n",
        api.code(),
        api.message()
    ));
    if let Some(hint) = api.hint() {
        stderr.push_str(&format!("hint: {hint}\n"));
    }
    stderr.push_str(&format!(
        "request id: {}\n",
        api.request_id().unwrap_or("-")
    ));
}

/// Client settings from the global flags.
struct ClientOptions<'a> {
    base_url: Option<&'a str>,
    max_attempts: Option<u32>,
    timeout: Option<Duration>,
    allow_insecure_http: bool,
}

/// `--wait` and its delays.
struct WaitOptions {
    wait: bool,
    min_delay: Option<Duration>,
    max_delay: Option<Duration>,
    max_wait: Option<Duration>,
}

/// One subcommand's parsed arguments and the environment it runs in: what the generated
/// dispatch uses to build a client and a request, and to turn the result into an [`Outcome`].
pub struct Call<'a> {
    args: &'a ArgMatches,
    /// The subcommand's definition, to name a flag in messages.
    command: &'a Command,
    options: ClientOptions<'a>,
    wait: WaitOptions,
    env: &'a dyn Fn(&str) -> Option<String>,
    /// The last reply's data as received, for printing.
    raw: Arc<Mutex<Option<String>>>,
}

impl Call<'_> {
    /// A flag's value, parsed by the type the generated subcommand declared for it.
    pub fn value<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<T> {
        self.args.get_one::<T>(id).cloned()
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
    pub fn managed_client<C: TokenApi>(&self) -> Result<C, Outcome> {
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

    fn take_raw(&self) -> Option<String> {
        self.raw.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// The flag that sets the parameter with this wire name, e.g. `--task-id`.
    fn flag(&self, param: &str) -> Option<String> {
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
            }) => {
                let status = status.map_or_else(|| "none".to_owned(), |s| format!("{s:?}"));
                let message = message
                    .filter(|m| !m.is_empty())
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                Outcome::data(
                    &data,
                    self.take_raw(),
                    EXIT_TASK_FAILED,
                    format!("error: the task failed with status {status}{message}\n"),
                )
            }
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
        if std::io::stderr().is_terminal() {
            waiter = waiter.on_progress(|p| {
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
            });
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
        builder
            .allow_insecure_http(options.allow_insecure_http)
            .build()
            .map_err(Outcome::usage)
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(format!(
            "expected seconds between 0 and 86400, got {text:?}"
        )),
    }
}

/// The subcommand that prints a completion script.
const COMPLETIONS: &str = "completions";
/// The subcommand that serves the fake server (the binary only).
const SERVE_FAKE: &str = "serve-fake";

fn command(commands: &Commands, serve_fake: bool) -> Command {
    let base_url = Arg::new("base-url")
        .long("base-url")
        .value_name("URL")
        .global(true)
        .help("Send requests here instead of the provider's default host");
    let max_attempts = Arg::new("max-attempts")
        .long("max-attempts")
        .value_name("N")
        .global(true)
        .value_parser(clap::value_parser!(u32).range(1..))
        .help("Requests per call, retries included (default 3)");
    let timeout = Arg::new("timeout")
        .long("timeout")
        .value_name("SECS")
        .global(true)
        .value_parser(parse_seconds)
        .help("Time for one attempt in seconds, fractions allowed (default 30)");
    let allow_insecure_http = Arg::new("allow-insecure-http")
        .long("allow-insecure-http")
        .global(true)
        .action(ArgAction::SetTrue)
        .help("Allow plain http to a host that is not loopback (sends the token in clear text)");
    let seconds = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .value_name("SECS")
            .global(true)
            .value_parser(parse_seconds)
            .requires("wait")
            .help(help)
    };
    let wait = Arg::new("wait")
        .long("wait")
        .global(true)
        .action(ArgAction::SetTrue)
        .help("Poll until the task ends: exit 0 on success, 5 on failure (data still printed), 6 on timeout");
    let completions = Command::new(COMPLETIONS)
        .about("Print a completion script for a shell (e.g. `taskapi completions bash > /etc/bash_completion.d/taskapi`)")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell))
                .help("The shell to complete for"),
        );
    let mut taskapi = Command::new("taskapi")
        .about("Query Feishu/Lark and DingTalk task status from a shell")
        .version(commands.version)
        .after_help(format!(
            "{}\n\
             RUST_LOG=taskapi=debug traces calls on stderr (never secrets).\n\
             Exit codes: 0 success, 1 stdout not writable, 2 usage, 3 API error, 4 transport or\n\
             undecodable reply, 5 task failed (--wait), 6 still running at --max-wait.",
            commands.tokens_help
        ))
        .subcommand_required(true)
        .arg(base_url)
        .arg(max_attempts)
        .arg(timeout)
        .arg(allow_insecure_http)
        .arg(wait)
        .arg(seconds(
            "min-delay",
            "With --wait: shortest delay between polls (spec default)",
        ))
        .arg(seconds(
            "max-delay",
            "With --wait: longest delay between polls (spec default)",
        ))
        .arg(seconds(
            "max-wait",
            "With --wait: give up after this long (spec default)",
        ))
        .subcommands((commands.commands)())
        .subcommand(completions);
    if serve_fake {
        taskapi = taskapi.subcommand(
            Command::new(SERVE_FAKE)
                .about("Serve the fake Feishu/DingTalk API generated from the specs, until killed")
                .long_about(
                    "Serve the fake Feishu/DingTalk API generated from the specs, until killed: \
                     every endpoint answers with its doc example, token endpoints issue \
                     fake-token-N tokens (any credentials), and unknown paths get 404. The \
                     first line of stdout is the base URL to use (e.g. --base-url).",
                )
                .arg(
                    Arg::new("addr")
                        .long("addr")
                        .value_name("IP:PORT")
                        .default_value("127.0.0.1:0")
                        .value_parser(clap::value_parser!(SocketAddr))
                        .help("Where to listen; port 0 picks a free port"),
                ),
        );
    }
    taskapi
}

/// What the arguments ask for.
enum Parsed {
    /// Done already: help, version, a completion script, a usage error.
    Done(Outcome),
    /// An endpoint's subcommand.
    Call(Box<(Command, ArgMatches)>),
    /// `serve-fake` on this address.
    ServeFake(SocketAddr),
}

fn parse(commands: &Commands, args: Vec<OsString>, serve_fake: bool) -> Parsed {
    let mut definition = command(commands, serve_fake);
    let matches = match definition.clone().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let text = e.render().to_string();
            return Parsed::Done(if e.use_stderr() {
                Outcome {
                    exit_code: EXIT_USAGE,
                    stdout: String::new(),
                    stderr: text,
                }
            } else {
                // --help and --version
                Outcome {
                    exit_code: EXIT_OK,
                    stdout: text,
                    stderr: String::new(),
                }
            });
        }
    };
    match matches.subcommand() {
        Some((COMPLETIONS, args)) => {
            let Some(shell) = args.get_one::<clap_complete::Shell>("shell").copied() else {
                return Parsed::Done(Outcome::usage("name a shell"));
            };
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut definition, "taskapi", &mut script);
            Parsed::Done(Outcome {
                exit_code: EXIT_OK,
                stdout: String::from_utf8_lossy(&script).into_owned(),
                stderr: String::new(),
            })
        }
        Some((SERVE_FAKE, args)) if serve_fake => {
            let addr = args.get_one::<SocketAddr>("addr").copied();
            Parsed::ServeFake(addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))))
        }
        Some(_) => Parsed::Call(Box::new((definition, matches))),
        None => Parsed::Done(Outcome::usage("no command given")),
    }
}

/// Runs the CLI on `args` (program name first), reading variables through `env`.
/// `serve-fake` is the binary's only ([`main`]): it runs until killed.
pub async fn run(
    commands: &Commands,
    args: Vec<OsString>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    match parse(commands, args, false) {
        Parsed::Done(outcome) => outcome,
        Parsed::Call(call) => execute(commands, &call.0, &call.1, env).await,
        Parsed::ServeFake(_) => Outcome::unknown_command(SERVE_FAKE),
    }
}

/// Runs an endpoint's subcommand.
async fn execute(
    commands: &Commands,
    definition: &Command,
    matches: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    let Some((name, args)) = matches.subcommand() else {
        return Outcome::usage("no command given");
    };
    let Some(subcommand) = definition.find_subcommand(name) else {
        return Outcome::unknown_command(name);
    };
    let wait = matches.get_flag("wait");
    if wait && !commands.waitable.contains(&name) {
        return Outcome::usage(format!("`{name}` has no waiter in its spec: drop --wait"));
    }
    let call = Call {
        args,
        command: subcommand,
        options: ClientOptions {
            base_url: matches.get_one::<String>("base-url").map(String::as_str),
            max_attempts: matches.get_one::<u32>("max-attempts").copied(),
            timeout: matches.get_one::<Duration>("timeout").copied(),
            allow_insecure_http: matches.get_flag("allow-insecure-http"),
        },
        wait: WaitOptions {
            wait,
            min_delay: matches.get_one::<Duration>("min-delay").copied(),
            max_delay: matches.get_one::<Duration>("max-delay").copied(),
            max_wait: matches.get_one::<Duration>("max-wait").copied(),
        },
        env,
        raw: Arc::default(),
    };
    (commands.dispatch)(name, &call).await
}

/// The binary's entry point: runs on the process's arguments and environment, prints, and
/// returns the exit code. `RUST_LOG` turns on tracing output on stderr. Besides the
/// endpoints, the binary has `serve-fake`, serving the table's fake routes.
pub fn main(commands: &Commands) -> i32 {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(std::io::stderr)
            .init();
    }
    let call = match parse(commands, std::env::args_os().collect(), true) {
        Parsed::Done(outcome) => return print(outcome),
        Parsed::ServeFake(addr) => {
            // A server: worker threads.
            return match tokio::runtime::Runtime::new() {
                Ok(runtime) => runtime.block_on(serve_fake(addr, commands.fake_routes)),
                Err(e) => no_runtime(e),
            };
        }
        Parsed::Call(call) => call,
    };
    // One call needs no worker threads, and starts faster without them.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return no_runtime(e),
    };
    let env = |name: &str| std::env::var(name).ok();
    print(runtime.block_on(execute(commands, &call.0, &call.1, &env)))
}

fn no_runtime(e: std::io::Error) -> i32 {
    eprintln!("error: cannot start the async runtime: {e}");
    EXIT_TRANSPORT
}

/// `serve-fake`: the URL on the first line of stdout, then serving until the process is
/// killed. Returns only when it cannot start.
async fn serve_fake(addr: SocketAddr, routes: &'static [crate::testing::Route]) -> i32 {
    let server = match crate::testing::FakeServer::start_on(routes, addr).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return EXIT_TRANSPORT;
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", server.uri()).and_then(|()| out.flush()) {
        eprintln!("error: cannot write the output to stdout: {e}");
        return EXIT_OUTPUT;
    }
    drop(out);
    let _ = writeln!(
        std::io::stderr(),
        "serving the fake Feishu/DingTalk API from the specs at {} (any token; stop with Ctrl-C)",
        server.uri()
    );
    std::future::pending::<()>().await;
    EXIT_OK
}

/// Prints an outcome and returns its exit code (1 when stdout cannot be written).
fn print(outcome: Outcome) -> i32 {
    let Outcome {
        mut exit_code,
        stdout,
        mut stderr,
    } = outcome;
    let mut out = std::io::stdout().lock();
    match out.write_all(stdout.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        // The reader went away (`taskapi ... | head -c1`): end quietly, as other tools do.
        // Rust ignores SIGPIPE, so this arrives as an error instead of killing the process.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            stderr.push_str(&format!("error: cannot write the output to stdout: {e}\n"));
            exit_code = EXIT_OUTPUT;
        }
    }
    drop(out);
    let _ = std::io::stderr().write_all(stderr.as_bytes());
    exit_code
}
