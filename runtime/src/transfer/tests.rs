//! Downloads and uploads over real HTTP on 127.0.0.1: a tiny hyper server answering each
//! request by a script (the fake's `binary_reply`, or a chunked body), a reqwest client.

use super::download::{DownloadLimits, Fetch, MAX_RESUMPTIONS, TransferProgress, download};
use super::target::{FileSink, Sink, WriterSink};
use super::upload::UploadFile;
use crate::error::{DownloadFailed, Failed, TransportError, TransportErrorKind};
use crate::future::BoxFuture;
use crate::testing::{FaultBody, binary_reply, content};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    range: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A reply: the fake's, or a chunked body (no `Content-Length`).
enum Reply {
    Fault(FaultBody),
    Chunked(VecDeque<Bytes>),
}

impl Body for Reply {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Reply::Fault(body) => Pin::new(body).poll_frame(cx),
            Reply::Chunked(chunks) => Poll::Ready(chunks.pop_front().map(|c| Ok(Frame::data(c)))),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Fault(body) => body.size_hint(),
            Reply::Chunked(_) => SizeHint::default(),
        }
    }
}

type Script = Arc<dyn Fn(usize, &Seen) -> hyper::Response<Reply> + Send + Sync>;

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Answers request `n` (from 0) with `script(n, request)`.
    async fn start(script: Script) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, script) = (log.clone(), script.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let (log, script) = (log.clone(), script.clone());
                        async move { Ok::<_, Infallible>(answer(request, &log, &script).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Server { addr, seen }
    }

    /// A server answering every request with the fake's download of `total` bytes,
    /// cutting the replies `cut(n)` says.
    async fn files(total: u64, ranges: bool, cut: fn(usize) -> Option<u64>) -> Server {
        Server::start(Arc::new(move |n, seen: &Seen| {
            binary_reply(total, seen.range.as_deref(), ranges, cut(n)).map(Reply::Fault)
        }))
        .await
    }

    fn url(&self) -> String {
        format!("http://{}/file", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn ranges(&self) -> Vec<Option<String>> {
        self.seen().into_iter().map(|s| s.range).collect()
    }
}

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    log: &Mutex<Vec<Seen>>,
    script: &Script,
) -> hyper::Response<Reply> {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &hyper::header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let (range, content_type) = (
        header(hyper::header::RANGE),
        header(hyper::header::CONTENT_TYPE),
    );
    let body = request
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let seen = Seen {
        range,
        content_type,
        body,
    };
    let n = {
        let mut log = log.lock().unwrap();
        log.push(seen.clone());
        log.len() - 1
    };
    script(n, &seen)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// What `Core` gives the download: a GET, from `offset` by range, 2xx only.
fn fetcher(
    url: String,
) -> impl Fn(u64) -> BoxFuture<'static, Result<reqwest::Response, Failed>> + Send + Sync {
    let client = client();
    move |offset| {
        let mut request = client.get(&url);
        if offset > 0 {
            request = request.header("range", format!("bytes={offset}-"));
        }
        Box::pin(async move {
            let transport = |e| Failed::Transport(TransportError::from_reqwest(e, None));
            request
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(transport)
        })
    }
}

/// A directory of its own, removed at the end.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("taskapi-transfer-{:016x}", fastrand::u64(..)));
        std::fs::create_dir(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn to_file(
    url: String,
    target: &Path,
    limits: DownloadLimits,
) -> Result<u64, DownloadFailed> {
    let fetch = fetcher(url);
    let mut sink = FileSink::create(target).await.unwrap();
    download(&fetch, &mut sink, &limits, None).await
}

async fn to_writer(url: String, limits: DownloadLimits) -> (Result<u64, DownloadFailed>, Vec<u8>) {
    let fetch = fetcher(url);
    let mut sink = WriterSink::new(Vec::new());
    let result = download(&fetch, &mut sink, &limits, None).await;
    (result, sink.into_inner())
}

fn transport(result: Result<u64, DownloadFailed>) -> TransportError {
    match result {
        Err(DownloadFailed::Call(Failed::Transport(e))) => e,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_whole_download_lands_in_the_file_with_throttled_progress() {
    let total = 1024 * 1024 + 123;
    let server = Server::files(total, true, |_| None).await;
    let dir = TempDir::new();
    let target = dir.path("report.pdf");
    let fetch = fetcher(server.url());
    let mut sink = FileSink::create(&target).await.unwrap();
    let mut reports = Vec::new();
    let mut record = |p: &TransferProgress| reports.push(*p);
    let limits = DownloadLimits::new().expected_len(total).max_bytes(total);
    let got = download(&fetch, &mut sink, &limits, Some(&mut record)).await;
    assert_eq!(got.unwrap(), total);
    drop(sink);
    assert_eq!(std::fs::read(&target).unwrap(), content(0..total));
    assert_eq!(dir.names(), ["report.pdf"], "no temporary file left");
    let last = reports.last().unwrap();
    assert_eq!((last.bytes, last.total), (total, Some(total)));
    // At most one report per 64 KiB (chunks here are often larger), plus the last one.
    assert!(
        reports.len() >= 2 && reports.len() <= 17,
        "{} reports",
        reports.len()
    );
    assert!(
        reports
            .windows(2)
            .all(|w| w[1].bytes - w[0].bytes >= 64 * 1024 || w[1].bytes == total)
    );
}

#[tokio::test]
async fn a_cut_body_is_resumed_by_range() {
    let total = 1_000_000;
    let server = Server::files(total, true, |n| (n == 0).then_some(300_000)).await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    assert_eq!(
        to_file(server.url(), &target, DownloadLimits::new())
            .await
            .unwrap(),
        total
    );
    assert_eq!(std::fs::read(&target).unwrap(), content(0..total));
    assert_eq!(server.ranges(), [None, Some("bytes=300000-".to_owned())]);
    // A writer resumes the same way: nothing written has to be taken back.
    let server = Server::files(total, true, |n| (n == 0).then_some(300_000)).await;
    let (result, written) =
        to_writer(server.url(), DownloadLimits::new().expected_len(total)).await;
    assert_eq!(result.unwrap(), total);
    assert!(written == content(0..total));
    assert_eq!(server.ranges(), [None, Some("bytes=300000-".to_owned())]);
}

#[tokio::test]
async fn a_cut_body_without_ranges_restarts_a_file_and_fails_a_writer() {
    let total = 500_000;
    let server = Server::files(total, false, |n| (n == 0).then_some(100_000)).await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    assert_eq!(
        to_file(server.url(), &target, DownloadLimits::new())
            .await
            .unwrap(),
        total
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        content(0..total),
        "truncated, not appended"
    );
    assert_eq!(server.ranges(), [None, None]);

    let server = Server::files(total, false, |n| (n == 0).then_some(100_000)).await;
    let (result, written) = to_writer(server.url(), DownloadLimits::new()).await;
    assert_eq!(transport(result).kind(), TransportErrorKind::Body);
    assert_eq!(written, content(0..100_000));
    assert_eq!(
        server.seen().len(),
        1,
        "no second request that could not be used"
    );
}

#[tokio::test]
async fn a_whole_body_sent_for_a_range_restarts_a_file_and_fails_a_writer() {
    // Ranges advertised at first, ignored on the second request (a 200 with everything).
    let script = |total| -> Script {
        Arc::new(move |n, seen: &Seen| {
            let ranges = n == 0;
            let cut = (n == 0).then_some(200_000);
            binary_reply(total, seen.range.as_deref(), ranges, cut).map(Reply::Fault)
        })
    };
    let total = 400_000;
    let server = Server::start(script(total)).await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    assert_eq!(
        to_file(server.url(), &target, DownloadLimits::new())
            .await
            .unwrap(),
        total
    );
    assert_eq!(std::fs::read(&target).unwrap(), content(0..total));
    // The 200 is used as it is: no third request.
    assert_eq!(server.ranges(), [None, Some("bytes=200000-".to_owned())]);

    let server = Server::start(script(total)).await;
    let (result, _) = to_writer(server.url(), DownloadLimits::new()).await;
    assert_eq!(transport(result).kind(), TransportErrorKind::Body);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_resumed_reply_of_another_length_restarts() {
    // The file changed between the requests: the range reply's total differs.
    let server = Server::start(Arc::new(|n, seen: &Seen| {
        let (total, cut) = if n == 0 {
            (300_000, Some(50_000))
        } else {
            (250_000, None)
        };
        binary_reply(total, seen.range.as_deref(), true, cut).map(Reply::Fault)
    }))
    .await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    assert_eq!(
        to_file(server.url(), &target, DownloadLimits::new())
            .await
            .unwrap(),
        250_000
    );
    assert_eq!(std::fs::read(&target).unwrap(), content(0..250_000));
    assert_eq!(
        server.ranges(),
        [None, Some("bytes=50000-".to_owned()), None]
    );
}

#[tokio::test]
async fn a_failed_download_leaves_the_target_as_it_was_and_no_temporary_file() {
    // Every reply is cut 50 000 bytes in: resumed until the budget runs out.
    let server = Server::files(1_000_000, true, |_| Some(50_000)).await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    std::fs::write(&target, b"the previous version").unwrap();
    let error = transport(to_file(server.url(), &target, DownloadLimits::new()).await);
    assert_eq!(error.kind(), TransportErrorKind::Body);
    let expected: Vec<_> = std::iter::once(None)
        .chain((1..=MAX_RESUMPTIONS as u64).map(|i| Some(format!("bytes={}-", i * 50_000))))
        .collect();
    assert_eq!(server.ranges(), expected);
    assert_eq!(std::fs::read(&target).unwrap(), b"the previous version");
    assert_eq!(dir.names(), ["out.bin"]);

    // And when there was no file: none afterwards either.
    let server = Server::files(1_000_000, false, |_| Some(50_000)).await;
    let dir = TempDir::new();
    let error = transport(to_file(server.url(), &dir.path("new.bin"), DownloadLimits::new()).await);
    assert_eq!(error.kind(), TransportErrorKind::Body);
    assert!(dir.names().is_empty(), "{:?}", dir.names());
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    // Announced: refused before a byte is written.
    let server = Server::files(500_000, true, |_| None).await;
    let dir = TempDir::new();
    let target = dir.path("big.bin");
    let error = transport(
        to_file(
            server.url(),
            &target,
            DownloadLimits::new().max_bytes(100_000),
        )
        .await,
    );
    assert_eq!(error.kind(), TransportErrorKind::TooLarge);
    assert!(error.to_string().contains("100000-byte limit"), "{error}");
    assert!(dir.names().is_empty());
    assert_eq!(server.seen().len(), 1);

    // Not announced (chunked): stopped once the count passes the limit.
    let server = Server::start(chunked(4, 64 * 1024)).await;
    let (result, written) = to_writer(server.url(), DownloadLimits::new().max_bytes(100_000)).await;
    assert_eq!(transport(result).kind(), TransportErrorKind::TooLarge);
    assert!(written.len() <= 100_000, "wrote {} bytes", written.len());
}

/// `chunks` chunks of `size` bytes of the content, without a `Content-Length`.
fn chunked(chunks: u64, size: u64) -> Script {
    Arc::new(move |_, _: &Seen| {
        let body = (0..chunks)
            .map(|i| Bytes::from(content(i * size..(i + 1) * size)))
            .collect();
        hyper::Response::new(Reply::Chunked(body))
    })
}

#[tokio::test]
async fn a_length_other_than_the_tasks_fails() {
    let server = Server::files(2000, true, |_| None).await;
    let dir = TempDir::new();
    let target = dir.path("out.bin");
    let error = transport(
        to_file(
            server.url(),
            &target,
            DownloadLimits::new().expected_len(1999),
        )
        .await,
    );
    assert_eq!(error.kind(), TransportErrorKind::Body);
    assert!(
        error
            .to_string()
            .contains("the server announced 2000 bytes but the task reported 1999"),
        "{error}"
    );
    assert!(dir.names().is_empty());

    // Counted (no length announced): longer, then shorter than reported.
    let server = Server::start(chunked(2, 1000)).await;
    let (result, _) = to_writer(server.url(), DownloadLimits::new().expected_len(1999)).await;
    let error = transport(result);
    assert!(
        error
            .to_string()
            .contains("the server sent 2000 bytes but the task reported 1999"),
        "{error}"
    );
    let (result, _) = to_writer(server.url(), DownloadLimits::new().expected_len(2001)).await;
    let error = transport(result);
    assert!(
        error
            .to_string()
            .contains("the server sent 2000 bytes but the task reported 2001"),
        "{error}"
    );
}

#[tokio::test]
async fn a_write_failure_is_an_output_error() {
    /// A writer whose disk is full.
    struct Full;
    impl tokio::io::AsyncWrite for Full {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            )))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }
    let server = Server::files(10_000, true, |_| None).await;
    let fetch = fetcher(server.url());
    let mut sink = WriterSink::new(Full);
    match download(&fetch, &mut sink, &DownloadLimits::new(), None).await {
        Err(DownloadFailed::Output(e)) => {
            assert_eq!(e.io_error().kind(), std::io::ErrorKind::StorageFull);
            assert_eq!(
                e.to_string(),
                "could not write the download to its writer: disk full"
            );
        }
        other => panic!("expected an output error, got {other:?}"),
    }
    // A file whose directory does not exist: refused when the sink is made.
    let dir = TempDir::new();
    let missing = dir.path("no-such-dir").join("x.pdf");
    let error = FileSink::create(&missing).await.unwrap_err();
    assert_eq!(error.path(), Some(missing.as_path()));
}

#[tokio::test]
async fn a_file_sink_dropped_unfinished_removes_its_temporary_file() {
    let dir = TempDir::new();
    let mut sink = FileSink::create(&dir.path("x.pdf")).await.unwrap();
    sink.write(b"partial").await.unwrap();
    let names = dir.names();
    assert_eq!(names.len(), 1);
    assert!(
        names[0].starts_with(".x.pdf.") && names[0].ends_with(".taskapi-part"),
        "{names:?}"
    );
    drop(sink);
    assert!(dir.names().is_empty());
}

/// The file part of a multipart body: its headers and content.
fn file_part(seen: &Seen) -> (String, Vec<u8>) {
    let content_type = seen.content_type.as_deref().unwrap();
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let delimiter = format!("--{boundary}");
    let body = &seen.body;
    let starts: Vec<usize> = (0..body.len())
        .filter(|&i| body[i..].starts_with(delimiter.as_bytes()))
        .collect();
    for pair in starts.windows(2) {
        let part = &body[pair[0] + delimiter.len() + 2..pair[1] - 2];
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let headers = String::from_utf8(part[..split].to_vec()).unwrap();
        if headers.contains("name=\"file\"") {
            return (headers, part[split + 4..].to_vec());
        }
    }
    panic!("no file part in the body");
}

async fn upload(url: &str, file: &UploadFile) -> Result<u64, Failed> {
    let (part, meter) = file.part().await?;
    let form = reqwest::multipart::Form::new()
        .text("parent_type", "explorer")
        .part("file", part);
    client()
        .post(url)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    // What the body streamed, counted as it went.
    Ok(meter.sent())
}

fn ok_server() -> Script {
    Arc::new(|_, _: &Seen| hyper::Response::new(Reply::Chunked(VecDeque::new())))
}

#[tokio::test]
async fn an_upload_from_a_path_streams_the_file_on_every_attempt() {
    let dir = TempDir::new();
    let path = dir.path("slides.pptx");
    let data = content(0..700_000);
    std::fs::write(&path, &data).unwrap();
    let server = Server::start(ok_server()).await;
    let file = UploadFile::path(&path).mime("application/pdf");
    // Twice: a retry opens the file again.
    assert_eq!(upload(&server.url(), &file).await.unwrap(), 700_000);
    assert_eq!(upload(&server.url(), &file).await.unwrap(), 700_000);
    for seen in server.seen() {
        let (headers, received) = file_part(&seen);
        assert!(headers.contains("filename=\"slides.pptx\""), "{headers}");
        assert!(
            headers
                .to_ascii_lowercase()
                .contains("content-type: application/pdf"),
            "{headers}"
        );
        assert!(received == data, "the part's content differs");
    }
    // A missing file is refused before sending.
    let missing = UploadFile::path(dir.path("gone.pdf"));
    match missing.part().await {
        Err(Failed::InvalidRequest(e)) => assert!(e.to_string().contains("gone.pdf"), "{e}"),
        other => panic!(
            "expected a refusal, got {:?}",
            other.map(|(_, meter)| meter.sent())
        ),
    }
}

#[tokio::test]
async fn an_upload_from_a_reader_is_sent_once_and_no_more_than_its_length() {
    let data = content(0..1000);
    let reader = || std::io::Cursor::new(data.clone());
    // A media type that is not one is refused without using up the reader.
    let file = UploadFile::reader(reader(), 600).mime("not a type");
    assert!(matches!(file.part().await, Err(Failed::InvalidRequest(_))));
    let file = file.mime("text/plain").file_name("notes.txt");
    let server = Server::start(ok_server()).await;
    assert_eq!(upload(&server.url(), &file).await.unwrap(), 600);
    assert!(
        file_part(&server.seen()[0])
            .0
            .to_ascii_lowercase()
            .contains("content-type: text/plain")
    );

    let file = UploadFile::reader(reader(), 600).file_name("notes.txt");
    let server = Server::start(ok_server()).await;
    assert_eq!(upload(&server.url(), &file).await.unwrap(), 600);
    let (headers, received) = file_part(&server.seen()[0]);
    assert!(headers.contains("filename=\"notes.txt\""), "{headers}");
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: application/octet-stream"),
        "{headers}"
    );
    assert!(received == data[..600]);
    match file.part().await {
        Err(Failed::InvalidRequest(e)) => {
            assert!(e.to_string().contains("cannot be sent twice"), "{e}")
        }
        other => panic!(
            "expected a refusal, got {:?}",
            other.map(|(_, meter)| meter.sent())
        ),
    }
    assert_eq!(server.seen().len(), 1);
    // Without a name or a path, the part is called "file".
    let unnamed = UploadFile::reader(std::io::Cursor::new(b"x".to_vec()), 1);
    upload(&server.url(), &unnamed).await.unwrap();
    assert!(file_part(&server.seen()[1]).0.contains("filename=\"file\""));
    // A reader shorter than its length fails the request (rather than hang or pad).
    let short = UploadFile::reader(std::io::Cursor::new(vec![0; 500]), 600);
    let (part, _) = short.part().await.unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let sent = client().post(server.url()).multipart(form).send();
    let sent = tokio::time::timeout(std::time::Duration::from_secs(10), sent).await;
    assert!(matches!(sent, Ok(Err(_))), "{sent:?}");
}

#[test]
fn an_uploads_debug_names_the_source_not_the_content() {
    let file = UploadFile::reader(std::io::Cursor::new(b"secret-content".to_vec()), 14);
    let shown = format!("{file:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(shown.contains("14"), "{shown}");
}

/// The download future can be spawned: `Core`'s users call it from any task.
#[allow(dead_code)]
fn download_is_send(fetch: &Fetch<'_>, sink: &mut FileSink) {
    fn send<T: Send>(_: T) {}
    send(download(fetch, sink, &DownloadLimits::new(), None));
}

#[tokio::test]
async fn a_files_facts_are_measured_once_and_every_attempt_must_find_them() {
    let dir = TempDir::new();
    let path = dir.path("sheet.xlsx");
    let data = content(0..300_000);
    std::fs::write(&path, &data).unwrap();
    let file = UploadFile::path(&path);
    let facts = file.facts("file", true).await.unwrap();
    assert_eq!(facts.len, 300_000);
    assert_eq!(facts.adler32, Some(adler2::adler32_slice(&data)));
    // The same length: the attempt goes; another: refused, naming both lengths.
    assert!(file.part().await.is_ok());
    std::fs::write(&path, &data[..1000]).unwrap();
    match file.part().await {
        Err(Failed::InvalidRequest(e)) => {
            let shown = e.to_string();
            assert!(
                shown.contains("300000") && shown.contains("1000") && shown.contains("changed"),
                "{shown}"
            );
        }
        other => panic!("expected a refusal, got {:?}", other.map(|(_, m)| m.sent())),
    }
    // A new call measures again.
    assert_eq!(file.facts("file", false).await.unwrap().adler32, None);
    assert!(file.part().await.is_ok());
    // A one-shot reader cannot be read twice: its length is stated, no checksum.
    let reader = UploadFile::reader(std::io::Cursor::new(vec![1; 10]), 10);
    let facts = reader.facts("file", true).await.unwrap();
    assert_eq!((facts.len, facts.adler32), (10, None));
}

#[tokio::test]
async fn a_body_that_ends_before_its_length_fails_and_counts_what_went() {
    use futures_util::StreamExt as _;
    let file = UploadFile::reader(std::io::Cursor::new(vec![0; 500]), 600);
    let (_, meter) = file.part().await.unwrap();
    assert_eq!(meter.sent(), 0);
    assert!(!meter.is_done());
    // What the part streams, read here as the connection would.
    let file = UploadFile::reader(std::io::Cursor::new(vec![0; 500]), 600);
    let (part, meter) = file.part().await.unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut stream = form.into_stream();
    let mut error = None;
    while let Some(item) = stream.next().await {
        if let Err(e) = item {
            // reqwest's own text is generic; the reason is its source's.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            error = Some(text);
            break;
        }
    }
    assert_eq!(meter.sent(), 500);
    assert!(!meter.is_done(), "a short body was taken for a whole one");
    let error = error.expect("the body fails");
    assert!(error.contains("500 of its 600 bytes"), "{error}");
}
