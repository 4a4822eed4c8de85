//! `taskapi backup` killed with SIGKILL at random moments, then run again, in a loop: the
//! record must make every rerun continue without repeating what was done.
//!
//! The seed of the moments is printed; `TASKAPI_CRASH_SEED=N` replays a failure.

mod common;

use common::{Fixture, check_mirror, text};
use std::time::Duration;
use taskapi_jobs::fake::{Source, TreeOptions};

/// Items in work at once in these runs: what may be in flight at each kill.
const JOBS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_then_rerun_fetches_each_file_once() {
    let seed = common::crash_seed();
    let mut rng = fastrand::Rng::with_seed(seed);
    let fx = Fixture::new(TreeOptions {
        items: 160,
        export_ready: Duration::from_millis(80),
        ..TreeOptions::default()
    })
    .await;
    let jobs = JOBS.to_string();
    let kills = common::kill_until_done(
        || fx.command("folder", common::FAST, &["--jobs", &jobs]),
        &mut rng,
        60,
    )
    .await;
    let output = fx.backup("folder", &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let status = fx.status().await;
    let files = check_mirror(&fx.tree, Source::Drive, &fx.target(), &status);
    let documents = fx
        .tree
        .items()
        .iter()
        .filter(|i| i.source == Source::Drive)
        .filter(|i| fx.tree.creates(&i.obj_token) > 0)
        .count();
    // A started export is polled, never started again: a document's tasks before its
    // last were never polled (their tickets died with a killed run before being recorded).
    for item in fx.tree.items().iter().filter(|i| i.source == Source::Drive) {
        let polls = fx.tree.export_polls(&item.obj_token);
        if let Some((_, earlier)) = polls.split_last() {
            assert!(
                earlier.iter().all(|p| *p == 0),
                "{}: an export polled, then started again: polls per task {polls:?}",
                item.token
            );
        }
    }
    // A create, or a download, is repeated only when a kill took it in flight.
    let in_flight = kills * JOBS;
    assert!(
        fx.tree.total_creates() <= documents + in_flight,
        "{} creates for {documents} documents with {kills} kills",
        fx.tree.total_creates()
    );
    assert!(
        fx.tree.total_downloads() <= files + in_flight,
        "{} downloads for {files} files with {kills} kills",
        fx.tree.total_downloads()
    );
    // The last run (after a finished one) fetched nothing.
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.contains("this run: 0 exports, 0 files saved"),
        "{summary}"
    );
}
