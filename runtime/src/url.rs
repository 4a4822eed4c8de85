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
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// Fixed text of the template, sent as is.
    Literal(&'static str),
    /// A parameter's value, encoded as one segment.
    Param {
        /// The wire name, for errors.
        name: &'static str,
        /// The caller's value.
        value: &'a str,
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

/// Joins a base URL (no trailing slash), the path and the query.
pub(crate) fn build(
    base: &str,
    path: &[PathPart<'_>],
    query: &[(&'static str, String)],
) -> Result<Url, InvalidRequest> {
    let mut joined = String::from(base);
    for part in path {
        match part {
            PathPart::Literal(text) => joined.push_str(text),
            PathPart::Param { name, value } => {
                // An empty, `.` or `..` segment would address a different resource.
                if value.is_empty() || *value == "." || *value == ".." {
                    return Err(InvalidRequest::new(
                        name,
                        format!("{value:?} cannot be a path segment"),
                    ));
                }
                joined.extend(utf8_percent_encode(value, SEGMENT));
            }
        }
    }
    let mut url =
        Url::parse(&joined).map_err(|e| InvalidRequest::new("base_url", e.to_string()))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in query {
            pairs.append_pair(key, value);
        }
    }
    if url.as_str().len() > MAX_URL_BYTES {
        return Err(too_long(url.as_str().len(), path, query));
    }
    Ok(url)
}

/// Names the longest parameter as the culprit of a URL over [`MAX_URL_BYTES`].
fn too_long(
    length: usize,
    path: &[PathPart<'_>],
    query: &[(&'static str, String)],
) -> InvalidRequest {
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

    #[test]
    fn path_params_stay_inside_their_segment() {
        let url = build(
            "http://127.0.0.1:8080",
            &[
                PathPart::Literal("/v2.0/doc/task/info/"),
                PathPart::Param {
                    name: "taskId",
                    value: "a/../b?x#y %",
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
            "http://h",
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
                "http://h",
                &[
                    PathPart::Literal("/a/"),
                    PathPart::Param {
                        name: "ticket",
                        value,
                    },
                ],
                &[],
            )
            .unwrap_err();
            assert_eq!(err.param(), "ticket");
        }
    }
}
