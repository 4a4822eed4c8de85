//! The generation section: the generator's time on the real specs and on synthetic sets of
//! growing size, and how the time grows with the endpoints.

use super::verdict::met;
use crate::{generation, stats, synthetic};
use std::fmt::Write as _;

/// The table of spec sets, then the targets for 1,000 endpoints.
pub fn section(r: &mut String, generation: &[generation::SetResult]) {
    let _ = writeln!(r, "## Generation (load + validate + emit + format)\n");
    let _ = writeln!(
        r,
        "Synthetic sets: one provider whose endpoints come in groups of four, shaped like the \
         real ones: {}. A set holds whole groups, then the start of one.\n",
        synthetic::GROUP
            .iter()
            .enumerate()
            .map(|(i, kind)| format!("({}) {kind}", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        r,
        "| spec set | endpoints | time (ms) | per endpoint (ms) | generated lines | lines per endpoint |"
    );
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for g in generation {
        let ms = stats::Summary {
            median: g.seconds.median * 1000.0,
            min: g.seconds.min * 1000.0,
            max: g.seconds.max * 1000.0,
            runs: g.seconds.runs,
        };
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} | {:.0} |",
            g.name,
            g.endpoints,
            ms.show(1),
            g.per_endpoint_ms().show(2),
            g.lines,
            g.lines as f64 / g.endpoints.max(1) as f64
        );
    }
    let by_size = |n: usize| {
        generation
            .iter()
            .find(|g| g.name == format!("synthetic {n}"))
    };
    if let (Some(hundred), Some(thousand)) = (by_size(100), by_size(1000)) {
        let growth = thousand.seconds.median / hundred.seconds.median;
        let _ = writeln!(
            r,
            "\nTargets: 1,000 endpoints in {:.3} s (under 1 s: {}); growth t(1000)/t(100) = {growth:.1}x (at most 12x: {}).",
            thousand.seconds.median,
            met(thousand.seconds.median < 1.0),
            met(growth <= 12.0)
        );
    }
}
