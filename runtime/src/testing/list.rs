//! Paginated endpoints: a list of any length served in pages, with the faults real lists
//! show (an empty page that says more follow, a repeated token, a page that says more
//! follow without a token, a throttled page, a failing page), so paging code can be tested
//! against every one of them.

use super::route::{ListShape, Route};
use crate::Envelope;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The error code a [`ListPlan::failing_page`] answers with (integer-coded providers); no
/// spec documents it, so clients see an unknown API error.
pub const FAILED_PAGE_CODE: i64 = 9_999_001;
/// The same for providers with string codes.
pub const FAILED_PAGE_CODE_STR: &str = "fake.pageFailed";

/// What a paginated endpoint serves: `len` items in pages of the size asked for (at most the
/// documented maximum), and the faults to put on the way, by page number (1 is the first).
/// Set with `FakeServer::set_list`; without one, the endpoint answers its doc example.
///
/// Item `i` is the example's first item with `-i` after each of its text values that is
/// not a number ([`list_item`]), so the order of what a client collects can be checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListPlan {
    /// Items in the list.
    pub len: usize,
    /// Pages served empty, saying more follow (permission filtering does this).
    pub empty_pages: BTreeSet<u32>,
    /// A page (2 or later) whose next token is the one that asked for it: a loop.
    pub repeated_token_at: Option<u32>,
    /// A page that says more follow and gives no token.
    pub missing_token_at: Option<u32>,
    /// A page answered once with the provider's throttling reply, then served.
    pub throttled_page: Option<u32>,
    /// A page that always fails, with [`FAILED_PAGE_CODE`] and HTTP 400.
    pub failing_page: Option<u32>,
}

impl ListPlan {
    /// A list of `len` items, no faults.
    pub fn new(len: usize) -> Self {
        ListPlan {
            len,
            ..ListPlan::default()
        }
    }

    /// Page `page` comes back empty, saying more follow.
    pub fn empty_page(mut self, page: u32) -> Self {
        self.empty_pages.insert(page);
        self
    }

    /// Page `page` (2 or later) gives the token that asked for it again.
    pub fn repeated_token_at(mut self, page: u32) -> Self {
        self.repeated_token_at = Some(page);
        self
    }

    /// Page `page` says more follow and gives no token.
    pub fn missing_token_at(mut self, page: u32) -> Self {
        self.missing_token_at = Some(page);
        self
    }

    /// Page `page` is throttled once, then served.
    pub fn throttled_page(mut self, page: u32) -> Self {
        self.throttled_page = Some(page);
        self
    }

    /// Page `page` always fails.
    pub fn failing_page(mut self, page: u32) -> Self {
        self.failing_page = Some(page);
        self
    }
}

/// How the fake answers a request for a page.
#[derive(Debug)]
pub(super) enum PageReply {
    /// The provider's throttling reply.
    Throttled,
    /// The failing page's error, as a body.
    Failed(String),
    /// The page, as a whole reply body.
    Page(String),
}

/// The token that asks for page `page` starting at item `offset`.
fn token(page: u32, offset: usize) -> String {
    format!("fake-p{page}-o{offset}")
}

/// The page number and offset a token asks for; the first page without one. An unknown
/// token starts over at the first page, as no real server would: it cannot loop, since
/// the pages it leads to carry tokens of their own.
fn position(token: Option<&str>) -> (u32, usize) {
    token
        .and_then(|t| t.strip_prefix("fake-p"))
        .and_then(|rest| rest.split_once("-o"))
        .and_then(|(page, offset)| Some((page.parse().ok()?, offset.parse().ok()?)))
        .unwrap_or((1, 0))
}

/// The reply to a request for a page of `route`'s list, by `plan` (whose one-off throttle
/// is used up here).
pub(super) fn page_reply(
    route: &Route,
    shape: &ListShape,
    plan: &mut ListPlan,
    query: Option<&str>,
) -> PageReply {
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let asked = param(shape.token_param).filter(|t| !t.is_empty());
    let size = param(shape.size_param)
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(shape.max_size as usize)
        .min(shape.max_size as usize);
    let (page, offset) = position(asked);
    if plan.throttled_page == Some(page) {
        plan.throttled_page = None;
        return PageReply::Throttled;
    }
    if plan.failing_page == Some(page) {
        return PageReply::Failed(failed_body(route.envelope));
    }
    let (items, end) = if plan.empty_pages.contains(&page) {
        (Vec::new(), offset)
    } else {
        let end = (offset + size).min(plan.len);
        ((offset..end).map(|i| list_item(route, i)).collect(), end)
    };
    let more = end < plan.len || plan.empty_pages.contains(&page);
    let next = if plan.missing_token_at == Some(page) {
        None
    } else if plan.repeated_token_at == Some(page) && page > 1 {
        asked.map(str::to_owned)
    } else {
        more.then(|| token(page + 1, end))
    };
    let mut data = Map::new();
    data.insert(shape.items.into(), Value::Array(items));
    if let Some(next) = next {
        data.insert(shape.next_token.into(), next.into());
    }
    if let Some(has_more) = shape.has_more {
        data.insert(has_more.into(), more.into());
    }
    PageReply::Page(wrap(route.envelope, data).to_string())
}

