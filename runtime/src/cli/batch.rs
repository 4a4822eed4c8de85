//! `--batch FILE|-` with `--wait` on a poll endpoint: the tasks of a file of parameter lines,
//! waited for by one [`BatchWaiter`], one JSON line per task on stdout as it ends.
//!
//! - Input: one JSON object per line, keyed by the parameter names of the spec (the
//!   subcommand's argument ids, e.g. `{"ticket": "...", "token": "..."}`); flags given on
//!   the command line fill in what a line does not set. Read lazily, a line at a time, when
//!   the scheduler has room for a new task: a task in memory is a pending one, and at most
//!   [`MAX_PENDING_LINES`] are pending at once, so memory stays bounded whatever the input's
//!   size (a pending line keeps its parameters and its last reply).
//! - A line that cannot be used (not JSON, not an object, an unknown or missing parameter,
//!   a value of the wrong type, over 1 MiB, not UTF-8) is reported on stderr with its number
//!   and skipped; the batch goes on. Blank lines are ignored.
//! - Output: `{"line": N, "params": {...}, "outcome": "succeeded"|"failed"|"timed_out"|"error",
//!   "data": ..., "error": "..."}` per task in the order they end (`data`: the final reply as
//!   received, for `succeeded` and `failed`; `error`: why, for the others). A progress bar
//!   on stderr when it is a terminal; a summary line on stderr at the end.
//! - Exit code, the most serious of what happened, in this order: 1 stdout not writable;
//!   4 a task could not be polled for a transport failure or an undecodable reply; 3 for an
//!   API error (its state is unknown: the answer is incomplete, which matters more than any
//!   answer); 5 a task failed; 6 a task timed out; 2 an input line was skipped or a line's
//!   parameter cannot be sent (the tasks that could be read are all accounted for, but not
//!   every line); 0 every line's task succeeded. A closed stdout (`| head`) ends the batch
//!   quietly with the code so far.

use super::args::{BATCH, MAX_IN_FLIGHT};
use super::call::{Call, progress_on_terminal, task_failed};
use super::lines::{Line, LineReader, parse_line};
use super::outcome::{
    EXIT_API, EXIT_OK, EXIT_OUTPUT, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_USAGE,
    EXIT_WAIT_TIMEOUT, Outcome, Output, one_line, with_causes,
};
use crate::{
    BatchSummary, BatchWaiter, DEFAULT_MAX_IN_FLIGHT, Pollable, TaskEnded, WaitDefaults, WaitError,
    WaitOutcome,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Lines waited for at once: the next line is read when one of them ends. Enough to keep
/// any documented rate limit busy, small enough for a few tens of MB at most.
pub(super) const MAX_PENDING_LINES: usize = 10_000;

/// A task of the batch: its line, what the line said, and its last reply as received.
struct LineTask {
    line: u64,
    params: Map<String, Value>,
    raw: Arc<Mutex<Option<String>>>,
}

/// One line of output.
#[derive(Serialize)]
struct Printed<'a> {
    line: u64,
    params: &'a Map<String, Value>,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// What the batch came to, for its exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tally {
    pub(super) succeeded: usize,
    pub(super) failed: usize,
    pub(super) timed_out: usize,
    /// Polls that failed for good, by the exit code a single call would have had.
    pub(super) api_errors: usize,
    pub(super) transport_errors: usize,
    pub(super) unsendable: usize,
    /// Input lines not used.
    pub(super) skipped: usize,
}

impl Tally {
    /// The batch's exit code (see the module docs for the order).
    pub(super) fn exit_code(&self) -> i32 {
        if self.transport_errors > 0 {
            EXIT_TRANSPORT
        } else if self.api_errors > 0 {
            EXIT_API
        } else if self.failed > 0 {
            EXIT_TASK_FAILED
        } else if self.timed_out > 0 {
            EXIT_WAIT_TIMEOUT
        } else if self.skipped > 0 || self.unsendable > 0 {
            EXIT_USAGE
        } else {
            EXIT_OK
        }
    }
}

/// Progress on stderr: a bar when it is a terminal; skipped lines printed around it.
struct Report<'a> {
    output: &'a Output,
    bar: Option<ProgressBar>,
    /// Input lines skipped so far.
    skipped: std::cell::Cell<usize>,
}

impl Report<'_> {
    /// Reports an input line that cannot be used.
    fn skip(&self, line: u64, why: &str) {
        self.skipped.set(self.skipped.get() + 1);
        self.stderr(&format!("line {line}: {why}; skipped\n"));
    }

    fn stderr(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| self.output.stderr(text)),
            None => self.output.stderr(text),
        }
    }

    fn update(&self, summary: &BatchSummary) {
        if let Some(bar) = &self.bar {
            bar.set_position(summary.ended() as u64);
            bar.set_message(summary.to_string());
        }
    }
}

