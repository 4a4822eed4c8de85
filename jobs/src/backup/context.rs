//! What the steps of a run share ([`Context`]: the client, the record, where files go, the
//! progress callback).

use super::event::Event;
use super::formats::Formats;
use crate::record::{Record, RecordError, Remote, State};
use crate::step::{Stop, blocking};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use taskapi::feishu::FeishuClient;

/// What [`Backup::on_event`](super::Backup::on_event) calls.
pub(super) type Report = Arc<dyn Fn(&Event) + Send + Sync>;

/// What the steps of a run share.
pub(super) struct Context {
    pub(super) client: FeishuClient,
    pub(super) source: Remote,
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
