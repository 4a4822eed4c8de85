//! The compile cost section: `cargo check` of the client crate as the endpoints grow,
//! against an earlier revision's generator when the run had one, and `cargo build` of an app
//! with one API family against one with all.

use crate::compile;
use std::fmt::Write as _;

/// The tables; quick runs skip them.
pub fn section(r: &mut String, compile: &[compile::CheckResult]) {
    let _ = writeln!(
        r,
        "\n## Compile cost (the client crate, real + synthetic endpoints)\n"
    );
    if compile.is_empty() {
        let _ = writeln!(r, "Skipped in quick mode (it builds a scratch workspace).");
        return;
    }
    let _ = writeln!(
        r,
        "Each time is a re-build of the client crate alone (its root touched, dependencies \
         built), without incremental compilation, as cargo builds a registry dependency, in \
         scratch workspaces sharing one target dir; compared builds alternate, and a ratio \
         is taken per pair.\n"
    );
    check_table(r, compile);
    families_table(r, compile);
}

fn check_table(r: &mut String, compile: &[compile::CheckResult]) {
    let baseline = compile.iter().find_map(|c| c.baseline.as_ref());
    match baseline {
        Some(b) => {
            let _ = writeln!(
                r,
                "`cargo check`, this checkout's generator against {}'s:\n\n\
                 | synthetic endpoints | generated lines | lines at {} | cargo check (s) | at {} (s) | ratio |\n\
                 | ---: | ---: | ---: | ---: | ---: | ---: |",
                b.label, b.label, b.label
            );
        }
        None => {
            let _ = writeln!(
                r,
                "`cargo check`:\n\n| synthetic endpoints | generated lines | cargo check (s) |\n| ---: | ---: | ---: |"
            );
        }
    }
    for c in compile {
        let _ = match &c.baseline {
            Some(b) => writeln!(
                r,
                "| {} | {} | {} | {} | {} | {} |",
                c.endpoints,
                c.lines,
                b.lines,
                c.seconds.show(2),
                b.seconds.show(2),
                b.ratio.show(3)
            ),
            None => writeln!(
                r,
                "| {} | {} | {} |",
                c.endpoints,
                c.lines,
                c.seconds.show(2)
            ),
        };
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

fn families_table(r: &mut String, compile: &[compile::CheckResult]) {
    let rows: Vec<_> = compile
        .iter()
        .filter_map(|c| c.families.as_ref().map(|f| (c.endpoints, f)))
        .collect();
    let Some((_, first)) = rows.first() else {
        return;
    };
    let _ = writeln!(
        r,
        "\n`cargo build` (debug) of an app whose only dependency is the client crate: with \
         `default-features = false, features = [\"{}\"]` (one synthetic family) against the \
         defaults (every family):\n\n\
         | synthetic endpoints | endpoints in the family | one family (s) | every family (s) | ratio |\n\
         | ---: | ---: | ---: | ---: | ---: |",
        first.family
    );
    for (endpoints, f) in rows {
        let _ = writeln!(
            r,
            "| {endpoints} | {} | {} | {} | {} |",
            f.family_endpoints,
            f.one.show(2),
            f.all.show(2),
            f.ratio.show(3)
        );
    }
}
