//! The token single-flight section: how many token requests many concurrent first calls make.

use super::verdict::met;
use crate::tokens;
use std::fmt::Write as _;

/// The token requests per run (the target: one) and the wall time.
pub fn section(r: &mut String, tokens: &tokens::Result) {
    let _ = writeln!(
        r,
        "\n## Token single-flight ({} concurrent first calls, managed credentials)\n",
        tokens.concurrent
    );
    let _ = writeln!(
        r,
        "Token requests per run: {:?} (must be 1: {}). Wall time for all calls: {} ms.",
        tokens.token_requests,
        met(tokens.token_requests.iter().all(|n| *n == 1)),
        tokens.wall_ms.show(1)
    );
}
