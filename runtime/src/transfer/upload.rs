//! An upload's content: [`UploadFile`], a file or a reader streamed as a multipart part
//! with a known length, never read whole into memory.

use crate::error::{Failed, InvalidRequest};
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
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
        }
    }

    /// Content held in memory, e.g. a small generated file; it can be sent again.
    pub fn bytes(content: impl Into<bytes::Bytes>) -> Self {
        UploadFile {
            source: Source::Bytes(content.into()),
            file_name: None,
            mime: None,
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

    /// The multipart part for one attempt, streaming the content, and its length. A file
    /// that cannot be opened, a reader already sent, or a media type that cannot be one
    /// are refused before sending: `Failed::InvalidRequest` for the parameter `file`.
    pub(crate) async fn part(&self) -> Result<(reqwest::multipart::Part, u64), Failed> {
        self.open().await.map_err(Failed::InvalidRequest)
    }

    async fn open(&self) -> Result<(reqwest::multipart::Part, u64), InvalidRequest> {
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
                (Box::pin(file), len)
            }
            Source::Bytes(content) => {
                let len = content.len() as u64;
                let part = reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::from(content.clone()),
                    len,
                )
                .file_name(self.file_name_or_default())
                .mime_str(mime)
                .map_err(|_| bad_mime())?;
                return Ok((part, len));
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
        // Bounded to the announced length: a file that grew since is not sent past it (a
        // shorter one ends the body early, which fails the request).
        let stream = tokio_util::io::ReaderStream::with_capacity(reader.take(len), READ_CHUNK);
        let body = reqwest::Body::wrap_stream(stream);
        let part = reqwest::multipart::Part::stream_with_length(body, len)
            .file_name(self.file_name_or_default())
            .mime_str(mime)
            .map_err(|_| bad_mime())?;
        Ok((part, len))
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
