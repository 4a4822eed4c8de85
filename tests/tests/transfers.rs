//! File transfers against servers that stall or take too long, downloads into a folder
//! under the server's file name, and uploads checked against their file before anything is
//! sent. Driven by the specs: downloads, uploads and chains are found by their shape, none
//! is named here.

mod common;

use codegen::model::{Endpoint, Provider};
use codegen::spec::FileFactKind;
use common::cli;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};
use taskapi::cli::{EXIT_OK, EXIT_OUTPUT, EXIT_TRANSPORT, EXIT_USAGE};
use taskapi::runtime::MAX_RESUMPTIONS;
use taskapi::testing::{FakeServer, Fault, content};

/// A window carrying under 1000 bytes in 0.25 s cuts a transfer; no client-side rate limit
/// spaces the requests (these tests time transfers, not slots).
const PACE: [&str; 6] = [
    "--speed-limit",
    "1000",
    "--speed-time",
    "0.25",
    "--rate-limit",
    "off",
];
const WINDOW: Duration = Duration::from_millis(250);
/// Room for scheduling and process noise on a loaded machine, on top of a stated bound.
const SLACK: Duration = Duration::from_secs(3);

fn downloads<'m>(all: &[(&'m Provider, &'m Endpoint)]) -> Vec<(&'m Provider, &'m Endpoint)> {
    let found: Vec<_> = all
        .iter()
        .filter(|(_, e)| e.json_response().is_none())
        .copied()
        .collect();
    assert!(!found.is_empty(), "the specs declare no download");
    found
}

fn uploads<'m>(all: &[(&'m Provider, &'m Endpoint)]) -> Vec<(&'m Provider, &'m Endpoint)> {
    let found: Vec<_> = all
        .iter()
        .filter(|(_, e)| e.body.as_ref().is_some_and(|b| b.file.is_some()))
        .copied()
        .collect();
    assert!(!found.is_empty(), "the specs declare no upload");
    found
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

// ---- downloads that stall or take too long ----

#[tokio::test]
async fn a_dripping_download_is_cut_resumed_and_fails_within_its_bound() {
    // More than every attempt's burst together: the file cannot be had.
    const SIZE: u64 = 1_000_000;
    const BURST: u64 = 100_000;
    let model = common::model();
    for (provider, endpoint) in downloads(&common::endpoints(&model)) {
        let fake = FakeServer::start().await.unwrap();
        fake.set_download_size(SIZE);
        // Every reply: a burst, then a byte every 2 s, well within any read timeout.
        fake.endpoint_by_id(&endpoint.id)
            .unwrap()
            .fault(Fault::DripDownload {
                after: BURST,
                every: Duration::from_secs(2),
            });
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dripped.bin");
        let mut argv = common::with_output(&common::required_args(endpoint, dir.path()), &target);
        argv.extend(args(&PACE));
        let started = Instant::now();
        let out = cli(provider, endpoint, &argv, &fake.uri()).await;
        let took = started.elapsed();
        let what = format!("{} dripping after {BURST} bytes", endpoint.id);
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(
            out.stderr.contains("stalled") && out.stderr.contains("B/s"),
            "{what}: the error names the rate seen: {}",
            out.stderr
        );
        // Each attempt: the burst's window passes, the next one is cut.
        let attempts = MAX_RESUMPTIONS + 1;
        assert_eq!(
            fake.requests(&endpoint.id),
            attempts as usize,
            "{what}: requests"
        );
        let last = fake.last_request(&endpoint.id).unwrap();
        let resumed_at = BURST * u64::from(MAX_RESUMPTIONS);
        assert_eq!(
            last.header("range"),
            Some(format!("bytes={resumed_at}-").as_str()),
            "{what}: each resumption goes on from the bytes kept"
        );
        let bound = WINDOW * 2 * attempts;
        assert!(
            took < bound + SLACK,
            "{what}: took {took:?}, bound {bound:?}"
        );
        assert!(!target.exists(), "{what}: a partial file was left");
        assert!(
            names(dir.path())
                .iter()
                .all(|n| !n.ends_with("taskapi-part")),
            "{what}: a temporary file was left: {:?}",
            names(dir.path())
        );
    }
}

