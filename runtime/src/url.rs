//! Building request URLs: path parameters are percent-encoded as exactly one segment, so
//! `a/../b?x#y` can never leave its segment; query values are form-encoded.

use super::error::InvalidRequest;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

/// Everything but RFC 3986 unreserved characters is encoded inside a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The longest URL an HTTP request line can carry here (the `http` crate's limit); a longer
/// one would fail inside the HTTP stack with a message that names no parameter.
const MAX_URL_BYTES: usize = u16::MAX as usize - 1;

/// One piece of a path template, as generated from the spec.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PathPart {
    /// Fixed text of the template, sent as is.
    Literal(&'static str),
    /// A parameter's value, encoded as one segment.
    Param {
        /// The wire name, for errors.
        name: &'static str,
        /// The caller's value.
        value: String,
    },
}

/// Checks a parameter's `max_length` from its spec, in characters as the docs count them.
pub fn check_max_length(
    param: &'static str,
    value: &str,
    max: usize,
) -> Result<(), InvalidRequest> {
    let length = value.chars().count();
    if length > max {
        return Err(InvalidRequest::new(
            param,
            format!("{length} characters, over the documented maximum of {max}"),
        ));
    }
    Ok(())
}

/// A client's base URL, parsed once when the client is built: each call only sets the path
/// and query on a copy, so the scheme and host (IDNA, IP parsing) are not parsed again.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    url: Url,
    /// The base URL's path without its trailing slash (`""` or e.g. `/feishu`).
    prefix: String,
}

impl BaseUrl {
    /// `url` must be an absolute `http(s)` URL without query or fragment (the builder checks).
    pub(crate) fn new(url: Url) -> Self {
        let prefix = url.path().trim_end_matches('/').to_owned();
        BaseUrl { url, prefix }
    }
}

/// Joins the base URL, the path and the query (form-encoded).
pub(crate) fn build(
    base: &BaseUrl,
    path: &[PathPart],
    query: &[(&'static str, String)],
) -> Result<Url, InvalidRequest> {
    let estimate = path.iter().fold(base.prefix.len(), |n, part| match part {
        PathPart::Literal(text) => n + text.len(),
        PathPart::Param { value, .. } => n + 3 * value.len(),
    });
    // One buffer: the path, then the query.
    let mut text = String::with_capacity(estimate);
    text.push_str(&base.prefix);
    for part in path {
        match part {
            PathPart::Literal(literal) => text.push_str(literal),
            PathPart::Param { name, value } => {
                // An empty, `.` or `..` segment would address a different resource.
                if value.is_empty() || value == "." || value == ".." {
                    return Err(InvalidRequest::new(
                        name,
                        format!("{value:?} cannot be a path segment"),
                    ));
                }
                text.extend(utf8_percent_encode(value, SEGMENT));
            }
        }
    }
    let mut url = base.url.clone();
    url.set_path(&text);
    if !query.is_empty() {
        text.clear();
        let mut pairs = ::url::form_urlencoded::Serializer::new(text);
        for (key, value) in query {
            pairs.append_pair(key, value);
        }
        url.set_query(Some(&pairs.finish()));
    }
    if url.as_str().len() > MAX_URL_BYTES {
        return Err(too_long(url.as_str().len(), path, query));
    }
    Ok(url)
}

/// Names the longest parameter as the culprit of a URL over [`MAX_URL_BYTES`].
fn too_long(length: usize, path: &[PathPart], query: &[(&'static str, String)]) -> InvalidRequest {
    let params = path.iter().filter_map(|part| match part {
        PathPart::Param { name, value } => Some((*name, value.len())),
        PathPart::Literal(_) => None,
    });
    let longest = params
        .chain(query.iter().map(|(name, value)| (*name, value.len())))
        .max_by_key(|(_, len)| *len)
        .map_or("base_url", |(name, _)| name);
    InvalidRequest::new(
        longest,
        format!(
            "too long: the request URL would be {length} bytes, over the {MAX_URL_BYTES} HTTP allows"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> BaseUrl {
        BaseUrl::new(Url::parse(url).unwrap())
    }

    #[test]
    fn path_params_stay_inside_their_segment() {
        let url = build(
            &base("http://127.0.0.1:8080"),
            &[
                PathPart::Literal("/v2.0/doc/task/info/"),
                PathPart::Param {
                    name: "taskId",
                    value: "a/../b?x#y %".to_owned(),
                },
            ],
            &[("token", "d&e=f g".into())],
        )
        .unwrap();
        assert_eq!(url.path(), "/v2.0/doc/task/info/a%2F..%2Fb%3Fx%23y%20%25");
        assert_eq!(url.query(), Some("token=d%26e%3Df+g"));
    }

    #[test]
    fn a_url_too_long_to_send_names_the_longest_parameter() {
        let long = "x".repeat(100_000);
        let err = build(
            &base("http://h"),
            &[PathPart::Literal("/a")],
            &[("token", long), ("other", "y".into())],
        )
        .unwrap_err();
        assert_eq!(err.param(), "token");
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused() {
        for value in ["", ".", ".."] {
            let err = build(
                &base("http://h"),
                &[
                    PathPart::Literal("/a/"),
                    PathPart::Param {
                        name: "ticket",
                        value: value.to_owned(),
                    },
                ],
                &[],
            )
            .unwrap_err();
            assert_eq!(err.param(), "ticket");
        }
    }

    #[test]
    fn a_path_prefix_is_kept_and_the_authority_cannot_change() {
        for (base_url, expected) in [
            (
                "https://proxy.example/feishu",
                "https://proxy.example/feishu/a/x%2Fy?token=1+2",
            ),
            (
                "https://proxy.example/feishu/",
                "https://proxy.example/feishu/a/x%2Fy?token=1+2",
            ),
            // A path that starts with `//` stays a path: the host is the base URL's.
            (
                "http://h//evil.example",
                "http://h//evil.example/a/x%2Fy?token=1+2",
            ),
        ] {
            let url = build(
                &base(base_url),
                &[
                    PathPart::Literal("/a/"),
                    PathPart::Param {
                        name: "ticket",
                        value: "x/y".to_owned(),
                    },
                ],
                &[("token", "1 2".into())],
            )
            .unwrap();
            assert_eq!(url.as_str(), expected);
        }
    }

    /// The same URL as parsing the joined text, as the client did before URLs were built
    /// from a parsed base.
    #[test]
    fn matches_parsing_the_whole_url() {
        let value = "ä b/%2e?#&=+~";
        let url = build(
            &base("http://127.0.0.1:8080/p"),
            &[
                PathPart::Literal("/v1/items/"),
                PathPart::Param {
                    name: "id",
                    value: value.to_owned(),
                },
                PathPart::Literal("/status"),
            ],
            &[("q", value.into()), ("n", "1".into())],
        )
        .unwrap();
        let encoded: String = utf8_percent_encode(value, SEGMENT).collect();
        let mut whole = Url::parse(&format!(
            "http://127.0.0.1:8080/p/v1/items/{encoded}/status"
        ))
        .unwrap();
        whole
            .query_pairs_mut()
            .append_pair("q", value)
            .append_pair("n", "1");
        assert_eq!(url, whole);
    }
}
