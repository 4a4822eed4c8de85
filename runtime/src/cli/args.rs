//! The command line's definition and parsing: the [`Commands`] table the generated crate
//! contributes, the global flags, `completions` and `serve-fake`.

use super::call::Call;
use super::extension::Extension;
use super::list::with_list;
use super::outcome::{Dispatched, EXIT_OK, EXIT_USAGE, Outcome};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::ffi::OsString;
use std::net::SocketAddr;
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
    /// The poll endpoints' subcommands whose request is their parameters alone: `--batch`
    /// works for these (with `--wait`).
    pub batchable: &'static [&'static str],
    /// The paginated endpoints' subcommands, each with its page size parameter's argument
    /// id: `--all` and `--page-size` work for these.
    pub paginated: &'static [(&'static str, &'static str)],
    /// Runs the subcommand named by the first argument.
    pub dispatch: for<'a, 'b> fn(&'a str, &'a Call<'b>) -> Dispatched<'a>,
    /// The fake server's routes, for `taskapi serve-fake`.
    pub fake_routes: &'static [crate::testing::Route],
}

impl std::fmt::Debug for Commands {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Commands")
            .field("version", &self.version)
            .field("waitable", &self.waitable)
            .finish_non_exhaustive()
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

/// The flag naming the Redis that processes share state through (else `TASKAPI_REDIS_URL`).
pub(super) const REDIS_URL_FLAG: &str = "redis-url";

/// The floor of a file transfer's rate, bytes per second.
pub(super) const SPEED_LIMIT: &str = "speed-limit";
/// The window the floor is measured over.
pub(super) const SPEED_TIME: &str = "speed-time";
/// The bound on a file transfer as a whole.
pub(super) const TRANSFER_TIME: &str = "transfer-time";

/// A poll endpoint's flag: wait for the tasks of a file of parameter lines.
pub(super) const BATCH: &str = "batch";
/// With `--batch`: polls in flight at once.
pub(super) const MAX_IN_FLIGHT: &str = "max-in-flight";

/// The subcommand that prints a completion script.
const COMPLETIONS: &str = "completions";
/// The subcommand that serves the fake server (the binary only).
pub(super) const SERVE_FAKE: &str = "serve-fake";

fn command(commands: &Commands, extensions: &[Extension], serve_fake: bool) -> Command {
    let mut taskapi = Command::new("taskapi")
        .about("Start, wait for and fetch the long-running jobs of Feishu/Lark and DingTalk (exports, imports, moves, copies) from a shell")
        .version(commands.version)
        .after_help(format!(
            "{}\n\
             RUST_LOG=taskapi=debug traces calls on stderr (never secrets).\n\
             Exit codes: 0 success, 1 stdout not writable, 2 usage, 3 API error, 4 transport or\n\
             undecodable reply, 5 task failed (--wait), 6 still running at --max-wait.\n\
             With --batch (poll endpoints): 4 or 3 when some task could not be polled, else 5\n\
             when one failed, else 6 when one timed out, else 2 when an input line was skipped.",
            commands.tokens_help
        ))
        .subcommand_required(true)
        // In this order in `--help`.
        .args(call_args())
        .args(transfer_args())
        .args(trust_and_sharing_args())
        .args(wait_args())
        .subcommands((commands.commands)())
        .subcommands(extensions.iter().map(|extension| (extension.command)()))
        .subcommand(completions_command());
    for name in commands.batchable {
        taskapi = taskapi.mut_subcommand(name, with_batch);
    }
    for (name, size_param) in commands.paginated {
        taskapi = taskapi.mut_subcommand(name, |c| with_list(c, size_param));
    }
    if serve_fake {
        let added = extensions
            .iter()
            .filter_map(|extension| extension.serve_fake.as_ref())
            .flat_map(|fake| (fake.args)());
        taskapi = taskapi.subcommand(serve_fake_command().args(added));
    }
    taskapi
}

/// The global flags of how every call is sent: where, how often, how long, how fast.
fn call_args() -> [Arg; 4] {
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
    let rate_limit = Arg::new("rate-limit")
        .long("rate-limit")
        .value_name("LIMIT")
        .global(true)
        .value_parser(crate::RateLimits::parse)
        .help("Client-side rate limit: off, a fraction of each documented limit (default 0.9), or N/s or N/min for every endpoint");
    [base_url, max_attempts, timeout, rate_limit]
}

/// The global flags that bound a file transfer (a download, or an upload's file).
fn transfer_args() -> [Arg; 3] {
    let speed_limit = Arg::new(SPEED_LIMIT)
        .long(SPEED_LIMIT)
        .value_name("BYTES")
        .global(true)
        .value_parser(clap::value_parser!(u64))
        .help(format!(
            "A file transfer slower than this many bytes per second over --speed-time is cut and \
             resumed (or sent again), {} times at most, as curl's --speed-limit (default {})",
            crate::MAX_RESUMPTIONS,
            crate::DEFAULT_MIN_RATE
        ));
    let speed_time = Arg::new(SPEED_TIME)
        .long(SPEED_TIME)
        .value_name("SECS")
        .global(true)
        .value_parser(parse_seconds)
        .help(format!(
            "The window --speed-limit is measured over (default {})",
            crate::DEFAULT_RATE_WINDOW.as_secs()
        ));
    let transfer_time = Arg::new(TRANSFER_TIME)
        .long(TRANSFER_TIME)
        .value_name("SECS")
        .global(true)
        .value_parser(parse_seconds)
        .help(format!(
            "Bound on a file transfer as a whole, resumptions included: a download, or an \
             upload's file and its reply (default {})",
            crate::DEFAULT_TRANSFER_TIME.as_secs()
        ));
    [speed_limit, speed_time, transfer_time]
}

/// The global flags of where the token may go: plain http, and the Redis that shares it
/// (and the rate limits) with other processes.
fn trust_and_sharing_args() -> [Arg; 2] {
    let allow_insecure_http = Arg::new("allow-insecure-http")
        .long("allow-insecure-http")
        .global(true)
        .action(ArgAction::SetTrue)
        .help("Allow plain http to a host that is not loopback (sends the token in clear text)");
    let redis_url = Arg::new(REDIS_URL_FLAG)
        .long(REDIS_URL_FLAG)
        .value_name("URL")
        .global(true)
        .help("Share rate limits and the app's token with other processes through this Redis (redis://[:password@]host[:port][/db]); also TASKAPI_REDIS_URL, better for a password. Redis down: each process goes on alone");
    [allow_insecure_http, redis_url]
}

/// `--wait` and the global flags that shape the wait.
fn wait_args() -> [Arg; 4] {
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
        .help("Poll until the task ends: exit 0 on success, 5 on failure (data still printed), 6 on timeout. With --output, the file is then fetched within --transfer-time: the command ends within about --max-wait + --transfer-time");
    [
        wait,
        seconds(
            "min-delay",
            "With --wait: shortest delay between polls (spec default)",
        ),
        seconds(
            "max-delay",
            "With --wait: longest delay between polls (spec default)",
        ),
        seconds(
            "max-wait",
            "With --wait: give up after this long (spec default)",
        ),
    ]
}

/// `completions`: prints a completion script.
fn completions_command() -> Command {
    Command::new(COMPLETIONS)
        .about("Print a completion script for a shell (e.g. `taskapi completions bash > /etc/bash_completion.d/taskapi`)")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell))
                .help("The shell to complete for"),
        )
}

