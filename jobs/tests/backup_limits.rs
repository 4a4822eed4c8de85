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
    let root = codegen::workspace_root().unwrap();
    let (set, problems) = codegen::load::load(&root, "specs");
    assert!(problems.is_empty(), "{problems}");
    let model = codegen::model::build(&set);
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
    let mut checked = 0;
    for endpoint in model.providers.iter().flat_map(|p| &p.endpoints) {
        let (Some(limit), Some(arrivals)) = (&endpoint.limit, stats.arrivals_ms.get(&endpoint.id))
        else {
            continue;
        };
        let mut at: Vec<u32> = arrivals.clone();
        at.sort_unstable();
        checked += 1;
        // Windows of a second and of a minute; the limiter spaces calls evenly (no burst),
        // so a per-minute limit holds within every second too, with one call of margin.
        let windows = [
            (1_000, limit.per_second.map(|n| n * SCALE)),
            (60_000, limit.per_minute.map(|n| n * SCALE)),
            (
                1_000,
                limit.per_minute.map(|n| (n * SCALE).div_ceil(60) + 1),
            ),
        ];
        for (width, allowed) in windows {
            let Some(allowed) = allowed else { continue };
            for (i, start) in at.iter().enumerate() {
                let inside = at[i..].iter().take_while(|t| **t < start + width).count();
                assert!(
                    inside as u32 <= allowed,
                    "{}: {inside} calls within {width} ms from {start} ms, limit {allowed}",
                    endpoint.id
                );
            }
        }
    }
    assert!(checked >= 3, "only {checked} limited endpoints were called");
}
