//! What a create whose outcome is unknown made, found by listing the folder it went to.
//!
//! A create (a folder, an import task, a file's last request) is recorded as sending
//! before it goes out. When its reply is lost (the process died, the connection broke),
//! the next attempt first lists the target folder: an item of the entry's name and type,
//! created since the create was sent and held by no other entry, is taken as its result.
//! An import's document appears only when its task ends, so for an import the folder is
//! watched for a while (`--reconcile-wait`) before the create is sent again.

use super::context::{Context, Place};
use super::entries;
use super::entry::{Entry, Route};
use super::wiki::nodes_under;
use crate::step::{Stop, unix_now};
use std::time::Duration;

/// Server and local clocks may differ by this much: an item created this long before the
/// create was sent may still be its result.
const CLOCK_SKEW: i64 = 300;

/// What the target holds for an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub token: String,
    pub url: Option<String>,
}

/// The entry's item in `folder`, if its create made one; an import's folder is listed
/// again, further apart, until `reconcile_wait` after the create was sent.
pub(super) async fn find(cx: &Context, folder: &str, entry: &Entry) -> Result<Option<Found>, Stop> {
    let deadline = entry.sent_at.unwrap_or(0) + cx.reconcile_wait.as_secs() as i64;
    let mut pause = Duration::from_millis(500);
    loop {
        if let Some(found) = look(cx, folder, entry).await? {
            return Ok(Some(found));
        }
        let left = deadline - unix_now();
        if entry.route != Route::Import || left <= 0 {
            return Ok(None);
        }
        tokio::time::sleep(pause.min(Duration::from_secs(left as u64))).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// One listing of `folder`, every page read (in a wiki, a directory's node is looked for
/// among the nodes under its parent's).
async fn look(cx: &Context, folder: &str, entry: &Entry) -> Result<Option<Found>, Stop> {
    if let (Place::Wiki { space_id, .. }, Route::Folder) = (&cx.place, entry.route) {
        for node in nodes_under(cx, space_id, folder).await? {
            let Some(token) = node.node_token.filter(|t| !t.is_empty()) else {
                continue;
            };
            let docx = node.obj_type.as_ref().is_some_and(|t| t.value() == "docx");
            if node.title.as_deref() != Some(entry.name.as_str()) || !docx {
                continue;
            }
            let candidate = token.clone();
            if !cx.record(move |r| entries::is_taken(r, &candidate)).await? {
                return Ok(Some(Found { token, url: None }));
            }
        }
        return Ok(None);
    }
    let since = entry.sent_at.unwrap_or(0) - CLOCK_SKEW;
    let mut items = cx.client.list_files().folder_token(folder).items();
    while let Some(item) = items.next().await {
        let item = item.map_err(Stop::from_page)?;
        let kind = item.type_.as_ref().map(|t| t.value().to_owned());
        let Some(token) = item.token.filter(|t| !t.is_empty()) else {
            continue;
        };
        if item.name.as_deref() != Some(entry.name.as_str())
            || kind.as_deref() != Some(entry.remote_kind())
        {
            continue;
        }
        // A folder of the name is the one to fill, whenever it was made; a document or
        // file must be new since the create.
        let created = item
            .created_time
            .as_deref()
            .and_then(|t| t.parse::<i64>().ok())
            .unwrap_or(0);
        if entry.route != Route::Folder && created < since {
            continue;
        }
        let candidate = token.clone();
        if cx.record(move |r| entries::is_taken(r, &candidate)).await? {
            continue;
        }
        return Ok(Some(Found {
            token,
            url: item.url,
        }));
    }
    Ok(None)
}
