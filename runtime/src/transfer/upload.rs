//! An upload's content: [`UploadFile`], a file or a reader streamed as a multipart part
//! with a known length, never read whole into memory; and the facts of it a form states
//! ([`FileFacts`]: its size, its checksum).

use super::pace::Meter;
use crate::error::{Failed, InvalidRequest};
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt as _};

/// How much of the content is read at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The part's media type when none is given (RFC 7578: file data of unknown type).
const DEFAULT_MIME: &str = "application/octet-stream";

/// The file name sent when none is given and the content has no path to take one from.
const DEFAULT_FILE_NAME: &str = "file";

/// The parameter named by a refused upload (the CLI's `--file`).
const PARAM: &str = "file";

type Reader = Pin<Box<dyn AsyncRead + Send>>;

/// The content of an upload, streamed from a file or a reader with a known length.
///
/// From a path, the file is opened again for every attempt, so a failed upload can be
/// retried; so can content held in memory ([`UploadFile::bytes`]). From a reader, the content can be sent once: a retry (or a second call) fails
/// with an error saying so.
pub struct UploadFile {
    source: Source,
    file_name: Option<String>,
    mime: Option<String>,
    /// The length measured when the call began ([`UploadFile::facts`]): every attempt
    /// must find the same, so that the size a form states is the size it sends.
    measured: Mutex<Option<u64>>,
}

/// What a form may state about its file, measured once per call before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileFacts {
    /// The length in bytes.
    pub(crate) len: u64,
    /// The Adler-32 checksum of the content, when asked for and the content can be read
    /// twice (not from a one-shot reader).
    pub(crate) adler32: Option<u32>,
}

enum Source {
    Path(PathBuf),
    /// Held in memory (cheap to clone): sent as often as needed.
    Bytes(bytes::Bytes),
    /// Taken by the first attempt; behind a mutex so that the upload can be sent from a
    /// shared reference (and `UploadFile` stays `Sync` for any `Send` reader).
    Reader {
        reader: Mutex<Option<Reader>>,
        len: u64,
    },
}

