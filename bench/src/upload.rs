//! Uploads: `taskapi upload FILE FOLDER` of a large file, and `taskapi migrate folder DIR
//! FOLDER` of a folder holding it, against `taskapi serve-fake --tree 0 --uploads` (a
//! writable Drive in another process): the CLI's peak memory while it sends the file in
//! 4 MiB parts, and its throughput next to curl sending the same bytes in one multipart
//! request to the same fake.

use crate::measure;
use crate::servers::{self, CLIENT_CPU, Pinning};
use crate::stats::Summary;
use std::io::Write as _;
use std::path::Path;

const ACCESS_TOKEN: &str = "t-bench";
/// The folder the file goes into: the fake tree's root.
pub const FOLDER: &str = taskapi_jobs::fake::FakeTree::ROOT_FOLDER;
/// The block size the fake's prepare step gives: the protocol's 4 MB parts.
pub const PART_BYTES: u64 = 4 * 1024 * 1024;
/// The one-request route curl posts the whole file to.
pub const UPLOAD_ALL: &str = "/open-apis/drive/v1/files/upload_all";
/// The target for the upload's peak memory, MiB.
pub const TARGET_PEAK_MIB: f64 = 32.0;
/// The target for our MB/s over curl's (median of the rounds).
pub const TARGET_RATIO: f64 = 0.9;

#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// The file's size, bytes.
    pub bytes: u64,
    /// Rounds: one upload by each side, the first side alternating.
    pub rounds: usize,
}

pub struct Result {
    pub sizes: Sizes,
    /// Parts the CLI reported (each round the same, checked).
    pub parts: u64,
    /// The CLI: peak RSS MiB, wall seconds (process start to exit), MB/s.
    pub peak_mib: Summary,
    pub seconds: Summary,
    pub mb_per_s: Summary,
    /// CPU seconds of each side's process (user + system).
    pub cpu_seconds: Summary,
    pub curl_cpu_seconds: Option<Summary>,
    /// `curl 7.88.1`, or `None` when no curl is installed (its rows left out).
    pub curl_version: Option<String>,
    pub curl_peak_mib: Option<Summary>,
    pub curl_seconds: Option<Summary>,
    pub curl_mb_per_s: Option<Summary>,
    /// Per round, our MB/s over curl's.
    pub ratio: Option<Summary>,
    /// `taskapi migrate` of a folder holding the file: peak RSS MiB, wall seconds, MB/s,
    /// and per round its MB/s over curl's.
    pub migrate_peak_mib: Summary,
    pub migrate_seconds: Summary,
    pub migrate_mb_per_s: Summary,
    pub migrate_ratio: Option<Summary>,
    pub pinning: String,
}

pub fn run(taskapi: &Path, pinning: &Pinning, sizes: Sizes) -> std::result::Result<Result, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("upload.bin");
    write_file(&file, sizes.bytes)?;
    let fake = servers::fake_pinned_with(
        taskapi,
        pinning,
        &["--tree".into(), "0".into(), "--uploads".into()],
    )?;
    let curl = servers::find_program("curl");
    let curl_version = curl.as_deref().map(crate::download::curl_version);
    let parts = sizes.bytes.div_ceil(PART_BYTES);
    let mb = sizes.bytes as f64 / 1e6;

    let (mut peaks, mut seconds, mut rates, mut cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut curl_peaks, mut curl_seconds, mut curl_rates, mut curl_cpu, mut ratios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut migrate_peaks, mut migrate_seconds, mut migrate_rates, mut migrate_ratios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..sizes.rounds {
        let curl_first = round % 2 == 1;
        let mut ours = None;
        let mut theirs = None;
        for side in 0..2 {
            if (side == 0) == curl_first {
                if let Some(curl) = &curl {
                    theirs = Some(curl_upload(curl, pinning, &fake.url, &file, sizes.bytes)?);
                }
            } else {
                ours = Some(upload(taskapi, pinning, &fake.url, &file, parts)?);
            }
        }
        // A folder of its own each round (the file linked in, not copied): a folder
        // migrated before holds a record that says it is done.
        let folder = dir.path().join(format!("migrate-{round}"));
        std::fs::create_dir(&folder).map_err(|e| e.to_string())?;
        std::fs::hard_link(&file, folder.join("upload.bin")).map_err(|e| e.to_string())?;
        let migrated = migrate(taskapi, pinning, &fake.url, &folder)?;
        migrate_peaks.push(migrated.peak_kib / 1024.0);
        migrate_seconds.push(migrated.wall_seconds);
        migrate_rates.push(mb / migrated.wall_seconds);
        if let Some(theirs) = &theirs {
            migrate_ratios.push(theirs.wall_seconds / migrated.wall_seconds);
        }
        let ours = ours.ok_or("no upload ran")?;
        peaks.push(ours.peak_kib / 1024.0);
        seconds.push(ours.wall_seconds);
        rates.push(mb / ours.wall_seconds);
        cpu.push(ours.cpu_seconds);
        let mut line = format!(
            "    round {}: taskapi {:.0} MB/s, {:.1} MiB peak",
            round + 1,
            mb / ours.wall_seconds,
            ours.peak_kib / 1024.0
        );
        if let Some(theirs) = theirs {
            curl_peaks.push(theirs.peak_kib / 1024.0);
            curl_seconds.push(theirs.wall_seconds);
            curl_rates.push(mb / theirs.wall_seconds);
            curl_cpu.push(theirs.cpu_seconds);
            ratios.push(theirs.wall_seconds / ours.wall_seconds);
            line.push_str(&format!(
                "; curl {:.0} MB/s, {:.1} MiB peak; ratio {:.3}",
                mb / theirs.wall_seconds,
                theirs.peak_kib / 1024.0,
                theirs.wall_seconds / ours.wall_seconds
            ));
        }
        line.push_str(&format!(
            "; migrate {:.0} MB/s, {:.1} MiB peak",
            mb / migrated.wall_seconds,
            migrated.peak_kib / 1024.0
        ));
        eprintln!("{line}");
    }
    let with_curl = |values: Vec<f64>| curl.is_some().then(|| Summary::of(values));
    Ok(Result {
        sizes,
        parts,
        peak_mib: Summary::of(peaks),
        seconds: Summary::of(seconds),
        mb_per_s: Summary::of(rates),
        cpu_seconds: Summary::of(cpu),
        curl_cpu_seconds: with_curl(curl_cpu),
        curl_version,
        curl_peak_mib: with_curl(curl_peaks),
        curl_seconds: with_curl(curl_seconds),
        curl_mb_per_s: with_curl(curl_rates),
        ratio: with_curl(ratios),
        migrate_peak_mib: Summary::of(migrate_peaks),
        migrate_seconds: Summary::of(migrate_seconds),
        migrate_mb_per_s: Summary::of(migrate_rates),
        migrate_ratio: with_curl(migrate_ratios),
        pinning: pinning.describe(),
    })
}