#[tokio::test]
async fn a_download_that_outlasts_its_transfer_time_fails_at_the_limit() {
    const LIMIT: Duration = Duration::from_secs(1);
    let model = common::model();
    for (provider, endpoint) in downloads(&common::endpoints(&model)) {
        let fake = FakeServer::start().await.unwrap();
        fake.set_download_size(1_000_000);
        // 50 bytes a second: over the floor set below, far from done at the limit.
        fake.endpoint_by_id(&endpoint.id)
            .unwrap()
            .fault(Fault::DripDownload {
                after: 10_000,
                every: Duration::from_millis(20),
            });
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("slow.bin");
        let mut argv = common::with_output(&common::required_args(endpoint, dir.path()), &target);
        argv.extend(args(&[
            "--speed-limit",
            "1",
            "--speed-time",
            "0.25",
            "--transfer-time",
            "1",
            "--rate-limit",
            "off",
        ]));
        let started = Instant::now();
        let out = cli(provider, endpoint, &argv, &fake.uri()).await;
        let took = started.elapsed();
        let what = format!("{} at 50 B/s", endpoint.id);
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(
            out.stderr.contains("time limit of 1.0s"),
            "{what}: {}",
            out.stderr
        );
        assert!(
            took >= LIMIT && took < LIMIT + SLACK,
            "{what}: took {took:?}"
        );
        assert_eq!(fake.requests(&endpoint.id), 1, "{what}: not resumed");
        assert!(!target.exists(), "{what}: a partial file was left");
    }
}

#[tokio::test]
async fn with_wait_and_output_a_command_ends_within_max_wait_plus_its_transfer_time() {
    const MAX_WAIT: Duration = Duration::from_millis(1500);
    const TRANSFER: Duration = Duration::from_secs(1);
    let model = common::model();
    let all = common::endpoints(&model);
    let mut chains = 0;
    for (provider, start) in &all {
        let Some(chain) = &start.starts else { continue };
        let poller = all.iter().find(|(_, e)| e.id == chain.next_id).unwrap().1;
        let Some(feed) = &poller.download else {
            continue;
        };
        chains += 1;
        let fake = FakeServer::start().await.unwrap();
        // Pending for about 1 s of the 1.5 s wait, then a download that never ends.
        fake.set_pending_polls(5);
        fake.set_download_size(1_000_000);
        fake.endpoint_by_id(&feed.next_id)
            .unwrap()
            .fault(Fault::DripDownload {
                after: 10_000,
                every: Duration::from_millis(20),
            });
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("fetched.bin");
        let mut argv = common::with_output(&common::required_args(start, dir.path()), &target);
        argv.extend(args(&[
            "--wait",
            "--min-delay",
            "0.2",
            "--max-delay",
            "0.2",
            "--max-wait",
            "1.5",
            "--transfer-time",
            "1",
            "--speed-limit",
            "1",
            "--rate-limit",
            "off",
        ]));
        let started = Instant::now();
        let out = cli(provider, start, &argv, &fake.uri()).await;
        let took = started.elapsed();
        let what = format!("{} --wait --output", start.id);
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(out.stderr.contains("time limit"), "{what}: {}", out.stderr);
        assert!(
            fake.requests(&feed.next_id) >= 1,
            "{what}: the download began"
        );
        assert!(
            took < MAX_WAIT + TRANSFER + SLACK,
            "{what}: took {took:?}, stated bound {:?}",
            MAX_WAIT + TRANSFER
        );
        assert!(!target.exists(), "{what}: a partial file was left");
    }
    assert!(
        chains > 0,
        "the specs declare no chain that ends in a download"
    );
}

// ---- downloads into a folder ----

