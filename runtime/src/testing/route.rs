//! The route table the generated crate gives the fake: one [`Route`] per endpoint, with its
//! documented codes and throttling shape, and how a request's path is matched against it.

use crate::{Envelope, ErrorCode};

/// An error code as written in a spec (generated routes).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum CodeRef {
    Int(i64),
    Str(&'static str),
}

impl CodeRef {
    pub(super) fn matches(self, code: &ErrorCode) -> bool {
        match self {
            CodeRef::Int(n) => code.as_i64() == Some(n),
            CodeRef::Str(s) => code.as_str() == Some(s),
        }
    }
}

/// A code the spec documents for a route, with its HTTP status and message.
#[doc(hidden)]
#[derive(Debug)]
pub struct DocumentedError {
    pub code: CodeRef,
    pub http_status: u16,
    pub message: &'static str,
}

/// How the provider answers when it throttles (from its `rate_limit` spec).
#[doc(hidden)]
#[derive(Debug)]
pub struct RateLimitShape {
    pub http_status: u16,
    pub code: CodeRef,
    /// The seconds-until-reset header; `Retry-After` when the provider documents none.
    pub reset_header: Option<&'static str>,
    /// The calls-per-window header, when the provider documents one.
    pub limit_header: Option<&'static str>,
}

/// What a route serves.
#[doc(hidden)]
#[derive(Debug)]
#[non_exhaustive]
pub enum RouteKind {
    /// A task-status endpoint: its doc example by default.
    Endpoint,
    /// A token endpoint: fresh tokens by default.
    Token {
        token_field: &'static str,
        expires_field: &'static str,
    },
    /// A download: a file of the server's download size by default (see
    /// `FakeServer::set_download_size`), ranges honoured.
    Download,
}

/// How a poller's reply reads while its task runs, and where it reports the file's size:
/// what lets the fake run a task's whole lifecycle.
#[doc(hidden)]
#[derive(Debug)]
pub struct TaskShape {
    /// Wire names from the data to the status field; `"[]"` after an array's name when the
    /// status is in each of its elements (`["task", "move_result", "[]", "status"]`).
    pub status: &'static [&'static str],
    /// A pending status value, as JSON.
    pub pending: &'static str,
    /// A success status value, as JSON: what a started task ends with.
    pub success: &'static str,
    /// Wire names from the data to the file's size, when the poller reports one.
    pub size: Option<&'static [&'static str]>,
}

impl TaskShape {
    /// Sets the status (JSON) in a reply's data where this shape says: in every element of
    /// an array the path steps into (every element runs and ends together). Nothing is set
    /// where the data lacks the path.
    pub fn set_status(&self, data: &mut serde_json::Value, status: serde_json::Value) {
        set_at(data, self.status, status);
    }

    /// The status values in a reply's data: one per element of an array the path steps
    /// into, else at most one.
    pub fn statuses<'v>(&self, data: &'v serde_json::Value) -> Vec<&'v serde_json::Value> {
        let mut found = Vec::new();
        values_at(data, self.status, &mut found);
        found
    }
}

/// Sets the value at `path` (wire names, `"[]"` for every element of an array).
pub(super) fn set_at(value: &mut serde_json::Value, path: &[&str], new: serde_json::Value) {
    let Some((key, rest)) = path.split_first() else {
        *value = new;
        return;
    };
    if *key == "[]" {
        if let Some(elements) = value.as_array_mut() {
            for element in elements {
                set_at(element, rest, new.clone());
            }
        }
    } else if let Some(next) = value.get_mut(*key) {
        set_at(next, rest, new);
    }
}

fn values_at<'v>(
    value: &'v serde_json::Value,
    path: &[&str],
    found: &mut Vec<&'v serde_json::Value>,
) {
    match path.split_first() {
        None => found.push(value),
        Some((&"[]", rest)) => {
            for element in value.as_array().into_iter().flatten() {
                values_at(element, rest, found);
            }
        }
        Some((key, rest)) => {
            if let Some(next) = value.get(*key) {
                values_at(next, rest, found);
            }
        }
    }
}

