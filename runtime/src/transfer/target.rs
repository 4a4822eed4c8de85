//! Where a download goes: a [`Sink`], either a [`FileSink`] (a temporary file renamed onto
//! the target once complete), a [`DirSink`] (the same, in a folder, under the name the
//! server gives) or a [`WriterSink`] (any `AsyncWrite`).

use super::name::safe_file_name;
use crate::error::OutputError;
use crate::future::BoxFuture;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncSeekExt as _, AsyncWrite, AsyncWriteExt as _, BufWriter};

/// Where a download's bytes go. Object-safe (boxed futures), so that the download loop is
/// compiled once whatever the target.
pub(crate) trait Sink: Send {
    /// Called once, before any write, with the file name the first reply gives (its
    /// `Content-Disposition`, as sent): where a sink that has no name yet takes one.
    fn name<'a>(&'a mut self, _given: Option<&'a str>) -> BoxFuture<'a, Result<(), OutputError>> {
        Box::pin(async { Ok(()) })
    }
    /// Appends `chunk`.
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), OutputError>>;
    /// Whether what was written can be thrown away to start again from byte 0.
    fn can_restart(&self) -> bool;
    /// Throws away what was written; the next write is byte 0. Only called when
    /// [`can_restart`](Self::can_restart).
    fn restart(&mut self) -> BoxFuture<'_, Result<(), OutputError>>;
    /// Called once, when the whole body is written and checked: makes it durable and
    /// visible. Nothing may be written after it.
    fn finish(&mut self) -> BoxFuture<'_, Result<(), OutputError>>;
}

/// Writes go through this buffer: `tokio::fs::File` hands each write to a blocking thread,
/// and a body arrives in chunks of a few KiB.
const FILE_BUFFER: usize = 256 * 1024;

/// Suffix of the temporary files, so that a stray one (a killed process) is recognisable.
const PART_SUFFIX: &str = "taskapi-part";

/// A download into the file at a path, through a temporary file in the same directory
/// (`.<name>.<random>.taskapi-part`, so that the final rename stays on one filesystem and
/// is atomic). The target is replaced only by a complete, synced file; until then it is
/// left as it was. Dropped unfinished (failure, cancellation), the temporary file is
/// removed.
pub(crate) struct FileSink {
    target: PathBuf,
    temp: PathBuf,
    /// `None` once finished (or after a failed finish).
    file: Option<BufWriter<tokio::fs::File>>,
    /// Set once the temporary file has been renamed onto the target: nothing to remove.
    renamed: bool,
    /// Whether an existing file at the target is replaced (a path the caller named) or
    /// left alone, failing the download (a name the server chose).
    replace: bool,
}

impl FileSink {
    /// Creates the temporary file beside `target` (`create_new`: never an existing file),
    /// which replaces `target` once complete.
    pub(crate) async fn create(target: &Path) -> Result<FileSink, OutputError> {
        Self::create_with(target, true).await
    }

    /// As [`create`](Self::create), but an existing file at `target`, then or by the end,
    /// fails the download instead of being replaced.
    pub(crate) async fn create_new(target: &Path) -> Result<FileSink, OutputError> {
        if tokio::fs::symlink_metadata(target).await.is_ok() {
            return Err(exists(target));
        }
        Self::create_with(target, false).await
    }

    async fn create_with(target: &Path, replace: bool) -> Result<FileSink, OutputError> {
        let fail = |e| OutputError::file(target, e);
        let name = target.file_name().ok_or_else(|| {
            fail(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path names no file",
            ))
        })?;
        let dir = target.parent().unwrap_or_else(|| Path::new(""));
        let mut attempts = 0;
        loop {
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{:016x}.{PART_SUFFIX}", fastrand::u64(..)));
            let temp = dir.join(temp_name);
            let opened = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .await;
            match opened {
                Ok(file) => {
                    return Ok(FileSink {
                        target: target.to_owned(),
                        temp,
                        file: Some(BufWriter::with_capacity(FILE_BUFFER, file)),
                        renamed: false,
                        replace,
                    });
                }
                // A name taken by chance (or by a concurrent download of the same target):
                // another random name.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 8 => {
                    attempts += 1;
                }
                Err(e) => return Err(fail(e)),
            }
        }
    }

    fn fail(&self, error: io::Error) -> OutputError {
        OutputError::file(&self.target, error)
    }

    fn file(&mut self) -> Result<&mut BufWriter<tokio::fs::File>, OutputError> {
        match self.file.as_mut() {
            Some(file) => Ok(file),
            None => Err(OutputError::file(&self.target, finished())),
        }
    }

    async fn write_chunk(&mut self, chunk: &[u8]) -> Result<(), OutputError> {
        let result = self.file()?.write_all(chunk).await;
        result.map_err(|e| self.fail(e))
    }

    async fn truncate(&mut self) -> Result<(), OutputError> {
        let file = self.file()?;
        let result = async {
            // Buffered bytes would land after the truncation: written first, then cut.
            file.flush().await?;
            file.get_mut().set_len(0).await?;
            file.get_mut().seek(SeekFrom::Start(0)).await.map(drop)
        }
        .await;
        result.map_err(|e| self.fail(e))
    }

    async fn complete(&mut self) -> Result<(), OutputError> {
        let Some(mut file) = self.file.take() else {
            return Err(self.fail(finished()));
        };
        let synced = async {
            file.flush().await?;
            file.get_mut().sync_all().await
        }
        .await;
        // Closed before the rename (Windows refuses to rename an open file).
        drop(file);
        synced.map_err(|e| self.fail(e))?;
        if !self.replace {
            return self.link_new().await;
        }
        tokio::fs::rename(&self.temp, &self.target)
            .await
            .map_err(|e| self.fail(e))?;
        self.renamed = true;
        Ok(())
    }

    /// Puts the complete file at the target only if nothing is there: a hard link fails
    /// on an existing name, atomically; where links are not supported, a check then a
    /// rename.
    async fn link_new(&mut self) -> Result<(), OutputError> {
        match tokio::fs::hard_link(&self.temp, &self.target).await {
            Ok(()) => {
                self.renamed = true;
                // The temporary name goes; the file stays under the target's.
                let _ = tokio::fs::remove_file(&self.temp).await;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists(&self.target)),
            Err(_) if tokio::fs::symlink_metadata(&self.target).await.is_ok() => {
                Err(exists(&self.target))
            }
            Err(_) => {
                tokio::fs::rename(&self.temp, &self.target)
                    .await
                    .map_err(|e| self.fail(e))?;
                self.renamed = true;
                Ok(())
            }
        }
    }
}

