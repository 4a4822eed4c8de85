//! Where a download goes: a [`Sink`], either a [`FileSink`] (a temporary file renamed onto
//! the target once complete) or a [`WriterSink`] (any `AsyncWrite`).

use crate::auth::BoxFuture;
use crate::error::OutputError;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncSeekExt as _, AsyncWrite, AsyncWriteExt as _, BufWriter};

/// Where a download's bytes go. Object-safe (boxed futures), so that the download loop is
/// compiled once whatever the target.
pub(crate) trait Sink: Send {
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
}

impl FileSink {
    /// Creates the temporary file beside `target` (`create_new`: never an existing file).
    pub(crate) async fn create(target: &Path) -> Result<FileSink, OutputError> {
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
        tokio::fs::rename(&self.temp, &self.target)
            .await
            .map_err(|e| self.fail(e))?;
        self.renamed = true;
        Ok(())
    }
}

fn finished() -> io::Error {
    io::Error::other("the download was already finished")
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
    #[cfg(test)]
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