#[tokio::test]
async fn a_download_into_a_folder_lands_under_the_servers_name_made_safe() {
    const SIZE: u64 = 70_000;
    // What the server names the file, and where it must land in the folder.
    let cases: [(Option<&str>, &str); 6] = [
        (Some("导出文件 export.bin"), "导出文件 export.bin"),
        (Some("../escape.bin"), "escape.bin"),
        (Some("/etc/cron.d/x"), "x"),
        (Some("..\\..\\win.ini"), "win.ini"),
        (Some(".."), "download"),
        (None, "download"),
    ];
    let model = common::model();
    for (provider, endpoint) in downloads(&common::endpoints(&model)) {
        for (given, expected) in cases {
            let what = format!("{} naming the file {given:?}", endpoint.id);
            let fake = FakeServer::start().await.unwrap();
            fake.set_download_size(SIZE);
            fake.set_download_name(given);
            let outer = tempfile::tempdir().unwrap();
            let folder = outer.path().join("into");
            std::fs::create_dir(&folder).unwrap();
            let argv = common::with_output(&common::required_args(endpoint, outer.path()), &folder);
            let out = cli(provider, endpoint, &argv, &fake.uri()).await;
            assert_eq!(out.exit_code, EXIT_OK, "{what}: {out:?}");
            let landed = folder.join(expected);
            let bytes = std::fs::read(&landed)
                .unwrap_or_else(|e| panic!("{what}: nothing at {}: {e}", landed.display()));
            assert!(bytes == content(0..SIZE), "{what}: content differs");
            let printed: Value = serde_json::from_str(out.stdout.trim()).unwrap();
            assert_eq!(
                printed["path"],
                landed.display().to_string(),
                "{what}: {printed}"
            );
            assert_eq!(
                names(&folder),
                [expected],
                "{what}: the folder holds the file only"
            );
            assert_eq!(names(outer.path()), ["into"], "{what}: nothing escaped");

            // The same name again: the file there is kept, and the download fails.
            let again = cli(provider, endpoint, &argv, &fake.uri()).await;
            assert_eq!(again.exit_code, EXIT_OUTPUT, "{what}, again: {again:?}");
            assert!(
                again.stderr.contains("never replaces"),
                "{what}: {}",
                again.stderr
            );
            assert!(std::fs::read(&landed).unwrap() == bytes, "{what}: replaced");
            assert_eq!(names(&folder), [expected], "{what}, again: leftovers");
        }
    }
}

#[tokio::test]
async fn the_fakes_files_carry_their_name_as_the_official_sdks_read_it() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let model = common::model();
    for (_, endpoint) in downloads(&common::endpoints(&model)) {
        let fake = FakeServer::start().await.unwrap();
        let mut path = endpoint.path_template.clone();
        let mut query = Vec::new();
        for param in endpoint.params.iter().filter(|p| p.required) {
            match param.location {
                codegen::spec::ParamIn::Path => {
                    path = path.replace(&format!("{{{}}}", param.wire), "x1");
                }
                codegen::spec::ParamIn::Query => query.push(format!("{}=x1", param.wire)),
                codegen::spec::ParamIn::Header => {}
            }
        }
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        // Raw bytes: HTTP clients hide the case of header names, which the Python SDK
        // looks `Content-Disposition` up by.
        let addr = fake.uri().trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.unwrap();
        let head = String::from_utf8_lossy(
            &reply[..reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap()],
        )
        .into_owned();
        assert!(
            head.contains("\r\nContent-Disposition: attachment; filename=\"")
                && head
                    .contains("filename*=UTF-8''%E5%AF%BC%E5%87%BA%E6%96%87%E4%BB%B6%20export.bin"),
            "{}: {head}",
            endpoint.id
        );
    }
}

// ---- uploads checked against their file ----

/// The CLI flag that sets an upload form's part `wire`.
fn flag_of<'e>(endpoint: &'e Endpoint, wire: &str) -> &'e str {
    let body = endpoint.body.as_ref().unwrap();
    let leaf = body
        .leaves
        .iter()
        .find(|l| l.wire_path == [wire])
        .unwrap_or_else(|| panic!("{}: no flag for part {wire}", endpoint.id));
    &leaf.cli_flag
}

