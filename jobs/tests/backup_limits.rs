//! A backup keeps every endpoint it calls within its documented limit (scaled, so that the
//! test takes seconds), and is never throttled.

mod common;

use common::{Fixture, text};
use std::time::Duration;
use taskapi_jobs::fake::TreeOptions;

/// The documented limits, scaled by this (`--rate-limit 3`).
const SCALE: u32 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_window_of_any_endpoint_is_over_its_limit() {
    let fx = Fixture::new(TreeOptions {
        items: 120,
        export_ready: Duration::from_millis(50),
        ..TreeOptions::default()
    })
    .await;
    // The fake throttles any route over the fastest pace allowed here (drive list, 20/s
    // documented), with a margin for its fixed windows.
    fx.server.set_rate_limit(Some(20 * SCALE + 5));
    let output = fx
        .command("folder", &SCALE.to_string(), &[])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stats = fx.server.stats();
    assert_eq!(stats.throttled, 0);
    let checked = common::check_windows(&stats, SCALE);
    assert!(checked >= 3, "only {checked} limited endpoints were called");
}
