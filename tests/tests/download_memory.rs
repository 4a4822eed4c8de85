//! A large download through the real `taskapi` binary streams to disk: the child's peak
//! resident memory stays bounded whatever the file's size. Its own test binary, so that the
//! only process measured is the one it starts.

mod common;

use std::io::{Read, Seek, SeekFrom};
use std::process::{Command, Stdio};
use taskapi::cli::EXIT_OK;
use taskapi::testing::{FakeServer, content, content_byte};

const SIZE: u64 = 200 * 1024 * 1024;
const PEAK_LIMIT_KIB: i64 = 64 * 1024;

/// Waits for `child` and returns its exit code and its own peak RSS in KiB (`ru_maxrss` of
/// `wait4`: this child's figure alone, where `getrusage(RUSAGE_CHILDREN)` would also count
/// the `cargo build` that `common::taskapi_binary` may have run).
fn wait_with_peak_rss(child: std::process::Child) -> (Option<i32>, i64) {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");
    let mut status: libc::c_int = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: `pid` is our own child, not yet waited for (std never reaps on its own, and
    // `child` is only dropped after this); `status` and `usage` point to memory of the right
    // types that outlives the call, and `wait4` fills `usage` completely when it returns the
    // pid, which is checked before `assume_init`.
    let usage = unsafe {
        let reaped = libc::wait4(pid, &mut status, 0, usage.as_mut_ptr());
        assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
        usage.assume_init()
    };
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports `ru_maxrss` in KiB.
    (code, usage.ru_maxrss)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_mb_download_through_the_cli_stays_in_bounded_memory() {
    let binary = tokio::task::spawn_blocking(common::taskapi_binary)
        .await
        .unwrap();
    let model = common::model();
    let (provider, endpoint) = common::endpoints(&model)
        .into_iter()
        .find(|(_, e)| e.json_response().is_none())
        .expect("a download endpoint in the specs");

    let fake = FakeServer::start().await.unwrap();
    fake.set_download_size(SIZE);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.bin");
    let logs = tempfile::tempdir().unwrap();
    let args = common::with_output(&common::required_args(endpoint, dir.path()), &target);
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let child = Command::new(&binary)
        .arg(&endpoint.id)
        .args(&args)
        .args(["--base-url", &fake.uri()])
        .env(&provider.token_env, "t-memory-test-token")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let (code, peak_kib) = tokio::task::spawn_blocking(move || wait_with_peak_rss(child))
        .await
        .unwrap();
    let stdout = std::fs::read_to_string(&stdout_path).unwrap();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap();
    let what = format!("{} of {SIZE} bytes", endpoint.id);
    assert_eq!(
        code,
        Some(EXIT_OK),
        "{what}: stdout {stdout:?}, stderr {stderr:?}"
    );
    assert_eq!(fake.requests(&endpoint.id), 1, "{what}: requests");

    let printed: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        printed["bytes"],
        serde_json::json!(SIZE),
        "{what}: {printed}"
    );
    let mut file = std::fs::File::open(&target).unwrap();
    assert_eq!(file.metadata().unwrap().len(), SIZE, "{what}: file size");
    for offset in [0, 1, 4095, 65_536, SIZE / 3, SIZE / 2 + 7, SIZE - 4096] {
        let mut window = vec![0; 4096];
        file.seek(SeekFrom::Start(offset)).unwrap();
        file.read_exact(&mut window).unwrap();
        assert!(
            window == content(offset..offset + 4096),
            "{what}: bytes from {offset} differ"
        );
    }
    let mut last = [0u8];
    file.seek(SeekFrom::Start(SIZE - 1)).unwrap();
    file.read_exact(&mut last).unwrap();
    assert_eq!(last[0], content_byte(SIZE - 1), "{what}: last byte");

    println!(
        "peak RSS of the taskapi child downloading {} MiB: {peak_kib} KiB ({:.1} MiB)",
        SIZE / (1024 * 1024),
        peak_kib as f64 / 1024.0
    );
    assert!(
        peak_kib > 0 && peak_kib < PEAK_LIMIT_KIB,
        "{what}: the taskapi child peaked at {peak_kib} KiB, over {PEAK_LIMIT_KIB} KiB"
    );
}