/// `serve-fake`'s list flags: how long the paginated endpoints' lists are, and the faults
/// on their pages (each page flag names a page number, 1 the first).
fn fake_list_args() -> Vec<Arg> {
    let page = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name("PAGE")
            .requires(LIST_ITEMS)
            .value_parser(clap::value_parser!(u32).range(1..))
            .help(help)
    };
    vec![
        Arg::new(LIST_ITEMS)
            .long(LIST_ITEMS)
            .value_name("N")
            .value_parser(clap::value_parser!(u64))
            .help("Paginated endpoints serve a list of N items in pages of the size asked for (at most the documented maximum), instead of their doc example"),
        page("list-empty-page", "This page comes back empty, saying more follow (repeatable)")
            .action(ArgAction::Append),
        page("list-repeated-token-at", "This page (2 or later) gives again the token that asked for it"),
        page("list-missing-token-at", "This page says more follow and gives no token"),
        page("list-throttled-page", "This page is throttled once, then served"),
        page("list-failing-page", "This page always fails with an API error no spec documents"),
    ]
}

/// `--list-items`.
const LIST_ITEMS: &str = "list-items";

/// The list `serve-fake`'s flags describe, if `--list-items` is given.
fn fake_list(args: &ArgMatches) -> Option<crate::testing::ListPlan> {
    let items = *args.get_one::<u64>(LIST_ITEMS)?;
    let mut plan = crate::testing::ListPlan::new(usize::try_from(items).unwrap_or(usize::MAX));
    let page = |id: &str| args.get_one::<u32>(id).copied();
    for empty in args
        .get_many::<u32>("list-empty-page")
        .into_iter()
        .flatten()
    {
        plan = plan.empty_page(*empty);
    }
    plan.repeated_token_at = page("list-repeated-token-at");
    plan.missing_token_at = page("list-missing-token-at");
    plan.throttled_page = page("list-throttled-page");
    plan.failing_page = page("list-failing-page");
    Some(plan)
}

