//! The batch wait memory section: the peak memory one `BatchWaiter`'s pending tasks take.

use super::verdict::met;
use crate::batch;
use std::fmt::Write as _;

/// The table of task counts, then the target for 10,000 tasks.
pub fn section(r: &mut String, command: &str, b: &batch::Result) {
    let _ = writeln!(
        r,
        "\n## Batch wait memory (pending tasks of one `BatchWaiter`, simulated clock)\n"
    );
    let _ = writeln!(
        r,
        "A child process (`{command}` runs it as `taskapi-bench batch-child N`) waits with one \
         `BatchWaiter` for N drive exports that never end until each times out (600 s simulated, \
         the spec's default): each task is the real generated request (15-byte ticket, 27-byte \
         document token) answered without the network. Peak RSS (`getrusage`, with the bench's \
         allocator, mimalloc) with N tasks, less the same child with none ({:.0} KiB), per task.\n",
        b.empty_kib.median
    );
    let _ = writeln!(
        r,
        "| pending tasks | peak RSS (KiB) | bytes per task | polls per task |\n| ---: | ---: | ---: | ---: |"
    );
    for s in &b.sizes {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {:.1} |",
            s.tasks,
            s.peak_kib.show(0),
            s.bytes_per_task.show(0),
            s.polls_per_task
        );
    }
    if let Some(ten_k) = b.sizes.iter().find(|s| s.tasks == 10_000) {
        let mb = ten_k.bytes_per_task.max * 10_000.0 / 1e6;
        let _ = writeln!(
            r,
            "\nTarget: 10,000 pending tasks in under 20 MB: {mb:.1} MB in the worst run: {}.",
            met(mb < 20.0)
        );
    }
}