impl Call<'_> {
    /// Whether `--batch` was given (a poll endpoint's subcommand).
    pub fn batching(&self) -> bool {
        self.batch_input().is_some()
    }

    fn batch_input(&self) -> Option<&String> {
        self.args.try_get_one::<String>(BATCH).ok().flatten()
    }

    /// `--batch`: waits for the task of every line of the input, each request built by
    /// `request` from the line's values as a subcommand's flags (see the module docs).
    pub async fn wait_batch<P, F>(&self, defaults: WaitDefaults, request: F) -> Outcome
    where
        P: Pollable,
        P::Data: Serialize,
        F: Fn(&Call<'_>) -> P,
    {
        let (Some(path), Some(strict)) = (self.batch_input(), self.strict) else {
            return Outcome::usage("--batch: no input given");
        };
        let input = match open_input(path).await {
            Ok(input) => input,
            Err(outcome) => return outcome,
        };
        let report = Report {
            output: self.output,
            bar: (matches!(self.output, Output::Print) && progress_on_terminal()).then(bar),
            skipped: std::cell::Cell::new(0),
        };
        let source = futures_util::stream::unfold(
            (LineReader::new(input), strict.clone()),
            |(mut reader, mut command)| {
                let (report, request) = (&report, &request);
                async move {
                    let next = self
                        .next_task(&mut reader, &mut command, strict, report, request)
                        .await?;
                    Some((next, (reader, command)))
                }
            },
        );
        let mut batch = BatchWaiter::from_stream(Box::pin(source), self.batch_settings(defaults))
            .max_in_flight(self.max_in_flight())
            .max_pending(MAX_PENDING_LINES);
        let mut tally = Tally::default();
        let mut written = Ok(());
        while let Some(ended) = batch.next().await {
            let line = self.printed(ended, &mut tally);
            written = self.output.stdout(&line);
            report.update(&batch.summary());
            if written.is_err() {
                break;
            }
        }
        drop(batch);
        tally.skipped = report.skipped.get();
        if let Some(bar) = &report.bar {
            bar.finish_and_clear();
        }
        summary(&tally, written)
    }

    /// The task of the next usable line of the input, and its request built by `request`;
    /// a line that cannot be used is reported and skipped. `None` at the end of the input,
    /// or when it cannot be read on.
    async fn next_task<P, F>(
        &self,
        reader: &mut LineReader,
        command: &mut clap::Command,
        strict: &clap::Command,
        report: &Report<'_>,
        request: &F,
    ) -> Option<(LineTask, P)>
    where
        F: Fn(&Call<'_>) -> P,
    {
        loop {
            let text = match reader.next().await {
                Ok(Some(Ok(text))) => text,
                Ok(Some(Err(why))) => {
                    report.skip(reader.number, &why);
                    continue;
                }
                Ok(None) => return None,
                Err(e) => {
                    let why = format!("cannot read on: {e}");
                    report.skip(reader.number + 1, &why);
                    return None;
                }
            };
            let (params, matches) = match parse_line(&text, command, self.args) {
                Line::Blank => continue,
                Line::Bad(why) => {
                    report.skip(reader.number, &why);
                    continue;
                }
                Line::Task(params, matches) => (params, matches),
            };
            let call = self.for_line(&matches, strict);
            let built = request(&call);
            let task = LineTask {
                line: reader.number,
                params,
                raw: Arc::clone(&call.raw),
            };
            return Some((task, built));
        }
    }

    /// The waiter's settings: the subcommand's defaults, overridden by the flags given.
    fn batch_settings(&self, defaults: WaitDefaults) -> WaitDefaults {
        let mut settings = defaults;
        settings.min_delay = self.wait.min_delay.unwrap_or(settings.min_delay);
        settings.max_delay = self.wait.max_delay.unwrap_or(settings.max_delay);
        settings.max_wait = self.wait.max_wait.unwrap_or(settings.max_wait);
        settings
    }

    /// `--max-in-flight`, else the default.
    fn max_in_flight(&self) -> usize {
        self.args
            .try_get_one::<u64>(MAX_IN_FLIGHT)
            .ok()
            .flatten()
            .map_or(DEFAULT_MAX_IN_FLIGHT, |n| {
                usize::try_from(*n).unwrap_or(usize::MAX)
            })
    }

    /// The call a line makes: this one's client settings, the line's flags.
    fn for_line<'l>(
        &'l self,
        matches: &'l clap::ArgMatches,
        strict: &'l clap::Command,
    ) -> Call<'l> {
        Call {
            args: matches,
            command: strict,
            options: self.options.clone(),
            wait: self.wait,
            env: self.env,
            raw: Arc::default(),
            output: self.output,
            strict: None,
        }
    }

    /// The output line of an ended task, counted in `tally`.
    fn printed<P: Pollable>(&self, ended: TaskEnded<LineTask, P>, tally: &mut Tally) -> String
    where
        P::Data: Serialize,
    {
        let kind = ended.kind();
        let task = ended.key;
        let raw = task.raw.lock().unwrap_or_else(|p| p.into_inner()).take();
        let data = |data: &P::Data| match raw.as_deref() {
            Some(raw) => RawValue::from_string(one_line(raw)).ok(),
            None => serde_json::value::to_raw_value(data).ok(),
        };
        let (data, error) = match &ended.result {
            Ok(WaitOutcome::Succeeded(d)) => {
                tally.succeeded += 1;
                (data(d), None)
            }
            Ok(WaitOutcome::Failed {
                status,
                message,
                data: d,
            }) => {
                tally.failed += 1;
                (
                    data(d),
                    Some(task_failed(status.as_ref(), message.as_deref())),
                )
            }
            Err(timed_out @ WaitError::TimedOut { .. }) => {
                tally.timed_out += 1;
                (None, Some(with_causes(timed_out)))
            }
            Err(WaitError::Call(error)) => {
                match Outcome::failure(error, |_| None).exit_code {
                    EXIT_API => tally.api_errors += 1,
                    EXIT_USAGE => tally.unsendable += 1,
                    _ => tally.transport_errors += 1,
                }
                (None, Some(with_causes(error)))
            }
        };
        let printed = Printed {
            line: task.line,
            params: &task.params,
            outcome: kind.as_str(),
            data,
            error,
        };
        // Nothing here fails to serialize (a map of JSON values, checked raw JSON, text).
        let mut line = serde_json::to_string(&printed).unwrap_or_default();
        line.push('\n');
        line
    }
}

