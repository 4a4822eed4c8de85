//! The streaming download loop: a body read chunk by chunk into a [`Sink`], its length
//! checked against what the reply announced and what the task reported, and a body cut
//! mid-way resumed by range (or restarted, where the sink can start again).

use super::name::disposition_file_name;
use super::pace::{Pace, TransferPolicy};
use super::target::Sink;
use crate::error::{DownloadFailed, Failed, TransportError};
use crate::future::BoxFuture;
use reqwest::header::{self, HeaderValue};
use std::time::Duration;
use tokio::time::Instant;

/// Resumptions and restarts of one download at most, together (a cut, a stall): past that
/// the connection is not going to hold, and the error is returned.
pub const MAX_RESUMPTIONS: u32 = 3;

/// Progress is reported when this many bytes came since the last report (and at the end),
/// not per chunk: bodies arrive in chunks of a few KiB.
const PROGRESS_STEP: u64 = 64 * 1024;

/// Bounds on a download, checked as it arrives (the cap on JSON replies does not apply).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadLimits {
    /// Refuse a body larger than this: at once when its announced length is, else as soon
    /// as the count passes it. `None`: no limit.
    pub max_bytes: Option<u64>,
    /// The size the task reported for the file: a body of another length is an error.
    pub expected_len: Option<u64>,
    /// The floor of the body's rate (set by the client from its transfer policy): a window
    /// under it cuts the body, which is then resumed like a broken connection.
    pub(crate) policy: TransferPolicy,
    /// When the download as a whole must be over, and the limit that set it (for the
    /// error's text); set by the client.
    pub(crate) deadline: Option<(Instant, Duration)>,
}

impl DownloadLimits {
    /// No limit, no expected length.
    pub fn new() -> Self {
        DownloadLimits::default()
    }

    /// Refuses a body larger than `bytes`.
    pub fn max_bytes(mut self, bytes: u64) -> Self {
        self.max_bytes = Some(bytes);
        self
    }

    /// Requires a body of exactly `len` bytes.
    pub fn expected_len(mut self, len: u64) -> Self {
        self.expected_len = Some(len);
        self
    }
}

/// How far a download has come, reported every 64 KiB or so and once at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransferProgress {
    /// Bytes written so far (back to 0 if the download had to start again).
    pub bytes: u64,
    /// The whole body's length, when the server announced it.
    pub total: Option<u64>,
}

/// Sends the download's request, asking for the body from this byte on (`Range: bytes=N-`
/// when N > 0), with authentication, retries and error replies handled; returns a reply
/// with a 2xx status.
pub(crate) type Fetch<'f> =
    dyn Fn(u64) -> BoxFuture<'f, Result<reqwest::Response, Failed>> + Send + Sync + 'f;

/// Called with the progress of a download.
pub(crate) type OnProgress<'p> = dyn FnMut(&TransferProgress) + Send + 'p;