impl UploadFile {
    /// The file at `path`, opened (and its length read) when the upload is sent.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadFile {
            source: Source::Path(path.into()),
            file_name: None,
            mime: None,
            measured: Mutex::new(None),
        }
    }

    /// Content held in memory, e.g. a small generated file; it can be sent again.
    pub fn bytes(content: impl Into<bytes::Bytes>) -> Self {
        UploadFile {
            source: Source::Bytes(content.into()),
            file_name: None,
            mime: None,
            measured: Mutex::new(None),
        }
    }

    /// `len` bytes read from `reader` (no more are read; fewer is an error when sent). It
    /// can be sent once only: prefer [`UploadFile::path`] where retries matter.
    pub fn reader(reader: impl AsyncRead + Send + 'static, len: u64) -> Self {
        UploadFile {
            source: Source::Reader {
                reader: Mutex::new(Some(Box::pin(reader))),
                len,
            },
            file_name: None,
            mime: None,
            measured: Mutex::new(None),
        }
    }

    /// Whether it can be sent more than once (from a path: yes; from a reader: no).
    pub fn can_send_again(&self) -> bool {
        !matches!(self.source, Source::Reader { .. })
    }

    /// The file name the part carries (default: the path's file name, else `"file"`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type, e.g. `application/pdf` (default: `application/octet-stream`).
    pub fn mime(mut self, mime: impl Into<String>) -> Self {
        self.mime = Some(mime.into());
        self
    }

    /// Measures the content at the start of a call: its length (pinned: every attempt of
    /// the call must find the same) and, with `checksum`, its Adler-32 (read through once,
    /// in chunks). Nothing is sent. A file that cannot be read is refused for `param`.
    pub(crate) async fn facts(
        &self,
        param: &'static str,
        checksum: bool,
    ) -> Result<FileFacts, InvalidRequest> {
        let (len, adler32) = match &self.source {
            Source::Path(path) => {
                let refused = |e: std::io::Error| {
                    InvalidRequest::new(param, format!("cannot read {}: {e}", path.display()))
                };
                let mut file = tokio::fs::File::open(path).await.map_err(refused)?;
                let len = file.metadata().await.map_err(refused)?.len();
                let adler32 = match checksum {
                    true => Some(adler32_of(&mut file).await.map_err(refused)?),
                    false => None,
                };
                (len, adler32)
            }
            Source::Bytes(content) => (
                content.len() as u64,
                checksum.then(|| adler2::adler32_slice(content)),
            ),
            Source::Reader { len, .. } => (*len, None),
        };
        *self.measured.lock().unwrap_or_else(|p| p.into_inner()) = Some(len);
        Ok(FileFacts { len, adler32 })
    }

    /// The multipart part for one attempt, streaming the content, and the meter its bytes
    /// are counted on. A file that cannot be opened, one whose length is no longer the one
    /// measured when the call began, a reader already sent, or a media type that cannot be
    /// one are refused before sending: `Failed::InvalidRequest` for the parameter `file`.
    pub(crate) async fn part(&self) -> Result<(reqwest::multipart::Part, Arc<Meter>), Failed> {
        self.open().await.map_err(Failed::InvalidRequest)
    }

    async fn open(&self) -> Result<(reqwest::multipart::Part, Arc<Meter>), InvalidRequest> {
        let param = PARAM;
        let mime = self.mime.as_deref().unwrap_or(DEFAULT_MIME);
        // Checked on an empty part before a reader is taken: a bad media type must not
        // use up the one chance to send it.
        let bad_mime = || InvalidRequest::new(param, format!("`{mime}` is not a media type"));
        reqwest::multipart::Part::text("")
            .mime_str(mime)
            .map_err(|_| bad_mime())?;
        let (reader, len): (Reader, u64) = match &self.source {
            Source::Path(path) => {
                let refused = |e: std::io::Error| {
                    InvalidRequest::new(param, format!("cannot read {}: {e}", path.display()))
                };
                let file = tokio::fs::File::open(path).await.map_err(refused)?;
                let len = file.metadata().await.map_err(refused)?.len();
                let measured = *self.measured.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(measured) = measured
                    && measured != len
                {
                    return Err(InvalidRequest::new(
                        param,
                        format!(
                            "{} changed while being uploaded: {measured} bytes when the call \
                             began, {len} now; nothing more was sent",
                            path.display()
                        ),
                    ));
                }
                (Box::pin(file), len)
            }
            Source::Bytes(content) => {
                let len = content.len() as u64;
                (Box::pin(std::io::Cursor::new(content.clone())), len)
            }
            Source::Reader { reader, len } => {
                let taken = reader
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take();
                let reader = taken.ok_or_else(|| {
                    InvalidRequest::new(
                        param,
                        "an upload from a reader cannot be sent twice (it was read by an earlier \
                         attempt); upload from a path to allow retries",
                    )
                })?;
                (reader, *len)
            }
        };
        // Bounded to the announced length: a file that grew since is not sent past it, and
        // one that shrank fails the body (see `Metered`).
        let meter = Arc::new(Meter::new(len));
        let stream = Metered {
            inner: tokio_util::io::ReaderStream::with_capacity(reader.take(len), READ_CHUNK),
            meter: Arc::clone(&meter),
            sent: 0,
            len,
        };
        let body = reqwest::Body::wrap_stream(stream);
        let part = reqwest::multipart::Part::stream_with_length(body, len)
            .file_name(self.file_name_or_default())
            .mime_str(mime)
            .map_err(|_| bad_mime())?;
        Ok((part, meter))
    }

    fn file_name_or_default(&self) -> String {
        if let Some(name) = &self.file_name {
            return name.clone();
        }
        match &self.source {
            Source::Path(path) => Path::new(path)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned()),
            Source::Bytes(_) | Source::Reader { .. } => None,
        }
        .unwrap_or_else(|| DEFAULT_FILE_NAME.to_owned())
    }
}

/// Reads `file` through once, in chunks: its Adler-32.
async fn adler32_of(file: &mut tokio::fs::File) -> std::io::Result<u32> {
    let mut adler = adler2::Adler32::new();
    let mut buf = vec![0; READ_CHUNK];
    loop {
        let read = file.read(&mut buf).await?;
        if read == 0 {
            return Ok(adler.checksum());
        }
        adler.write_slice(&buf[..read]);
    }
}

/// An upload's content as the body streams it: each chunk counted on the meter, and a
/// content that ends before its announced length turned into an error (a short body must
/// fail the request, never reach the server as a smaller file).
struct Metered<S> {
    inner: S,
    meter: Arc<Meter>,
    sent: u64,
    len: u64,
}

impl<S> futures_core::Stream for Metered<S>
where
    S: futures_core::Stream<Item = std::io::Result<bytes::Bytes>> + Unpin,
{
    type Item = std::io::Result<bytes::Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.sent += chunk.len() as u64;
                this.meter.add(chunk.len() as u64);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if this.sent < this.len => {
                let error = std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "the file ended after {} of its {} bytes: it changed while being sent",
                        this.sent, this.len
                    ),
                );
                // Reported once; the stream ends after it.
                this.len = this.sent;
                Poll::Ready(Some(Err(error)))
            }
            other => other,
        }
    }
}

/// Names the source, never the content.
impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("UploadFile");
        match &self.source {
            Source::Path(path) => s.field("path", path),
            Source::Bytes(content) => s.field("bytes_len", &content.len()),
            Source::Reader { len, .. } => s.field("reader_len", len),
        };
        s.field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .finish()
    }
}
