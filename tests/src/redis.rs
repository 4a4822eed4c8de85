//! A `redis-server` of a test's own: on a free loopback port, persisting nothing, in a
//! temporary directory, killed and waited for when dropped.
//!
//! Without `redis-server` on the machine, [`RedisServer::start`] prints one line,
//! `skipped: redis-server not found; apt-get install redis-server`, and returns `None` so
//! the test returns (passes); with `TASKAPI_REQUIRE_REDIS` set (CI), it panics instead.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The line printed when a test is skipped for want of `redis-server`.
pub const SKIP_LINE: &str = "skipped: redis-server not found; apt-get install redis-server";

/// A running `redis-server`.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for RedisServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisServer")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

/// `redis-server` on the `PATH` (or in `/usr/sbin`, `/usr/bin`), if any.
fn find_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/bin".into()])
        .map(|dir| dir.join("redis-server"))
        .find(|candidate| candidate.is_file())
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("a local address").port()
}

impl RedisServer {
    /// Starts a server and waits until it answers `PING`. `None` (after printing
    /// [`SKIP_LINE`]) when there is no `redis-server` and `TASKAPI_REQUIRE_REDIS` is unset.
    ///
    /// # Panics
    /// When `redis-server` is missing and `TASKAPI_REQUIRE_REDIS` is set, or when it does
    /// not start.
    pub fn start() -> Option<RedisServer> {
        let Some(binary) = find_binary() else {
            if std::env::var_os("TASKAPI_REQUIRE_REDIS").is_some() {
                panic!("TASKAPI_REQUIRE_REDIS is set but redis-server is not found");
            }
            // Not `println!`: the test harness would swallow it.
            let _ = writeln!(std::io::stdout().lock(), "{SKIP_LINE}");
            return None;
        };
        // The port may be taken between finding it and the server binding it: try again.
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let port = free_port();
            let child = Command::new(&binary)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server starts");
            let mut server = RedisServer {
                child: Some(child),
                port,
                _dir: dir,
            };
            if server.wait_ready() {
                return Some(server);
            }
        }
        panic!("redis-server did not start on a free port");
    }

    /// Whether it answers `PING` within 10 s (false as soon as the process exits).
    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(child) = &mut self.child
                && !matches!(child.try_wait(), Ok(None))
            {
                self.child = None;
                return false;
            }
            let answered = ::redis::Client::open(self.url())
                .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
                .and_then(|mut c| ::redis::cmd("PING").query::<String>(&mut c));
            if answered.is_ok_and(|pong| pong == "PONG") {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// A connection for the test to read and write keys with.
    ///
    /// # Panics
    /// When the server cannot be reached.
    pub fn connection(&self) -> ::redis::Connection {
        ::redis::Client::open(self.url())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(2)))
            .expect("a connection to the test's redis-server")
    }

    /// Every key, and every byte string its value holds (a string, or the fields and
    /// members of a hash, list, set or sorted set).
    ///
    /// # Panics
    /// When the server cannot be read.
    pub fn dump(&self) -> Vec<(Vec<u8>, Vec<Vec<u8>>)> {
        let mut connection = self.connection();
        let keys: Vec<Vec<u8>> = ::redis::cmd("KEYS")
            .arg("*")
            .query(&mut connection)
            .expect("KEYS");
        keys.into_iter()
            .map(|key| {
                let kind: String = ::redis::cmd("TYPE")
                    .arg(&key)
                    .query(&mut connection)
                    .expect("TYPE");
                let (command, extra): (&str, &[&str]) = match kind.as_str() {
                    "string" => ("GET", &[]),
                    "hash" => ("HGETALL", &[]),
                    "list" => ("LRANGE", &["0", "-1"]),
                    "set" => ("SMEMBERS", &[]),
                    "zset" => ("ZRANGE", &["0", "-1", "WITHSCORES"]),
                    // Gone since KEYS (expired), or a type the client never writes.
                    _ => return (key, Vec::new()),
                };
                let value: ::redis::Value = ::redis::cmd(command)
                    .arg(&key)
                    .arg(extra)
                    .query(&mut connection)
                    .expect("a value");
                (key, flatten(value))
            })
            .collect()
    }

    /// Kills the server (SIGKILL) and waits for it: Redis dies mid-run.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Every byte string in a reply.
fn flatten(value: ::redis::Value) -> Vec<Vec<u8>> {
    use ::redis::Value;
    match value {
        Value::BulkString(bytes) => vec![bytes],
        Value::SimpleString(text) => vec![text.into_bytes()],
        Value::Int(n) => vec![n.to_string().into_bytes()],
        Value::Array(items) | Value::Set(items) => items.into_iter().flat_map(flatten).collect(),
        Value::Map(pairs) => pairs
            .into_iter()
            .flat_map(|(k, v)| flatten(k).into_iter().chain(flatten(v)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
