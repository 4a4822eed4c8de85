//! The lists section: items per second through `.items()` against a hand-written loop, and
//! the peak memory of `--all`.

use super::verdict::met;
use crate::lists;
use std::fmt::Write as _;

pub fn section(r: &mut String, command: &str, l: &lists::Result) {
    let s = l.sizes;
    let _ = writeln!(
        r,
        "\n## Lists (`feishu.drive.file.list` against `taskapi serve-fake --list-items`)\n"
    );
    let _ = writeln!(
        r,
        "{} items in pages of 200 (the documented maximum), {} rounds, each side once per \
         round, which goes first alternating: the generated `.items()` (retries, rate limit \
         off, tracing as for any call) and a hand-written reqwest loop decoding the same \
         fields. Then `taskapi feishu.drive.file.list --all --rate-limit off` over {} items, \
         stdout piped, {} runs.\n",
        s.items, s.rounds, s.cli_items, s.cli_runs
    );
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n\
         | items/s, generated `.items()` | {} |\n\
         | items/s, hand-written loop | {} |\n\
         | ratio, generated / hand-written (per round) | {} |\n\
         | `--all`: peak RSS, MiB | {} |\n\
         | `--all`: wall time, s | {} |",
        l.generated.show(0),
        l.hand_written.show(0),
        l.ratio.show(3),
        l.cli_peak_mib.show(1),
        l.cli_seconds.show(2),
    );
    let _ = writeln!(
        r,
        "\nTargets: ratio at least {} (median): {}; `--all` under {:.0} MiB in every run: {}. \
         Reproduce: `{command}`.",
        lists::TARGET_RATIO,
        met(l.ratio.median >= lists::TARGET_RATIO),
        lists::TARGET_PEAK_MIB,
        met(l.cli_peak_mib.max < lists::TARGET_PEAK_MIB),
    );
}
