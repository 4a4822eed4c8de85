//! [`upload_file`]: a local file into a Drive folder, in one request or in parts by size.

use super::parts::{UploadError, file_size, prepared, send_parts, token};
use std::path::Path;
use taskapi::feishu::{FeishuClient, PrepareFileParentType, UploadFileParentType};
use taskapi::runtime::UploadFile;

/// The largest file sent in one request (`feishu.drive.file.upload_all`: 20 MB); a larger
/// one goes in parts.
pub const ONE_REQUEST_MAX: u64 = 20 * 1024 * 1024;

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

/// Uploads the file at `path` into the Drive folder `folder` under `name`: in one request
/// up to [`ONE_REQUEST_MAX`], else in the parts the server's prepare step sets (4 MB each),
/// each read from the file as it is sent.
///
/// Not repeated as a whole: each call of it makes a new file. A caller that must not make
/// two (a migration) records the returned token before anything else.
pub async fn upload_file(
    client: &FeishuClient,
    path: &Path,
    name: &str,
    folder: &str,
) -> Result<Uploaded, UploadError> {
    let size = file_size(path).await?;
    if size <= ONE_REQUEST_MAX {
        let reply = client
            .upload_file(
                name,
                UploadFileParentType::Explorer,
                folder,
                UploadFile::path(path),
            )
            .send()
            .await
            .map_err(|e| UploadError::call("upload", e))?;
        let file_token = token(reply.file_token, "of the upload")?;
        return Ok(Uploaded {
            file_token,
            bytes: size,
            parts: 0,
        });
    }
    let reply = client
        .prepare_file_upload(name, PrepareFileParentType::Explorer, folder, size as i64)
        .send()
        .await
        .map_err(|e| UploadError::call("prepare", e))?;
    let (upload_id, block, count) =
        prepared(reply.upload_id, reply.block_size, reply.block_num, size)?;
    let sent = send_parts(path, block, count, |seq, part| {
        let request = client.upload_file_part(upload_id.as_str(), seq, part);
        Box::pin(async move { request.send().await.map(drop) })
    })
    .await?;
    let finished = client
        .finish_file_upload(upload_id.as_str(), count as i64)
        .send()
        .await
        .map_err(|e| UploadError::call("finish", e))?;
    Ok(Uploaded {
        file_token: token(finished.file_token, "of the finish step")?,
        bytes: sent,
        parts: count,
    })
}
