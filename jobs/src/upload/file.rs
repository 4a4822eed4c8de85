//! [`upload_file`]: a local file into a Drive folder, in one request or in parts by size.

use super::error::{UploadError, Uploaded};
use super::hooks::Hooks;
use super::parts::{file_size, in_parts, token};
use std::path::Path;
use taskapi::feishu::{FeishuClient, PrepareFileParentType, UploadFileParentType};
use taskapi::runtime::UploadFile;

/// The largest file sent in one request (`feishu.drive.file.upload_all`: 20 MB); a larger
/// one goes in parts.
pub const ONE_REQUEST_MAX: u64 = 20 * 1024 * 1024;

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
    upload_file_with(client, path, name, folder, Hooks::default()).await
}

/// [`upload_file`] with a job's [`Hooks`]: one run right before the request that makes the
/// file (the one request, or the finish of the parts), and a part upload continued from an
/// earlier one and told each step.
pub async fn upload_file_with(
    client: &FeishuClient,
    path: &Path,
    name: &str,
    folder: &str,
    mut hooks: Hooks<'_>,
) -> Result<Uploaded, UploadError> {
    let size = file_size(path).await?;
    if size <= ONE_REQUEST_MAX {
        if let Some(before_create) = hooks.before_create.take() {
            before_create().await?;
        }
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
    let prepare =
        client.prepare_file_upload(name, PrepareFileParentType::Explorer, folder, size as i64);
    in_parts(
        path,
        size,
        hooks,
        || {
            let request = prepare.clone();
            Box::pin(async move {
                request
                    .send()
                    .await
                    .map(|r| (r.upload_id, r.block_size, r.block_num))
            })
        },
        |upload_id, seq, part| {
            let request = client.upload_file_part(upload_id, seq, part);
            Box::pin(async move { request.send().await.map(drop) })
        },
        |upload_id, count| {
            let request = client.finish_file_upload(upload_id, count);
            Box::pin(async move { request.send().await.map(|r| r.file_token) })
        },
    )
    .await
}
