//! The page reading section: `docread::read` over the fixture pages.

use super::verdict::met;
use crate::pages;
use std::fmt::Write as _;

/// The time per page and per target, then the target.
pub fn section(r: &mut String, command: &str, p: &pages::Result) {
    let _ = writeln!(
        r,
        "\n## Reading doc pages (`docread::read`, {} pages per run)\n",
        p.pages_per_run
    );
    let _ = writeln!(
        r,
        "The {} fixture pages under docread/tests/pages/ (four renderings, {:.0} KiB in all), \
         read one after another in turn until {} are read ({:.1} MiB); the files are in memory \
         before the clock starts, and every page was read once, untimed, before the first run.\n",
        p.fixtures,
        p.fixture_bytes as f64 / 1024.0,
        p.pages_per_run,
        p.bytes_per_run as f64 / 1024.0 / 1024.0
    );
    let _ = writeln!(
        r,
        "| measure | figure |\n| --- | ---: |\n| ms per {} pages | {} |\n| µs per page | {} |",
        pages::PAGES,
        p.per_target_ms().show(2),
        p.per_page_us().show(1)
    );
    let _ = writeln!(
        r,
        "\nTarget: {} pages in under {:.0} s, in every run: {}. Reproduce: `{command}`.",
        pages::PAGES,
        pages::TARGET_MS / 1000.0,
        met(p.per_target_ms().max < pages::TARGET_MS)
    );
}
