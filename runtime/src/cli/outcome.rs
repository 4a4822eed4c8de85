//! What a run ends with: the exit codes, the [`Outcome`] (stdout, stderr, exit code), and
//! how data and errors are written into it.

pub(super) use crate::with_causes;
use crate::{ApiError, EndpointError, Failure};
use serde::Serialize;
use std::cell::RefCell;
use std::io::Write as _;

/// Success.
pub const EXIT_OK: i32 = 0;
/// Standard output, or a download's file, could not be written (not for a closed pipe,
/// which keeps the code).
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

/// A running subcommand. Not `Send`: the CLI runs one call on its own runtime.
pub type Dispatched<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Outcome> + 'a>>;

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
    /// A usage error (exit 2): `error: <message>` on stderr.
    pub fn usage(message: impl std::fmt::Display) -> Self {
        Outcome {
            exit_code: EXIT_USAGE,
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
        }
    }

    /// The same outcome, its error line saying first which step of a workflow failed.
    pub(super) fn in_step(mut self, step: &str) -> Self {
        if let Some(rest) = self.stderr.strip_prefix("error: ") {
            self.stderr = format!("error: {step}: {rest}");
        }
        self
    }

    /// A usage error for a subcommand the table does not know.
    pub fn unknown_command(name: &str) -> Self {
        Self::usage(format!("unknown command `{name}`"))
    }

    /// The data as one JSON line on stdout: the reply's own JSON when it was kept (fields
    /// the spec does not know included), else the typed data re-serialized.
    pub(super) fn data<T: Serialize>(
        data: &T,
        raw: Option<String>,
        exit_code: i32,
        stderr: String,
    ) -> Self {
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

    pub(super) fn failure<E: EndpointError>(
        error: &E,
        flag: impl Fn(&str) -> Option<String>,
    ) -> Self {
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
            Failure::Output(_) => EXIT_OUTPUT,
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

/// Where text goes while a run runs (`--batch` prints a line per task as it ends, and
/// reports skipped input lines as it reads them).
pub(super) enum Output {
    /// Kept for [`run`](super::run), which returns it before the outcome's own text.
    Collect(RefCell<(String, String)>),
    /// Written to the process's standard output and error at once ([`main`](super::main)).
    Print,
}

impl Output {
    pub(super) fn collect() -> Self {
        Output::Collect(RefCell::default())
    }

    /// Writes to standard output (flushed: a line is seen as soon as it is written).
    pub(super) fn stdout(&self, text: &str) -> std::io::Result<()> {
        match self {
            Output::Collect(kept) => {
                kept.borrow_mut().0.push_str(text);
                Ok(())
            }
            Output::Print => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            }
        }
    }

    /// Writes to standard error; a closed stderr is ignored.
    pub(super) fn stderr(&self, text: &str) {
        match self {
            Output::Collect(kept) => kept.borrow_mut().1.push_str(text),
            Output::Print => {
                let _ = std::io::stderr().write_all(text.as_bytes());
            }
        }
    }

    /// The outcome with what was kept put before its own text.
    pub(super) fn finish(self, outcome: Outcome) -> Outcome {
        match self {
            Output::Collect(kept) => {
                let (mut stdout, mut stderr) = kept.into_inner();
                stdout.push_str(&outcome.stdout);
                stderr.push_str(&outcome.stderr);
                Outcome {
                    exit_code: outcome.exit_code,
                    stdout,
                    stderr,
                }
            }
            Output::Print => outcome,
        }
    }
}

/// Compact JSON text on one line: whitespace outside strings dropped, everything else
/// (key order, number spelling, unknown fields) exactly as received.
pub(super) fn one_line(json: &str) -> String {
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
