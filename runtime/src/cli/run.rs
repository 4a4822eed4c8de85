//! The entry points: [`run`] (arguments and environment given, output returned) and the
//! binary's [`main`] (printing, exit code, tracing, `serve-fake`).

use super::args::{Commands, Parsed, SERVE_FAKE, parse};
use super::call::{Call, ClientOptions, WaitOptions};
use super::outcome::{EXIT_OK, EXIT_OUTPUT, EXIT_TRANSPORT, Outcome};
use clap::{ArgMatches, Command};
use std::ffi::OsString;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

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
        Parsed::ServeFake(..) => Outcome::unknown_command(SERVE_FAKE),
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
        Parsed::ServeFake(addr, download_size) => {
            // A server: worker threads.
            return match tokio::runtime::Runtime::new() {
                Ok(runtime) => {
                    runtime.block_on(serve_fake(addr, download_size, commands.fake_routes))
                }
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
async fn serve_fake(
    addr: SocketAddr,
    download_size: Option<u64>,
    routes: &'static [crate::testing::Route],
) -> i32 {
    let server = match crate::testing::FakeServer::start_on(routes, addr).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return EXIT_TRANSPORT;
        }
    };
    if let Some(size) = download_size {
        server.set_download_size(size);
    }
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
