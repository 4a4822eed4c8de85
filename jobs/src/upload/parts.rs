//! The part upload: the file read a block at a time, each block sent as one part with its
//! checksum, a part that fails sent again alone; what was sent before stays sent.

use super::error::{UploadError, Uploaded};
use super::hooks::{Hooks, PartsDone};
use std::path::Path;
use taskapi::ErrorDetails as _;
use taskapi::runtime::{BoxFuture, EndpointError, UploadFile};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _};

/// Times one part is sent before the upload fails. The client resends a part itself only
/// when the failure proves it was not taken (a part upload creates something); these
/// attempts are for the rest (a retryable code, a reply cut short), since a part is keyed
/// by its number within its upload: sent again, it stands for the same bytes.
pub const PART_ATTEMPTS: u32 = 3;

/// The part upload: `path`'s bytes sent as the parts the prepare step asks for (`prepare`
/// returns its upload id, block size and block count), each by `part(upload_id, seq,
/// bytes)`, then `finish(upload_id, count)`, whose reply names the file. An earlier upload
/// in `hooks` continues from its next part; one the server refuses is begun again once.
pub(super) async fn in_parts<Q: EndpointError, P: EndpointError, F: EndpointError>(
    path: &Path,
    size: u64,
    mut hooks: Hooks<'_>,
    prepare: impl Fn() -> BoxFuture<'static, Result<(Option<String>, Option<i64>, Option<i64>), Q>>,
    part: impl Fn(&str, i64, UploadFile) -> BoxFuture<'static, Result<(), P>>,
    finish: impl FnOnce(&str, i64) -> BoxFuture<'static, Result<Option<String>, F>>,
) -> Result<Uploaded, UploadError> {
    let earlier = hooks
        .earlier
        .take()
        .filter(|e| e.block.saturating_mul(e.count) >= size && e.sent <= e.count);
    let resumed = earlier.is_some();
    let mut done = match earlier {
        Some(earlier) => earlier,
        None => begin(&prepare, size, &hooks).await?,
    };
    match send_parts(path, &mut done, &part, &hooks).await {
        // An upload id past its 24 hours, or unknown: the whole file again, once.
        Err(UploadError::Call { api: true, .. }) if resumed => {
            done = begin(&prepare, size, &hooks).await?;
            send_parts(path, &mut done, &part, &hooks).await?;
        }
        other => other?,
    }
    if let Some(before_create) = hooks.before_create.take() {
        before_create().await?;
    }
    let file_token = finish(&done.upload_id, done.count as i64)
        .await
        .map_err(|e| UploadError::call("finish", e))?;
    Ok(Uploaded {
        file_token: token(file_token, "of the finish step")?,
        bytes: size,
        parts: done.count,
    })
}

/// A new part upload: prepared, checked, and told to the hooks before any part is sent.
async fn begin<Q: EndpointError>(
    prepare: &impl Fn() -> BoxFuture<'static, Result<(Option<String>, Option<i64>, Option<i64>), Q>>,
    size: u64,
    hooks: &Hooks<'_>,
) -> Result<PartsDone, UploadError> {
    let (upload_id, block_size, block_num) = prepare()
        .await
        .map_err(|e| UploadError::call("prepare", e))?;
    let (upload_id, block, count) = prepared(upload_id, block_size, block_num, size)?;
    let done = PartsDone {
        upload_id,
        block,
        count,
        sent: 0,
    };
    hooks.part_done(done.clone()).await?;
    Ok(done)
}

/// Sends `path`'s bytes from part `done.sent` on, each of `done.block` bytes (the last one
/// shorter), part `seq` by `send(upload_id, seq, bytes)`, telling the hooks after each.
/// Parts go one at a time: the pages refuse concurrent calls of an upload.
async fn send_parts<E: EndpointError>(
    path: &Path,
    done: &mut PartsDone,
    send: &impl Fn(&str, i64, UploadFile) -> BoxFuture<'static, Result<(), E>>,
    hooks: &Hooks<'_>,
) -> Result<(), UploadError> {
    let read = |source| UploadError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = tokio::fs::File::open(path).await.map_err(read)?;
    for seq in done.sent..done.count {
        file.seek(std::io::SeekFrom::Start(seq * done.block))
            .await
            .map_err(read)?;
        let mut block = Vec::with_capacity(done.block as usize);
        (&mut file)
            .take(done.block)
            .read_to_end(&mut block)
            .await
            .map_err(read)?;
        let block = bytes::Bytes::from(block);
        let mut attempt = 1;
        loop {
            match send(
                &done.upload_id,
                seq as i64,
                UploadFile::bytes(block.clone()),
            )
            .await
            {
                Ok(()) => break,
                Err(e)
                    if attempt < PART_ATTEMPTS && (e.is_retryable() || e.api_error().is_none()) =>
                {
                    attempt += 1;
                }
                Err(e) => return Err(UploadError::call(format!("part {seq}"), e)),
            }
        }
        done.sent = seq + 1;
        hooks.part_done(done.clone()).await?;
    }
    Ok(())
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