/// How a paginated endpoint asks for a page and says what follows: what lets the fake
/// serve a list of any length in pages (see [`ListPlan`](super::ListPlan)).
#[doc(hidden)]
#[derive(Debug)]
pub struct ListShape {
    /// The query parameter with the token of the page asked for.
    pub token_param: &'static str,
    /// The query parameter with the page size.
    pub size_param: &'static str,
    /// The documented largest page.
    pub max_size: u32,
    /// The reply field with the next page's token.
    pub next_token: &'static str,
    /// The reply's "more pages follow" field, where the shape has one.
    pub has_more: Option<&'static str>,
    /// The reply's array of items.
    pub items: &'static str,
}

/// One endpoint as the fake serves it (generated from its spec).
#[doc(hidden)]
#[derive(Debug)]
pub struct Route {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub envelope: Envelope,
    pub kind: RouteKind,
    /// The spec's example reply, verbatim.
    pub example: &'static str,
    /// The endpoint's documented codes.
    pub errors: &'static [DocumentedError],
    /// The provider's common codes.
    pub common_errors: &'static [DocumentedError],
    pub rate_limit: Option<&'static RateLimitShape>,
    /// A poller's task shape.
    pub task: Option<&'static TaskShape>,
    /// A start endpoint: the id of the poller whose task it starts.
    pub starts: Option<&'static str>,
    /// A paginated endpoint's list shape.
    pub list: Option<&'static ListShape>,
}

impl Route {
    pub(super) fn matches(&self, method: &str, path: &str) -> bool {
        if self.method != method {
            return false;
        }
        let mut want = self.path.split('/');
        let mut got = path.split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                    if g.is_empty() {
                        return false;
                    }
                }
                (Some(w), Some(g)) if w == g => {}
                _ => return false,
            }
        }
    }

    /// The example's data: under `data` for wrapped replies, else the whole body.
    pub(super) fn example_data(&self) -> serde_json::Value {
        let body: serde_json::Value =
            serde_json::from_str(self.example).unwrap_or(serde_json::Value::Null);
        match self.envelope {
            Envelope::CodeMsgData => body.get("data").cloned().unwrap_or(serde_json::Value::Null),
            Envelope::CodeMsgFlat | Envelope::Bare => body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &'static str) -> Route {
        Route {
            id: "x",
            method: "GET",
            path,
            envelope: Envelope::Bare,
            kind: RouteKind::Endpoint,
            example: "{}",
            errors: &[],
            common_errors: &[],
            rate_limit: None,
            task: None,
            starts: None,
            list: None,
        }
    }

    #[test]
    fn routes_match_whole_segments() {
        let r = route("/v2.0/doc/task/info/{taskId}");
        assert!(r.matches("GET", "/v2.0/doc/task/info/abc"));
        assert!(r.matches("GET", "/v2.0/doc/task/info/a%2Fb"));
        assert!(!r.matches("GET", "/v2.0/doc/task/info/"));
        assert!(!r.matches("GET", "/v2.0/doc/task/info/a/b"));
        assert!(!r.matches("POST", "/v2.0/doc/task/info/abc"));
    }

    fn shape(status: &'static [&'static str]) -> TaskShape {
        TaskShape {
            status,
            pending: "1",
            success: "0",
            size: None,
        }
    }

    #[test]
    fn a_status_per_element_is_set_and_read_in_every_element() {
        let each = shape(&["task", "move_result", "[]", "status"]);
        use serde_json::json;
        let mut data = json!({"task": {"move_result": [{"status": 1}, {"status": 1}]}});
        each.set_status(&mut data, json!(0));
        assert_eq!(
            data,
            json!({"task": {"move_result": [{"status": 0}, {"status": 0}]}})
        );
        assert_eq!(each.statuses(&data), [&json!(0), &json!(0)]);
        let mut absent = json!({"task": {}});
        each.set_status(&mut absent, json!(0));
        assert_eq!(absent, json!({"task": {}}), "nothing to set: left alone");
        assert!(each.statuses(&absent).is_empty());

        let one = shape(&["result", "job_status"]);
        let mut plain = json!({"result": {"job_status": 1}});
        one.set_status(&mut plain, json!(0));
        assert_eq!(plain, json!({"result": {"job_status": 0}}));
        assert_eq!(one.statuses(&plain), [&json!(0)]);
    }
}
