//! What a run measured, part by part: filled in by `run.rs`, read by `report/`.

use crate::{
    backup, batch, cli_start, client, compile, download, generation, lists, pages, shared,
};
use crate::{tokens, upload, waiting};

/// Everything measured, for the report: `None` for a part `--only` left out.
#[derive(Default)]
pub struct Results {
    pub generation: Option<Vec<generation::SetResult>>,
    pub compile: Option<Vec<compile::CheckResult>>,
    pub client: Option<client::Result>,
    pub cli: Option<cli_start::Result>,
    pub download: Option<download::Result>,
    pub tokens: Option<tokens::Result>,
    pub waiting: Option<Vec<waiting::JobResult>>,
    pub batch: Option<batch::Result>,
    pub pages: Option<pages::Result>,
    pub lists: Option<lists::Result>,
    pub backup: Option<backup::Result>,
    pub upload: Option<upload::Result>,
    pub shared: Option<shared::Result>,
    pub shared_sim: Option<shared::SimResult>,
}
