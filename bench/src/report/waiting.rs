//! The waiter efficiency section: the generated waiter's polls and detection delay against
//! polling every 5 s, on a simulated clock.

use super::verdict::met;
use crate::waiting;
use std::fmt::Write as _;

/// The table of job lengths, then the targets against polling every 5 s.
pub fn section(r: &mut String, waiting: &[waiting::JobResult]) {
    let _ = writeln!(
        r,
        "\n## Waiter efficiency (simulated clock, drive export defaults)\n"
    );
    let _ = writeln!(
        r,
        "| job length (s) | polls | detection delay (s) | fixed 5 s: polls | fixed 5 s: delay (s) | delay bound (s) |"
    );
    let _ = writeln!(r, "| ---: | ---: | ---: | ---: | ---: | ---: |");
    for w in waiting {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} | {:.1} |",
            w.job_secs,
            w.polls.show(0),
            w.delay_secs.show(2),
            w.fixed_polls,
            w.fixed_delay_secs,
            w.delay_bound_secs
        );
    }
    let fewer = waiting
        .iter()
        .filter(|w| w.job_secs >= 60)
        .all(|w| w.polls.max < w.fixed_polls as f64);
    let bounded = waiting
        .iter()
        .all(|w| w.delay_secs.max <= w.delay_bound_secs);
    let _ = writeln!(
        r,
        "\nTargets: fewer polls than fixed 5 s from 60 s on, in every run: {}; detection delay at most 20% of the job + the minimum delay, in every run: {}.",
        met(fewer),
        met(bounded)
    );
}
