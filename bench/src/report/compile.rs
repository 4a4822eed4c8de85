//! The compile cost section: `cargo check` of the client crate as the endpoints grow.

use crate::compile;
use std::fmt::Write as _;

/// The table of `cargo check` times and the growth between the two sizes; quick runs skip
/// it.
pub fn section(r: &mut String, compile: &[compile::CheckResult]) {
    let _ = writeln!(
        r,
        "\n## Compile cost (`cargo check` of the client crate, real + synthetic endpoints)\n"
    );
    if compile.is_empty() {
        let _ = writeln!(r, "Skipped in quick mode (it builds a scratch workspace).");
    } else {
        let _ = writeln!(
            r,
            "| synthetic endpoints | cargo check (s) |\n| ---: | ---: |"
        );
        for c in compile {
            let _ = writeln!(r, "| {} | {} |", c.endpoints, c.seconds.show(2));
        }
        if let [small, large] = compile {
            let _ = writeln!(
                r,
                "\nGrowth {} -> {} endpoints: {:.1}x.",
                small.endpoints,
                large.endpoints,
                large.seconds.median / small.seconds.median
            );
        }
    }
}
