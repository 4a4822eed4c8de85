//! The library's child process (`taskapi-bench download-child URL`): the generated client
//! downloading on request, each download timed inside the process from the request to the
//! last byte written.

use super::content::{ACCESS_TOKEN, FILE_TOKEN};
use crate::measure;
use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use taskapi::feishu::FeishuClient;

/// /dev/null as an `AsyncWrite` that calls `write(2)` for each chunk, as curl does: the
/// same sink for both sides (`tokio::fs::File` would hand every chunk to a blocking
/// thread; writing to /dev/null never blocks).
struct DevNull(std::fs::File);

impl tokio::io::AsyncWrite for DevNull {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The child side: builds its client, downloads once to warm up, says `ready`, then answers
/// `null` and `file PATH` with `wall_seconds cpu_seconds bytes`, until stdin closes.
pub fn child(url: &str) -> std::result::Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let client = FeishuClient::builder()
        .access_token(ACCESS_TOKEN)
        .base_url(url)
        // The rounds measure the transfer, not the endpoint's 100 calls a minute.
        .rate_limits(taskapi::runtime::RateLimits::off())
        .build()
        .map_err(|e| e.to_string())?;
    let mut null = DevNull(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map_err(|e| e.to_string())?,
    );
    let download = |target: Option<&str>, null: &mut DevNull| {
        runtime.block_on(async {
            let request = client.download_export_file(FILE_TOKEN);
            match target {
                None => request.to_writer(null).await,
                Some(path) => request.to_file(path).await,
            }
            .map_err(|e| e.to_string())
        })
    };
    download(None, &mut null)?;
    let mut out = std::io::stdout().lock();
    let say = |out: &mut std::io::StdoutLock<'_>, text: String| {
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .map_err(|e| e.to_string())
    };
    say(&mut out, "ready".into())?;
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let target = match line.split_once(' ') {
            None if line == "null" => None,
            Some(("file", path)) => Some(path),
            _ => return Err(format!("unknown command {line:?}")),
        };
        let cpu = measure::own_cpu_seconds();
        let started = Instant::now();
        let bytes = download(target, &mut null)?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = measure::own_cpu_seconds() - cpu;
        say(&mut out, format!("{wall} {cpu} {bytes}"))?;
    }
    Ok(())
}
