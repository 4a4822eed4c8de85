//! The list rules, for every paginated endpoint of the specs, against the fake server's
//! lists: every item in order over many pages; empty pages that say more follow are not
//! the end; a repeated or missing token ends the list with an error naming the page; a
//! throttled page is retried and the list completes; a failed page ends the list after the
//! earlier items, saying how many pages were read; the page size defaults to the
//! documented maximum; the rate limit holds across pages. Through the library
//! (`list_by_id`) and the CLI's `--all`. No endpoint is named here: a new paginated spec is
//! walked as soon as it is generated.

mod common;

use codegen::model::{Endpoint, Pagination, Provider};
use serde_json::Value;
use std::time::Duration;
use taskapi::cli::{EXIT_API, EXIT_OK, EXIT_TRANSPORT};
use taskapi::runtime::{PageError, RateLimits, RetryPolicy};
use taskapi::testing::{
    ClientSettings, FAILED_PAGE_CODE, FAILED_PAGE_CODE_STR, FakeServer, ListPlan, Listed,
    ListedError, ROUTES, list_by_id, list_item,
};

/// Items per page in most tests: small, so a few dozen items make many pages.
const PAGE: i64 = 3;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// Every paginated endpoint of the specs, with its list.
fn paginated(model: &codegen::model::Model) -> Vec<(&Provider, &Endpoint, &Pagination)> {
    let lists: Vec<_> = common::endpoints(model)
        .into_iter()
        .filter_map(|(p, e)| Some((p, e, e.pagination.as_ref()?)))
        .collect();
    assert!(!lists.is_empty(), "the specs have paginated endpoints");
    lists
}

/// Lists `id` on `fake` serving `plan`, `page` items a page.
async fn list_on(fake: &FakeServer, id: &str, plan: ListPlan, page: Option<i64>) -> Listed {
    assert!(fake.set_list(id, plan), "{id} is served as a list");
    let settings: ClientSettings = fake.settings().retry(fast_retries());
    list_by_id(id, &settings, page)
        .await
        .expect("a paginated id")
}

/// Item `i` as the fake served it; the client's item (its known fields, re-serialized)
/// must agree with it on every field it has.
fn assert_item(id: &str, got: &Value, i: usize) {
    let route = ROUTES.iter().find(|r| r.id == id).unwrap();
    let served = list_item(route, i);
    let fields = got.as_object().expect("an item is an object");
    for (key, value) in fields {
        assert_eq!(Some(value), served.get(key), "{id}: item {i}, field {key}");
    }
}

fn assert_items(id: &str, listed: &Listed, range: std::ops::Range<usize>) {
    assert_eq!(listed.items.len(), range.len(), "{id}: items yielded");
    for (got, i) in listed.items.iter().zip(range) {
        assert_item(id, got, i);
    }
}

#[tokio::test]
async fn every_item_of_a_multi_page_list_arrives_in_order() {
    let model = common::model();
    for (_, e, list) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let listed = list_on(&fake, &e.id, ListPlan::new(10), Some(PAGE)).await;
        assert!(listed.error.is_none(), "{}: {:?}", e.id, listed.error);
        assert_items(&e.id, &listed, 0..10);
        assert_eq!(listed.pages_read, 4, "{}", e.id);
        assert_eq!(fake.requests(&e.id), 4, "{}", e.id);
        let query = fake.last_request(&e.id).unwrap().query.unwrap_or_default();
        assert!(
            query.contains(&format!("{}={PAGE}", list.size_wire)),
            "{}: {query}",
            e.id
        );
    }
}

#[tokio::test]
async fn the_page_size_defaults_to_the_documented_maximum() {
    let model = common::model();
    for (_, e, list) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let max = list.max_size as usize;
        let listed = list_on(&fake, &e.id, ListPlan::new(max + 1), None).await;
        assert!(listed.error.is_none(), "{}: {:?}", e.id, listed.error);
        assert_eq!(listed.items.len(), max + 1, "{}", e.id);
        assert_eq!(listed.pages_read, 2, "{}: fewest pages", e.id);
        let query = fake.last_request(&e.id).unwrap().query.unwrap_or_default();
        assert!(
            query.contains(&format!("{}={max}", list.size_wire)),
            "{}: {query}",
            e.id
        );
    }
}

