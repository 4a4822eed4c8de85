//! Binary downloads served by the fake: a deterministic content made as it is sent (any
//! size in bounded memory), ranges, and a connection broken part-way through.
//!
//! The content is a function of the offset ([`content_byte`]), so a test checks any range
//! of a download, however large, without storing what was sent.

use super::reply::{FaultBody, plain, response};
use hyper::header::{self, HeaderValue};
use std::ops::Range;

/// The byte at `offset` of every download the fake serves: the bytes of a hash of
/// `offset / 8`, so that no short period repeats (a shifted or repeated range shows).
pub fn content_byte(offset: u64) -> u8 {
    word(offset >> 3)[(offset & 7) as usize]
}

/// Bytes `range` of the fake's download content: for checking small downloads (or parts).
pub fn content(range: Range<u64>) -> Vec<u8> {
    let len = usize::try_from(range.end.saturating_sub(range.start)).unwrap_or(usize::MAX);
    let mut bytes = vec![0; len];
    fill(range.start, &mut bytes);
    bytes
}

/// Writes the content from `offset` into `buf`, hashing once per 8 bytes.
fn fill(offset: u64, buf: &mut [u8]) {
    let mut current = (offset >> 3, word(offset >> 3));
    for (pos, byte) in (offset..).zip(buf.iter_mut()) {
        if pos >> 3 != current.0 {
            current = (pos >> 3, word(pos >> 3));
        }
        *byte = current.1[(pos & 7) as usize];
    }
}

/// SplitMix64's finaliser: cheap, and every bit of the index reaches every bit of the word.
fn word(index: u64) -> [u8; 8] {
    let mut z = index.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).to_le_bytes()
}

/// A download of `total` bytes of [`content`], sent in 64 KiB chunks made on the fly.
///
/// With `accept_ranges`, the reply says `Accept-Ranges: bytes` and a `Range: bytes=N-`
/// request gets a 206 from byte N (`Content-Range: bytes N-<total-1>/<total>`), or a 416
/// when N is past the end; without it, ranges are ignored (a 200 with the whole body), as a
/// server without range support does. Other range forms are ignored too.
///
/// `cut_after: Some(k)` sends the headers, announcing the full length, and `k` bytes of the
/// body, then breaks the connection (as [`Fault::ResetMidReply`](super::Fault) does).
pub(crate) fn binary_reply(
    total: u64,
    range_header: Option<&str>,
    accept_ranges: bool,
    cut_after: Option<u64>,
) -> hyper::Response<FaultBody> {
    let start = range_header.filter(|_| accept_ranges).and_then(range_start);
    if let Some(start) = start
        && start >= total
    {
        let mut reply = plain(416, "text/plain", String::new());
        set(
            &mut reply,
            header::CONTENT_RANGE,
            format!("bytes */{total}"),
        );
        return reply;
    }
    let from = start.unwrap_or(0);
    let len = total - from;
    let cut = cut_after.filter(|&k| k < len);
    let body = FaultBody::generated(
        from..from + cut.unwrap_or(len),
        fill,
        Some(len),
        cut.is_some(),
    );
    let status = if start.is_some() { 206 } else { 200 };
    let mut reply = response(status, "application/octet-stream", body);
    set(&mut reply, header::CONTENT_LENGTH, len.to_string());
    // The same tag whatever the range: the content depends on nothing but the length.
    set(&mut reply, header::ETAG, format!("\"fake-{total}\""));
    if accept_ranges {
        set(&mut reply, header::ACCEPT_RANGES, "bytes".to_owned());
    }
    if start.is_some() {
        let last = total - 1;
        set(
            &mut reply,
            header::CONTENT_RANGE,
            format!("bytes {from}-{last}/{total}"),
        );
    }
    reply
}

/// The file name downloads give unless told otherwise: not ASCII, as most real names are,
/// so that both forms of the header's parameter are exercised.
pub(crate) const DEFAULT_DOWNLOAD_NAME: &str = "导出文件 export.bin";

/// RFC 5987's `attr-char`: what `filename*` may carry unencoded.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A `Content-Disposition` naming `name` as servers send it (RFC 6266): an ASCII
/// `filename` for old clients, and the exact name, UTF-8, in `filename*`.
pub(crate) fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let exact = percent_encoding::utf8_percent_encode(name, ATTR_CHAR);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{exact}")
}

fn set(reply: &mut hyper::Response<FaultBody>, name: header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::from_str(&value) {
        reply.headers_mut().insert(name, value);
    }
}

/// N of `bytes=N-`, the only range form a resuming client sends.
fn range_start(value: &str) -> Option<u64> {
    let start = value.trim().strip_prefix("bytes=")?.strip_suffix('-')?;
    start.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_deterministic_and_not_periodic() {
        let a = content(0..4096);
        assert_eq!(a, content(0..4096));
        assert_eq!(content(1000..1010), a[1000..1010]);
        assert!((0..4096).all(|i| content_byte(i) == a[i as usize]));
        // No short period: shifting by any small step changes the bytes.
        for shift in 1..64 {
            assert_ne!(a[..512], a[shift..512 + shift], "period {shift}");
        }
        // Every byte value appears: not a trivial pattern.
        let mut seen = [false; 256];
        a.iter().for_each(|&b| seen[b as usize] = true);
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn ranges_are_read_in_the_open_form_only() {
        assert_eq!(range_start("bytes=1000-"), Some(1000));
        assert_eq!(range_start("bytes=0-99"), None);
        assert_eq!(range_start("items=5-"), None);
    }

    #[test]
    fn replies_carry_the_range_headers() {
        let whole = binary_reply(2000, Some("bytes=500-"), false, None);
        assert_eq!(whole.status(), 200);
        assert!(whole.headers().get(header::ACCEPT_RANGES).is_none());
        let part = binary_reply(2000, Some("bytes=500-"), true, None);
        assert_eq!(part.status(), 206);
        assert_eq!(part.headers()[header::CONTENT_RANGE], "bytes 500-1999/2000");
        assert_eq!(part.headers()[header::CONTENT_LENGTH], "1500");
        assert_eq!(part.headers()[header::ACCEPT_RANGES], "bytes");
        let past = binary_reply(2000, Some("bytes=2000-"), true, None);
        assert_eq!(past.status(), 416);
        assert_eq!(past.headers()[header::CONTENT_RANGE], "bytes */2000");
    }
}