/// The batch's input: the file at `path`, or stdin for `-`.
async fn open_input(path: &str) -> Result<Box<dyn tokio::io::AsyncBufRead + Unpin>, Outcome> {
    if path == "-" {
        return Ok(Box::new(tokio::io::BufReader::new(tokio::io::stdin())));
    }
    match tokio::fs::File::open(path).await {
        Ok(file) => Ok(Box::new(tokio::io::BufReader::new(file))),
        Err(e) => Err(Outcome::usage(format!(
            "--batch {path}: cannot read it: {e}"
        ))),
    }
}

/// The batch's outcome: its exit code and a summary line on stderr, with why stdout could
/// not be written to when it could not.
fn summary(tally: &Tally, written: std::io::Result<()>) -> Outcome {
    let mut exit_code = tally.exit_code();
    let mut stderr = format!(
        "batch: {} succeeded, {} failed, {} timed out, {} errors, {} lines skipped\n",
        tally.succeeded,
        tally.failed,
        tally.timed_out,
        tally.api_errors + tally.transport_errors + tally.unsendable,
        tally.skipped
    );
    match written {
        Ok(()) => {}
        // The reader went away (`| head`): end quietly, keeping the code.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            stderr.push_str(&format!("error: cannot write the output to stdout: {e}\n"));
            exit_code = EXIT_OUTPUT;
        }
    }
    Outcome {
        exit_code,
        stdout: String::new(),
        stderr,
    }
}

/// The progress bar: ended tasks, their rate, and the counts.
fn bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {elapsed} {pos} ended ({per_sec}): {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_serious_outcome_sets_the_exit_code() {
        let t = |f: fn(&mut Tally)| {
            let mut tally = Tally {
                succeeded: 3,
                ..Tally::default()
            };
            f(&mut tally);
            tally.exit_code()
        };
        assert_eq!(t(|_| {}), EXIT_OK);
        assert_eq!(t(|t| t.skipped = 1), EXIT_USAGE);
        assert_eq!(t(|t| t.unsendable = 1), EXIT_USAGE);
        assert_eq!(t(|t| (t.skipped, t.timed_out) = (1, 1)), EXIT_WAIT_TIMEOUT);
        assert_eq!(t(|t| (t.timed_out, t.failed) = (1, 1)), EXIT_TASK_FAILED);
        assert_eq!(t(|t| (t.failed, t.api_errors) = (1, 1)), EXIT_API);
        assert_eq!(
            t(|t| (t.api_errors, t.transport_errors) = (1, 1)),
            EXIT_TRANSPORT
        );
        assert_eq!(Tally::default().exit_code(), EXIT_OK, "an empty batch");
    }
}