#[tokio::test]
async fn a_stated_fact_the_file_contradicts_is_refused_before_any_request() {
    let model = common::model();
    let mut checked = 0;
    for (provider, endpoint) in uploads(&common::endpoints(&model)) {
        let file = endpoint.body.as_ref().unwrap().file.as_ref().unwrap();
        for (wire, fact) in &file.from_file {
            checked += 1;
            let dir = tempfile::tempdir().unwrap();
            let base = common::required_args(endpoint, dir.path());
            let uploaded = std::fs::read(dir.path().join("upload.bin")).unwrap();
            let wrong = match fact {
                FileFactKind::Size => (uploaded.len() + 1).to_string(),
                FileFactKind::Adler32 => (adler2::adler32_slice(&uploaded) ^ 1).to_string(),
            };
            let flag = flag_of(endpoint, wire);
            let mut argv = base.clone();
            argv.extend([format!("--{flag}"), wrong.clone()]);
            let fake = FakeServer::start().await.unwrap();
            let out = cli(provider, endpoint, &argv, &fake.uri()).await;
            let what = format!("{} --{flag} {wrong}", endpoint.id);
            assert_eq!(out.exit_code, EXIT_USAGE, "{what}: {out:?}");
            assert!(
                out.stderr.contains(&format!("--{flag}")),
                "{what}: {}",
                out.stderr
            );
            assert_eq!(fake.requests(&endpoint.id), 0, "{what}: sent anyway");

            // The true value is accepted, and sent as given.
            let right = match fact {
                FileFactKind::Size => uploaded.len().to_string(),
                FileFactKind::Adler32 => adler2::adler32_slice(&uploaded).to_string(),
            };
            let mut argv = base;
            argv.extend([format!("--{flag}"), right.clone()]);
            let out = cli(provider, endpoint, &argv, &fake.uri()).await;
            assert_eq!(
                out.exit_code, EXIT_OK,
                "{} --{flag} {right}: {out:?}",
                endpoint.id
            );
        }
    }
    assert!(checked > 0, "no upload states a fact of its file");
}

#[tokio::test]
async fn a_file_over_the_pages_maximum_is_refused_before_any_request() {
    let model = common::model();
    let mut checked = 0;
    for (provider, endpoint) in uploads(&common::endpoints(&model)) {
        let file = endpoint.body.as_ref().unwrap().file.as_ref().unwrap();
        let Some(max) = file.max_size else { continue };
        checked += 1;
        let dir = tempfile::tempdir().unwrap();
        let mut argv = common::required_args(endpoint, dir.path());
        // One byte over, sparse: no disk is spent on it.
        let big = std::fs::File::create(dir.path().join("upload.bin")).unwrap();
        big.set_len(max + 1).unwrap();
        drop(big);
        let fake = FakeServer::start().await.unwrap();
        let out = cli(provider, endpoint, &argv, &fake.uri()).await;
        let what = format!("{} with {} bytes", endpoint.id, max + 1);
        assert_eq!(out.exit_code, EXIT_USAGE, "{what}: {out:?}");
        let larger = file.larger.as_deref().unwrap();
        for needle in ["--file", &max.to_string(), larger] {
            assert!(
                out.stderr.contains(needle),
                "{what}: no {needle:?} in {}",
                out.stderr
            );
        }
        assert_eq!(fake.requests(&endpoint.id), 0, "{what}: sent anyway");
        // At the limit exactly, it goes.
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("upload.bin"))
            .unwrap()
            .set_len(max)
            .unwrap();
        argv.extend(args(&["--rate-limit", "off"]));
        let out = cli(provider, endpoint, &argv, &fake.uri()).await;
        assert_eq!(
            out.exit_code, EXIT_OK,
            "{} at {max} bytes: {out:?}",
            endpoint.id
        );
    }
    assert!(checked > 0, "no upload has a maximum size");
}

#[tokio::test]
async fn a_file_that_shrinks_between_two_attempts_fails_the_upload() {
    let model = common::model();
    for (provider, endpoint) in uploads(&common::endpoints(&model)) {
        if provider.rate_limit_reply.is_none() {
            continue;
        }
        let fake = FakeServer::start().await.unwrap();
        // Throttled first (the server surely did nothing, so the upload is sent again after
        // the reset), then the example.
        let script = fake.endpoint_by_id(&endpoint.id).unwrap();
        let example = script.example();
        script
            .fault(Fault::RateLimited { reset_seconds: 1 })
            .reply(&example);
        let dir = tempfile::tempdir().unwrap();
        let argv = common::required_args(endpoint, dir.path());
        let upload = dir.path().join("upload.bin");
        std::fs::write(&upload, vec![7u8; 50_000]).unwrap();
        let shrink = async {
            while fake.requests(&endpoint.id) == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            std::fs::write(&upload, vec![7u8; 20_000]).unwrap();
        };
        let base = fake.uri();
        let (out, ()) = tokio::join!(cli(provider, endpoint, &argv, &base), shrink);
        let what = format!("{} with a file cut from 50000 to 20000 bytes", endpoint.id);
        assert_eq!(out.exit_code, EXIT_USAGE, "{what}: {out:?}");
        assert!(
            out.stderr.contains("changed while being uploaded")
                && out.stderr.contains("50000")
                && out.stderr.contains("20000"),
            "{what}: {}",
            out.stderr
        );
        assert_eq!(
            fake.requests(&endpoint.id),
            1,
            "{what}: the second attempt was sent"
        );
    }
}