#[tokio::test]
async fn empty_pages_that_say_more_follow_are_not_the_end() {
    let model = common::model();
    for (_, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let plan = ListPlan::new(6).empty_page(1).empty_page(3).empty_page(4);
        let listed = list_on(&fake, &e.id, plan, Some(PAGE)).await;
        assert!(listed.error.is_none(), "{}: {:?}", e.id, listed.error);
        assert_items(&e.id, &listed, 0..6);
        assert_eq!(listed.pages_read, 5, "{}", e.id);
    }
}

#[tokio::test]
async fn a_repeated_token_ends_the_list_with_an_error_naming_the_page() {
    let model = common::model();
    for (_, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let plan = ListPlan::new(30).repeated_token_at(3);
        let listed = list_on(&fake, &e.id, plan, Some(PAGE)).await;
        assert_items(&e.id, &listed, 0..9);
        match &listed.error {
            Some(ListedError::Page(PageError::RepeatedToken { page: 3, token })) => {
                assert!(!token.is_empty(), "{}", e.id)
            }
            other => panic!("{}: {other:?}", e.id),
        }
        assert_eq!(fake.requests(&e.id), 3, "{}: never a loop", e.id);
    }
}

#[tokio::test]
async fn more_without_a_token_ends_the_list_with_an_error_where_the_shape_can_say_so() {
    let model = common::model();
    for (_, e, list) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let plan = ListPlan::new(30).missing_token_at(2);
        let listed = list_on(&fake, &e.id, plan, Some(PAGE)).await;
        assert_items(&e.id, &listed, 0..6);
        match (&list.has_more, &listed.error) {
            (Some(_), Some(ListedError::Page(PageError::NoToken { page: 2 }))) => {}
            // Without `has_more`, a reply without a token is the end, by the shape's own
            // definition: nothing can tell it from a list of 6.
            (None, None) => {}
            (_, other) => panic!("{}: {other:?}", e.id),
        }
    }
}

#[tokio::test]
async fn a_throttled_page_is_retried_and_the_list_completes() {
    let model = common::model();
    for (_, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let plan = ListPlan::new(9).throttled_page(2);
        let listed = list_on(&fake, &e.id, plan, Some(PAGE)).await;
        assert!(listed.error.is_none(), "{}: {:?}", e.id, listed.error);
        assert_items(&e.id, &listed, 0..9);
        assert_eq!(listed.pages_read, 3, "{}", e.id);
        assert_eq!(fake.requests(&e.id), 4, "{}: page 2 twice", e.id);
    }
}

#[tokio::test]
async fn a_failed_page_ends_the_list_after_the_earlier_items() {
    let model = common::model();
    for (_, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        let plan = ListPlan::new(30).failing_page(3);
        let listed = list_on(&fake, &e.id, plan, Some(PAGE)).await;
        assert_items(&e.id, &listed, 0..6);
        match &listed.error {
            Some(ListedError::Page(PageError::Call {
                error,
                pages_read: 2,
            })) => {
                let code = error.code.as_ref().map(|c| c.to_string());
                assert!(
                    code == Some(FAILED_PAGE_CODE.to_string())
                        || code.as_deref() == Some(FAILED_PAGE_CODE_STR),
                    "{}: {error:?}",
                    e.id
                );
            }
            other => panic!("{}: {other:?}", e.id),
        }
    }
}

/// The rate every 1 s window is checked against, and the share of it the client uses.
const WINDOW_LIMIT: f64 = 10.0;
const CLIENT_SHARE: f64 = 0.8;

#[tokio::test]
async fn the_rate_limit_holds_across_pages() {
    let model = common::model();
    let mut runs = Vec::new();
    for (_, e, _) in paginated(&model) {
        let Some(limit) = &e.limit else { continue };
        let strictest = [
            limit.per_second.map(f64::from),
            limit.per_minute.map(|n| f64::from(n) / 60.0),
        ]
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min);
        let fraction = WINDOW_LIMIT / strictest * CLIENT_SHARE;
        let id = e.id.clone();
        runs.push(tokio::spawn(async move {
            let fake = FakeServer::start().await.unwrap();
            assert!(fake.set_list(&id, ListPlan::new(45)));
            let settings = fake
                .settings()
                .retry(fast_retries())
                .rate_limits(RateLimits::fraction(fraction));
            let listed = list_by_id(&id, &settings, Some(PAGE)).await.unwrap();
            assert!(listed.error.is_none(), "{id}: {:?}", listed.error);
            let mut arrivals = fake.arrivals(&id);
            arrivals.sort();
            assert_eq!(arrivals.len(), 15, "{id}");
            let (within, from) = common::busiest_second(&arrivals);
            assert!(
                within <= WINDOW_LIMIT as usize,
                "{id}: {within} pages in the second from {from:?}: {arrivals:?}"
            );
        }));
    }
    assert!(!runs.is_empty(), "a paginated spec documents its limit");
    for run in runs {
        run.await.unwrap();
    }
}

