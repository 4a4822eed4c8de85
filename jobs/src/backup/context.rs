//! What the steps of a run share ([`Context`]: the client, the record, where files go, the
//! progress callback) and how a step fails ([`Stop`]).

use super::event::Event;
use super::formats::Formats;
use crate::record::{Record, RecordError, Source, State};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use taskapi::feishu::{FeishuClient, FeishuCommonError};
use taskapi::runtime::{EndpointError, Failure, PageError, with_causes};

/// What [`Backup::on_event`](super::Backup::on_event) calls.
pub(super) type Report = Arc<dyn Fn(&Event) + Send + Sync>;

/// What the steps of a run share.
pub(super) struct Context {
    pub(super) client: FeishuClient,
    pub(super) source: Source,
    pub(super) dir: PathBuf,
    pub(super) formats: Formats,
    pub(super) record: Arc<Record>,
    pub(super) on_event: Option<Report>,
    pub(super) export_wait: Duration,
    pub(super) poll_delay: Duration,
}

impl Context {
    pub(super) fn emit(&self, event: Event) {
        if let Some(report) = &self.on_event {
            report(&event);
        }
    }

    /// Runs `op` on the record off the async threads (a commit waits for the disk).
    pub(super) async fn record<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Record) -> Result<T, RecordError> + Send + 'static,
    ) -> Result<T, Stop> {
        let record = Arc::clone(&self.record);
        blocking(move || op(&record)).await.map_err(Stop::Record)
    }

    /// Where `id`'s file is completed: named by a hash of the id, never by the server.
    pub(super) fn temp_file(&self, id: &str) -> PathBuf {
        use sha2::{Digest, Sha256};
        let hash = Sha256::digest(id.as_bytes());
        let name: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.record.temp_dir().join(name)
    }

    /// Removes what a killed run left in the temporary folder, except the complete files
    /// of fetched items, which are moved into place next.
    pub(super) async fn clear_temp(&self) -> Result<(), Stop> {
        let keep: Vec<PathBuf> = self
            .record(|r| r.ids_in(State::Fetched))
            .await?
            .iter()
            .map(|id| self.temp_file(id))
            .collect();
        let temp = self.record.temp_dir();
        blocking(move || clear_dir(&temp, &keep))
            .await
            .map_err(|e| Stop::Local(format!("cannot clear the temporary folder: {e}")))
    }
}

fn clear_dir(dir: &Path, keep: &[PathBuf]) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !keep.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

pub(super) async fn blocking<T: Send + 'static, E: Send + 'static>(
    op: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    match tokio::task::spawn_blocking(op).await {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Seconds since the Unix epoch.
pub(super) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How a step failed: the item alone, or the run.
#[derive(Debug)]
pub(super) enum Stop {
    /// This item (or folder) failed after its retries; the run goes on.
    Item(String),
    /// The app cannot go on: credentials, permissions, quota (a provider-wide code).
    Api(Box<dyn std::error::Error + Send + Sync>),
    /// The provider cannot be reached.
    Network(Box<dyn std::error::Error + Send + Sync>),
    /// The disk refused a write.
    Local(String),
    /// The record refused a write.
    Record(RecordError),
}

impl Stop {
    /// An endpoint's error: provider-wide codes (but throttling) and token failures stop
    /// the run, transport failures too; any other is the item's.
    pub(super) fn from_error<E: EndpointError>(error: E) -> Stop {
        match error.failure() {
            Failure::Api(api)
                if FeishuCommonError::from_code(api.code())
                    .is_some_and(|c| c != FeishuCommonError::RateLimited) =>
            {
                Stop::Api(Box::new(error))
            }
            Failure::Token(_) => Stop::Api(Box::new(error)),
            Failure::Transport(_) => Stop::Network(Box::new(error)),
            Failure::Output(e) => Stop::Local(with_causes(e)),
            _ => Stop::Item(with_causes(&error)),
        }
    }

    /// A listing's error: its failed page's, or a cursor that cannot be followed (the
    /// folder's).
    pub(super) fn from_page<E: EndpointError>(error: PageError<E>) -> Stop {
        match error {
            PageError::Call { error, .. } => Stop::from_error(error),
            other => Stop::Item(other.to_string()),
        }
    }
}
