//! One item taken from where the record says it is to done: each step's result recorded
//! before the next step starts.

use super::context::Context;
use super::event::Event;
use super::formats::Plan;
use crate::record::{Item, State};
use crate::step::Stop;
use std::path::PathBuf;
use taskapi::feishu::{ExportDocumentType, ExportFileExtension};
use taskapi::runtime::WaitOutcome;

/// Times an export whose file is gone is started again in one run.
const MAX_RESTARTS: i64 = 1;

/// What the run counts of one item's work.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Done {
    pub(super) exports_started: u64,
    pub(super) files_saved: u64,
    pub(super) bytes_saved: u64,
}

/// Takes `item` through its states to done (or failed, recorded). `Err` only for what
/// stops the whole run.
pub(super) async fn finish(cx: &Context, mut item: Item) -> Result<Done, Stop> {
    let mut done = Done::default();
    loop {
        let step = match item.state {
            State::Listed => start(cx, &item, &mut done).await,
            State::Exporting => wait(cx, &item).await,
            State::Exported => fetch(cx, &item, true).await,
            State::Fetched => place(cx, &item, &mut done).await,
            State::Done | State::Folder | State::Skipped | State::Failed => return Ok(done),
        };
        match step {
            Ok(()) => {}
            Err(Stop::Item(error)) => {
                let (id, reason) = (item.id.clone(), error.clone());
                cx.record(move |r| r.set_failed(&id, &reason)).await?;
                cx.emit(Event::Failed {
                    id: item.id.clone(),
                    error,
                });
                return Ok(done);
            }
            Err(stop) => return Err(stop),
        }
        let id = item.id.clone();
        item = match cx.record(move |r| r.get(&id)).await? {
            Some(item) => item,
            None => return Ok(done),
        };
    }
}

/// A listed item: a plain file is fetched; a document's export is started, and its ticket
/// recorded before anything polls it.
async fn start(cx: &Context, item: &Item, done: &mut Done) -> Result<(), Stop> {
    let format = match cx.formats.plan(&item.kind) {
        Plan::Download => return fetch(cx, item, false).await,
        Plan::Export(format) => format,
        // Recorded as folders or skipped when listed; a type whose plan changed since (an
        // older record) is skipped now, never left to loop.
        Plan::Folder => return skip(cx, item, "a folder has no file".into()).await,
        Plan::Skip(reason) => return skip(cx, item, reason).await,
    };
    let reply = cx
        .client
        .create_export_task(
            ExportFileExtension::from(format),
            item.obj_token.as_str(),
            ExportDocumentType::from(item.kind.clone()),
        )
        .send()
        .await
        .map_err(Stop::from_error)?;
    let Some(ticket) = reply.ticket.filter(|t| !t.is_empty()) else {
        return Err(Stop::Item("the export's reply has no ticket".into()));
    };
    done.exports_started += 1;
    let id = item.id.clone();
    cx.record(move |r| r.set_exporting(&id, &ticket)).await?;
    cx.emit(Event::ExportStarted {
        id: item.id.clone(),
    });
    Ok(())
}

/// Recorded skipped, with why.
async fn skip(cx: &Context, item: &Item, reason: String) -> Result<(), Stop> {
    let id = item.id.clone();
    cx.record(move |r| r.set_skipped(&id, &reason)).await
}

