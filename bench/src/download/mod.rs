//! Downloads: the generated client's throughput against `curl` fetching the same URL from
//! the same server, and the `taskapi` CLI's peak memory while it downloads a large file.
//!
//! The servers run in processes of their own, on their own CPU: `taskapi serve-fake
//! --download-size` (it makes the file's bytes as it sends them, any size in bounded memory,
//! and sets the pace: its CPU is the bottleneck), and, when installed, nginx serving the same
//! bytes from a file with `sendfile` (fast enough that the client's side sets the pace). The
//! library side is a long-lived child process (its own current-thread runtime and
//! connection) driven over stdin, like the client-overhead children: `download_export_file`
//! into /dev/null (`to_writer`) or into a file (`to_file`), timed inside the child from the
//! request to the last byte written. The curl side is one `curl -sSf -o DEST` process per
//! download, timed by curl itself (`%{time_total}`, which leaves out its process start):
//! neither figure includes starting a process. The two alternate download by download (the
//! order swapped every time) within a round, and a ratio is taken per round.
//!
//! `to_file` writes through a temporary file that it syncs (`fsync`) and renames onto the
//! target; `curl -o` neither syncs nor renames. So the file comparison is made twice: against
//! curl as it is, and against curl followed by an `fsync` of its file (timed by the bench,
//! added to curl's time), the same durability. Each download's file is synced before the
//! next starts, so that no download pays for another's write-back.
//!
//! Memory: the `taskapi` CLI (`<download id> --output FILE`) run under the `measure-child`
//! wrapper, which reads the peak resident set size of that one process (`ru_maxrss`).
//!
//! The files: `run.rs` measures against each server in turn, `rounds.rs` alternates the
//! two sides round by round; `library.rs` drives the library's child process, whose side is
//! `child.rs`; `curl.rs` and `cli.rs` run those programs; `content.rs` is what every
//! download fetches, `figures.rs` what they come to.

mod child;
mod cli;
mod content;
mod curl;
mod figures;
mod library;
mod rounds;
mod run;

pub use child::child;
pub use content::{BYTES, download_path, write_content};
pub use curl::version as curl_version;
pub use figures::{PEAK_TARGET_KIB, Pair, RATIO_TARGET, Result, Sizes};
pub use run::run;