/// Writes `bytes` of random-looking bytes (xorshift, so that nothing on the way can
/// compress them) to `path`, 1 MiB at a time: the file is never held in memory.
pub fn write_file(path: &Path, bytes: u64) -> std::result::Result<(), String> {
    let e = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(e)?);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunk = vec![0u8; 1 << 20];
    let mut left = bytes;
    while left > 0 {
        for word in chunk.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(chunk.len() as u64) as usize;
        out.write_all(&chunk[..n]).map_err(e)?;
        left -= n as u64;
    }
    out.into_inner()
        .map_err(|err| e(err.into_error()))?
        .sync_all()
        .map_err(e)
}

/// `taskapi --base-url URL --rate-limit off upload FILE FOLDER` under the measuring
/// wrapper: an error unless it exits with 0 and reports `parts` parts.
fn upload(
    taskapi: &Path,
    pinning: &Pinning,
    url: &str,
    file: &Path,
    parts: u64,
) -> std::result::Result<measure::Measured, String> {
    let mut command = measure::command(pinning, CLIENT_CPU, taskapi)?;
    command
        .args(["--base-url", url, "--rate-limit", "off", "upload"])
        .arg(file)
        .arg(FOLDER)
        .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
        .env_remove("FEISHU_APP_ID")
        .env_remove("FEISHU_APP_SECRET")
        .env_remove("RUST_LOG");
    let measured = measure::run(&mut command).map_err(|e| format!("upload: {e}"))?;
    let printed: serde_json::Value = serde_json::from_str(measured.stdout.trim())
        .map_err(|e| format!("upload printed {:?}: {e}", measured.stdout))?;
    if printed["parts"].as_u64() != Some(parts) {
        return Err(format!("upload printed {printed}: expected {parts} parts"));
    }
    Ok(measured)
}

/// `taskapi --base-url URL --rate-limit off migrate folder DIR FOLDER` under the measuring
/// wrapper: an error unless it exits with 0 (everything migrated).
fn migrate(
    taskapi: &Path,
    pinning: &Pinning,
    url: &str,
    dir: &Path,
) -> std::result::Result<measure::Measured, String> {
    let mut command = measure::command(pinning, CLIENT_CPU, taskapi)?;
    command
        .args([
            "--base-url",
            url,
            "--rate-limit",
            "off",
            "migrate",
            "folder",
        ])
        .arg(dir)
        .arg(FOLDER)
        .arg("--json")
        .env("FEISHU_ACCESS_TOKEN", ACCESS_TOKEN)
        .env_remove("FEISHU_APP_ID")
        .env_remove("FEISHU_APP_SECRET")
        .env_remove("RUST_LOG");
    let measured = measure::run(&mut command).map_err(|e| format!("migrate: {e}"))?;
    let printed: serde_json::Value = serde_json::from_str(measured.stdout.trim())
        .map_err(|e| format!("migrate printed {:?}: {e}", measured.stdout))?;
    if printed["record"]["states"]["done"].as_u64() != Some(1) {
        return Err(format!("migrate printed {printed}: expected one file done"));
    }
    Ok(measured)
}

/// curl posting the whole file to `upload_all` in one multipart request (read from the
/// file as it goes), under the measuring wrapper: an error unless the reply is a 200.
fn curl_upload(
    curl: &Path,
    pinning: &Pinning,
    url: &str,
    file: &Path,
    bytes: u64,
) -> std::result::Result<measure::Measured, String> {
    let mut command = measure::command(pinning, CLIENT_CPU, curl)?;
    command
        .args(["-sS", "-o", "/dev/null", "-w", "%{http_code}"])
        .arg("-F")
        .arg(format!("file=@{}", file.display()))
        .args(["-F", "file_name=x", "-F", "parent_type=explorer"])
        .args(["-F", &format!("parent_node={FOLDER}")])
        .args(["-F", &format!("size={bytes}")])
        .args(["-H", &format!("Authorization: Bearer {ACCESS_TOKEN}")])
        .arg(format!("{url}{UPLOAD_ALL}"));
    let measured = measure::run(&mut command).map_err(|e| format!("curl: {e}"))?;
    if measured.stdout.trim() != "200" {
        return Err(format!("curl's upload got HTTP {}", measured.stdout.trim()));
    }
    Ok(measured)
}
