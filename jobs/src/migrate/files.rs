//! A file's bytes sent: as it is into its folder (the last request recorded as sending
//! first), or as an import's source; a part upload's progress recorded after each part, so
//! a rerun continues a large file where it stopped.

use super::context::Context;
use super::entries;
use super::entry::{Entry, EntryState};
use super::event::Event;
use super::outcome::{CreateFailed, Did, Found, after_failed_create, done};
use crate::step::{Stop, blocking, unix_now};
use crate::upload::{Hooks, ImportAs, UploadError, upload_file_with, upload_import_source_with};

/// Hooks that continue `entry`'s part upload where the record says it stopped, and record
/// each part as it goes.
fn resumable<'a>(cx: &Context, entry: &Entry) -> Hooks<'a> {
    let (id, record) = (entry.id, cx.record.clone());
    Hooks::default().resume(
        entry.parts.clone(),
        Box::new(move |done| {
            let record = record.clone();
            Box::pin(async move {
                blocking(move || entries::set_parts(&record, id, &done))
                    .await
                    .map_err(unrecorded)
            })
        }),
    )
}

/// A record write that failed inside an upload's hook.
fn unrecorded(e: crate::record::RecordError) -> UploadError {
    UploadError::Reply(format!("could not be recorded: {e}"))
}

/// A file uploaded as it is into `folder`.
pub(super) async fn upload_plain(
    cx: &Context,
    folder: &str,
    entry: Entry,
    did: &mut Did,
) -> Result<(), Stop> {
    let local = cx.dir.join(&entry.path);
    let (id, record) = (entry.id, cx.record.clone());
    let sent_at = unix_now();
    // Recorded sending right before the request that makes the file, not before the parts.
    let hooks = resumable(cx, &entry).before_create(Box::new(move || {
        Box::pin(async move {
            blocking(move || {
                entries::set(
                    &record,
                    id,
                    EntryState::Sending,
                    vec![("sent_at", Some(sent_at.to_string()))],
                )
            })
            .await
            .map_err(unrecorded)
        })
    }));
    let mut sent = entry.clone();
    sent.state = EntryState::Sending;
    sent.sent_at = Some(sent_at);
    match upload_file_with(&cx.client, &local, &entry.name, folder, hooks).await {
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
        Err(e) => after_failed_create(cx, folder, &sent, CreateFailed::upload(e), did).await,
    }
}

/// The import's source uploaded (seen by no one: lost to a crash, it is uploaded again).
pub(super) async fn upload_source(
    cx: &Context,
    mut entry: Entry,
    did: &mut Did,
) -> Result<Entry, Stop> {
    let import_as = ImportAs {
        obj_type: entry.obj_type.clone().unwrap_or_default(),
        extension: entry.extension.clone().unwrap_or_default(),
    };
    let local = cx.dir.join(&entry.path);
    let file_name = local
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hooks = resumable(cx, &entry);
    let uploaded = upload_import_source_with(&cx.client, &local, &file_name, &import_as, hooks)
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
            vec![("source_token", Some(token)), ("parts", None)],
        )
    })
    .await?;
    entry.state = EntryState::Uploaded;
    entry.source_token = Some(uploaded.file_token);
    Ok(entry)
}
