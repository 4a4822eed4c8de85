//! The `taskapi` command-line tool: one subcommand per endpoint (generated in `api/cli.rs`),
//! this driver handling the environment, output and exit codes.
//!
//! Exit codes (a stable contract):
//! - 0: success; the decoded data as one JSON line on stdout (wire names and values)
//! - 2: usage error (bad flags, missing token, bad base URL, unsendable parameter)
//! - 3: the API answered with an error code (documented, common or unknown)
//! - 4: transport failure or an undecodable reply

use crate::api::cli as commands;
use crate::runtime::{ClientBuilder, EndpointError, Failure, ProviderClient};
use clap::{Arg, ArgMatches, Command};
use serde::Serialize;
use std::ffi::OsString;
use std::io::Write;

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
                EXIT_API
            }
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

/// One subcommand's parsed arguments and the environment it runs in.
pub(crate) struct Call<'a> {
    args: &'a ArgMatches,
    base_url: Option<&'a str>,
    env: &'a dyn Fn(&str) -> Option<String>,
}

impl Call<'_> {
    /// A flag's value, parsed by the type the generated subcommand declared for it.
    pub(crate) fn value<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<T> {
        self.args.get_one::<T>(id).cloned()
    }

    /// A client for the provider, with the token from its environment variable.
    pub(crate) fn client<C: ProviderClient>(&self) -> Result<C, Outcome> {
        let var = C::PROVIDER.token_env;
        let token = (self.env)(var)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Outcome::usage(format!("set {var} to an access token")))?;
        let mut builder = ClientBuilder::<C>::default().access_token(token);
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        builder.build().map_err(Outcome::usage)
    }
}

fn command() -> Command {
    let base_url = Arg::new("base-url")
        .long("base-url")
        .value_name("URL")
        .global(true)
        .help("Send requests here instead of the provider's default host");
    Command::new("taskapi")
        .about("Query Feishu/Lark and DingTalk task status from a shell")
        .after_help(
            "Tokens: FEISHU_ACCESS_TOKEN, DINGTALK_ACCESS_TOKEN.\n\
             Exit codes: 0 success, 2 usage, 3 API error, 4 transport or undecodable reply.",
        )
        .subcommand_required(true)
        .arg(base_url)
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
        base_url: matches.get_one::<String>("base-url").map(String::as_str),
        env,
    };
    commands::run(name, &call).await
}

/// The binary's entry point: runs on the process's arguments and environment, prints, and
/// returns the exit code.
pub fn main() -> i32 {
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
