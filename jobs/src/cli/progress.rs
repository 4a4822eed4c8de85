//! A job's progress on stderr: a bar on a terminal, else a line every few seconds. Each
//! job turns its events into [`Tick`]s; the counts and the time left are worked out here.
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Off a terminal, a line at most this often.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// What a job's event means for its progress.
#[derive(Debug)]
pub(super) enum Tick {
    /// Items found so far (listed, scanned).
    Found(u64),
    /// The work after the listing begins, with this many items.
    Pending(u64),
    /// An item's long step started (an export, an import).
    Started,
    /// An item's long step ended.
    Ended,
    /// An item is done.
    Done,
    /// An item failed.
    Failed,
    /// A line to print as it is.
    Note(String),
}

/// The counts per phase, from the events so far.
#[derive(Debug, Default)]
struct Counts {
    /// What the job calls its items found and its long step (`listed`, `exporting`).
    words: (&'static str, &'static str),
    listed: u64,
    pending: u64,
    started: u64,
    exported: u64,
    saved: u64,
    failed: u64,
    /// When the work after the listing began.
    working_since: Option<Instant>,
}

impl Counts {
    fn line(&self) -> String {
        let exporting = self.started.saturating_sub(self.exported);
        let eta = self
            .eta()
            .map_or_else(String::new, |eta| format!(", about {} left", human(eta)));
        let (found, long_step) = self.words;
        format!(
            "{found} {}, {long_step} {exporting}, done {}/{}, failed {}{eta}",
            self.listed, self.saved, self.pending, self.failed
        )
    }

    /// Time left at the pace so far (the rate limits set it).
    fn eta(&self) -> Option<Duration> {
        let since = self.working_since?.elapsed();
        let finished = self.saved + self.failed;
        if finished < 5 || since.is_zero() {
            return None;
        }
        let left = self.pending.saturating_sub(finished) as f64;
        Some(Duration::from_secs_f64(
            left * since.as_secs_f64() / finished as f64,
        ))
    }
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// Where progress goes; cheap to clone, shared by the run's tasks.
#[derive(Clone)]
pub(super) struct Progress {
    job: &'static str,
    counts: Arc<Mutex<Counts>>,
    bar: Option<ProgressBar>,
    last_line: Arc<Mutex<Instant>>,
}

impl Progress {
    /// Progress of `job`, which calls its items found and its long step `words`.
    pub(super) fn start(job: &'static str, words: (&'static str, &'static str)) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template(&format!("{{spinner}} {job}: {{msg}}"))
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            job,
            counts: Arc::new(Mutex::new(Counts {
                words,
                ..Counts::default()
            })),
            bar,
            last_line: Arc::new(Mutex::new(Instant::now())),
        }
    }

    pub(super) fn record(&self, tick: Tick) {
        let line = {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            match tick {
                Tick::Found(items) => counts.listed = items,
                Tick::Pending(items) => {
                    counts.pending = items;
                    counts.working_since = Some(Instant::now());
                }
                Tick::Started => counts.started += 1,
                Tick::Ended => counts.exported += 1,
                Tick::Done => counts.saved += 1,
                Tick::Failed => counts.failed += 1,
                Tick::Note(line) => self.print(&format!("{}: {line}", self.job)),
            }
            counts.line()
        };
        match &self.bar {
            Some(bar) => bar.set_message(line),
            None => {
                let mut last = self.last_line.lock().unwrap_or_else(|p| p.into_inner());
                if last.elapsed() >= LINE_EVERY {
                    *last = Instant::now();
                    drop(last);
                    self.print(&format!("{}: {line}", self.job));
                }
            }
        }
    }

    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            // Not `eprintln!`: a closed stderr must not panic the run.
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
