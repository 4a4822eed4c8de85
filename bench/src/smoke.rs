//! Keeps the benchmark code from rotting: each part runs, tiny, in-process. Nothing
//! here asserts a time.

#[test]
fn every_part_runs() {
    let root = codegen::workspace_root().unwrap();
    let generation = crate::generation::run(&root, &[4], 1).unwrap();
    assert_eq!(generation.len(), 2);
    assert!(generation.iter().all(|g| g.lines > 0));
    let tokens = crate::tokens::run(50, 1).unwrap();
    assert_eq!(tokens.token_requests, [1]);
    let waiting = crate::waiting::run(&[2, 60], 1).unwrap();
    assert!(waiting[1].polls.median < waiting[1].fixed_polls as f64);
    let batch = crate::batch::simulate(100).unwrap();
    assert_eq!(batch.timed_out, 100);
    assert!(batch.polls > 100 * 10, "{batch:?}");
    let fixtures = crate::pages::fixtures(&root).unwrap();
    assert!(fixtures.len() >= 17 && fixtures.iter().all(|p| !p.ends_with("README.md")));
    let pages = crate::pages::run(&root, fixtures.len() + 3, 1).unwrap();
    assert!(pages.bytes_per_run > pages.fixture_bytes);
    // The record's side of the backup part (its backups need the release binary:
    // `cargo xtask bench --quick --only backup`).
    let (medians, p99s) = crate::backup::record_changes(5, 1).unwrap();
    assert!(medians.len() == 1 && p99s[0] >= medians[0]);
    // The upload part's file (its uploads need the release binary:
    // `cargo xtask bench --quick --only upload`).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upload.bin");
    crate::upload::write_file(&file, (1 << 20) + 3).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes.len(), (1 << 20) + 3);
    assert_ne!(bytes[..8], bytes[8..16]);
}

/// The simulated batch wait of the `shared` part, tiny (the processes sharing Redis need
/// the release binary and a `redis-server`: `cargo xtask bench --quick --only shared`).
#[test]
fn the_simulated_many_tasks_wait_runs() {
    crate::shared::sim_child(&["50", "20", "19", "1"]).unwrap();
}

/// Every size is a valid spec set: whole groups of four, then any start of one (each
/// chain names an endpoint written before it).
#[test]
fn synthetic_sets_of_any_size_validate() {
    for size in 1..=9 {
        let dir = tempfile::tempdir().unwrap();
        crate::synthetic::write(dir.path(), size).unwrap();
        if let Err(e) = codegen::generate(dir.path(), "specs") {
            panic!("{size} synthetic endpoints: {e}");
        }
    }
}
