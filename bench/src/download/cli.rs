//! The `taskapi` CLI's side: `<download id> --output FILE` under the `measure-child`
//! wrapper, which reads the peak resident set size of that one process (`ru_maxrss`).

use super::content::{ACCESS_TOKEN, BYTES, FILE_TOKEN, check_and_remove};
use crate::measure::{self, Measured};
use crate::servers::{CLIENT_CPU, Pinning};
use std::path::Path;
use taskapi::feishu::DOWNLOAD_EXPORT_FILE;

/// The `taskapi` CLI downloading into a file, under the wrapper.
pub fn download(
    taskapi: &Path,
    url: &str,
    dir: &tempfile::TempDir,
    pinning: &Pinning,
) -> std::result::Result<Measured, String> {
    let path = dir.path().join("cli.bin");
    let measured = measure::run(
        measure::command(pinning, CLIENT_CPU, taskapi)?
            .args([
                DOWNLOAD_EXPORT_FILE.id,
                "--file-token",
                FILE_TOKEN,
                "--output",
            ])
            .arg(&path)
            .args(["--base-url", url])
            .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
            .env_remove("FEISHU_APP_ID")
            .env_remove("FEISHU_APP_SECRET")
            .env_remove("RUST_LOG"),
    )?;
    let summary: serde_json::Value = serde_json::from_str(measured.stdout.trim())
        .map_err(|e| format!("unexpected CLI output {:?}: {e}", measured.stdout))?;
    if summary["bytes"] != BYTES {
        return Err(format!("the CLI reported {summary}, not {BYTES} bytes"));
    }
    check_and_remove(&path)?;
    Ok(measured)
}