/// Downloads into `sink`, returning the body's length. The sink is named by the first
/// reply (its `Content-Disposition`), and finished (for a file: synced and renamed onto its
/// target) only once the whole body is written and its length checked; on an error it is
/// left unfinished, for the caller to drop.
///
/// A body cut mid-way (a read error, an end before its announced length, or a window of
/// the policy's length that carried less than its floor) is resumed with
/// `fetch(bytes_so_far)` when the reply advertised `Accept-Ranges: bytes` and the server
/// answers 206 from that byte with the same total and entity tag; otherwise, where the
/// sink can start again, it does so from byte 0 (reusing a 200 sent instead of a 206);
/// otherwise the cut is the error. At most [`MAX_RESUMPTIONS`] times. Past the deadline
/// the download fails, whatever its progress.
pub(crate) async fn download(
    fetch: &Fetch<'_>,
    sink: &mut dyn Sink,
    limits: &DownloadLimits,
    progress: Option<&mut OnProgress<'_>>,
) -> Result<u64, DownloadFailed> {
    let mut progress = Reporter {
        callback: progress,
        last: None,
    };
    let mut reply =
        Reply::read(fetch(0).await?, 0).map_err(|e| DownloadFailed::from(Failed::Transport(e)))?;
    reply
        .admit(limits)
        .map_err(|e| DownloadFailed::from(Failed::Transport(e)))?;
    sink.name(reply.file_name.as_deref())
        .await
        .map_err(DownloadFailed::Output)?;
    let mut written = 0u64;
    // Bytes read from every reply, restarts included: what the pace is measured on.
    let mut received = 0u64;
    let mut pace = Pace::start(limits.policy, received);
    let mut resumptions = 0;
    loop {
        let cut = match next_read(&mut reply, &pace, limits.deadline).await {
            Read::Chunk(chunk) => {
                written = reply
                    .take(written, chunk.len() as u64, limits)
                    .map_err(|e| DownloadFailed::from(Failed::Transport(e)))?;
                received += chunk.len() as u64;
                sink.write(&chunk).await.map_err(DownloadFailed::Output)?;
                progress.report(written, reply.total, false);
                match pace.check(received) {
                    Ok(()) => continue,
                    Err(stalled) => {
                        TransportError::stalled(Some(reply.status), stalled.to_string())
                    }
                }
            }
            Read::End => match reply.total {
                Some(total) if written < total => {
                    TransportError::body_ended(reply.status, written, total)
                }
                _ => break,
            },
            Read::Failed(e) => TransportError::from_reqwest(e, Some(reply.status)),
            Read::WindowOver => match pace.check(received) {
                Ok(()) => continue,
                Err(stalled) => TransportError::stalled(Some(reply.status), stalled.to_string()),
            },
            Read::TimeUp(limit) => {
                let error = TransportError::transfer_time_limit(Some(reply.status), limit, written);
                return Err(Failed::Transport(error).into());
            }
        };
        if resumptions == MAX_RESUMPTIONS {
            return Err(Failed::Transport(cut).into());
        }
        resumptions += 1;
        (reply, written) = reconnect(fetch, &mut *sink, &reply, written, cut, resumptions).await?;
        reply
            .admit(limits)
            .map_err(|e| DownloadFailed::from(Failed::Transport(e)))?;
        pace = Pace::start(limits.policy, received);
    }
    if let Some(expected) = limits.expected_len
        && written != expected
    {
        let error = TransportError::length_differs(reply.status, written, false, expected);
        return Err(Failed::Transport(error).into());
    }
    sink.finish().await.map_err(DownloadFailed::Output)?;
    progress.report(written, reply.total, true);
    Ok(written)
}

/// What waiting for the body's next bytes came to.
enum Read {
    Chunk(bytes::Bytes),
    /// The body ended.
    End,
    Failed(reqwest::Error),
    /// The pace's window ended first: time to judge it.
    WindowOver,
    /// The download's deadline passed (its limit).
    TimeUp(Duration),
}

/// The body's next chunk, waiting no longer than the pace's window and the deadline.
async fn next_read(reply: &mut Reply, pace: &Pace, deadline: Option<(Instant, Duration)>) -> Read {
    let wake = match deadline {
        Some((deadline, _)) => pace.window_end().min(deadline),
        None => pace.window_end(),
    };
    match tokio::time::timeout_at(wake, reply.response.chunk()).await {
        Ok(Ok(Some(chunk))) => Read::Chunk(chunk),
        Ok(Ok(None)) => Read::End,
        Ok(Err(e)) => Read::Failed(e),
        Err(_) => match deadline {
            Some((deadline, limit)) if Instant::now() >= deadline => Read::TimeUp(limit),
            _ => Read::WindowOver,
        },
    }
}

