//! The wire as the routes read and write it: query parameters, percent-encoded path
//! segments, the `{"code":0,"msg":"success","data":...}` envelope and documented errors,
//! and pages over a list of children. Nothing here panics on odd input.

use serde_json::{Value, json};
use std::collections::HashMap;
use taskapi::runtime::testing::{Recorded, Responded};

/// The query's parameters, decoded; the first of a repeated one wins.
pub(crate) fn query(recorded: &Recorded) -> HashMap<String, String> {
    let mut params = HashMap::new();
    let raw = recorded.query.as_deref().unwrap_or("");
    for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        params
            .entry(name.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    params
}

/// The path segment between `prefix` and `suffix`, percent-decoded; `None` when the path
/// is not of that form or the segment is empty.
pub(crate) fn segment(path: &str, prefix: &str, suffix: &str) -> Option<String> {
    let raw = path.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    Some(percent_decode(raw))
}

/// `%XX` to its byte (a malformed escape is kept as it is), the result read as UTF-8 with
/// invalid sequences replaced. Unlike a form's decoding, `+` stays `+`.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A success: `data` in the envelope, HTTP 200.
pub(crate) fn ok(data: Value) -> Responded {
    Responded::json(
        200,
        json!({"code": 0, "msg": "success", "data": data}).to_string(),
    )
}

/// A documented error: its HTTP status, code and message, as the provider sends them.
pub(crate) fn error(status: u16, code: i64, msg: &str) -> Responded {
    Responded::json(status, json!({"code": code, "msg": msg}).to_string())
}

/// Why a page size cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BadSize {
    /// Not a positive integer.
    Invalid,
    /// Above the documented maximum.
    TooLarge,
}

/// The page size asked for, `default` when absent.
pub(crate) fn page_size(
    raw: Option<&String>,
    default: usize,
    max: usize,
) -> Result<usize, BadSize> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    match raw.parse::<usize>() {
        Ok(0) | Err(_) => Err(BadSize::Invalid),
        Ok(n) if n > max => Err(BadSize::TooLarge),
        Ok(n) => Ok(n),
    }
}

/// One page of a parent's children: positions in `children` (deleted ones included, so a
/// deletion between two pages shifts nothing) from the one `token` names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// The children on this page.
    pub items: Vec<usize>,
    /// Where the next page starts, when any child is left after this page.
    pub next: Option<String>,
}

/// The page of `size` live children from `token` (`None`: the first), or `None` when the
/// token is not one this fake gave (not a position within the list).
pub(crate) fn page(
    children: &[usize],
    live: impl Fn(usize) -> bool,
    token: Option<&String>,
    size: usize,
) -> Option<Page> {
    let start = match token.map(String::as_str) {
        None | Some("") => 0,
        Some(raw) => raw.parse::<usize>().ok().filter(|&p| p <= children.len())?,
    };
    let mut items = Vec::new();
    let mut pos = start;
    while pos < children.len() && items.len() < size {
        if live(children[pos]) {
            items.push(children[pos]);
        }
        pos += 1;
    }
    let more = children[pos..].iter().any(|&c| live(c));
    Some(Page {
        items,
        next: more.then(|| pos.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_decoded_and_plus_kept() {
        let p = "/open-apis/wiki/v2/spaces/a%2Fb+c%E9%95%BF%zz/nodes";
        let s = segment(p, "/open-apis/wiki/v2/spaces/", "/nodes");
        assert_eq!(s.as_deref(), Some("a/b+c长%zz"));
        assert_eq!(segment("/x/%", "/x/", ""), Some("%".to_owned()));
        assert_eq!(segment("/x/", "/x/", ""), None);
        assert_eq!(segment("/y/a", "/x/", ""), None);
    }

    #[test]
    fn pages_skip_deleted_children_without_gap_or_repeat() {
        let children: Vec<usize> = (0..10).collect();
        let live = |c: usize| !c.is_multiple_of(3);
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = page(&children, live, token.as_ref(), 2).unwrap();
            seen.extend(page.items);
            match page.next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, vec![1, 2, 4, 5, 7, 8]);
        assert_eq!(page(&children, live, Some(&"11".to_owned()), 2), None);
        assert_eq!(page(&children, live, Some(&"x".to_owned()), 2), None);
    }

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(None, 100, 200), Ok(100));
        assert_eq!(
            page_size(Some(&"201".into()), 100, 200),
            Err(BadSize::TooLarge)
        );
        assert_eq!(
            page_size(Some(&"0".into()), 100, 200),
            Err(BadSize::Invalid)
        );
        assert_eq!(
            page_size(Some(&"-1".into()), 100, 200),
            Err(BadSize::Invalid)
        );
        assert_eq!(page_size(Some(&"7".into()), 100, 200), Ok(7));
    }
}
