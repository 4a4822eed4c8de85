//! An import task started from an uploaded source (recorded as sending first, its ticket
//! recorded after), then polled to its end; a source the server lost is uploaded again.

use super::context::Context;
use super::entries;
use super::entry::{Entry, EntryState};
use super::event::Event;
use super::outcome::{
    CreateFailed, Did, Found, after_failed_create, done, nothing_sent, reconcile, sending,
};
use crate::step::{Severity, Stop};
use taskapi::ErrorDetails as _;
use taskapi::feishu::{ImportDocumentType, ImportJobStatus, ImportMountType, ImportPoint};
use taskapi::runtime::{WaitError, WaitOutcome, with_causes};

/// Times an import's source is uploaded again after the server lost it (an expired source:
/// the create's 1069913, the task's 121).
const MAX_REUPLOADS: i64 = 2;

/// "import file token expired" (上传文件过期，有效期 5 分钟), from the create.
const SOURCE_EXPIRED: i64 = 1069913;

pub(super) async fn start_import(
    cx: &Context,
    folder: &str,
    entry: Entry,
    did: &mut Did,
) -> Result<Entry, Stop> {
    let mut entry = sending(cx, entry).await?;
    did.creates += 1;
    let point = ImportPoint::new(ImportMountType::CloudSpace, folder);
    let reply = cx
        .client
        .create_import_task(
            entry.extension.clone().unwrap_or_default(),
            entry.source_token.clone().unwrap_or_default(),
            ImportDocumentType::from(entry.obj_type.clone().unwrap_or_default()),
            point,
        )
        .file_name(entry.name.as_str())
        .send()
        .await;
    let ticket = match reply {
        Ok(reply) => match reply.ticket.filter(|t| !t.is_empty()) {
            Some(ticket) => ticket,
            None => return Err(Stop::Item("the import's reply has no ticket".into())),
        },
        // The source lasts 5 minutes (1069913): after a pause or a crash, it is uploaded
        // again; the create was refused, so nothing was made.
        Err(e)
            if e.api_error().and_then(|a| a.code().as_i64()) == Some(SOURCE_EXPIRED)
                && entry.attempts < MAX_REUPLOADS =>
        {
            return upload_again(cx, &entry).await;
        }
        Err(e) => {
            // Found after all: done, or in a wiki staged for its move (as recorded).
            after_failed_create(cx, folder, &entry, CreateFailed::of(e), did).await?;
            let id = entry.id;
            return cx.record(move |r| entries::get(r, id)).await;
        }
    };
    cx.emit(Event::ImportStarted {
        path: entry.path.clone(),
    });
    let (id, recorded) = (entry.id, ticket.clone());
    cx.record(move |r| {
        entries::set(
            r,
            id,
            EntryState::Importing,
            vec![("ticket", Some(recorded))],
        )
    })
    .await?;
    entry.state = EntryState::Importing;
    entry.ticket = Some(ticket);
    Ok(entry)
}

/// An import whose source the server no longer has: uploaded again (counted), then
/// imported from the new one.
async fn upload_again(cx: &Context, entry: &Entry) -> Result<Entry, Stop> {
    let (id, attempts) = (entry.id, (entry.attempts + 1).to_string());
    let cleared = ["source_token", "ticket", "sent_at"].map(|c| (c, None));
    cx.record(move |r| {
        let mut columns = cleared.to_vec();
        columns.push(("attempts", Some(attempts)));
        entries::set(r, id, EntryState::Found, columns)
    })
    .await?;
    let mut again = entry.clone();
    again.state = EntryState::Found;
    again.attempts += 1;
    again.source_token = None;
    again.ticket = None;
    again.sent_at = None;
    Ok(again)
}

/// An import task polled to its end. `None`: the entry is done (or failed, recorded).
pub(super) async fn wait_import(
    cx: &Context,
    folder: &str,
    entry: &Entry,
    did: &mut Did,
) -> Result<Option<Entry>, Stop> {
    let ticket = entry.ticket.clone().unwrap_or_default();
    let waited = cx
        .client
        .wait_import_task(ticket)
        .min_delay(cx.poll_delay)
        .max_wait(cx.import_wait)
        .await;
    let result = match waited {
        Ok(WaitOutcome::Succeeded(data)) => data.result,
        Ok(WaitOutcome::Failed {
            status, message, ..
        }) => {
            if status == Some(ImportJobStatus::UploadedFileExpired)
                && entry.attempts < MAX_REUPLOADS
            {
                return upload_again(cx, entry).await.map(Some);
            }
            // The task ended and made no document: a retry starts a new one at once.
            nothing_sent(cx, entry).await?;
            return Err(Stop::Item(import_failure(
                status.as_ref(),
                message.as_deref(),
            )));
        }
        Err(WaitError::Call(e)) => {
            // The ticket refused: what the task made is looked for, as after a lost reply.
            let severity = Severity::of(&e);
            if severity == Severity::Item {
                let mut lost = entry.clone();
                lost.state = EntryState::Sending;
                return reconcile(cx, folder, &lost, did)
                    .await
                    .and_then(|next| match next {
                        Some(_) => Err(Stop::Item(format!(
                            "the import task was lost: {}",
                            with_causes(&e)
                        ))),
                        None => Ok(None),
                    });
            }
            return Err(Stop::with(severity, e));
        }
        Err(e) => return Err(Stop::Item(format!("the import did not end: {e}"))),
        Ok(other) => {
            return Err(Stop::Item(format!(
                "the import ended unexpectedly: {other:?}"
            )));
        }
    };
    let Some(token) = result
        .as_ref()
        .and_then(|r| r.token.clone())
        .filter(|t| !t.is_empty())
    else {
        return Err(Stop::Item("the finished import names no document".into()));
    };
    let url = result.and_then(|r| r.url);
    cx.emit(Event::Imported {
        path: entry.path.clone(),
    });
    done(cx, entry, Found { token, url }).await?;
    Ok(None)
}

/// An import task's failure, with the page's meaning of its status.
fn import_failure(status: Option<&ImportJobStatus>, message: Option<&str>) -> String {
    let status = match status {
        Some(s) => format!(
            "{} ({})",
            s.value(),
            s.description().unwrap_or("a status the page does not list")
        ),
        None => "none".into(),
    };
    let message = message.map(|m| format!(": {m}")).unwrap_or_default();
    format!("the import failed with status {status}{message}")
}
