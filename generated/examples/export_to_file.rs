//! Exports a document to a PDF in one call: start the export, wait for it, download the
//! file; here against the fake server of `taskapi::testing`.
//!
//! ```sh
//! cargo run -p taskapi --features testing --example export_to_file
//! ```
//!
//! The fake keeps the task pending for two polls, then reports it done with a file, which
//! it serves. Against the real API, use `FeishuClient::builder()` with app credentials and
//! your document's token.

use std::time::Duration;
use taskapi::feishu::{ExportDocumentType, ExportFileExtension, FeishuClient};
use taskapi::testing::FakeServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeServer::start().await?;
    fake.set_pending_polls(2);
    fake.set_download_size(1 << 20);
    let client: FeishuClient = fake.client().build()?;

    let dir = std::env::temp_dir().join(format!("taskapi-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let target = dir.join("report.pdf");
    let fetched = client
        .export_document(
            ExportFileExtension::Pdf,
            "docbcZVGtv1papC6jAVGiyabcef",
            ExportDocumentType::Docx,
        )
        // Short delays for the demo; the spec's defaults start at 3 s.
        .min_delay(Duration::from_millis(50))
        .max_delay(Duration::from_millis(200))
        .on_progress(|p| println!("poll {}: {:?} ({:?})", p.polls, p.status, p.state))
        .on_transfer(|p| println!("downloaded {} of {:?} bytes", p.bytes, p.total))
        .to_file(&target)
        .await?;
    println!(
        "{} bytes written to {} (ticket {:?})",
        fetched.bytes,
        target.display(),
        fetched.started.ticket
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
