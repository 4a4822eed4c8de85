//! The tree through the generated client, as a backup sees it: listings, exports,
//! downloads, mutations and errors; and as a migration writes it: folders, uploads,
//! imports, wiki moves.

mod errors;
mod export;
mod folders;
mod imports;
mod list;
mod uploads;
mod wiki_moves;

use super::{FakeTree, FakeUploads, TreeOptions};
use taskapi::feishu::{DriveFile, FeishuClient};
use taskapi::testing::FakeServer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// A server answering from a tree made of `options`, and a client of it.
async fn serve(options: TreeOptions) -> (FakeServer, FakeTree, FeishuClient) {
    let server = FakeServer::start().await.expect("fake server");
    let tree = FakeTree::new(options);
    tree.install(&server);
    let client = server.client::<FeishuClient>().build().expect("client");
    (server, tree, client)
}

/// A server answering from a writable tree made of `options`, the tree's uploads, and a
/// client of it.
async fn serve_writable(options: TreeOptions) -> (FakeServer, FakeTree, FakeUploads, FeishuClient) {
    let server = FakeServer::start().await.expect("fake server");
    let tree = FakeTree::new(options);
    let uploads = tree.install_writable(&server);
    let client = server.client::<FeishuClient>().build().expect("client");
    (server, tree, uploads, client)
}

/// An empty writable tree (its root folder only), imports ending after 50 ms.
async fn empty() -> (FakeServer, FakeTree, FakeUploads, FeishuClient) {
    serve_writable(TreeOptions {
        items: 0,
        import_ready: std::time::Duration::from_millis(50),
        ..TreeOptions::default()
    })
    .await
}

/// Every item listed in `folder` (`""`: the drive's root), through the generated client,
/// in small pages.
async fn listed(client: &FeishuClient, folder: &str) -> Vec<DriveFile> {
    let mut items = client
        .list_files()
        .folder_token(folder)
        .page_size(2)
        .items();
    let mut listed = Vec::new();
    while let Some(file) = items.next().await {
        listed.push(file.expect("a page"));
    }
    listed
}

/// Unix seconds now.
fn unix_now() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.expect("after 1970").as_secs()
}

/// The provider's code of a failed call.
fn code<E: taskapi::ErrorDetails>(error: &E) -> Option<i64> {
    error.code().and_then(|c| c.as_i64())
}

/// Sends a raw request (what the typed client would refuse to send) and returns the HTTP
/// status and the body.
async fn raw(server: &FakeServer, method: &str, target: &str, body: &str) -> (u16, String) {
    let addr = server.uri().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        taskapi::testing::FAKE_ACCESS_TOKEN,
        body.len(),
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.expect("read");
    let reply = String::from_utf8_lossy(&reply);
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = reply.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}
