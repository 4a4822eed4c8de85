//! A workflow's own subcommand when it uploads first (a spec's `starts.before`): the file
//! of `--file PATH` is uploaded and the start request takes what the upload's reply gives;
//! with `--wait` the task is waited for (and with `--output`, its file fetched), else the
//! start reply is printed, as a start endpoint's subcommand does.

use super::call::Call;
use super::outcome::{EXIT_OK, EXIT_TRANSPORT, Outcome};
use super::transfer::{Target, fetched_outcome, finished_outcome, plain, target};
use crate::EndpointError;
use crate::waiter::Pollable;
use crate::workflow::{FeedsDownload, StartsAfterUpload, UploadThen, UploadThenError, widen};
use serde::Serialize;

/// What the error line says before the upload's error.
const UPLOAD_FAILED: &str = "uploading the file failed, so nothing was started";

impl Call<'_> {
    /// Without `--wait`: uploads the file and starts the task, printing the start reply.
    pub async fn upload_then_start<S>(&self, workflow: UploadThen<'_, S>) -> Outcome
    where
        S: StartsAfterUpload,
        S::Started: Serialize,
    {
        match workflow.start_only().await {
            Ok(done) => Outcome::data(&done.then, None, EXIT_OK, String::new()),
            Err(error) => {
                self.upload_then_failure(error, |e| Outcome::failure(&e, |p| self.flag(p)))
            }
        }
    }

    /// With `--wait`: uploads, starts and waits, printing the final poll data (or the start
    /// reply, when the work was done at once).
    pub async fn upload_then_wait<S>(&self, workflow: UploadThen<'_, S>) -> Outcome
    where
        S: StartsAfterUpload,
        S::Started: Serialize,
        <S::Poll as Pollable>::Data: Serialize,
    {
        match workflow.map_workflow(|w| self.configure(w)).run().await {
            Ok(done) => finished_outcome::<S>(done.then),
            // No download in this chain: its error type stands in for the download's.
            Err(error) => self
                .upload_then_failure(error, |e| self.workflow_failure(widen::<_, _, S::Error>(e))),
        }
    }

    /// With `--wait --output`: uploads, starts, waits and writes the task's file, printing
    /// `{"path", "bytes", "data"}`.
    pub async fn upload_then_fetch<S>(&self, workflow: UploadThen<'_, S>) -> Outcome
    where
        S: StartsAfterUpload,
        S::Poll: FeedsDownload,
        <S::Poll as Pollable>::Data: Serialize,
    {
        let Some(output) = self.output() else {
            return Outcome::usage("--output is required: a path, a folder, or - for stdout");
        };
        let workflow = workflow.map_workflow(|w| self.configure(w));
        let result = match target(output) {
            Target::Stdout => {
                let mut stdout = tokio::io::stdout();
                workflow.to_writer(&mut stdout).await
            }
            Target::Dir(dir) => workflow.to_dir(dir).await,
            Target::File(path) => workflow.to_file(path).await,
        };
        match fetched_outcome(output, result.map(|done| done.then)) {
            Ok(outcome) => outcome,
            Err(error) => self.upload_then_failure(error, |e| self.workflow_failure(e)),
        }
    }

    /// The upload's error with its exit code (an over-large file: 2, naming `--file`), the
    /// error line saying that nothing was started; what followed as `then` reports it.
    fn upload_then_failure<UE: EndpointError, TE>(
        &self,
        error: UploadThenError<UE, TE>,
        then: impl FnOnce(TE) -> Outcome,
    ) -> Outcome {
        match error {
            UploadThenError::Upload(e) => {
                Outcome::failure(&e, |param| self.flag(param)).in_step(UPLOAD_FAILED)
            }
            UploadThenError::NotFed { upload, field } => plain(
                EXIT_TRANSPORT,
                &UploadThenError::<UE, String>::NotFed { upload, field },
            ),
            UploadThenError::Then(e) => then(e),
        }
    }
}