/// After a cut at `written`: the reply to go on with and the count it goes on from.
async fn reconnect(
    fetch: &Fetch<'_>,
    sink: &mut dyn Sink,
    cut_reply: &Reply,
    written: u64,
    cut: TransportError,
    resumption: u32,
) -> Result<(Reply, u64), DownloadFailed> {
    // Nothing written yet: any writer can take the body from the start again.
    if written == 0 {
        tracing::debug!(resumption, error = %cut, "download cut before its first byte; asking again");
        return Ok((
            Reply::read(fetch(0).await?, 0)
                .map_err(|e| DownloadFailed::from(Failed::Transport(e)))?,
            0,
        ));
    }
    let refused = if cut_reply.ranges {
        tracing::debug!(resumption, offset = written, error = %cut, "download cut; resuming by range");
        let response = fetch(written).await?;
        if response.status() == reqwest::StatusCode::PARTIAL_CONTENT {
            match Reply::read(response, written).and_then(|r| r.continues(cut_reply)) {
                Ok(reply) => return Ok((reply, written)),
                Err(refused) => refused,
            }
        } else {
            // The whole body again: usable only by a sink that can start over.
            if !sink.can_restart() {
                return Err(Failed::Transport(cut).into());
            }
            tracing::debug!(
                resumption,
                "the server sent the whole body again; restarting"
            );
            sink.restart().await.map_err(DownloadFailed::Output)?;
            return Ok((
                Reply::read(response, 0).map_err(|e| DownloadFailed::from(Failed::Transport(e)))?,
                0,
            ));
        }
    } else {
        cut
    };
    if !sink.can_restart() {
        return Err(Failed::Transport(refused).into());
    }
    tracing::debug!(resumption, error = %refused, "download cut; restarting from byte 0");
    sink.restart().await.map_err(DownloadFailed::Output)?;
    let reply =
        Reply::read(fetch(0).await?, 0).map_err(|e| DownloadFailed::from(Failed::Transport(e)))?;
    Ok((reply, 0))
}

/// A reply being read, with what its headers said.
struct Reply {
    response: reqwest::Response,
    status: u16,
    /// The whole body's length: a 200's `Content-Length`, a 206's `Content-Range` total.
    total: Option<u64>,
    /// `Accept-Ranges: bytes`: a cut can be resumed.
    ranges: bool,
    /// Tells a resumed reply of the same content from one of a changed file.
    etag: Option<HeaderValue>,
    /// The file name its `Content-Disposition` gives, as sent (not yet safe as a path).
    file_name: Option<String>,
}

impl Reply {
    /// Reads the headers of a reply to a request for the body from byte `offset`.
    fn read(response: reqwest::Response, offset: u64) -> Result<Reply, TransportError> {
        let status = response.status().as_u16();
        let headers = response.headers();
        let ranges = headers
            .get_all(header::ACCEPT_RANGES)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|unit| unit.trim().eq_ignore_ascii_case("bytes"));
        let etag = headers.get(header::ETAG).cloned();
        let file_name = headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(disposition_file_name);
        let (start, total) = if status == 206 {
            headers
                .get(header::CONTENT_RANGE)
                .and_then(|v| content_range(v.to_str().ok()?))
                .ok_or_else(|| {
                    TransportError::resume_refused(
                        status,
                        "a 206 reply without a usable Content-Range",
                    )
                })?
        } else {
            (0, response.content_length())
        };
        if start != offset {
            let why = format!(
                "asked for the body from byte {offset}, the server sent it from byte {start}"
            );
            return Err(TransportError::resume_refused(status, &why));
        }
        Ok(Reply {
            response,
            status,
            total,
            ranges,
            etag,
            file_name,
        })
    }

    /// Whether this reply (to a range request) goes on with the content `before` was
    /// cutting: the same total and, where both have one, the same entity tag. A 206 shows
    /// that ranges work, whether or not it says `Accept-Ranges` again.
    fn continues(mut self, before: &Reply) -> Result<Reply, TransportError> {
        self.ranges = true;
        if self.total != before.total {
            let why = format!(
                "the length changed from {} to {}",
                shown(before.total),
                shown(self.total)
            );
            return Err(TransportError::resume_refused(self.status, &why));
        }
        if let (Some(now), Some(then)) = (&self.etag, &before.etag)
            && now != then
        {
            return Err(TransportError::resume_refused(
                self.status,
                "the content changed (another ETag)",
            ));
        }
        Ok(self)
    }

    /// Refuses a reply whose announced length passes the limit or is not the expected one,
    /// before any of its body is read.
    fn admit(&self, limits: &DownloadLimits) -> Result<(), TransportError> {
        let Some(total) = self.total else {
            return Ok(());
        };
        if let Some(max) = limits.max_bytes
            && total > max
        {
            return Err(TransportError::download_too_large(self.status, max));
        }
        match limits.expected_len {
            Some(expected) if total != expected => Err(TransportError::length_differs(
                self.status,
                total,
                true,
                expected,
            )),
            _ => Ok(()),
        }
    }

    /// The count after a chunk of `len` bytes, refused if it passes the announced length,
    /// the limit or the expected length.
    fn take(&self, written: u64, len: u64, limits: &DownloadLimits) -> Result<u64, TransportError> {
        let count = written.saturating_add(len);
        if let Some(total) = self.total
            && count > total
        {
            return Err(TransportError::body_overran(self.status, total));
        }
        if let Some(max) = limits.max_bytes
            && count > max
        {
            return Err(TransportError::download_too_large(self.status, max));
        }
        match limits.expected_len {
            Some(expected) if count > expected => Err(TransportError::length_differs(
                self.status,
                count,
                false,
                expected,
            )),
            _ => Ok(count),
        }
    }
}

