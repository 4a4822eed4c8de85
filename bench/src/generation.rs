//! Generator speed and output size: load + validate + emit + format, for the real specs and
//! for synthetic sets of growing size.

use crate::stats::Summary;
use crate::synthetic;
use std::path::Path;
use std::time::Instant;

pub struct SetResult {
    pub name: String,
    pub endpoints: usize,
    /// Seconds per full generation.
    pub seconds: Summary,
    pub lines: usize,
}

impl SetResult {
    pub fn per_endpoint_ms(&self) -> Summary {
        let n = self.endpoints.max(1) as f64;
        Summary {
            median: self.seconds.median * 1000.0 / n,
            min: self.seconds.min * 1000.0 / n,
            max: self.seconds.max * 1000.0 / n,
            runs: self.seconds.runs,
        }
    }
}

fn time_generation(root: &Path, runs: usize) -> Result<(Summary, usize), String> {
    let mut seconds = Vec::new();
    let mut lines = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let files = codegen::generate(root, "specs").map_err(|e| e.to_string())?;
        seconds.push(started.elapsed().as_secs_f64());
        lines = files.iter().map(|f| f.contents.lines().count()).sum();
    }
    Ok((Summary::of(seconds), lines))
}

/// The real specs, then synthetic sets of each size.
pub fn run(workspace: &Path, sizes: &[usize], runs: usize) -> Result<Vec<SetResult>, String> {
    let real_endpoints = std::fs::read_dir(workspace.join("specs"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .filter_map(|provider| std::fs::read_dir(provider.path().join("endpoints")).ok())
        .map(|endpoints| endpoints.count())
        .sum();
    let (seconds, lines) = time_generation(workspace, runs)?;
    let mut results = vec![SetResult {
        name: "real specs".into(),
        endpoints: real_endpoints,
        seconds,
        lines,
    }];
    for &size in sizes {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        synthetic::write(dir.path(), size).map_err(|e| e.to_string())?;
        let (seconds, lines) = time_generation(dir.path(), runs)?;
        eprintln!("  generation: {size} synthetic endpoints: {seconds} s");
        results.push(SetResult {
            name: format!("synthetic {size}"),
            endpoints: size,
            seconds,
            lines,
        });
    }
    Ok(results)
}
