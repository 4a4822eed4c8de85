//! What the generated code costs its users to compile, as the endpoints grow: `cargo check`
//! of the client crate with N synthetic endpoints beside the real ones, against the output of
//! an earlier revision's generator in the same run (`--baseline REV`); and `cargo build`
//! (debug) of an app that names one API family against one with every family.
//!
//! Everything builds in scratch workspaces (`scratch.rs`) sharing one target dir, so the
//! dependencies build once. Each measurement is a re-build of the client crate alone (its
//! root touched), non-incremental as an app's build of a dependency is; what is compared is
//! measured alternately, a pair per run, and each ratio is taken within its pair.

mod generators;
mod scratch;

use crate::stats::Summary;
use crate::synthetic;
use generators::Generator;
use scratch::{APP_ALL, APP_ONE, Scratch, cargo};
use std::path::Path;

/// The figures at one size.
pub struct CheckResult {
    pub endpoints: usize,
    /// Lines this checkout's generator wrote (real and synthetic endpoints).
    pub lines: usize,
    /// `cargo check` of the client crate, seconds.
    pub seconds: Summary,
    pub baseline: Option<Baseline>,
    pub families: Option<Families>,
}

/// The earlier revision's output at the same size.
pub struct Baseline {
    pub label: String,
    pub lines: usize,
    pub seconds: Summary,
    /// This checkout's check time over the baseline's, per pair.
    pub ratio: Summary,
}

/// `cargo build` (debug) of the two apps, the client crate rebuilt each time.
pub struct Families {
    pub family: String,
    pub family_endpoints: usize,
    pub one: Summary,
    pub all: Summary,
    /// One family's build time over all families', per pair.
    pub ratio: Summary,
}

/// Measures at each size, `runs` times; with `baseline`, that revision's generator too.
pub fn run(
    workspace: &Path,
    sizes: &[usize],
    runs: usize,
    baseline: Option<&str>,
) -> Result<Vec<CheckResult>, String> {
    if sizes.is_empty() {
        return Ok(Vec::new());
    }
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let target = scratch.path().join("target");
    let current = Generator::Current {
        workspace: workspace.to_path_buf(),
    };
    let family = synthetic::family_feature(0);
    let ours = Scratch::new(workspace, &scratch.path().join("current"), Some(&family))?;
    let theirs = match baseline {
        Some(rev) => {
            let generator = Generator::revision(workspace, rev, &scratch.path().join("rev"))?;
            let dir = scratch.path().join("baseline");
            let copy = Scratch::new(generator.tree(), &dir, None)?;
            Some((generator, copy))
        }
        None => None,
    };
    let mut results = Vec::new();
    for &size in sizes {
        let lines = current.install(&ours.krate, size)?;
        let their_lines = match &theirs {
            Some((generator, copy)) => Some(generator.install(&copy.krate, size)?),
            None => None,
        };
        eprintln!("  compile: {size} synthetic endpoints, first builds (not measured)");
        let check = ["check", "-p", "taskapi"];
        cargo(&ours.dir, &target, &check)?;
        if let Some((_, copy)) = &theirs {
            cargo(&copy.dir, &target, &check)?;
        }
        let (mut seconds, mut their_seconds, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            ours.touch()?;
            let s = cargo(&ours.dir, &target, &check)?;
            seconds.push(s);
            if let Some((_, copy)) = &theirs {
                copy.touch()?;
                let t = cargo(&copy.dir, &target, &check)?;
                their_seconds.push(t);
                ratios.push(s / t);
            }
        }
        let seconds = Summary::of(seconds);
        eprintln!("  compile: cargo check with {size} synthetic endpoints: {seconds} s");
        let baseline = theirs
            .as_ref()
            .zip(their_lines)
            .map(|((g, _), lines)| Baseline {
                label: g.label(),
                lines,
                seconds: Summary::of(their_seconds),
                ratio: Summary::of(ratios),
            });
        if let Some(b) = &baseline {
            eprintln!("  compile: the same with {}: {} s", b.label, b.seconds);
        }
        let families = families(&ours, &target, runs, &family, size)?;
        results.push(CheckResult {
            endpoints: size,
            lines,
            seconds,
            baseline,
            families: Some(families),
        });
    }
    Ok(results)
}

/// The two apps built alternately, the client crate rebuilt before each build.
fn families(
    ours: &Scratch,
    target: &Path,
    runs: usize,
    family: &str,
    size: usize,
) -> Result<Families, String> {
    let one_app = ["build", "-p", APP_ONE];
    let all_apps = ["build", "-p", APP_ALL];
    cargo(&ours.dir, target, &one_app)?;
    cargo(&ours.dir, target, &all_apps)?;
    let (mut one, mut all, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.touch()?;
        let a = cargo(&ours.dir, target, &one_app)?;
        ours.touch()?;
        let b = cargo(&ours.dir, target, &all_apps)?;
        one.push(a);
        all.push(b);
        ratios.push(a / b);
    }
    let result = Families {
        family: family.to_owned(),
        family_endpoints: synthetic::endpoints_in_family(0, size),
        one: Summary::of(one),
        all: Summary::of(all),
        ratio: Summary::of(ratios),
    };
    eprintln!(
        "  compile: cargo build, app with {family}: {} s; with every family: {} s",
        result.one, result.all
    );
    Ok(result)
}
