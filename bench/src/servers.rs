//! The servers the client is measured against, each in its own process so that it does not
//! share the client's runtime or hide the client's cost: `taskapi serve-fake` (always, and
//! for downloads), and nginx serving the same reply from a file when an `nginx` binary is
//! installed.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the processes of a measurement run: the clients on one CPU, the server on
/// another, so that neither shares a core with the other (unpinned, the scheduler's
/// placement alone moved an A/A comparison of two identical clients by up to ±30%).
#[derive(Debug, Clone)]
pub struct Pinning {
    taskset: Option<PathBuf>,
}

/// The CPU the clients run on.
pub const CLIENT_CPU: usize = 0;
/// The CPU the servers run on.
pub const SERVER_CPU: usize = 1;

impl Pinning {
    /// Pins with `taskset` when it is installed and there are two CPUs or more.
    pub fn detect() -> Pinning {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Pinning {
            taskset: find_program("taskset").filter(|_| cpus >= 2),
        }
    }

    /// A command running `program` on `cpu` (unpinned without `taskset`).
    pub fn command(&self, cpu: usize, program: &Path) -> Command {
        match &self.taskset {
            Some(taskset) => {
                let mut command = Command::new(taskset);
                command.arg("-c").arg(cpu.to_string()).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    /// For the report.
    pub fn describe(&self) -> String {
        match self.taskset {
            Some(_) => format!(
                "clients pinned to CPU {CLIENT_CPU}, servers to CPU {SERVER_CPU} (`taskset`)"
            ),
            None => "not pinned to CPUs (no `taskset`, or one CPU)".into(),
        }
    }
}

/// A server process, killed when dropped.
pub struct Server {
    /// What the report calls it, e.g. `taskapi serve-fake` or `nginx 1.22.1`.
    pub name: String,
    /// The base URL for clients.
    pub url: String,
    child: Child,
    /// nginx's configuration and log directory.
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds the `taskapi` binary (release, of `taskapi-jobs`) and returns its path.
pub fn build_taskapi(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "--package",
            "taskapi-jobs",
            "--bin",
            "taskapi",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !output.status.success() {
        return Err("cargo build of the taskapi binary failed".into());
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "taskapi")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo build named no taskapi executable".into())
}

/// `taskapi serve-fake` on a free port of 127.0.0.1; its download endpoints serve files of
/// `download_size` bytes when given (`--download-size`), else of its default size.
pub fn fake(
    taskapi: &Path,
    pinning: &Pinning,
    download_size: Option<u64>,
) -> Result<Server, String> {
    let flags: Vec<String> = match download_size {
        Some(size) => vec!["--download-size".into(), size.to_string()],
        None => Vec::new(),
    };
    fake_from(pinning.command(SERVER_CPU, taskapi), &flags)
}

/// `taskapi serve-fake` on a free port of 127.0.0.1 with these flags of its own (e.g.
/// `--rate-limit`), unpinned.
pub fn fake_with(taskapi: &Path, flags: &[String]) -> Result<Server, String> {
    fake_from(Command::new(taskapi), flags)
}

/// `taskapi serve-fake` on a free port of 127.0.0.1 with these flags of its own, on the
/// servers' CPU.
pub fn fake_pinned_with(
    taskapi: &Path,
    pinning: &Pinning,
    flags: &[String],
) -> Result<Server, String> {
    fake_from(pinning.command(SERVER_CPU, taskapi), flags)
}

/// Runs `command` (the `taskapi` binary, maybe under `taskset`) as `serve-fake` with `flags`.
fn fake_from(mut command: Command, flags: &[String]) -> Result<Server, String> {
    command
        .args(["serve-fake", "--addr", "127.0.0.1:0"])
        .args(flags);
    let program = command.get_program().to_owned();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let mut line = String::new();
    let read = child
        .stdout
        .take()
        .map(|out| BufReader::new(out).read_line(&mut line));
    let url = line.trim().to_owned();
    let server = Server {
        name: "`taskapi serve-fake`".into(),
        url,
        child,
        _dir: None,
    };
    match read {
        Some(Ok(n)) if n > 0 && server.url.starts_with("http://") => Ok(server),
        _ => Err(format!("taskapi serve-fake printed no URL: {line:?}")),
    }
}

/// nginx serving `body` as `application/json` for every path, or `Ok(None)` when no nginx
/// is installed.
pub fn nginx(body: &str, pinning: &Pinning) -> Result<Option<Server>, String> {
    start_nginx(
        pinning,
        |www| std::fs::write(www.join("reply.json"), body),
        "default_type application/json;\n      try_files /reply.json =404;",
    )
}

/// nginx serving, at `path`, the file `write` makes there (every other path is a 404), as
/// `application/octet-stream`, with `sendfile` as a file server would; `Ok(None)` when no
/// nginx is installed.
pub fn nginx_file(
    path: &str,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
    pinning: &Pinning,
) -> Result<Option<Server>, String> {
    let relative = path.trim_start_matches('/').to_owned();
    start_nginx(
        pinning,
        move |www| {
            let file = www.join(&relative);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            write(&file)
        },
        "default_type application/octet-stream;\n      sendfile on;\n      tcp_nopush on;",
    )
}

/// nginx with `location /` configured by `location` (its root is a directory `prepare` fills).
fn start_nginx(
    pinning: &Pinning,
    prepare: impl FnOnce(&Path) -> std::io::Result<()>,
    location: &str,
) -> Result<Option<Server>, String> {
    let Some(nginx) = find_nginx() else {
        return Ok(None);
    };
    let version = Command::new(&nginx)
        .arg("-v")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_owned())
        .and_then(|v| v.rsplit('/').next().map(str::to_owned))
        .unwrap_or_default();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let www = dir.path().join("www");
    std::fs::create_dir_all(&www).map_err(|e| e.to_string())?;
    prepare(&www).map_err(|e| format!("cannot write nginx's files: {e}"))?;
    let port = free_port()?;
    // Temporary paths of modules this build may lack: dropped when nginx says so.
    let mut optional: Vec<&str> = vec![
        "proxy_temp_path",
        "fastcgi_temp_path",
        "uwsgi_temp_path",
        "scgi_temp_path",
    ];
    let (conf, log) = (dir.path().join("nginx.conf"), dir.path().join("error.log"));
    loop {
        let d = dir.path().display();
        let temp_paths: String = optional
            .iter()
            .map(|name| format!("  {name} {d}/{name};\n"))
            .collect();
        // One process (no master, no worker): nginx's own cost on one core. Keep-alive
        // connections are never closed by request count, so the clients measure calls, not
        // reconnections.
        let text = format!(
            "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  keepalive_requests 1000000;\n  keepalive_timeout 75s;\n\
             \x20 client_body_temp_path {d}/client_body;\n{temp_paths}\
             \x20 server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
             \x20     root {d}/www;\n      {location}\n    }}\n  }}\n}}\n"
        );
        std::fs::write(&conf, text).map_err(|e| e.to_string())?;
        let test = Command::new(&nginx)
            .arg("-t")
            .args(nginx_args(dir.path(), &conf, &log))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", nginx.display()))?;
        if test.status.success() {
            break;
        }
        let said = String::from_utf8_lossy(&test.stderr).into_owned();
        let before = optional.len();
        optional.retain(|name| !said.contains(&format!("unknown directive \"{name}\"")));
        if optional.len() == before {
            return Err(format!("nginx refused the bench's configuration: {said}"));
        }
    }
    let child = pinning
        .command(SERVER_CPU, &nginx)
        .args(nginx_args(dir.path(), &conf, &log))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", nginx.display()))?;
    let server = Server {
        name: format!("nginx {version}"),
        url: format!("http://127.0.0.1:{port}"),
        child,
        _dir: Some(dir),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        if started.elapsed() > Duration::from_secs(5) {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("nginx did not start listening: {log}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(Some(server))
}

fn nginx_args(prefix: &Path, conf: &Path, log: &Path) -> Vec<std::ffi::OsString> {
    vec![
        "-p".into(),
        prefix.into(),
        "-c".into(),
        conf.into(),
        "-e".into(),
        log.into(),
    ]
}

fn find_nginx() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("nginx"))
        .find(|candidate| candidate.is_file())
}

/// A port that was free a moment ago (nginx cannot be asked for port 0 and tell which it got).
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| e.to_string())
}

/// An installed program by name, e.g. `curl`.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
