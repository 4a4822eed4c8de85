//! A download that arrived but could not be stored: [`OutputError`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A download could not be written where it was asked to go: the temporary file beside
/// the target could not be created, written, flushed or synced, or could not be renamed
/// onto the target; or the caller's writer failed.
///
/// Trying again does not help (a full disk, a read-only directory, a closed writer), so it
/// is never retryable. Nothing is left under the target's name: a download goes to a
/// temporary file that is renamed only once it is complete.
#[derive(Debug, Clone)]
pub struct OutputError {
    /// `None` for a download into a writer.
    path: Option<PathBuf>,
    /// Shared: errors are cloned into every report, and `io::Error` is not `Clone`.
    error: Arc<io::Error>,
    pub(super) attempts: u32,
}

impl OutputError {
    /// A failure to write the download to the file at `target` (the name the caller asked
    /// for, not the temporary file's: that one is gone by the time anyone reads this).
    pub(crate) fn file(target: &Path, error: io::Error) -> Self {
        OutputError {
            path: Some(target.to_owned()),
            error: Arc::new(error),
            attempts: 1,
        }
    }

    /// A failure of the caller's writer.
    pub(crate) fn writer(error: io::Error) -> Self {
        OutputError {
            path: None,
            error: Arc::new(error),
            attempts: 1,
        }
    }

    /// The file the download was to be written to; `None` when it went to a writer.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What the operating system (or the writer) reported.
    pub fn io_error(&self) -> &io::Error {
        &self.error
    }

    /// How many requests were sent before giving up (retries and resumptions included).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(
                f,
                "could not write the download to {}: {}",
                path.display(),
                self.error
            ),
            None => write!(
                f,
                "could not write the download to its writer: {}",
                self.error
            ),
        }
    }
}

/// The `io::Error`, so that callers can look at its kind (e.g. `StorageFull`) through the
/// standard chain.
impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn names_the_target_and_keeps_the_io_error() {
        let e = OutputError::file(
            Path::new("/x/y.pdf"),
            io::Error::new(io::ErrorKind::PermissionDenied, "denied"),
        );
        assert_eq!(
            e.to_string(),
            "could not write the download to /x/y.pdf: denied"
        );
        let source = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(
            source.map(io::Error::kind),
            Some(io::ErrorKind::PermissionDenied)
        );
        let w = OutputError::writer(io::Error::other("closed"));
        assert_eq!(
            w.to_string(),
            "could not write the download to its writer: closed"
        );
        assert_eq!(w.path(), None);
    }
}
