//! How a job's run ends on the command line: its exit code, its summary, its error.

use crate::record::RecordError;
use crate::step::JobError;
use serde::Serialize;
use taskapi::runtime::cli::{EXIT_API, EXIT_OK, EXIT_TRANSPORT, EXIT_USAGE, Outcome};
use taskapi::runtime::with_causes;

/// Some items failed, or a folder could not be listed (or created): the rest is done.
pub const EXIT_INCOMPLETE: i32 = 5;

/// A run that ended: 0 if `complete`, else [`EXIT_INCOMPLETE`]; the summary as JSON on
/// stdout with `json`, and `line` on stderr.
pub(super) fn finished(
    complete: bool,
    summary: &impl Serialize,
    json: bool,
    line: String,
) -> Outcome {
    Outcome {
        exit_code: if complete { EXIT_OK } else { EXIT_INCOMPLETE },
        stdout: if json {
            serde_json::to_string(summary).unwrap_or_default() + "\n"
        } else {
            String::new()
        },
        stderr: line,
    }
}

/// A run of `job` that stopped: 2 when the folder is another job's (or busy), 3 when the
/// provider refused the app, 4 for the network or the disk.
pub(super) fn stopped(job: &str, error: &JobError) -> Outcome {
    let exit_code = match error {
        JobError::Record(
            RecordError::Busy { .. }
            | RecordError::OtherSource { .. }
            | RecordError::OtherSetting { .. },
        ) => EXIT_USAGE,
        JobError::Api(_) => EXIT_API,
        _ => EXIT_TRANSPORT,
    };
    // A refusal of the folder is not a stop to continue from.
    let again = if exit_code == EXIT_USAGE {
        String::new()
    } else {
        format!("{job}: stopped; run the same command again to continue\n")
    };
    Outcome {
        exit_code,
        stdout: String::new(),
        stderr: format!("error: {}\n{again}", with_causes(error)),
    }
}
