//! Peak memory and CPU time of one child process. `getrusage(RUSAGE_CHILDREN)` gives the
//! largest peak among the children a process has waited for, and the bench's own process
//! has waited for others (cargo, and rustc through it): so the measured program runs under
//! a wrapper, this binary's `measure-child`, whose only child it is.

use crate::servers::Pinning;
use nix::sys::resource::{UsageWho, getrusage};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// What the wrapper saw of its child.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The child's standard output, without the wrapper's line.
    pub stdout: String,
    /// Peak resident set size (`ru_maxrss`), KiB.
    pub peak_kib: f64,
    /// User + system CPU time, seconds (process start included).
    pub cpu_seconds: f64,
    /// From spawn to exit, seconds (process start included).
    pub wall_seconds: f64,
}

const PREFIX: &str = "measure-child:";

/// A command running `program` under the wrapper, on `cpu`; add its arguments and
/// environment, then [`run`] it.
pub fn command(pinning: &Pinning, cpu: usize, program: &Path) -> Result<Command, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = pinning.command(cpu, &exe);
    command.arg("measure-child").arg(program);
    Ok(command)
}

/// Runs a [`command`] to its end; an error unless the program exited with 0.
pub fn run(command: &mut Command) -> Result<Measured, String> {
    let output = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run the measure-child wrapper: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (before, line) = stdout
        .rsplit_once(PREFIX)
        .ok_or_else(|| format!("the measure-child wrapper said nothing: {stdout:?}"))?;
    let fields: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match fields.as_slice() {
        [code, peak_kib, cpu_seconds, wall_seconds] if *code == 0.0 && output.status.success() => {
            Ok(Measured {
                stdout: before.to_owned(),
                peak_kib: *peak_kib,
                cpu_seconds: *cpu_seconds,
                wall_seconds: *wall_seconds,
            })
        }
        [code, ..] => Err(format!(
            "the measured program exited with {code} (output: {:?})",
            before.trim()
        )),
        _ => Err(format!("unexpected measure-child output {line:?}")),
    }
}

/// The wrapper side: runs `program args` with this process's standard streams, waits, then
/// prints `measure-child: <exit code> <peak KiB> <CPU s> <wall s>` as the last line.
pub fn wrapper(program: &str, args: &[&str]) -> Result<(), String> {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| e.to_string())?;
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let cpu = seconds(usage.user_time()) + seconds(usage.system_time());
    // A newline first: the child's output may not end with one.
    println!(
        "\n{PREFIX} {} {} {cpu} {wall}",
        status.code().unwrap_or(-1),
        usage.max_rss()
    );
    Ok(())
}

/// CPU time this process has used so far, all its threads (exited ones too), seconds.
pub fn own_cpu_seconds() -> f64 {
    let Ok(usage) = getrusage(UsageWho::RUSAGE_SELF) else {
        return 0.0;
    };
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    seconds(usage.user_time()) + seconds(usage.system_time())
}
