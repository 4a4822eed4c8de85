//! The library's side, seen from the bench: a long-lived child process (its own
//! current-thread runtime and connection, see `child.rs`) driven over stdin, like the
//! client-overhead children, so that a download's figures are the client's alone.

use super::content::{BYTES, check_and_remove, file_path};
use super::figures::{Sample, Target};
use crate::servers::{CLIENT_CPU, Pinning};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

/// The library child process.
pub struct Library {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Library {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Library {
    pub fn spawn(url: &str, pinning: &Pinning) -> std::result::Result<Library, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = pinning
            .command(CLIENT_CPU, &exe)
            .args(["download-child", url])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err("no pipes to the download child".into());
        };
        let mut library = Library {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        library.line()?;
        Ok(library)
    }

    fn line(&mut self) -> std::result::Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => Ok(line.trim().to_owned()),
            _ => Err("the download child ended early (see its error above)".into()),
        }
    }

    pub fn download(
        &mut self,
        target: Target,
        dir: &tempfile::TempDir,
        n: usize,
    ) -> std::result::Result<Sample, String> {
        let path = file_path(dir, "library", n);
        let command = match target {
            Target::Null => "null".to_owned(),
            Target::File => format!("file {}", path.display()),
        };
        writeln!(self.stdin, "{command}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("cannot talk to the download child: {e}"))?;
        let reply = self.line()?;
        let fields: Vec<f64> = reply
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let [seconds, cpu_seconds, bytes] = fields.as_slice() else {
            return Err(format!("unexpected download child output {reply:?}"));
        };
        if *bytes != BYTES as f64 {
            return Err(format!("the library downloaded {bytes} bytes, not {BYTES}"));
        }
        if target == Target::File {
            check_and_remove(&path)?;
        }
        Ok(Sample {
            seconds: *seconds,
            cpu_seconds: *cpu_seconds,
            ..Sample::default()
        })
    }
}
