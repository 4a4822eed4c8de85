//! What an entry's steps record as they go: a create about to be sent, an entry done, a
//! create known to have made nothing, and a create's unknown outcome reconciled by listing.

use super::context::{Context, Place};
use super::entries;
use super::entry::{Entry, EntryState, Route};
use super::event::Event;
pub(super) use super::failed::CreateFailed;
pub(super) use super::reconcile::Found;
use super::reconcile::find;
use crate::step::{Stop, unix_now};

/// What one entry's steps did in this run.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Did {
    pub creates: u64,
    pub uploaded_bytes: u64,
    pub reconciled: u64,
}

/// Records `entry` sending, now; returns it so.
pub(super) async fn sending(cx: &Context, mut entry: Entry) -> Result<Entry, Stop> {
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

/// Records `entry` done with what the target holds for it; in a wiki, a file is only
/// staged: it is moved under its node next.
pub(super) async fn done(cx: &Context, entry: &Entry, found: Found) -> Result<(), Stop> {
    let staged = matches!(cx.place, Place::Wiki { .. }) && entry.route != Route::Folder;
    let state = if staged {
        EntryState::Staged
    } else {
        EntryState::Done
    };
    let (id, token, url) = (entry.id, found.token.clone(), found.url);
    cx.record(move |r| {
        entries::set(
            r,
            id,
            state,
            // A part upload's progress is over with it.
            vec![
                ("token", Some(token)),
                ("url", url),
                ("reason", None),
                ("parts", None),
            ],
        )
    })
    .await?;
    if !staged {
        cx.emit(Event::Done {
            path: entry.path.clone(),
            token: found.token,
        });
    }
    Ok(())
}

/// An entry found sending: its item taken from the folder's listing if its create made
/// one, else it goes back a step to be sent again. `None`: done.
pub(super) async fn reconcile(
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

/// Records that `entry`'s last create is known to have made nothing (the server refused
/// it, or its task failed), so a retry sends it without listing first.
pub(super) async fn nothing_sent(cx: &Context, entry: &Entry) -> Result<(), Stop> {
    let (id, state) = (entry.id, entry.state);
    cx.record(move |r| entries::set(r, id, state, vec![("sent_at", None), ("ticket", None)]))
        .await
}

/// A create's failure. Refused, it made nothing: a retry sends it again at once. Otherwise
/// what it made is looked for at once (the reply may have been lost after the server
/// acted); found, the entry is done; not found, it stays sending (failed or not), so the
/// next attempt looks again before sending.
pub(super) async fn after_failed_create(
    cx: &Context,
    folder: &str,
    entry: &Entry,
    failed: CreateFailed,
    did: &mut Did,
) -> Result<(), Stop> {
    if !failed.may_have_acted {
        nothing_sent(cx, entry).await?;
        return Err(Stop::with(failed.severity, failed.error));
    }
    match find(cx, folder, entry).await {
        Ok(Some(found)) => {
            did.reconciled += 1;
            done(cx, entry, found).await
        }
        _ => Err(Stop::with(failed.severity, failed.error)),
    }
}
