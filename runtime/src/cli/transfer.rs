//! Subcommands that move files or run chains: `--file` for an upload's file part,
//! `--output` for a download (a path, or `-` for stdout), and `--wait` on a start endpoint
//! (start, wait, and with `--output` fetch the file).

use super::call::Call;
use super::outcome::{
    EXIT_OK, EXIT_OUTPUT, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_WAIT_TIMEOUT, Outcome,
};
use crate::transfer::UploadFile;
use crate::waiter::{Pollable, WaitError, WaitOutcome};
use crate::workflow::{
    FeedsDownload, FetchResult, Fetched, Finished, StartsTask, Workflow, WorkflowError, widen,
};
use crate::{Download, DownloadTarget, EndpointError, TransferOptions};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The flag naming an upload's file.
pub const FILE_FLAG: &str = "file";
/// The flag naming where a download goes.
pub const OUTPUT_FLAG: &str = "output";

/// `--output -`: the file goes to stdout, and the summary line to stderr.
const STDOUT: &str = "-";

impl Call<'_> {
    /// The upload's file part from `--file PATH` (opened when sent, streamed).
    pub fn upload_file(&self) -> Result<UploadFile, Outcome> {
        self.upload_path().map(UploadFile::path)
    }

    /// `--file PATH`, checked to be a file: what a workflow that uploads first takes.
    pub fn upload_path(&self) -> Result<PathBuf, Outcome> {
        let path = self
            .args
            .get_one::<String>(FILE_FLAG)
            .ok_or_else(|| Outcome::usage("--file is required: the file to upload"))?;
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Ok(PathBuf::from(path)),
            Ok(_) => Err(Outcome::usage(format!("--file {path}: not a file"))),
            Err(e) => Err(Outcome::usage(format!("--file {path}: {e}"))),
        }
    }

    /// Where `--output` sends a download, if given.
    pub fn output(&self) -> Option<&str> {
        self.args.get_one::<String>(OUTPUT_FLAG).map(String::as_str)
    }

    /// Runs a download endpoint into `--output`, printing `{"path", "bytes"}`.
    pub async fn download<D: Download>(&self, request: D) -> Outcome {
        let Some(output) = self.output() else {
            return Outcome::usage("--output is required: a path, a folder, or - for stdout");
        };
        let transfer = TransferOptions::default();
        let result = match target(output) {
            Target::Stdout => {
                let mut stdout = tokio::io::stdout();
                request
                    .fetch(DownloadTarget::Writer(&mut stdout), transfer)
                    .await
            }
            Target::Dir(dir) => {
                let target = DownloadTarget::Dir(dir.to_owned());
                request.fetch(target, transfer).await
            }
            Target::File(path) => {
                let target = DownloadTarget::Path(path.to_owned());
                request.fetch(target, transfer).await
            }
        };
        match result {
            Ok(downloaded) => {
                let path = downloaded.path.map(|p| p.display().to_string());
                summary(
                    path.as_deref().unwrap_or(output),
                    downloaded.bytes,
                    None::<&()>,
                )
            }
            Err(error) => Outcome::failure(&error, |param| self.flag(param)),
        }
    }

    /// Runs a start endpoint with `--wait`: starts the task and waits for it, printing the
    /// final poll data (or the start reply, when the work was done at once).
    pub async fn workflow<S: StartsTask>(&self, workflow: Workflow<'_, S>) -> Outcome
    where
        S::Started: Serialize,
        <S::Poll as Pollable>::Data: Serialize,
    {
        match self.configure(workflow).run().await {
            Ok(finished) => finished_outcome::<S>(finished),
            // No download in this chain: its error type stands in for the download's.
            Err(error) => self.workflow_failure(widen::<_, _, S::Error>(error)),
        }
    }

    /// Runs a start endpoint with `--wait --output`: starts, waits, and writes the file,
    /// printing `{"path", "bytes", "data"}` (`data`: the final poll data).
    pub async fn fetch<S>(&self, workflow: Workflow<'_, S>) -> Outcome
    where
        S: StartsTask,
        S::Poll: FeedsDownload,
        <S::Poll as Pollable>::Data: Serialize,
    {
        let Some(output) = self.output() else {
            return Outcome::usage("--output is required: a path, a folder, or - for stdout");
        };
        let workflow = self.configure(workflow);
        fetched_outcome(output, self.fetch_into(workflow, output).await)
            .unwrap_or_else(|error| self.workflow_failure(error))
    }

    /// Starts, waits, and writes the file where `output` says.
    async fn fetch_into<S>(&self, workflow: Workflow<'_, S>, output: &str) -> FetchResult<S>
    where
        S: StartsTask,
        S::Poll: FeedsDownload,
    {
        match target(output) {
            Target::Stdout => {
                let mut stdout = tokio::io::stdout();
                workflow.to_writer(&mut stdout).await
            }
            Target::Dir(dir) => workflow.to_dir(dir).await,
            Target::File(path) => workflow.to_file(path).await,
        }
    }

    /// The wait flags and the terminal progress line, on a workflow.
    pub(super) fn configure<'w, S: StartsTask + 'w>(
        &self,
        mut workflow: Workflow<'w, S>,
    ) -> Workflow<'w, S> {
        if let Some(delay) = self.wait.min_delay {
            workflow = workflow.min_delay(delay);
        }
        if let Some(delay) = self.wait.max_delay {
            workflow = workflow.max_delay(delay);
        }
        if let Some(wait) = self.wait.max_wait {
            workflow = workflow.max_wait(wait);
        }
        if super::call::progress_on_terminal() {
            workflow = workflow.on_progress(super::call::print_progress);
        }
        workflow
    }

    pub(super) fn workflow_failure<SE, PE, DE>(&self, error: WorkflowError<SE, PE, DE>) -> Outcome
    where
        SE: EndpointError,
        PE: EndpointError,
        DE: EndpointError,
    {
        let flag = |param: &str| self.flag(param);
        match error {
            WorkflowError::Start(e) => Outcome::failure(&e, flag),
            WorkflowError::Wait(WaitError::Call(e)) => Outcome::failure(&e, flag),
            WorkflowError::Download(e) => Outcome::failure(&e, flag),
            WorkflowError::TaskFailed { .. } => plain(EXIT_TASK_FAILED, &error),
            WorkflowError::Wait(WaitError::TimedOut { .. }) => plain(EXIT_WAIT_TIMEOUT, &error),
            _ => plain(EXIT_TRANSPORT, &error),
        }
    }
}

/// What a workflow that waited prints: the final poll data (exit 0, or 5 for a task that
/// failed), or the start reply when the work was done at once.
pub(super) fn finished_outcome<S: StartsTask>(
    finished: Finished<S::Started, <S::Poll as Pollable>::Data, <S::Poll as Pollable>::Status>,
) -> Outcome
where
    S::Started: Serialize,
    <S::Poll as Pollable>::Data: Serialize,
{
    match finished.task {
        None => Outcome::data(&finished.started, None, EXIT_OK, String::new()),
        Some(WaitOutcome::Succeeded(data)) => Outcome::data(&data, None, EXIT_OK, String::new()),
        Some(WaitOutcome::Failed {
            status,
            message,
            data,
        }) => Outcome::data(
            &data,
            None,
            EXIT_TASK_FAILED,
            format!(
                "error: {}\n",
                WorkflowError::<String, String, String>::TaskFailed {
                    status: status.map_or_else(|| "none".to_owned(), |s| format!("{s:?}")),
                    message,
                }
            ),
        ),
    }
}

/// What a workflow that fetched prints: `{"path", "bytes", "data"}`; its error handed back.
pub(super) fn fetched_outcome<S, D, E>(
    output: &str,
    result: Result<Fetched<S, D>, E>,
) -> Result<Outcome, E>
where
    D: Serialize,
{
    result.map(
        |Fetched {
             task, bytes, path, ..
         }| {
            let path = path.map(|p| p.display().to_string());
            summary(path.as_deref().unwrap_or(output), bytes, Some(&task))
        },
    )
}

/// What `--output` names.
pub(super) enum Target<'a> {
    /// `-`.
    Stdout,
    /// An existing folder: the file goes in it under the server's name, made safe.
    Dir(&'a Path),
    /// Anything else: the file's path.
    File(&'a Path),
}

pub(super) fn target(output: &str) -> Target<'_> {
    let path = Path::new(output);
    if output == STDOUT {
        Target::Stdout
    } else if path.is_dir() {
        Target::Dir(path)
    } else {
        Target::File(path)
    }
}

pub(super) fn plain(exit_code: i32, error: &dyn std::fmt::Display) -> Outcome {
    Outcome {
        exit_code,
        stdout: String::new(),
        stderr: format!("error: {error}\n"),
    }
}

/// `{"path", "bytes"[, "data"]}` on stdout, or on stderr when the file itself went to stdout.
fn summary<T: Serialize>(output: &str, bytes: u64, data: Option<&T>) -> Outcome {
    let mut line = serde_json::json!({"path": output, "bytes": bytes});
    if let Some(data) = data {
        line["data"] = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
    }
    let line = line.to_string() + "\n";
    if output == STDOUT {
        // The file is on stdout: flush it, and keep the summary out of it.
        if std::io::stdout().flush().is_err() {
            return plain(EXIT_OUTPUT, &"stdout could not be written");
        }
        Outcome {
            exit_code: EXIT_OK,
            stdout: String::new(),
            stderr: line,
        }
    } else {
        Outcome {
            exit_code: EXIT_OK,
            stdout: line,
            stderr: String::new(),
        }
    }
}