fn shown(total: Option<u64>) -> String {
    total.map_or_else(|| "unknown".to_owned(), |t| t.to_string())
}

/// `bytes <first>-<last>/<total>` (total `*` when unknown): the first byte and the total.
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let (range, total) = value.trim().strip_prefix("bytes ")?.split_once('/')?;
    let (first, last) = range.trim().split_once('-')?;
    let (first, last): (u64, u64) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse::<u64>().ok()?),
    };
    let fits = first <= last && total.is_none_or(|total| last < total);
    fits.then_some((first, total))
}

/// Calls the progress callback at most every [`PROGRESS_STEP`] bytes, and at the end.
struct Reporter<'a, 'p> {
    callback: Option<&'a mut OnProgress<'p>>,
    /// The count last reported, if any was.
    last: Option<u64>,
}

impl Reporter<'_, '_> {
    fn report(&mut self, bytes: u64, total: Option<u64>, end: bool) {
        let Some(callback) = self.callback.as_mut() else {
            return;
        };
        let last = self.last.unwrap_or(0);
        // `abs_diff`: after a restart the count starts again below the last report.
        let due = match end {
            true => self.last != Some(bytes),
            false => bytes.abs_diff(last) >= PROGRESS_STEP,
        };
        if due {
            self.last = Some(bytes);
            callback(&TransferProgress { bytes, total });
        }
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            content_range("bytes 1000-1999/2000"),
            Some((1000, Some(2000)))
        );
        assert_eq!(content_range("bytes 0-0/*"), Some((0, None)));
        assert_eq!(content_range("bytes 5-4/10"), None);
        assert_eq!(content_range("bytes 5-10/10"), None);
        assert_eq!(content_range("bytes */10"), None);
        assert_eq!(content_range("items 0-1/2"), None);
    }

    #[test]
    fn progress_is_reported_per_step_and_at_the_end() {
        let mut seen = Vec::new();
        let mut record = |p: &TransferProgress| seen.push(p.bytes);
        let mut reporter = Reporter {
            callback: Some(&mut record),
            last: None,
        };
        // Chunks of 16 KiB: a report every fourth, then one at the end (once).
        for bytes in (1..=20).map(|i| i * 16 * 1024) {
            reporter.report(bytes, None, false);
        }
        reporter.report(20 * 16 * 1024, None, true);
        // The end is reported unless that very count just was.
        reporter.report(20 * 16 * 1024 + 1, None, true);
        assert_eq!(
            seen,
            [4, 8, 12, 16, 20]
                .map(|i| i * 16 * 1024)
                .into_iter()
                .chain([20 * 16 * 1024 + 1])
                .collect::<Vec<_>>()
        );
    }
}
