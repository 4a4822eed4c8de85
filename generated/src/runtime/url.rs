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
    Ok(url)
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
