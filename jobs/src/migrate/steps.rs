//! One entry taken to its end, a recorded step at a time: a folder created, a file
//! uploaded as it is, or a file uploaded as a source, imported, and its task waited for.
//! Every create is recorded as sending first; an entry found sending is reconciled
//! (`reconcile.rs`) before anything is sent again.

use super::context::Context;
use super::entries;
use super::entry::{Entry, EntryState, Route};
use super::event::Event;
use super::reconcile::{Found, find};
use crate::step::{Severity, Stop, unix_now};
use crate::upload::{ImportAs, UploadError, upload_file_with, upload_import_source};
use taskapi::feishu::{ImportDocumentType, ImportJobStatus, ImportMountType, ImportPoint};
use taskapi::runtime::{WaitError, WaitOutcome, with_causes};

/// Times an import's source is uploaded again after the server lost it (121, expired).
const MAX_REUPLOADS: i64 = 2;

/// What one entry's steps did in this run.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Did {
    pub creates: u64,
    pub uploaded_bytes: u64,
    pub reconciled: u64,
}

/// Takes `entry` (whose folder is `folder`) to done, failed or skipped. An item's own
/// failure is recorded and not returned; what stops the run is.
pub(super) async fn finish(cx: &Context, folder: &str, entry: Entry) -> Result<Did, Stop> {
    let mut did = Did::default();
    let (id, path) = (entry.id, entry.path.clone());
    match advance(cx, folder, entry, &mut did).await {
        Err(Stop::Item(error)) => {
            let reason = error.clone();
            cx.record(move |r| {
                entries::set(r, id, EntryState::Failed, vec![("reason", Some(reason))])
            })
            .await?;
            cx.emit(Event::Failed { path, error });
            Ok(did)
        }
        other => other.map(|()| did),
    }
}

async fn advance(cx: &Context, folder: &str, mut entry: Entry, did: &mut Did) -> Result<(), Stop> {
    loop {
        entry = match entry.state {
            EntryState::Sending => match reconcile(cx, folder, &entry, did).await? {
                Some(next) => next,
                None => return Ok(()),
            },
            EntryState::Found if entry.route == Route::Folder => {
                create_folder(cx, folder, entry, did).await?;
                return Ok(());
            }
            EntryState::Found if entry.route == Route::File => {
                upload_plain(cx, folder, entry, did).await?;
                return Ok(());
            }
            EntryState::Found => upload_source(cx, entry, did).await?,
            EntryState::Uploaded => start_import(cx, folder, entry, did).await?,
            EntryState::Importing => match wait_import(cx, folder, &entry, did).await? {
                Some(next) => next,
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
    }
}

/// Records `entry` sending, now; returns it so.
async fn sending(cx: &Context, mut entry: Entry) -> Result<Entry, Stop> {
    let now = unix_now();
    let id = entry.id;
    cx.record(move |r| {
        entries::set(
            r,
            id,
            EntryState::Sending,
            vec![("sent_at", Some(now.to_string()))],
        )
    })
    .await?;
    entry.state = EntryState::Sending;
    entry.sent_at = Some(now);
    Ok(entry)
}

/// Records `entry` done with what the target holds for it.
async fn done(cx: &Context, entry: &Entry, found: Found) -> Result<(), Stop> {
    let (id, token, url) = (entry.id, found.token.clone(), found.url);
    cx.record(move |r| {
        entries::set(
            r,
            id,
            EntryState::Done,
            vec![("token", Some(token)), ("url", url), ("reason", None)],
        )
    })
    .await?;
    cx.emit(Event::Done {
        path: entry.path.clone(),
        token: found.token,
    });
    Ok(())
}

/// An entry found sending: its item taken from the folder's listing if its create made
/// one, else it goes back a step to be sent again. `None`: done.
async fn reconcile(
    cx: &Context,
    folder: &str,
    entry: &Entry,
    did: &mut Did,
) -> Result<Option<Entry>, Stop> {
    if let Some(found) = find(cx, folder, entry).await? {
        did.reconciled += 1;
        cx.emit(Event::Reconciled {
            path: entry.path.clone(),
            found: true,
        });
        done(cx, entry, found).await?;
        return Ok(None);
    }
    cx.emit(Event::Reconciled {
        path: entry.path.clone(),
        found: false,
    });
    let back = if entry.route == Route::Import && entry.source_token.is_some() {
        EntryState::Uploaded
    } else {
        EntryState::Found
    };
    let id = entry.id;
    cx.record(move |r| entries::set(r, id, back, vec![("sent_at", None)]))
        .await?;
    let mut entry = entry.clone();
    entry.state = back;
    entry.sent_at = None;
    Ok(Some(entry))
}

/// A create's failure: what it made is looked for at once (the server may have acted
/// before the reply was lost); found, the entry is done; else the failure stands.
async fn after_failed_create(
    cx: &Context,
    folder: &str,
    entry: &Entry,
    severity: Severity,
    error: impl std::error::Error + Send + Sync + 'static,
    did: &mut Did,
) -> Result<(), Stop> {
    if severity != Severity::Network {
        // The server answered: it refused, and made nothing.
        return Err(Stop::with(severity, error));
    }
    match find(cx, folder, entry).await {
        Ok(Some(found)) => {
            did.reconciled += 1;
            done(cx, entry, found).await
        }
        // Still unknown: the entry stays sending, and the next run looks again.
        _ => Err(Stop::with(severity, error)),
    }
}

async fn create_folder(
    cx: &Context,
    folder: &str,
    entry: Entry,
    did: &mut Did,
) -> Result<(), Stop> {
    let entry = sending(cx, entry).await?;
    did.creates += 1;
    match cx
        .client
        .create_folder(entry.name.as_str(), folder)
        .send()
        .await
    {
        Ok(reply) => match reply.token.filter(|t| !t.is_empty()) {
            Some(token) => {
                done(
                    cx,
                    &entry,
                    Found {
                        token,
                        url: reply.url,
                    },
                )
                .await
            }
            None => Err(Stop::Item("the folder's reply has no token".into())),
        },
        Err(e) => after_failed_create(cx, folder, &entry, Severity::of(&e), e, did).await,
    }
}

async fn upload_plain(cx: &Context, folder: &str, entry: Entry, did: &mut Did) -> Result<(), Stop> {
    let local = cx.dir.join(&entry.path);
    let (id, record) = (entry.id, cx.record.clone());
    let sent_at = unix_now();
    // Recorded sending right before the request that makes the file, not before the parts.
    let before: crate::upload::BeforeCreate<'_> = Box::new(move || {
        Box::pin(async move {
            crate::step::blocking(move || {
                entries::set(
                    &record,
                    id,
                    EntryState::Sending,
                    vec![("sent_at", Some(sent_at.to_string()))],
                )
            })
            .await
            .map_err(|e| UploadError::Reply(format!("could not be recorded: {e}")))
        })
    });
    let mut sent = entry.clone();
    sent.state = EntryState::Sending;
    sent.sent_at = Some(sent_at);
    match upload_file_with(&cx.client, &local, &entry.name, folder, before).await {
        Ok(uploaded) => {
            did.creates += 1;
            did.uploaded_bytes += uploaded.bytes;
            cx.emit(Event::Uploaded {
                path: entry.path.clone(),
                bytes: uploaded.bytes,
            });
            done(
                cx,
                &sent,
                Found {
                    token: uploaded.file_token,
                    url: None,
                },
            )
            .await
        }
        Err(e @ (UploadError::Read { .. } | UploadError::Empty { .. })) => {
            Err(Stop::Item(e.describe()))
        }
        Err(e) => {
            let severity = e.severity();
            after_failed_create(cx, folder, &sent, severity, e, did).await
        }
    }
}

