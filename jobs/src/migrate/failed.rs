//! [`CreateFailed`]: a create's failure, with what it means for the run and whether the
//! server may have acted on it anyway (then what it made is looked for before a retry).

use crate::step::{Severity, may_have_acted};
use crate::upload::UploadError;
use taskapi::runtime::EndpointError;

/// A create's failure, with what it means for the run and whether the server may have
/// acted on it anyway.
pub(super) struct CreateFailed {
    pub severity: Severity,
    pub may_have_acted: bool,
    pub error: Box<dyn std::error::Error + Send + Sync>,
}

impl CreateFailed {
    /// An endpoint's error.
    pub(super) fn of<E: EndpointError>(error: E) -> Self {
        CreateFailed {
            severity: Severity::of(&error),
            may_have_acted: may_have_acted(&error),
            error: Box::new(error),
        }
    }

    /// An upload's error (its last request creates the file).
    pub(super) fn upload(error: UploadError) -> Self {
        CreateFailed {
            severity: error.severity(),
            may_have_acted: error.may_have_acted(),
            error: Box::new(error),
        }
    }
}
