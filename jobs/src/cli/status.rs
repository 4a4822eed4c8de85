//! `taskapi backup status <DIR>`, and the summary a run ends with.

use crate::backup::Summary;
use crate::record::{Item, Job, Record, RecordError, State, StateCounts};
use serde::Serialize;
use std::path::Path;
use taskapi::runtime::cli::{EXIT_OK, Outcome};
use taskapi::runtime::with_causes;

/// The record of `dir`: counts per state, then a line per item (or one JSON object).
pub(super) fn print(dir: &Path, json: bool) -> Outcome {
    match read(dir) {
        Ok((source, counts, items)) => Outcome {
            exit_code: EXIT_OK,
            stdout: if json {
                #[derive(Serialize)]
                struct Status<'a> {
                    source: Option<String>,
                    counts: &'a StateCounts,
                    items: &'a [Item],
                }
                let status = Status {
                    source,
                    counts: &counts,
                    items: &items,
                };
                serde_json::to_string(&status).unwrap_or_default() + "\n"
            } else {
                text(source.as_deref(), &counts, &items)
            },
            stderr: String::new(),
        },
        Err(e @ RecordError::Missing { .. }) => Outcome::usage(e),
        Err(e) => Outcome::usage(with_causes(&e)),
    }
}

fn read(dir: &Path) -> Result<(Option<String>, StateCounts, Vec<Item>), RecordError> {
    let record = Record::open_to_read(dir, Job::Backup)?;
    let mut items = Vec::new();
    record.for_each(|item| items.push(item))?;
    Ok((record.source_key()?, record.counts()?, items))
}

fn text(source: Option<&str>, counts: &StateCounts, items: &[Item]) -> String {
    let mut out = format!("source: {}\n", source.unwrap_or("unknown"));
    for state in State::ALL {
        out.push_str(&format!("{:>10}: {}\n", state.as_str(), counts.get(state)));
    }
    out.push_str(&format!(
        "{:>10}: {}\n{:>10}: {}\n\n",
        "removed", counts.removed, "bytes", counts.bytes
    ));
    for item in items {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}{}\n",
            item.state.as_str(),
            item.kind,
            item.id,
            item.path.as_deref().or(item.dir.as_deref()).unwrap_or("-"),
            item.bytes.map_or_else(|| "-".to_owned(), |b| b.to_string()),
            item.reason.as_deref().unwrap_or(""),
            if item.removed {
                "\t(removed at the source)"
            } else {
                ""
            },
        ));
    }
    out
}

/// The line a run ends with on stderr.
pub(super) fn summary_line(summary: &Summary) -> String {
    let r = &summary.record;
    let mut line = format!(
        "backup: {} files done ({} bytes), {} folders, {} skipped, {} failed, {} removed at the source; \
         this run: {} exports, {} files saved ({} bytes) in {:.1} s\n",
        r.get(State::Done),
        r.bytes,
        r.get(State::Folder),
        r.get(State::Skipped),
        r.get(State::Failed),
        r.removed,
        summary.exports_started,
        summary.files_saved,
        summary.bytes_saved,
        summary.elapsed.as_secs_f64()
    );
    if summary.list_failures > 0 {
        line.push_str(&format!(
            "backup: {} folders could not be listed; run again to list them\n",
            summary.list_failures
        ));
    }
    if r.get(State::Failed) > 0 {
        line.push_str(
            "backup: see `taskapi backup status DIR`; --retry-failed tries the failed again\n",
        );
    }
    line
}