/// `serve-fake`: the fake server and the flags that shape it.
fn serve_fake_command() -> Command {
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
        )
        .arg(
            Arg::new("download-size")
                .long("download-size")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(u64))
                .help("Size of the files download endpoints serve (default 34356); made on the fly, any size"),
        )
        // Same id as the global client-side flag, which clap then leaves out of this
        // subcommand: here it is the server's own limit.
        .arg(
            Arg::new("rate-limit")
                .long("rate-limit")
                .value_name("N")
                .value_parser(clap::value_parser!(u32).range(1..))
                .help("Throttle each endpoint to N requests per second (fixed 1 s windows) with the provider's rate-limit reply; default: no limit"),
        )
        .args(fake_list_args())
        .arg(
            Arg::new("pending-polls")
                .long("pending-polls")
                .value_name("N")
                .value_parser(clap::value_parser!(u32))
                .help("Polls each task stays pending for, counted per task (its ticket or id), started or not; then it is done (default: the doc example, and started tasks done at the first poll)"),
        )
        .arg(
            Arg::new("token-lifetime")
                .long("token-lifetime")
                .value_name("SECS")
                .value_parser(clap::value_parser!(i64))
                .help("Lifetime in seconds of the tokens token endpoints issue (default 7200)"),
        )
}

/// A poll endpoint's subcommand with `--batch` and `--max-in-flight`; its required flags may
/// then come from the lines instead (each line is checked against the definition as it is).
fn with_batch(subcommand: Command) -> Command {
    subcommand
        .mut_args(|arg| {
            if arg.is_required_set() {
                arg.required(false).required_unless_present(BATCH)
            } else {
                arg
            }
        })
        .arg(
            Arg::new(BATCH)
                .long(BATCH)
                .value_name("FILE|-")
                .help(
                    "With --wait: wait for many tasks, one JSON object of parameters per line of \
                     FILE (- for stdin), keyed by the parameter names in the spec, e.g. \
                     {\"ticket\": \"...\"}; flags given here apply to every line that does not \
                     set them. Prints one JSON line per task as it ends: {\"line\", \"params\", \
                     \"outcome\": succeeded|failed|timed_out|error, \"data\", \"error\"}. Bad lines \
                     are reported on stderr and skipped",
                ),
        )
        .arg(
            Arg::new(MAX_IN_FLIGHT)
                .long(MAX_IN_FLIGHT)
                .value_name("N")
                .requires(BATCH)
                .value_parser(clap::value_parser!(u64).range(1..=10_000))
                .help("With --batch: polls in flight at once, all tasks together (default 32)"),
        )
}

/// What the arguments ask for.
pub(super) enum Parsed {
    /// Done already: help, version, a completion script, a usage error.
    Done(Outcome),
    /// An endpoint's subcommand.
    Call(Box<(Command, ArgMatches)>),
    /// `serve-fake` with these settings.
    ServeFake(FakeOptions),
}

/// `serve-fake`'s flags.
#[derive(Debug, Clone)]
pub(super) struct FakeOptions {
    /// Where to listen.
    pub(super) addr: SocketAddr,
    /// `--download-size`.
    pub(super) download_size: Option<u64>,
    /// `--rate-limit`: requests per second per endpoint.
    pub(super) rate_limit: Option<u32>,
    /// `--pending-polls`.
    pub(super) pending_polls: Option<u32>,
    /// `--token-lifetime`, seconds.
    pub(super) token_lifetime: Option<i64>,
    /// `--list-items` and the page faults.
    pub(super) list: Option<crate::testing::ListPlan>,
    /// Every flag, for the extensions' set-up.
    pub(super) matches: ArgMatches,
}

pub(super) fn parse(
    commands: &Commands,
    extensions: &[Extension],
    args: Vec<OsString>,
    serve_fake: bool,
) -> Parsed {
    let mut definition = command(commands, extensions, serve_fake);
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
            Parsed::ServeFake(FakeOptions {
                addr: addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0))),
                download_size: args.get_one::<u64>("download-size").copied(),
                rate_limit: args.get_one::<u32>("rate-limit").copied(),
                pending_polls: args.get_one::<u32>("pending-polls").copied(),
                token_lifetime: args.get_one::<i64>("token-lifetime").copied(),
                list: fake_list(args),
                matches: args.clone(),
            })
        }
        Some(_) => Parsed::Call(Box::new((definition, matches))),
        None => Parsed::Done(Outcome::usage("no command given")),
    }
}
