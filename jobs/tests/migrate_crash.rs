//! `taskapi migrate` killed with SIGKILL at random moments (between an upload and its
//! import, during a part upload, right after a create was sent, between an import and its
//! move into a wiki), then run again, in a loop: no folder, node, document or file may be
//! made twice, and every file arrives once.
//!
//! The seed of the moments is printed; `TASKAPI_CRASH_SEED=N` replays a failure.

mod common;

use common::local::make_tree;
use common::migration::{Migration, check_arrived_in};
use common::text;
use std::time::Duration;
use taskapi_jobs::fake::{FakeTree, Source};

/// Entries in work at once in these runs: what may be in flight at each kill.
const JOBS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_then_rerun_makes_nothing_twice() {
    let fx = Migration::new().await;
    let seed = common::crash_seed();
    let (files, folders) = make_tree(&fx.source(), seed, 120, true);
    let kills = kill_until_done(&fx, seed, "folder", FakeTree::ROOT_FOLDER).await;
    check_arrived_in(&fx.tree, Source::Drive, &files, &folders);
    // A create is repeated only when the one before never reached the server: at most
    // one per entry in work at each kill.
    let creates = fx.tree.import_creates() + fx.tree.file_creates() + fx.tree.folder_creates();
    let entries = files.len() + folders.len();
    assert!(
        creates <= entries + kills * JOBS,
        "{creates} creates for {entries} entries and {kills} kills"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_migration_into_a_wiki_then_rerun_makes_nothing_twice() {
    let fx = Migration::new().await;
    let seed = common::crash_seed();
    let (files, folders) = make_tree(&fx.source(), seed, 60, false);
    let kills = kill_until_done(&fx, seed, "wiki", FakeTree::SPACE_ID).await;
    check_arrived_in(&fx.tree, Source::Wiki, &files, &folders);
    let creates = fx.tree.wiki_node_creates() + fx.tree.import_creates() + fx.tree.file_creates();
    let entries = files.len() + folders.len();
    assert!(
        creates <= entries + kills * JOBS,
        "{creates} creates for {entries} entries and {kills} kills"
    );
}

/// Runs `migrate <which> DIR <target>` killed at random moments until a run ends by
/// itself, then once more to its end. Returns the kills.
async fn kill_until_done(fx: &Migration, seed: u64, which: &str, target: &str) -> usize {
    let mut rng = fastrand::Rng::with_seed(seed);
    fx.tree.set_import_ready(Duration::from_millis(150));
    let jobs = JOBS.to_string();
    // Imports whose reply was lost are looked for a few seconds, long enough for the
    // fake's tasks to end, short enough for the loop.
    let extra = ["--jobs", &jobs, "--reconcile-wait", "3"];
    let command = || fx.command_into(which, target, common::FAST, &extra);
    let kills = common::kill_until_done(command, &mut rng, 80).await;
    let output = command().output().await.unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    kills
}