/// Item `i` of `route`'s list as the fake serves it: the example's first item (an empty
/// object when the example lists none) with `-i` after each top-level text value that is
/// not a number.
pub fn list_item(route: &Route, i: usize) -> Value {
    let first = route
        .list
        .and_then(|shape| route.example_data().get(shape.items)?.get(0).cloned());
    let mut item = first.unwrap_or_else(|| Value::Object(Map::new()));
    if let Value::Object(fields) = &mut item {
        for value in fields.values_mut() {
            if let Value::String(text) = value
                && text.parse::<f64>().is_err()
            {
                text.push_str(&format!("-{i}"));
            }
        }
    }
    item
}

fn wrap(envelope: Envelope, data: Map<String, Value>) -> Value {
    match envelope {
        Envelope::CodeMsgData => serde_json::json!({"code": 0, "msg": "success", "data": data}),
        Envelope::CodeMsgFlat => {
            let mut body = data;
            body.insert("code".into(), 0.into());
            body.insert("msg".into(), "success".into());
            Value::Object(body)
        }
        Envelope::Bare => Value::Object(data),
    }
}

fn failed_body(envelope: Envelope) -> String {
    match envelope {
        Envelope::CodeMsgData | Envelope::CodeMsgFlat => {
            serde_json::json!({"code": FAILED_PAGE_CODE, "msg": "the fake's failing page"})
        }
        Envelope::Bare => serde_json::json!({
            "code": FAILED_PAGE_CODE_STR,
            "message": "the fake's failing page",
            "requestid": "fake-request-id",
        }),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::RouteKind;

    static SHAPE: ListShape = ListShape {
        token_param: "page_token",
        size_param: "page_size",
        max_size: 3,
        next_token: "next",
        has_more: Some("has_more"),
        items: "files",
    };

    fn route() -> Route {
        Route {
            id: "x.list",
            method: "GET",
            path: "/x",
            envelope: Envelope::Bare,
            kind: RouteKind::Endpoint,
            example: r#"{"files": [{"name": "a", "size": "12"}]}"#,
            errors: &[],
            common_errors: &[],
            rate_limit: None,
            task: None,
            starts: None,
            list: Some(&SHAPE),
        }
    }

    fn page(plan: &mut ListPlan, query: &str) -> Value {
        match page_reply(&route(), &SHAPE, plan, Some(query)) {
            PageReply::Page(body) => serde_json::from_str(&body).unwrap(),
            other => panic!("not a page: {other:?}"),
        }
    }

    #[test]
    fn a_list_is_served_in_pages_of_at_most_the_maximum() {
        let mut plan = ListPlan::new(5);
        let first = page(&mut plan, "page_size=10");
        assert_eq!(first["files"].as_array().unwrap().len(), 3);
        assert_eq!(first["files"][2]["name"], "a-2");
        assert_eq!(first["files"][2]["size"], "12", "numbers stay numbers");
        assert_eq!(first["has_more"], true);
        let next = first["next"].as_str().unwrap().to_owned();
        let second = page(&mut plan, &format!("page_token={next}&page_size=3"));
        assert_eq!(second["files"][1]["name"], "a-4");
        assert_eq!(second["has_more"], false);
        assert!(second.get("next").is_none());
    }

    #[test]
    fn faults_land_on_their_pages() {
        let mut plan = ListPlan::new(9)
            .empty_page(1)
            .repeated_token_at(3)
            .throttled_page(2);
        let first = page(&mut plan, "");
        assert!(first["files"].as_array().unwrap().is_empty());
        assert_eq!(first["has_more"], true);
        let token2 = first["next"].as_str().unwrap().to_owned();
        let query2 = format!("page_token={token2}");
        assert!(matches!(
            page_reply(&route(), &SHAPE, &mut plan, Some(&query2)),
            PageReply::Throttled
        ));
        let second = page(&mut plan, &query2);
        assert_eq!(second["files"][0]["name"], "a-0");
        let token3 = second["next"].as_str().unwrap().to_owned();
        let third = page(&mut plan, &format!("page_token={token3}"));
        assert_eq!(third["next"].as_str(), Some(token3.as_str()));
        let mut failing = ListPlan::new(9).failing_page(1);
        assert!(matches!(
            page_reply(&route(), &SHAPE, &mut failing, None),
            PageReply::Failed(_)
        ));
        let mut missing = ListPlan::new(9).missing_token_at(1);
        let first = page(&mut missing, "");
        assert_eq!(first["has_more"], true);
        assert!(first.get("next").is_none());
    }
}
