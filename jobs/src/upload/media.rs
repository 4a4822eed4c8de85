//! [`upload_import_source`]: a local file uploaded as the source of an import task (media
//! of type `ccm_import_open`), in one request or in parts by size.

use super::error::{UploadError, Uploaded};
use super::file::ONE_REQUEST_MAX;
use super::hooks::Hooks;
use super::parts::{file_size, in_parts, token};
use std::path::Path;
use taskapi::feishu::{FeishuClient, MediaParentType, PrepareMediaParentType};
use taskapi::runtime::UploadFile;

/// What an import source says it will become: the document type (`docx`, `sheet`,
/// `bitable`) and the file's extension (`docx`, `xlsx`, `md`, ...). The upload states them
/// in its `extra`, as the import task that follows does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportAs {
    /// The document type the import makes.
    pub obj_type: String,
    /// The source file's extension, without its dot.
    pub extension: String,
}

impl ImportAs {
    /// The upload's `extra`: `{"obj_type":..,"file_extension":..}`.
    fn extra(&self) -> String {
        serde_json::json!({"obj_type": self.obj_type, "file_extension": self.extension}).to_string()
    }
}

/// Uploads the file at `path` as the source of an import into `import_as`: one request up
/// to [`ONE_REQUEST_MAX`], else parts read from the file as they are sent. The returned
/// token is what "create import task" takes; like [`upload_file`](super::upload_file), each
/// call makes a new one.
pub async fn upload_import_source(
    client: &FeishuClient,
    path: &Path,
    name: &str,
    import_as: &ImportAs,
) -> Result<Uploaded, UploadError> {
    upload_import_source_with(client, path, name, import_as, Hooks::default()).await
}

/// [`upload_import_source`] with a job's [`Hooks`]: a part upload continued from an earlier
/// one and told each step.
pub async fn upload_import_source_with(
    client: &FeishuClient,
    path: &Path,
    name: &str,
    import_as: &ImportAs,
    mut hooks: Hooks<'_>,
) -> Result<Uploaded, UploadError> {
    let size = file_size(path).await?;
    // An import source goes into no document or folder: its parent node is empty.
    if size <= ONE_REQUEST_MAX {
        if let Some(before_create) = hooks.before_create.take() {
            before_create().await?;
        }
        let reply = client
            .upload_media(
                name,
                MediaParentType::CcmImportOpen,
                "",
                UploadFile::path(path),
            )
            .extra(import_as.extra())
            .send()
            .await
            .map_err(|e| UploadError::call("upload", e))?;
        return Ok(Uploaded {
            file_token: token(reply.file_token, "of the upload")?,
            bytes: size,
            parts: 0,
        });
    }
    let prepare = client
        .prepare_media_upload(name, PrepareMediaParentType::CcmImportOpen, "", size as i64)
        .extra(import_as.extra());
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
            let request = client.upload_media_part(upload_id, seq, part);
            Box::pin(async move { request.send().await.map(drop) })
        },
        |upload_id, count| {
            let request = client.finish_media_upload(upload_id, count);
            Box::pin(async move { request.send().await.map(|r| r.file_token) })
        },
    )
    .await
}
