//! The CLI cold start section: one query by the `taskapi` binary, process start to exit,
//! against curl making the same request.

use super::verdict::met;
use crate::cli_start;
use std::fmt::Write as _;

/// The table of both programs, their ratio, and whether an http base URL loads root
/// certificates.
pub fn section(r: &mut String, command: &str, cli: &cli_start::Result) {
    let _ = writeln!(
        r,
        "\n## CLI cold start (one drive-export query, process start to exit)\n"
    );
    let _ = writeln!(
        r,
        "`taskapi feishu.drive.export_task.get --ticket .. --token .. --base-url http://127.0.0.1:..` \
         against the `taskapi serve-fake` process, alternating with `curl -sSf` making the same \
         request; per round, the median of {} runs of each; median (min–max) over rounds.\n",
        cli.per_round
    );
    let _ = writeln!(r, "| program | ms per run |\n| --- | ---: |");
    let _ = writeln!(r, "| `taskapi` | {} |", cli.taskapi_ms.show(2));
    match (&cli.curl_ms, &cli.ratio) {
        (Some(curl), Some(ratio)) => {
            let _ = writeln!(r, "| `curl` | {} |", curl.show(2));
            let _ = writeln!(
                r,
                "\nRatio taskapi / curl, per round: {} (target at most 1.0: {}).",
                ratio.show(3),
                met(ratio.median <= 1.0)
            );
        }
        _ => {
            let _ = writeln!(r, "\ncurl is not installed: no comparison.");
        }
    }
    let _ = writeln!(
        r,
        "\nRoot certificates: an http base URL loads none (the query works with \
         `SSL_CERT_FILE`/`SSL_CERT_DIR` pointing nowhere): {}. Reproduce: `{command}`.",
        if cli.no_certificates_loaded {
            "yes"
        } else {
            "**no**"
        }
    );
}
