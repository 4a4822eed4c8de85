//! [`UploadError`], why an upload failed, and [`Uploaded`], what it made.

use crate::step::{Severity, may_have_acted};
use taskapi::ErrorDetails as _;
use taskapi::runtime::{EndpointError, with_causes};

/// Why an upload failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The local file could not be read.
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A call failed: which step, and its error.
    Call {
        /// `upload`, `prepare`, `part N` or `finish`.
        step: String,
        /// Whether the provider answered with an error code (else: no usable reply).
        api: bool,
        /// What it means for a job.
        severity: Severity,
        /// Whether the server may have acted on it anyway ([`may_have_acted`]).
        may_have_acted: bool,
        /// The endpoint's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A reply lacked what the next step needs (an upload id, a block size, a file token).
    Reply(String),
    /// The file is empty: Drive takes no empty file.
    Empty {
        /// The file.
        path: std::path::PathBuf,
    },
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadError::Read { path, .. } => write!(f, "cannot read {}", path.display()),
            UploadError::Call { step, .. } => write!(f, "the upload's {step} failed"),
            UploadError::Reply(what) => write!(f, "the upload's reply {what}"),
            UploadError::Empty { path } => {
                write!(
                    f,
                    "{} is empty, and Drive takes no empty file",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Read { source, .. } => Some(source),
            UploadError::Call { source, .. } => Some(source.as_ref()),
            UploadError::Reply(_) | UploadError::Empty { .. } => None,
        }
    }
}

impl UploadError {
    /// A failed call of `step`.
    pub(super) fn call<E: EndpointError>(step: impl Into<String>, error: E) -> Self {
        UploadError::Call {
            step: step.into(),
            api: error.api_error().is_some(),
            severity: Severity::of(&error),
            may_have_acted: may_have_acted(&error),
            source: Box::new(error),
        }
    }

    /// What it means for a job: a call's failure as [`Severity::of`] says; the local file
    /// unreadable, or a reply lacking a token, the item's.
    pub fn severity(&self) -> Severity {
        match self {
            UploadError::Call { severity, .. } => *severity,
            _ => Severity::Item,
        }
    }

    /// Whether the server may have acted on the failed call (for the request that makes
    /// the file: whether the file may exist); `false` for a failure before any call.
    pub fn may_have_acted(&self) -> bool {
        matches!(
            self,
            UploadError::Call {
                may_have_acted: true,
                ..
            }
        )
    }

    /// The error and its causes, one line.
    pub fn describe(&self) -> String {
        with_causes(self)
    }
}

/// What an upload made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The new file's token.
    pub file_token: String,
    /// Its size.
    pub bytes: u64,
    /// Parts sent; 0 for one request.
    pub parts: u64,
}
