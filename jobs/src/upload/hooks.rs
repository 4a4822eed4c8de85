//! What a job adds to an upload: a hook right before the request that makes the file, and
//! the record of a part upload's progress, so that a run killed halfway through a large
//! file continues it instead of sending it all again.

use super::error::UploadError;
use serde::{Deserialize, Serialize};
use taskapi::runtime::BoxFuture;

/// Runs right before the request that makes the file: the one request, or a part upload's
/// finish (prepare and parts make nothing anyone sees). A job that must not make a file
/// twice records there that the outcome is about to be unknown.
pub type BeforeCreate<'a> = Box<dyn FnOnce() -> BoxFuture<'a, Result<(), UploadError>> + Send + 'a>;

/// Runs after a part upload's prepare step and after each part, with how far it is.
pub type OnPart<'a> =
    Box<dyn Fn(PartsDone) -> BoxFuture<'a, Result<(), UploadError>> + Send + Sync + 'a>;

/// How far a part upload got: its id (valid 24 hours, the pages say), its blocks, and the
/// parts sent so far, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsDone {
    /// The prepare step's upload id.
    pub upload_id: String,
    /// Its block size.
    pub block: u64,
    /// Its block count.
    pub count: u64,
    /// Parts sent: the next to send is this one.
    pub sent: u64,
}

/// What a job adds to an upload; the default adds nothing.
#[derive(Default)]
#[non_exhaustive]
pub struct Hooks<'a> {
    /// Run right before the request that makes the file.
    pub before_create: Option<BeforeCreate<'a>>,
    /// A part upload of the same file begun before: continued from its next part (or
    /// begun again if the server no longer knows it).
    pub earlier: Option<PartsDone>,
    /// Told each step of a part upload, to record it.
    pub on_part: Option<OnPart<'a>>,
}

impl<'a> Hooks<'a> {
    /// Runs `before_create` right before the request that makes the file.
    pub fn before_create(mut self, hook: BeforeCreate<'a>) -> Self {
        self.before_create = Some(hook);
        self
    }

    /// Continues `earlier`, and tells `on_part` each step.
    pub fn resume(mut self, earlier: Option<PartsDone>, on_part: OnPart<'a>) -> Self {
        self.earlier = earlier;
        self.on_part = Some(on_part);
        self
    }

    pub(super) async fn part_done(&self, done: PartsDone) -> Result<(), UploadError> {
        match &self.on_part {
            Some(on_part) => on_part(done).await,
            None => Ok(()),
        }
    }
}
