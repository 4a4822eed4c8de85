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
//! `--batch FILE|-` with `--wait` on a poll endpoint waits for the tasks of a file of JSON
//! parameter lines at once and prints a JSON line per task as it ends; its exit code is the
//! most serious of what happened: 1 (stdout), then 4, 3 (a task could not be polled), 5 (a
//! task failed), 6 (a task timed out), 2 (an input line was skipped), else 0. See `batch.rs`.
//!
//! Besides the endpoints: `taskapi completions <shell>` prints a completion script, and
//! `taskapi serve-fake [--addr 127.0.0.1:0]` (the binary only) serves the fake server
//! generated from the specs, printing its URL as the first line of stdout, until killed.

// `outcome.rs`: exit codes and the `Outcome`; `call.rs`: what a subcommand gets (`Call`);
// `extension.rs`: hand-written subcommands beside the generated ones;
// `args.rs`: the `Commands` table, the global flags and parsing; `run.rs`: `run` and `main`;
// `body.rs`: a request body from `--body` and body flags; `transfer.rs`: `--file`,
// `--output` and `--wait` on start endpoints; `upload_first.rs`: a workflow's subcommand
// that uploads `--file` before its start; `batch.rs`: `--batch`, reading its input
// with `lines.rs`; `list.rs`: `--all` on a paginated endpoint.
mod args;
mod batch;
mod body;
mod call;
mod extension;
mod lines;
mod list;
mod outcome;
mod run;
mod transfer;
mod upload_first;

pub use args::Commands;
pub use body::{BODY_FLAG, BodyFlag, FlagKind};
pub use call::Call;
pub use extension::{Extension, FakeExtension};
pub use outcome::{
    Dispatched, EXIT_API, EXIT_OK, EXIT_OUTPUT, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_USAGE,
    EXIT_WAIT_TIMEOUT, Outcome,
};
pub use run::{main, main_with, run, run_with};
pub use transfer::{FILE_FLAG, OUTPUT_FLAG};
