//! One entry taken to its end, a recorded step at a time: a folder created here, a file
//! uploaded as it is (`files.rs`), or uploaded as a source, imported and its task waited
//! for (`files.rs`, `imports.rs`). What each records is in `outcome.rs`; an entry found
//! sending is reconciled there before anything is sent again.

use super::context::Context;
use super::entries;
use super::entry::{Entry, EntryState, Route};
use super::event::Event;
use super::files::{upload_plain, upload_source};
use super::imports::{start_import, wait_import};
use super::outcome::{Did, Found, after_failed_create, done, reconcile, sending};
use crate::step::{Severity, Stop};

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

/// A folder created in `folder`.
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
