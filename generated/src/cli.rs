//! The `taskapi` command-line tool: one subcommand per endpoint (generated in `api/cli.rs`),
//! this driver handling the environment, output and exit codes.
//!
//! Exit codes (a stable contract):
//! - 0: success; the decoded data as one JSON line on stdout (wire names and values)
//! - 2: usage error (bad flags, missing token, bad or insecure base URL, unsendable parameter)
//! - 3: the API answered with an error code (documented, common or unknown), including the
//!   token endpoint (e.g. a wrong app secret)
//! - 4: transport failure or an undecodable reply
//!
//! After retries, the exit code is that of the last failure.

use crate::api::cli as commands;
use crate::runtime::{
    ApiError, AppCredentials, ClientBuilder, EndpointError, Failure, ProviderClient, RetryPolicy,
    TokenApi,
};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Serialize;
use std::ffi::OsString;
use std::io::Write;
use std::time::Duration;

/// Success.
pub const EXIT_OK: i32 = 0;
/// Bad flags, missing token, bad base URL, unsendable parameter.
pub const EXIT_USAGE: i32 = 2;
/// The API answered with an error code.
pub const EXIT_API: i32 = 3;
/// Transport failure or undecodable reply.
pub const EXIT_TRANSPORT: i32 = 4;

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

    pub(crate) fn unknown_command(name: &str) -> Self {
        Self::usage(format!("unknown command `{name}`"))
    }

    /// Turns a call's result into output and an exit code.
    pub(crate) fn of<T: Serialize, E: EndpointError>(result: Result<T, E>) -> Self {
        match result {
            Ok(data) => match serde_json::to_string(&data) {
                Ok(line) => Outcome {
                    exit_code: EXIT_OK,
                    stdout: line + "\n",
                    stderr: String::new(),
                },
                Err(e) => Outcome {
                    exit_code: EXIT_TRANSPORT,
                    stdout: String::new(),
                    stderr: format!("error: cannot print the reply as JSON: {e}\n"),
                },
            },
            Err(error) => Self::failure(&error),
        }
    }

    fn failure<E: EndpointError>(error: &E) -> Self {
        let mut stderr = format!("error: {error}\n");
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
            Failure::InvalidRequest(_) => EXIT_USAGE,
        };
        Outcome {
            exit_code,
            stdout: String::new(),
            stderr,
        }
    }
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

/// One subcommand's parsed arguments and the environment it runs in.
pub(crate) struct Call<'a> {
    args: &'a ArgMatches,
    options: ClientOptions<'a>,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Call<'_> {
    /// A flag's value, parsed by the type the generated subcommand declared for it.
    pub(crate) fn value<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<T> {
        self.args.get_one::<T>(id).cloned()
    }

    /// A client for the provider, with the static token from its environment variable.
    pub(crate) fn client<C: ProviderClient>(&self) -> Result<C, Outcome> {
        let var = C::PROVIDER.token_env;
        let token = self
            .var(var)
            .ok_or_else(|| Outcome::usage(format!("set {var} to an access token")))?;
        self.build(ClientBuilder::<C>::default().access_token(token))
    }

    /// A client with managed tokens when both app credential variables are set, or else
    /// with the static token variable.
    pub(crate) fn managed_client<C: TokenApi>(&self) -> Result<C, Outcome> {
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

fn command() -> Command {
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
    Command::new("taskapi")
        .about("Query Feishu/Lark and DingTalk task status from a shell")
        .after_help(
            "Tokens: FEISHU_APP_ID + FEISHU_APP_SECRET or DINGTALK_APP_KEY + DINGTALK_APP_SECRET select\n\
             managed tokens (fetched, cached, refreshed); otherwise FEISHU_ACCESS_TOKEN or\n\
             DINGTALK_ACCESS_TOKEN. RUST_LOG=taskapi=debug traces calls on stderr (never secrets).\n\
             Exit codes: 0 success, 2 usage, 3 API error, 4 transport or undecodable reply.",
        )
        .subcommand_required(true)
        .arg(base_url)
        .arg(max_attempts)
        .arg(timeout)
        .arg(allow_insecure_http)
        .subcommands(commands::commands())
}

/// Runs the CLI on `args` (program name first), reading variables through `env`.
pub async fn run(args: Vec<OsString>, env: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let matches = match command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let text = e.render().to_string();
            return if e.use_stderr() {
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
            };
        }
    };
    let Some((name, args)) = matches.subcommand() else {
        return Outcome::usage("no command given");
    };
    let call = Call {
        args,
        options: ClientOptions {
            base_url: matches.get_one::<String>("base-url").map(String::as_str),
            max_attempts: matches.get_one::<u32>("max-attempts").copied(),
            timeout: matches.get_one::<Duration>("timeout").copied(),
            allow_insecure_http: matches.get_flag("allow-insecure-http"),
        },
        env,
    };
    commands::run(name, &call).await
}

/// The binary's entry point: runs on the process's arguments and environment, prints, and
/// returns the exit code. `RUST_LOG` turns on tracing output on stderr.
pub fn main() -> i32 {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return EXIT_TRANSPORT;
        }
    };
    let outcome = runtime.block_on(run(std::env::args_os().collect(), &|name| {
        std::env::var(name).ok()
    }));
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    outcome.exit_code
}
