//! `taskapi migrate` killed with SIGKILL at random moments (between an upload and its
//! import, during a part upload, right after a create was sent), then run again, in a
//! loop: no folder, document or file may be made twice, and every file arrives once.
//!
//! The seed of the moments is printed; `TASKAPI_CRASH_SEED=N` replays a failure.

mod common;

use common::local::make_tree;
use common::migration::{Migration, check_arrived};
use common::text;
use std::time::Duration;

/// Entries in work at once in these runs: what may be in flight at each kill.
const JOBS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_random_moments_then_rerun_makes_nothing_twice() {
    let seed = std::env::var("TASKAPI_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed: {seed} (TASKAPI_CRASH_SEED={seed} replays it)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let fx = Migration::new().await;
    fx.tree.set_import_ready(Duration::from_millis(150));
    let (files, folders) = make_tree(&fx.source(), seed, 120, true);
    let jobs = JOBS.to_string();
    // Imports whose reply was lost are looked for a few seconds, long enough for the
    // fake's tasks to end, short enough for the loop.
    let extra = ["--jobs", &jobs, "--reconcile-wait", "3"];
    let mut kills = 0;
    let mut finished = false;
    for _ in 0..80 {
        let mut child = fx
            .command(common::FAST, &extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let at = Duration::from_millis(rng.u64(30..900));
        match tokio::time::timeout(at, child.wait()).await {
            Ok(status) => {
                assert_eq!(status.unwrap().code(), Some(0), "a run ended badly");
                finished = true;
                break;
            }
            Err(_) => {
                child.start_kill().unwrap();
                child.wait().await.unwrap();
                kills += 1;
            }
        }
    }
    assert!(finished, "no run finished in 80 tries");
    assert!(kills > 0, "no run was killed: the moments are too late");
    eprintln!(
        "{kills} kills before a run finished; {} import creates for {} files",
        fx.tree.import_creates(),
        files.len()
    );
    let output = fx.run(&extra).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    // No duplicate of anything, every file's bytes once, nothing else.
    check_arrived(&fx.tree, &files, &folders);
    // A create is repeated only when the one before never reached the server: at most
    // one per entry in work at each kill.
    let creates = fx.tree.import_creates() + fx.tree.file_creates() + fx.tree.folder_creates();
    assert!(
        creates <= files.len() + folders.len() + kills * JOBS,
        "{creates} creates for {} entries and {kills} kills",
        files.len() + folders.len()
    );
}