fn finished() -> io::Error {
    io::Error::other("the download was already finished")
}

fn exists(target: &Path) -> OutputError {
    OutputError::file(
        target,
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            "a file of this name is there already; a download under the server's name never replaces one",
        ),
    )
}

/// The name a download into a folder takes when the reply gives none (or none usable).
pub(crate) const FALLBACK_NAME: &str = "download";

/// A download into a folder under the name its first reply gives, made safe
/// ([`safe_file_name`]), as `curl -OJ` does: the file is created when that reply arrives,
/// through a [`FileSink`] that never replaces an existing file.
pub(crate) struct DirSink {
    dir: PathBuf,
    file: Option<FileSink>,
}

impl DirSink {
    pub(crate) fn new(dir: &Path) -> DirSink {
        DirSink {
            dir: dir.to_owned(),
            file: None,
        }
    }

    /// The file's path, once named.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|file| file.target.as_path())
    }

    fn file(&mut self) -> Result<&mut FileSink, OutputError> {
        self.file.as_mut().ok_or_else(|| {
            OutputError::file(&self.dir, io::Error::other("the download was not named"))
        })
    }
}

impl Sink for DirSink {
    fn name<'a>(&'a mut self, given: Option<&'a str>) -> BoxFuture<'a, Result<(), OutputError>> {
        Box::pin(async move {
            let name = given
                .and_then(safe_file_name)
                .unwrap_or_else(|| FALLBACK_NAME.to_owned());
            self.file = Some(FileSink::create_new(&self.dir.join(name)).await?);
            Ok(())
        })
    }

    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), OutputError>> {
        Box::pin(async move { self.file()?.write_chunk(chunk).await })
    }

    fn can_restart(&self) -> bool {
        true
    }

    fn restart(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(async move { self.file()?.truncate().await })
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(async move { self.file()?.complete().await })
    }
}

impl std::fmt::Debug for DirSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirSink")
            .field("dir", &self.dir)
            .field("file", &self.file)
            .finish()
    }
}

impl Sink for FileSink {
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), OutputError>> {
        Box::pin(self.write_chunk(chunk))
    }

    fn can_restart(&self) -> bool {
        true
    }

    fn restart(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(self.truncate())
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(self.complete())
    }
}

/// Removes the temporary file of a download that did not finish, synchronously: `Drop`
/// cannot await, and leaving the file for a task that may never run would leak it. Best
/// effort: a failure to remove is not reported (there is no one to report it to).
impl Drop for FileSink {
    fn drop(&mut self) {
        if !self.renamed {
            // Closed first, where the platform will not remove an open file.
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl std::fmt::Debug for FileSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSink")
            .field("target", &self.target)
            .field("temp", &self.temp)
            .field("renamed", &self.renamed)
            .finish_non_exhaustive()
    }
}

/// A download into the caller's writer. What was written cannot be taken back, so a cut
/// body is resumed by range or the download fails; it is never restarted.
pub(crate) struct WriterSink<W> {
    writer: W,
}

impl<W: AsyncWrite + Unpin + Send> WriterSink<W> {
    pub(crate) fn new(writer: W) -> Self {
        WriterSink { writer }
    }

    /// The writer back, to read what it holds.
    #[cfg(all(test, feature = "testing"))]
    pub(crate) fn into_inner(self) -> W {
        self.writer
    }
}

impl<W: AsyncWrite + Unpin + Send> Sink for WriterSink<W> {
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, Result<(), OutputError>> {
        Box::pin(async move {
            self.writer
                .write_all(chunk)
                .await
                .map_err(OutputError::writer)
        })
    }

    fn can_restart(&self) -> bool {
        false
    }

    fn restart(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(async {
            Err(OutputError::writer(io::Error::other(
                "a download into a writer cannot start again",
            )))
        })
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), OutputError>> {
        Box::pin(async move { self.writer.flush().await.map_err(OutputError::writer) })
    }
}

impl<W> std::fmt::Debug for WriterSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriterSink").finish_non_exhaustive()
    }
}
