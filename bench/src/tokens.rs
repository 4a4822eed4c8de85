//! Token single-flight: 1,000 concurrent first calls with app credentials.

use crate::stats::Summary;
use std::time::Instant;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::AppCredentials;
use taskapi::testing::FakeServer;

pub struct Result {
    pub concurrent: usize,
    /// Token requests per run (each must be 1).
    pub token_requests: Vec<usize>,
    /// Wall time of all calls, milliseconds.
    pub wall_ms: Summary,
}

pub fn run(concurrent: usize, runs: usize) -> std::result::Result<Result, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut token_requests = Vec::new();
        let mut wall = Vec::new();
        for _ in 0..runs {
            let fake = FakeServer::start().await.map_err(|e| e.to_string())?;
            let client: FeishuClient = fake
                .client()
                .app_credentials(AppCredentials::new("cli_bench", "bench-secret"))
                .build()
                .map_err(|e| e.to_string())?;
            let started = Instant::now();
            let calls: Vec<_> = (0..concurrent)
                .map(|_| {
                    let client = client.clone();
                    tokio::spawn(async move {
                        client.get_export_task("T", "D").send().await.map(|_| ())
                    })
                })
                .collect();
            for call in calls {
                call.await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())?;
            }
            wall.push(started.elapsed().as_secs_f64() * 1000.0);
            token_requests.push(fake.requests("feishu.token"));
        }
        Ok(Result {
            concurrent,
            token_requests,
            wall_ms: Summary::of(wall),
        })
    })
}
