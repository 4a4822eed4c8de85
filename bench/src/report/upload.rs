//! The uploads section: the CLI's peak memory while it uploads (and migrates) a large file
//! in parts, and its throughput next to curl sending the same bytes in one request.

use super::verdict::met;
use crate::upload;
use std::fmt::Write as _;

pub fn section(r: &mut String, command: &str, u: &upload::Result) {
    let s = u.sizes;
    let mib = s.bytes as f64 / 1024.0 / 1024.0;
    let part_mib = upload::PART_BYTES / 1024 / 1024;
    let _ = writeln!(
        r,
        "\n## Uploads ({mib:.0} MiB, `taskapi upload` and `taskapi migrate` against `taskapi serve-fake --tree 0 --uploads`)\n"
    );
    let _ = writeln!(
        r,
        "A file of {bytes} bytes (random-looking, written once in 1 MiB chunks to a tmpdir, \
         in the page cache for every run) uploaded to `taskapi serve-fake --tree 0 --uploads` in another \
         process, {rounds} rounds; {pinning}. Ours: `taskapi --base-url URL --rate-limit off \
         upload FILE {folder}` under the `measure-child` wrapper, which gives its peak RSS and \
         its wall time from process start to exit; each run must exit with 0 and print \
         `\"parts\": {parts}` (the size over {part_mib} MiB, rounded up). Over 20 MB the \
         protocol takes a file in parts: a prepare call, then one `upload_part` request of \
         {part_mib} MiB per block, read from the file as it goes (one part in memory), then a \
         finish call: {parts} requests of the body, each answered before the next is sent. \
         `--rate-limit off`: the upload endpoints are documented at 5 calls a second, which \
         alone would make {parts} parts take about {limited:.0} s. Curl: `curl -sS -o \
         /dev/null -F file=@FILE -F file_name=x -F parent_type=explorer -F \
         parent_node={folder} -F size={bytes} URL{all}`, the same bytes in one multipart \
         request (the fake takes any size in one request, reading the whole body before it \
         answers; the real API takes at most 20 MB so), timed the same way. The two alternate \
         which goes first each round; the ratio is our MB/s over curl's in the same round. \
         `taskapi migrate folder DIR {folder} --json` runs each round on a folder of its own \
         holding the same file (a hard link): the whole job, record and all (the file is \
         no import's type, so it goes as a plain file, in the same parts); it must report the \
         file done. MB = 10⁶ bytes.\n",
        bytes = s.bytes,
        rounds = s.rounds,
        pinning = u.pinning,
        folder = upload::FOLDER,
        parts = u.parts,
        limited = u.parts as f64 / 5.0,
        all = upload::UPLOAD_ALL,
    );
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n\
         | `taskapi upload`: parts | {} |\n\
         | `taskapi upload`: peak RSS, MiB | {} |\n\
         | `taskapi upload`: wall time, s | {} |\n\
         | `taskapi upload`: MB/s | {} |\n\
         | `taskapi upload`: CPU time, s | {} |",
        u.parts,
        u.peak_mib.show(1),
        u.seconds.show(2),
        u.mb_per_s.show(0),
        u.cpu_seconds.show(2),
    );
    let _ = writeln!(
        r,
        "| `taskapi migrate` of a folder holding the file: peak RSS, MiB | {} |\n\
         | `taskapi migrate`: wall time, s | {} |\n\
         | `taskapi migrate`: MB/s | {} |",
        u.migrate_peak_mib.show(1),
        u.migrate_seconds.show(2),
        u.migrate_mb_per_s.show(0),
    );
    if let (Some(version), Some(peak), Some(seconds), Some(rate), Some(cpu), Some(ratio)) = (
        &u.curl_version,
        &u.curl_peak_mib,
        &u.curl_seconds,
        &u.curl_mb_per_s,
        &u.curl_cpu_seconds,
        &u.ratio,
    ) {
        let _ = writeln!(
            r,
            "| {version}, one request: peak RSS, MiB | {} |\n\
             | {version}, one request: wall time, s | {} |\n\
             | {version}, one request: MB/s | {} |\n\
             | {version}, one request: CPU time, s | {} |\n\
             | ratio, ours over curl's MB/s | {} |",
            peak.show(1),
            seconds.show(2),
            rate.show(0),
            cpu.show(2),
            ratio.show(3),
        );
    }
    if let Some(ratio) = &u.migrate_ratio {
        let _ = writeln!(
            r,
            "| ratio, `migrate` over curl's MB/s | {} |",
            ratio.show(3)
        );
    }
    let _ = writeln!(
        r,
        "\nBoth sides wait on the fake more than they work (compare their CPU times with \
         their wall times): on its one CPU it does the same work per byte for each (it reads a \
         request's body whole, splits the form, copies the file out, checksums and hashes \
         it), but on curl's one request it does so in buffers the size of the whole file, \
         where a part's are {part_mib} MiB, and it answers only after the last byte. So the \
         ratio says what the part protocol's {parts} requests cost this upload against this \
         fake, not which client sends faster: a ratio above 1 is most likely the fake's \
         handling of one very large body, not ours outrunning curl.",
        parts = u.parts,
    );
    let full_size = s.bytes >= 1 << 30;
    let size_note = if full_size {
        String::new()
    } else {
        format!(" (measured on {mib:.0} MiB, not 1 GiB: a quick run)")
    };
    let ratio_verdict = match (&u.ratio, &u.migrate_ratio) {
        (Some(ratio), Some(migrate)) => format!(
            "throughput at least {} of curl's (median), upload: {}, migrate: {}",
            upload::TARGET_RATIO,
            met(ratio.median >= upload::TARGET_RATIO),
            met(migrate.median >= upload::TARGET_RATIO)
        ),
        _ => format!(
            "throughput at least {} of curl's: not measured (no curl installed)",
            upload::TARGET_RATIO
        ),
    };
    let _ = writeln!(
        r,
        "\nTargets: an upload and a migration under {:.0} MiB in every run{size_note}: {}, \
         {}; {ratio_verdict}. Reproduce: `{command}`.",
        upload::TARGET_PEAK_MIB,
        met(u.peak_mib.max < upload::TARGET_PEAK_MIB),
        met(u.migrate_peak_mib.max < upload::TARGET_PEAK_MIB),
    );
}