// ---- the CLI's --all ----

/// `--all` on `endpoint`'s subcommand against `fake`.
async fn cli_all(
    provider: &Provider,
    endpoint: &Endpoint,
    fake: &FakeServer,
    extra: &[&str],
) -> taskapi::cli::Outcome {
    let dir = tempfile::tempdir().unwrap();
    let mut args = common::required_args(endpoint, dir.path());
    args.push("--all".to_owned());
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    common::cli(provider, endpoint, &args, &fake.uri()).await
}

/// Pages of 3, and a failed page not tried again (its error is the point).
const ONE_ATTEMPT: [&str; 4] = ["--page-size", "3", "--max-attempts", "1"];

fn printed(outcome: &taskapi::cli::Outcome) -> Vec<Value> {
    outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

#[tokio::test]
async fn all_prints_every_item_as_received_one_per_line() {
    let model = common::model();
    for (p, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        assert!(fake.set_list(&e.id, ListPlan::new(8).empty_page(2)));
        let outcome = cli_all(p, e, &fake, &["--page-size", "3"]).await;
        assert_eq!(outcome.exit_code, EXIT_OK, "{}: {}", e.id, outcome.stderr);
        let route = ROUTES.iter().find(|r| r.id == e.id).unwrap();
        let expected: Vec<Value> = (0..8).map(|i| list_item(route, i)).collect();
        // As received: the served items exactly, unknown fields included.
        assert_eq!(printed(&outcome), expected, "{}", e.id);
        assert!(
            outcome.stderr.contains("in 4 pages"),
            "{}: {}",
            e.id,
            outcome.stderr
        );
    }
}

#[tokio::test]
async fn all_exits_non_zero_after_the_items_printed_when_a_page_fails() {
    let model = common::model();
    for (p, e, list) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        assert!(fake.set_list(&e.id, ListPlan::new(30).failing_page(2)));
        let outcome = cli_all(p, e, &fake, &ONE_ATTEMPT).await;
        assert_eq!(outcome.exit_code, EXIT_API, "{}: {}", e.id, outcome.stderr);
        assert_eq!(printed(&outcome).len(), 3, "{}", e.id);
        assert!(
            outcome.stderr.contains("3 items printed from 1 pages read"),
            "{}: {}",
            e.id,
            outcome.stderr
        );
        if list.has_more.is_some() {
            let fake = FakeServer::start().await.unwrap();
            assert!(fake.set_list(&e.id, ListPlan::new(30).missing_token_at(1)));
            let outcome = cli_all(p, e, &fake, &["--page-size", "3"]).await;
            assert_eq!(
                outcome.exit_code, EXIT_TRANSPORT,
                "{}: {}",
                e.id, outcome.stderr
            );
            assert_eq!(printed(&outcome).len(), 3, "{}", e.id);
            assert!(
                outcome.stderr.contains("page 1"),
                "{}: {}",
                e.id,
                outcome.stderr
            );
        }
        let fake = FakeServer::start().await.unwrap();
        assert!(fake.set_list(&e.id, ListPlan::new(30).repeated_token_at(2)));
        let outcome = cli_all(p, e, &fake, &ONE_ATTEMPT).await;
        assert_eq!(
            outcome.exit_code, EXIT_TRANSPORT,
            "{}: {}",
            e.id, outcome.stderr
        );
        assert_eq!(printed(&outcome).len(), 6, "{}", e.id);
        assert!(
            outcome.stderr.contains("6 items printed from 2 pages read"),
            "{}: {}",
            e.id,
            outcome.stderr
        );
    }
}

#[tokio::test]
async fn all_retries_a_throttled_page_and_completes() {
    let model = common::model();
    for (p, e, _) in paginated(&model) {
        let fake = FakeServer::start().await.unwrap();
        assert!(fake.set_list(&e.id, ListPlan::new(9).throttled_page(2)));
        let outcome = cli_all(p, e, &fake, &["--page-size", "3"]).await;
        assert_eq!(outcome.exit_code, EXIT_OK, "{}: {}", e.id, outcome.stderr);
        assert_eq!(printed(&outcome).len(), 9, "{}", e.id);
        assert_eq!(fake.requests(&e.id), 4, "{}: page 2 twice", e.id);
    }
}
