//! The part upload: the file read a block at a time, each block sent as one part with its
//! checksum, a part that fails sent again alone; what was sent before stays sent.

use crate::step::Severity;
use std::path::Path;
use taskapi::ErrorDetails as _;
use taskapi::runtime::{BoxFuture, EndpointError, UploadFile, with_causes};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

/// Times one part is sent before the upload fails. The client resends a part itself only
/// when the failure proves it was not taken (a part upload creates something); these
/// attempts are for the rest (a retryable code, a reply cut short), since a part is keyed
/// by its number within its upload: sent again, it stands for the same bytes.
pub const PART_ATTEMPTS: u32 = 3;

/// Why an upload failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The local file could not be read.
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A call failed: which step, and its error.
    Call {
        /// `upload`, `prepare`, `part N` or `finish`.
        step: String,
        /// Whether the provider answered with an error code (else: no usable reply).
        api: bool,
        /// What it means for a job.
        severity: Severity,
        /// The endpoint's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A reply lacked what the next step needs (an upload id, a block size, a file token).
    Reply(String),
    /// The file is empty: Drive takes no empty file.
    Empty {
        /// The file.
        path: std::path::PathBuf,
    },
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadError::Read { path, .. } => write!(f, "cannot read {}", path.display()),
            UploadError::Call { step, .. } => write!(f, "the upload's {step} failed"),
            UploadError::Reply(what) => write!(f, "the upload's reply {what}"),
            UploadError::Empty { path } => {
                write!(
                    f,
                    "{} is empty, and Drive takes no empty file",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Read { source, .. } => Some(source),
            UploadError::Call { source, .. } => Some(source.as_ref()),
            UploadError::Reply(_) | UploadError::Empty { .. } => None,
        }
    }
}

impl UploadError {
    /// A failed call of `step`.
    pub(super) fn call<E: EndpointError>(step: impl Into<String>, error: E) -> Self {
        UploadError::Call {
            step: step.into(),
            api: error.api_error().is_some(),
            severity: Severity::of(&error),
            source: Box::new(error),
        }
    }

    /// What it means for a job: a call's failure as [`Severity::of`] says; the local file
    /// unreadable, or a reply lacking a token, the item's.
    pub fn severity(&self) -> Severity {
        match self {
            UploadError::Call { severity, .. } => *severity,
            _ => Severity::Item,
        }
    }

    /// The error and its causes, one line.
    pub fn describe(&self) -> String {
        with_causes(self)
    }
}

/// What an upload made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The new file's token.
    pub file_token: String,
    /// Its size.
    pub bytes: u64,
    /// Parts sent; 0 for one request.
    pub parts: u64,
}

/// Runs right before the request that makes the file: the one request, or a part upload's
/// finish (prepare and parts make nothing anyone sees). A job that must not make a file
/// twice records there that the outcome is about to be unknown.
pub type BeforeCreate<'a> = Box<dyn FnOnce() -> BoxFuture<'a, Result<(), UploadError>> + Send + 'a>;

/// Nothing to do before the create.
pub(super) fn nothing_before<'a>() -> BeforeCreate<'a> {
    Box::new(|| Box::pin(async { Ok(()) }))
}

/// The part upload after its prepare step: `path`'s bytes sent as the parts the prepare
/// reply (`upload_id`, block size, block count) asks for, each by `part(upload_id, seq,
/// bytes)`, then `finish(upload_id, count)`, whose reply names the file.
pub(super) async fn in_parts<P: EndpointError, F: EndpointError>(
    path: &Path,
    size: u64,
    (upload_id, block_size, block_num): (Option<String>, Option<i64>, Option<i64>),
    part: impl Fn(&str, i64, UploadFile) -> BoxFuture<'static, Result<(), P>>,
    before_finish: BeforeCreate<'_>,
    finish: impl FnOnce(&str, i64) -> BoxFuture<'static, Result<Option<String>, F>>,
) -> Result<Uploaded, UploadError> {
    let (upload_id, block, count) = prepared(upload_id, block_size, block_num, size)?;
    let sent = send_parts(path, block, count, |seq, bytes| {
        part(&upload_id, seq, bytes)
    })
    .await?;
    before_finish().await?;
    let file_token = finish(&upload_id, count as i64)
        .await
        .map_err(|e| UploadError::call("finish", e))?;
    Ok(Uploaded {
        file_token: token(file_token, "of the finish step")?,
        bytes: sent,
        parts: count,
    })
}

/// Sends `path`'s bytes as `count` parts of `size` bytes (the last one shorter), part `seq`
/// by `send(seq, bytes)`. Parts go one at a time: the pages refuse concurrent calls of an
/// upload. Returns the bytes sent.
async fn send_parts<E: EndpointError>(
    path: &Path,
    size: u64,
    count: u64,
    send: impl Fn(i64, UploadFile) -> BoxFuture<'static, Result<(), E>>,
) -> Result<u64, UploadError> {
    let read = |source| UploadError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = tokio::fs::File::open(path).await.map_err(read)?;
    let mut sent = 0;
    for seq in 0..count {
        let offset = seq * size;
        file.seek(std::io::SeekFrom::Start(offset))
            .await
            .map_err(read)?;
        let mut block = Vec::with_capacity(size as usize);
        (&mut file)
            .take(size)
            .read_to_end(&mut block)
            .await
            .map_err(read)?;
        let block = bytes::Bytes::from(block);
        let len = block.len() as u64;
        let mut attempt = 1;
        loop {
            match send(seq as i64, UploadFile::bytes(block.clone())).await {
                Ok(()) => break,
                Err(e)
                    if attempt < PART_ATTEMPTS && (e.is_retryable() || e.api_error().is_none()) =>
                {
                    attempt += 1;
                }
                Err(e) => return Err(UploadError::call(format!("part {seq}"), e)),
            }
        }
        sent += len;
    }
    Ok(sent)
}

/// The size of the file at `path`; an empty file is refused (Drive takes none, and a part
/// upload needs a part).
pub(super) async fn file_size(path: &Path) -> Result<u64, UploadError> {
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|source| UploadError::Read {
            path: path.to_owned(),
            source,
        })?
        .len();
    if size == 0 {
        return Err(UploadError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(size)
}

/// A prepare step's reply checked: the upload id, the block size and count, which must
/// cover `size`.
fn prepared(
    upload_id: Option<String>,
    block_size: Option<i64>,
    block_num: Option<i64>,
    size: u64,
) -> Result<(String, u64, u64), UploadError> {
    let upload_id = token(upload_id, "of the prepare step")?;
    let (block, count) = match (block_size, block_num) {
        (Some(block), Some(count)) if block > 0 && count > 0 => (block as u64, count as u64),
        _ => {
            return Err(UploadError::Reply(
                "of the prepare step has no block size or count".into(),
            ));
        }
    };
    if block.saturating_mul(count) < size {
        return Err(UploadError::Reply(format!(
            "of the prepare step asks for {count} blocks of {block} bytes, fewer than the file's {size}"
        )));
    }
    Ok((upload_id, block, count))
}

/// A token a reply must carry.
pub(super) fn token(value: Option<String>, of: &str) -> Result<String, UploadError> {
    value
        .filter(|t| !t.is_empty())
        .ok_or_else(|| UploadError::Reply(format!("{of} has no token")))
}
