//! One entry taken to its end, a recorded step at a time: a folder created here, a file
//! uploaded as it is (`files.rs`), or uploaded as a source, imported and its task waited
//! for (`files.rs`, `imports.rs`). What each records is in `outcome.rs`; an entry found
//! sending is reconciled there before anything is sent again.

use super::context::{Context, Place};
use super::entries;
use super::entry::{Entry, EntryState, Route};
use super::event::Event;
use super::files::{upload_plain, upload_source};
use super::imports::{start_import, wait_import};
use super::outcome::{CreateFailed, Did, Found, after_failed_create, done, reconcile, sending};
use super::wiki::{create_node, move_into_wiki};
use crate::step::Stop;

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

/// Takes `entry` a step at a time, re-reading it after each step that ends in the record
/// (a wiki's file goes on from staged to its move). `folder` is its folder's token: a
/// Drive folder, or in a wiki its directory's node (`""` at the top); files go first into
/// [`Context::drive_folder`].
async fn advance(cx: &Context, folder: &str, mut entry: Entry, did: &mut Did) -> Result<(), Stop> {
    let here = if entry.route == Route::Folder {
        folder
    } else {
        cx.drive_folder(folder)
    };
    loop {
        entry = match entry.state {
            EntryState::Sending => match reconcile(cx, here, &entry, did).await? {
                Some(next) => next,
                None => reread(cx, &entry).await?,
            },
            EntryState::Found if entry.route == Route::Folder => {
                create_folder(cx, folder, entry, did).await?;
                return Ok(());
            }
            EntryState::Found if entry.route == Route::File => {
                upload_plain(cx, here, entry.clone(), did).await?;
                reread(cx, &entry).await?
            }
            EntryState::Found => upload_source(cx, entry, did).await?,
            EntryState::Uploaded => start_import(cx, here, entry, did).await?,
            EntryState::Importing => match wait_import(cx, here, &entry, did).await? {
                Some(next) => next,
                None => reread(cx, &entry).await?,
            },
            EntryState::Staged => {
                move_into_wiki(cx, folder, &entry).await?;
                return Ok(());
            }
            _ => return Ok(()),
        };
    }
}

/// `entry` as the record has it now.
async fn reread(cx: &Context, entry: &Entry) -> Result<Entry, Stop> {
    let id = entry.id;
    cx.record(move |r| entries::get(r, id)).await
}

/// A folder created in `folder` (in a wiki: a node under the node `folder`).
async fn create_folder(
    cx: &Context,
    folder: &str,
    entry: Entry,
    did: &mut Did,
) -> Result<(), Stop> {
    let entry = sending(cx, entry).await?;
    did.creates += 1;
    let created = match &cx.place {
        Place::Drive => cx
            .client
            .create_folder(entry.name.as_str(), folder)
            .send()
            .await
            .map(|reply| (reply.token, reply.url))
            .map_err(CreateFailed::of),
        Place::Wiki { space_id, .. } => create_node(cx, space_id, folder, &entry.name)
            .await
            .map(|token| (token, None)),
    };
    match created {
        Ok((Some(token), url)) if !token.is_empty() => done(cx, &entry, Found { token, url }).await,
        Ok(_) => Err(Stop::Item("the folder's reply has no token".into())),
        Err(failed) => after_failed_create(cx, folder, &entry, failed, did).await,
    }
}