/// An export started: polled until it ends, and its file token recorded.
async fn wait(cx: &Context, item: &Item) -> Result<(), Stop> {
    let ticket = item.ticket.clone().unwrap_or_default();
    let waited = cx
        .client
        .wait_export_task(ticket, item.obj_token.as_str())
        .min_delay(cx.poll_delay)
        .max_wait(cx.export_wait)
        .await;
    let data = match waited {
        Ok(WaitOutcome::Succeeded(data)) => data,
        Ok(WaitOutcome::Failed {
            status, message, ..
        }) => {
            let status = status.map_or_else(|| "none".to_owned(), |s| format!("{s:?}"));
            let message = message.map(|m| format!(": {m}")).unwrap_or_default();
            return Err(Stop::Item(format!(
                "the export failed with status {status}{message}"
            )));
        }
        Err(taskapi::runtime::WaitError::Call(e)) => {
            return match Stop::from_error(e) {
                // The server no longer knows the task (its ticket is refused): start it again.
                Stop::Item(error) if item.restarts < MAX_RESTARTS => {
                    restart(cx, item, format!("the export was lost ({error})")).await
                }
                stop => Err(stop),
            };
        }
        Err(e) => return Err(Stop::Item(format!("the export did not end: {e}"))),
        Ok(other) => {
            return Err(Stop::Item(format!(
                "the export ended unexpectedly: {other:?}"
            )));
        }
    };
    let Some(file_token) = data
        .result
        .and_then(|r| r.file_token)
        .filter(|t| !t.is_empty())
    else {
        return Err(Stop::Item("the finished export names no file".into()));
    };
    let id = item.id.clone();
    let now = crate::step::unix_now();
    cx.record(move |r| r.set_exported(&id, &file_token, now))
        .await?;
    cx.emit(Event::Exported {
        id: item.id.clone(),
    });
    Ok(())
}

/// The export is started again (recorded, counted against [`MAX_RESTARTS`]).
async fn restart(cx: &Context, item: &Item, reason: String) -> Result<(), Stop> {
    let id = item.id.clone();
    let reason = format!("{reason}; exported again");
    cx.record(move |r| r.restart_export(&id, &reason)).await?;
    cx.emit(Event::ExportRestarted {
        id: item.id.clone(),
    });
    Ok(())
}

/// The item's file downloaded whole into the record's temporary folder, then recorded as
/// fetched. An exported file the server no longer has (any API error: the download page
/// documents no code for it) has its export started again, once.
async fn fetch(cx: &Context, item: &Item, exported: bool) -> Result<(), Stop> {
    let temp = cx.temp_file(&item.id);
    let fetched = if exported {
        let file_token = item.file_token.clone().unwrap_or_default();
        cx.client
            .download_export_file(file_token)
            .to_file(&temp)
            .await
            .map_err(|e| {
                let answered = taskapi::ErrorDetails::api_error(&e).is_some();
                (Stop::from_error(e), answered)
            })
    } else {
        cx.client
            .download_file(item.obj_token.as_str())
            .to_file(&temp)
            .await
            .map_err(|e| (Stop::from_error(e), false))
    };
    match fetched {
        Ok(_) => {}
        Err((Stop::Item(error), true)) if item.restarts < MAX_RESTARTS => {
            return restart(cx, item, format!("the exported file was gone ({error})")).await;
        }
        Err((stop, _)) => return Err(stop),
    }
    let id = item.id.clone();
    cx.record(move |r| r.set_fetched(&id)).await
}

/// The fetched file moved onto its path (replacing an older version), the move synced,
/// then recorded done. Run again after a crash, a file already moved is not fetched again.
async fn place(cx: &Context, item: &Item, done: &mut Done) -> Result<(), Stop> {
    let Some(path) = &item.path else {
        return Err(Stop::Item("the record gives the file no path".into()));
    };
    let temp = cx.temp_file(&item.id);
    let target = cx.dir.join(path);
    let bytes = place_file(temp, target.clone())
        .await
        .map_err(|e| Stop::Local(format!("cannot put {} in place: {e}", target.display())))?;
    let (id, modified) = (item.id.clone(), item.modified.clone());
    cx.record(move |r| r.set_done(&id, bytes, modified.as_deref()))
        .await?;
    done.files_saved += 1;
    done.bytes_saved += bytes;
    cx.emit(Event::Saved {
        id: item.id.clone(),
        path: path.clone(),
        bytes,
    });
    Ok(())
}

/// Renames `temp` onto `target` and syncs the directory; when `temp` is gone, the rename
/// was done by a run that died before recording it. Returns the file's size.
async fn place_file(temp: PathBuf, target: PathBuf) -> std::io::Result<u64> {
    tokio::task::spawn_blocking(move || {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        match std::fs::rename(&temp, &target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && target.is_file() => {}
            Err(e) => return Err(e),
        }
        #[cfg(unix)]
        if let Some(parent) = target.parent() {
            std::fs::File::open(parent)?.sync_all()?;
        }
        Ok(std::fs::metadata(&target)?.len())
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)))
}
