//! The entry points: [`run`] (arguments and environment given, output returned) and the
//! binary's [`main`] (printing, exit code, tracing, `serve-fake`).

use super::args::{
    BATCH, Commands, FakeOptions, Parsed, REDIS_URL_FLAG, SERVE_FAKE, SPEED_LIMIT, SPEED_TIME,
    TRANSFER_TIME, parse,
};
use super::call::{Call, ClientOptions, WaitOptions};
use super::extension::{Extension, find};
use super::outcome::{EXIT_OK, EXIT_OUTPUT, EXIT_TRANSPORT, Outcome, Output};
use clap::{ArgMatches, Command};
use std::ffi::OsString;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// Runs the CLI on `args` (program name first), reading variables through `env`.
/// `serve-fake` is the binary's only ([`main`]): it runs until killed.
pub async fn run(
    commands: &Commands,
    args: Vec<OsString>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    run_with(commands, &[], args, env).await
}

/// [`run`] with hand-written subcommands beside the generated ones.
pub async fn run_with(
    commands: &Commands,
    extensions: &[Extension],
    args: Vec<OsString>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Outcome {
    match parse(commands, extensions, args, false) {
        Parsed::Done(outcome) => outcome,
        Parsed::Call(call) => {
            let output = Output::collect();
            let outcome = execute(commands, extensions, &call.0, &call.1, env, &output).await;
            output.finish(outcome)
        }
        Parsed::ServeFake(..) => Outcome::unknown_command(SERVE_FAKE),
    }
}

/// Runs an endpoint's subcommand, or an extension's.
async fn execute(
    commands: &Commands,
    extensions: &[Extension],
    definition: &Command,
    matches: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
    output: &Output,
) -> Outcome {
    let Some((name, args)) = matches.subcommand() else {
        return Outcome::usage("no command given");
    };
    let Some(subcommand) = definition.find_subcommand(name) else {
        return Outcome::unknown_command(name);
    };
    let extension = find(extensions, name);
    let wait = matches.get_flag("wait");
    if wait && (extension.is_some() || !commands.waitable.contains(&name)) {
        return Outcome::usage(format!("`{name}` has no waiter in its spec: drop --wait"));
    }
    // Only poll endpoints define --batch.
    let batch = args.try_get_one::<String>(BATCH).ok().flatten().is_some();
    if batch && !wait {
        return Outcome::usage("--batch waits for the task of every line: add --wait");
    }
    // Lines are parsed with the subcommand as defined, its required flags required.
    let strict = batch
        .then(|| (commands.commands)())
        .and_then(|all| all.into_iter().find(|c| c.get_name() == name));
    let call = Call {
        args,
        command: subcommand,
        options: ClientOptions {
            base_url: matches.get_one::<String>("base-url").map(String::as_str),
            max_attempts: matches.get_one::<u32>("max-attempts").copied(),
            timeout: matches.get_one::<Duration>("timeout").copied(),
            rate_limits: matches.get_one::<crate::RateLimits>("rate-limit").cloned(),
            transfer: transfer_policy(matches),
            allow_insecure_http: matches.get_flag("allow-insecure-http"),
            redis_url: matches
                .get_one::<String>(REDIS_URL_FLAG)
                .map(String::as_str),
        },
        wait: WaitOptions {
            wait,
            min_delay: matches.get_one::<Duration>("min-delay").copied(),
            max_delay: matches.get_one::<Duration>("max-delay").copied(),
            max_wait: matches.get_one::<Duration>("max-wait").copied(),
        },
        env,
        raw: Arc::default(),
        output,
        strict: strict.as_ref(),
    };
    match extension {
        Some(extension) => (extension.run)(args, &call).await,
        None => (commands.dispatch)(name, &call).await,
    }
}

/// The binary's entry point: runs on the process's arguments and environment, prints, and
/// returns the exit code. `RUST_LOG` turns on tracing output on stderr (without it, the
/// runtime's warnings only). Besides the
/// endpoints, the binary has `serve-fake`, serving the table's fake routes.
pub fn main(commands: &Commands) -> i32 {
    main_with(commands, &[])
}

/// [`main`] with hand-written subcommands beside the generated ones, and what they add to
/// `serve-fake`.
pub fn main_with(commands: &Commands, extensions: &[Extension]) -> i32 {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(std::io::stderr)
            .init();
    } else {
        // Without RUST_LOG, the runtime's warnings only (e.g. Redis unreachable, going on
        // with this process's own tokens and limits): one line each, on stderr.
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("taskapi_runtime=warn"))
            .without_time()
            .with_target(false)
            .with_writer(std::io::stderr)
            .init();
    }
    let call = match parse(commands, extensions, std::env::args_os().collect(), true) {
        Parsed::Done(outcome) => return print(outcome),
        Parsed::ServeFake(options) => {
            // A server: worker threads.
            return match tokio::runtime::Runtime::new() {
                Ok(runtime) => {
                    runtime.block_on(serve_fake(options, commands.fake_routes, extensions))
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
    let output = Output::Print;
    print(runtime.block_on(execute(
        commands, extensions, &call.0, &call.1, &env, &output,
    )))
}

fn no_runtime(e: std::io::Error) -> i32 {
    eprintln!("error: cannot start the async runtime: {e}");
    EXIT_TRANSPORT
}

/// `serve-fake`: the URL on the first line of stdout, then serving until the process is
/// killed. Returns only when it cannot start.
async fn serve_fake(
    options: FakeOptions,
    routes: &'static [crate::testing::Route],
    extensions: &[Extension],
) -> i32 {
    let addr = options.addr;
    let server = match crate::testing::FakeServer::start_on(routes, addr).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return EXIT_TRANSPORT;
        }
    };
    if let Some(size) = options.download_size {
        server.set_download_size(size);
    }
    server.set_rate_limit(options.rate_limit);
    if let Some(polls) = options.pending_polls {
        // Per task: also the tasks a start endpoint starts, each polled by its own id.
        server.set_pending_polls_per_task(Some(polls));
    }
    if let Some(seconds) = options.token_lifetime {
        server.set_token_lifetime(seconds);
    }
    if let Some(plan) = &options.list {
        for route in routes.iter().filter(|r| r.list.is_some()) {
            server.set_list(route.id, plan.clone());
        }
    }
    let mut notes = Vec::new();
    for fake in extensions.iter().filter_map(|e| e.serve_fake.as_ref()) {
        match (fake.setup)(&server, &options.matches) {
            Ok(lines) => notes.extend(lines),
            Err(e) => {
                eprintln!("error: {e}");
                return super::outcome::EXIT_USAGE;
            }
        }
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
    for note in notes {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
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

/// The transfer policy the flags set: the defaults, with what was given.
fn transfer_policy(matches: &ArgMatches) -> crate::TransferPolicy {
    let mut policy = crate::TransferPolicy::default();
    let rate = matches.get_one::<u64>(SPEED_LIMIT).copied();
    let window = matches.get_one::<Duration>(SPEED_TIME).copied();
    if rate.is_some() || window.is_some() {
        policy = policy.min_rate(
            rate.unwrap_or(policy.min_rate),
            window.unwrap_or(policy.window),
        );
    }
    if let Some(limit) = matches.get_one::<Duration>(TRANSFER_TIME) {
        policy = policy.time_limit(*limit);
    }
    policy
}
