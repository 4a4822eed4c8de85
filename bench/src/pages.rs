//! Page reading: `docread::read` over the fixture pages (docread/tests/pages/), taken in
//! turn until 200 are read, timed per run.

use crate::stats::Summary;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Pages read per run; the target is to read them in under a second.
pub const PAGES: usize = 200;
/// The target, in milliseconds per [`PAGES`] pages.
pub const TARGET_MS: f64 = 1000.0;

pub struct Result {
    /// Fixture pages, and their size in bytes.
    pub fixtures: usize,
    pub fixture_bytes: usize,
    pub pages_per_run: usize,
    /// Bytes read per run (the fixtures in turn, to `pages_per_run`).
    pub bytes_per_run: usize,
    /// Wall time of one run, milliseconds.
    pub run_ms: Summary,
}

impl Result {
    /// Microseconds per page, from the run times.
    pub fn per_page_us(&self) -> Summary {
        let per_page = 1000.0 / self.pages_per_run.max(1) as f64;
        Summary {
            median: self.run_ms.median * per_page,
            min: self.run_ms.min * per_page,
            max: self.run_ms.max * per_page,
            runs: self.run_ms.runs,
        }
    }

    /// Milliseconds per [`PAGES`] pages (the same as a run's time when a run reads that many).
    pub fn per_target_ms(&self) -> Summary {
        let factor = PAGES as f64 / self.pages_per_run.max(1) as f64;
        Summary {
            median: self.run_ms.median * factor,
            min: self.run_ms.min * factor,
            max: self.run_ms.max * factor,
            runs: self.run_ms.runs,
        }
    }
}

/// Every fixture page under `docread/tests/pages/` (not its README), sorted.
pub fn fixtures(root: &Path) -> std::result::Result<Vec<PathBuf>, String> {
    let dir = root.join("docread/tests/pages");
    let mut out = Vec::new();
    let mut dirs = vec![dir.clone()];
    // Each rendering has a directory; the README describes them.
    while let Some(d) = dirs.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot list {}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_none_or(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(format!("no fixture pages under {}", dir.display()));
    }
    Ok(out)
}

/// Reads the fixtures in turn until `pages_per_run` are read, `runs` times. The files are
/// read into memory first: only `docread::read` is timed.
pub fn run(root: &Path, pages_per_run: usize, runs: usize) -> std::result::Result<Result, String> {
    let texts: Vec<String> = fixtures(root)?
        .iter()
        .map(|p| {
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
        })
        .collect::<std::result::Result<_, _>>()?;
    // One untimed pass: caches and the allocator warmed, as in a long-running tool.
    for text in &texts {
        std::hint::black_box(docread::read(text));
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        for text in texts.iter().cycle().take(pages_per_run) {
            std::hint::black_box(docread::read(std::hint::black_box(text)));
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Result {
        fixtures: texts.len(),
        fixture_bytes: texts.iter().map(String::len).sum(),
        pages_per_run,
        bytes_per_run: texts
            .iter()
            .cycle()
            .take(pages_per_run)
            .map(String::len)
            .sum(),
        run_ms: Summary::of(times),
    })
}