/// A server that takes connections and reads a request's head and a little of its body,
/// then reads no more (holding the connection): an upload to it stalls. Counts connections.
async fn stalling_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncReadExt as _;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    // A small receive buffer, inherited by accepted connections: the sender blocks soon.
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(16).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0; 64 * 1024];
                let _ = stream.read(&mut buf).await;
                tokio::time::sleep(Duration::from_secs(600)).await;
                drop(stream);
            });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn an_upload_that_stalls_is_cut_and_sent_again_since_the_server_cannot_have_acted() {
    const ATTEMPTS: usize = 2;
    let model = common::model();
    for (provider, endpoint) in uploads(&common::endpoints(&model)) {
        let file = endpoint.body.as_ref().unwrap().file.as_ref().unwrap();
        // Larger than any socket buffer, within the page's maximum.
        let size = file.max_size.unwrap_or(64 << 20).min(64 << 20);
        let dir = tempfile::tempdir().unwrap();
        let mut argv = common::required_args(endpoint, dir.path());
        let big = std::fs::File::create(dir.path().join("upload.bin")).unwrap();
        big.set_len(size).unwrap();
        drop(big);
        argv.extend(args(&PACE));
        argv.extend(args(&["--max-attempts", "2"]));
        let (url, connections) = stalling_server().await;
        let started = Instant::now();
        let out = cli(provider, endpoint, &argv, &url).await;
        let took = started.elapsed();
        let what = format!(
            "{} uploading {size} bytes to a server that stops reading",
            endpoint.id
        );
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(out.stderr.contains("stalled"), "{what}: {}", out.stderr);
        assert!(
            !out.stderr.contains("may or may not have acted"),
            "{what}: a form never received whole cannot have been acted on: {}",
            out.stderr
        );
        assert_eq!(
            connections.load(std::sync::atomic::Ordering::SeqCst),
            ATTEMPTS,
            "{what}: attempts"
        );
        assert!(
            took < WINDOW * 2 * ATTEMPTS as u32 + SLACK + Duration::from_secs(2),
            "{what}: took {took:?}"
        );
    }
}

#[tokio::test]
async fn an_upload_is_bounded_by_its_transfer_time_retries_included() {
    const LIMIT: Duration = Duration::from_secs(1);
    let model = common::model();
    for (provider, endpoint) in uploads(&common::endpoints(&model)) {
        let file = endpoint.body.as_ref().unwrap().file.as_ref().unwrap();
        let size = file.max_size.unwrap_or(64 << 20).min(64 << 20);
        let dir = tempfile::tempdir().unwrap();
        let mut argv = common::required_args(endpoint, dir.path());
        let big = std::fs::File::create(dir.path().join("upload.bin")).unwrap();
        big.set_len(size).unwrap();
        drop(big);
        // A floor that a window of 30 s would judge: only the time limit can end it.
        argv.extend(args(&[
            "--speed-limit",
            "1",
            "--speed-time",
            "30",
            "--transfer-time",
            "1",
            "--rate-limit",
            "off",
        ]));
        let (url, connections) = stalling_server().await;
        let started = Instant::now();
        let out = cli(provider, endpoint, &argv, &url).await;
        let took = started.elapsed();
        let what = format!(
            "{} to a server that stops reading, --transfer-time 1",
            endpoint.id
        );
        assert_eq!(out.exit_code, EXIT_TRANSPORT, "{what}: {out:?}");
        assert!(
            out.stderr.contains("time limit of 1.0s"),
            "{what}: {}",
            out.stderr
        );
        assert!(
            took >= LIMIT && took < LIMIT + SLACK,
            "{what}: took {took:?}"
        );
        assert_eq!(
            connections.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "{what}: no attempt after the limit"
        );
    }
}
