//! How much each part measures: the full run that writes BENCHMARKS.md, and `--quick`, a
//! smoke run of every part in a fraction of the time.

use crate::{backup, client, download, lists, shared, upload};

/// How much to measure.
pub struct Plan {
    pub quick: bool,
    pub runs: usize,
    pub generation_sizes: &'static [usize],
    pub compile_sizes: &'static [usize],
    pub client: client::Sizes,
    /// CLI cold start: runs of each tool per round.
    pub cli_runs: usize,
    pub download: download::Sizes,
    pub concurrent_calls: usize,
    pub jobs: &'static [u64],
    pub shared: shared::Sizes,
    pub shared_sim: shared::SimSizes,
    pub lists: lists::Sizes,
    pub backup: backup::Sizes,
    pub upload: upload::Sizes,
}

pub const FULL: Plan = Plan {
    quick: false,
    runs: 5,
    generation_sizes: &[10, 100, 1000],
    compile_sizes: &[100, 1000],
    client: client::Sizes {
        rounds: 7,
        sequential_blocks: 40,
        sequential_calls: 500,
        in_flight: 64,
        concurrent_blocks: 10,
        concurrent_calls: 2000,
    },
    cli_runs: 20,
    download: download::Sizes {
        rounds: 7,
        per_round: 4,
    },
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
    shared: shared::Sizes {
        tasks: 2000,
        limit: 400,
        client_rate: 388,
        pending_polls: 1,
        workers: &[1, 4, 8],
        runs: 2,
    },
    shared_sim: shared::SimSizes {
        tasks: 10_000,
        limit: 20,
        client_rate: 19,
        pending_polls: 1,
        runs: 3,
    },
    lists: lists::Sizes {
        items: 10_000,
        rounds: 7,
        cli_items: 100_000,
        cli_runs: 5,
    },
    backup: backup::Sizes {
        tree: 2_000,
        pace_runs: 3,
        memory_tree: 100_000,
        memory_runs: 2,
        record_items: 200,
        record_runs: 5,
    },
    upload: upload::Sizes {
        bytes: 1 << 30,
        rounds: 3,
    },
};

pub const QUICK: Plan = Plan {
    quick: true,
    runs: 2,
    generation_sizes: &[10, 100],
    compile_sizes: &[],
    client: client::Sizes {
        rounds: 2,
        sequential_blocks: 4,
        sequential_calls: 100,
        in_flight: 64,
        concurrent_blocks: 2,
        concurrent_calls: 640,
    },
    cli_runs: 4,
    download: download::Sizes {
        rounds: 2,
        per_round: 1,
    },
    concurrent_calls: 1000,
    jobs: &[2, 10, 60, 300],
    shared: shared::Sizes {
        tasks: 200,
        limit: 100,
        client_rate: 97,
        pending_polls: 1,
        workers: &[1, 4],
        runs: 1,
    },
    shared_sim: shared::SimSizes {
        tasks: 1000,
        limit: 20,
        client_rate: 19,
        pending_polls: 1,
        runs: 1,
    },
    lists: lists::Sizes {
        items: 2_000,
        rounds: 2,
        cli_items: 10_000,
        cli_runs: 1,
    },
    backup: backup::Sizes {
        tree: 300,
        pace_runs: 1,
        memory_tree: 1_000,
        memory_runs: 1,
        record_items: 50,
        record_runs: 2,
    },
    upload: upload::Sizes {
        bytes: 25 << 20,
        rounds: 2,
    },
};
