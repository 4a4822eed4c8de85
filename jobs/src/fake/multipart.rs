//! A multipart form as the fake reads it: its named parts. Odd input gives `None`, never a
//! panic.

use std::collections::HashMap;
use taskapi::runtime::testing::Recorded;

/// The form's parts by name (the first of a repeated name wins).
pub(crate) fn parts(request: &Recorded) -> Option<HashMap<String, Vec<u8>>> {
    let boundary = request
        .header("content-type")?
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"')
        .to_owned();
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = HashMap::new();
    for piece in split(&request.body, &delimiter).into_iter().skip(1) {
        if piece.starts_with(b"--") {
            break; // the closing delimiter
        }
        let piece = piece.strip_prefix(b"\r\n").unwrap_or(piece);
        let piece = piece.strip_suffix(b"\r\n").unwrap_or(piece);
        let head_end = piece.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&piece[..head_end]);
        let name = head
            .split(';')
            .find_map(|p| p.trim().strip_prefix("name="))?
            .split(['\r', '\n'])
            .next()?
            .trim_matches('"')
            .to_owned();
        parts
            .entry(name)
            .or_insert_with(|| piece[head_end + 4..].to_vec());
    }
    Some(parts)
}

/// A part as text.
pub(crate) fn text(parts: &HashMap<String, Vec<u8>>, name: &str) -> Option<String> {
    parts
        .get(name)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

fn split<'b>(haystack: &'b [u8], needle: &[u8]) -> Vec<&'b [u8]> {
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i + needle.len() <= haystack.len() {
        if &haystack[i..i + needle.len()] == needle {
            pieces.push(&haystack[start..i]);
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(&haystack[start..]);
    pieces
}