/// The import's source uploaded (seen by no one: lost to a crash, it is uploaded again).
async fn upload_source(cx: &Context, mut entry: Entry, did: &mut Did) -> Result<Entry, Stop> {
    let import_as = ImportAs {
        obj_type: entry.obj_type.clone().unwrap_or_default(),
        extension: entry.extension.clone().unwrap_or_default(),
    };
    let local = cx.dir.join(&entry.path);
    let file_name = local
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let uploaded = upload_import_source(&cx.client, &local, &file_name, &import_as)
        .await
        .map_err(|e| Stop::with(e.severity(), e))?;
    did.uploaded_bytes += uploaded.bytes;
    cx.emit(Event::Uploaded {
        path: entry.path.clone(),
        bytes: uploaded.bytes,
    });
    let (id, token) = (entry.id, uploaded.file_token.clone());
    cx.record(move |r| {
        entries::set(
            r,
            id,
            EntryState::Uploaded,
            vec![("source_token", Some(token))],
        )
    })
    .await?;
    entry.state = EntryState::Uploaded;
    entry.source_token = Some(uploaded.file_token);
    Ok(entry)
}

async fn start_import(
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
        Err(e) => {
            after_failed_create(cx, folder, &entry, Severity::of(&e), e, did).await?;
            entry.state = EntryState::Done;
            return Ok(entry);
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

/// An import task polled to its end. `None`: the entry is done (or failed, recorded).
async fn wait_import(
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
                // The source is gone: uploaded again, and imported from the new one.
                let (id, attempts) = (entry.id, (entry.attempts + 1).to_string());
                cx.record(move |r| {
                    entries::set(
                        r,
                        id,
                        EntryState::Found,
                        vec![
                            ("source_token", None),
                            ("ticket", None),
                            ("sent_at", None),
                            ("attempts", Some(attempts)),
                        ],
                    )
                })
                .await?;
                let mut again = entry.clone();
                again.state = EntryState::Found;
                again.attempts += 1;
                return Ok(Some(again));
            }
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
