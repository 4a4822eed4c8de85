//! What every download fetches (the path, the tokens, the size and the bytes), and the
//! check that a file downloaded holds all of it.

use std::io::Write;
use std::path::{Path, PathBuf};
use taskapi::feishu::DOWNLOAD_EXPORT_FILE;

/// The file token in the path every download fetches.
pub const FILE_TOKEN: &str = "boxcnxe5OdjlAkNgSNdsJvabcef";
/// The access token both sides send.
pub const ACCESS_TOKEN: &str = "t-bench";

/// The size of every download: 200 MiB.
pub const BYTES: u64 = 200 * 1024 * 1024;

/// The path both sides fetch.
pub fn download_path() -> String {
    DOWNLOAD_EXPORT_FILE
        .path
        .replace("{file_token}", FILE_TOKEN)
}

/// Writes the fake server's content, [`BYTES`] of it, to `path`: what nginx serves.
pub fn write_content(path: &Path) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let piece = 4 * 1024 * 1024;
    let mut offset = 0;
    while offset < BYTES {
        let end = (offset + piece).min(BYTES);
        file.write_all(&taskapi::testing::content(offset..end))?;
        offset = end;
    }
    // Synced, so that its write-back does not fall on the first downloads measured.
    file.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// A fresh path for download `n`; nothing is there.
pub fn file_path(dir: &tempfile::TempDir, who: &str, n: usize) -> PathBuf {
    dir.path().join(format!("{who}-{n}.bin"))
}

/// Size check, then removal (not timed).
pub fn check_and_remove(path: &Path) -> std::result::Result<(), String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    std::fs::remove_file(path).map_err(|e| e.to_string())?;
    if len != BYTES {
        return Err(format!("{} has {len} bytes, not {BYTES}", path.display()));
    }
    Ok(())
}
