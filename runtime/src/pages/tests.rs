//! The rule and the streams on scripted lists: every item in order through empty pages,
//! the end where each shape says, and each way a list cannot go on reported after the items
//! before it, never a loop and never a silent stop.

use super::{Cursor, PageError, Pages, Paginated};
use crate::BoxFuture;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, PartialEq)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the page failed")
    }
}

impl std::error::Error for Failed {}

/// A page as the script gives it: its items and cursor, or a failure.
type Scripted = Result<(Vec<u32>, Cursor), Failed>;

/// A list whose page at each token (`""` for the first) is scripted; logs the tokens asked.
struct List {
    pages: Arc<HashMap<String, Scripted>>,
    asked: Arc<Mutex<Vec<Option<String>>>>,
}

impl Paginated for List {
    type Page = (Vec<u32>, Cursor);
    type Item = u32;
    type Error = Failed;

    fn page(&self, token: Option<String>) -> BoxFuture<'static, Result<Self::Page, Failed>> {
        self.asked.lock().unwrap().push(token.clone());
        let reply = match self.pages.get(token.as_deref().unwrap_or("")) {
            Some(Ok(page)) => Ok(page.clone()),
            _ => Err(Failed),
        };
        Box::pin(async move { reply })
    }
    fn cursor(page: &Self::Page) -> Cursor {
        page.1.clone()
    }
    fn into_items(page: Self::Page) -> Vec<u32> {
        page.0
    }
}

fn feishu(items: &[u32], next: Option<&str>, has_more: bool) -> Scripted {
    Ok((
        items.to_vec(),
        Cursor {
            next: next.map(str::to_owned),
            has_more: Some(has_more),
        },
    ))
}

fn dingtalk(items: &[u32], next: Option<&str>) -> Scripted {
    Ok((
        items.to_vec(),
        Cursor {
            next: next.map(str::to_owned),
            has_more: None,
        },
    ))
}

/// Every item and the error the list ended with, and the tokens asked for.
async fn run(
    pages: Vec<(&str, Scripted)>,
) -> (Vec<u32>, Option<PageError<Failed>>, Vec<Option<String>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let list = List {
        pages: Arc::new(pages.into_iter().map(|(t, p)| (t.to_owned(), p)).collect()),
        asked: asked.clone(),
    };
    let mut items = Pages::new(list).items();
    let (mut got, mut error) = (Vec::new(), None);
    while let Some(item) = items.next().await {
        match item {
            Ok(n) => got.push(n),
            Err(e) => {
                assert!(error.is_none(), "a second error: {e}");
                error = Some(e);
            }
        }
    }
    assert!(items.next().await.is_none(), "ended stays ended");
    let asked = asked.lock().unwrap().clone();
    (got, error, asked)
}

#[tokio::test]
async fn empty_pages_with_more_to_come_are_not_the_end() {
    let (items, error, asked) = run(vec![
        ("", feishu(&[1, 2], Some("a"), true)),
        ("a", feishu(&[], Some("b"), true)),
        ("b", feishu(&[], Some("c"), true)),
        ("c", feishu(&[3], Some("d"), true)),
        ("d", feishu(&[4, 5], None, false)),
    ])
    .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert!(error.is_none());
    assert_eq!(asked.len(), 5, "one request per page: {asked:?}");
}

#[tokio::test]
async fn has_more_false_ends_the_list_whatever_token_comes_with_it() {
    let (items, error, asked) = run(vec![
        ("", feishu(&[1], Some("a"), true)),
        ("a", feishu(&[2], Some("b"), false)),
        ("b", feishu(&[99], None, false)),
    ])
    .await;
    assert_eq!(items, [1, 2]);
    assert!(error.is_none());
    assert_eq!(asked, [None, Some("a".to_owned())]);
}

#[tokio::test]
async fn without_has_more_the_absence_of_a_token_is_the_end() {
    let (items, error, _) = run(vec![
        ("", dingtalk(&[1], Some("n1"))),
        ("n1", dingtalk(&[], Some("n2"))),
        ("n2", dingtalk(&[2], Some(""))),
    ])
    .await;
    assert_eq!(items, [1, 2], "an empty token counts as none");
    assert!(error.is_none());
}

#[tokio::test]
async fn more_without_a_token_ends_with_an_error_naming_the_page() {
    let (items, error, _) = run(vec![
        ("", feishu(&[1], Some("a"), true)),
        ("a", feishu(&[2], None, true)),
    ])
    .await;
    assert_eq!(items, [1, 2], "the page's own items are kept");
    let error = error.expect("not a silent stop");
    assert!(matches!(error, PageError::NoToken { page: 2 }), "{error:?}");
    assert_eq!(error.pages_read(), 2);
    assert!(error.to_string().contains("page 2"), "{error}");
}

#[tokio::test]
async fn a_repeated_token_ends_with_an_error_not_a_loop() {
    for shape in [true, false] {
        let page = |items: &[u32], next| {
            if shape {
                feishu(items, Some(next), true)
            } else {
                dingtalk(items, Some(next))
            }
        };
        let (items, error, asked) = run(vec![
            ("", page(&[1], "a")),
            ("a", page(&[2], "b")),
            ("b", page(&[3], "a")),
        ])
        .await;
        assert_eq!(items, [1, 2, 3]);
        let Some(PageError::RepeatedToken { page, token }) = &error else {
            panic!("{error:?}")
        };
        assert_eq!((*page, token.as_str()), (3, "a"));
        assert_eq!(asked.len(), 3, "the repeated token is not followed");
        assert!(error.unwrap().to_string().contains("\"a\""));
    }
}

#[tokio::test]
async fn a_failed_page_ends_the_list_after_the_items_before_it() {
    let (items, error, asked) = run(vec![
        ("", feishu(&[1, 2], Some("a"), true)),
        ("a", feishu(&[3], Some("b"), true)),
        ("b", Err(Failed)),
        ("c", feishu(&[4], None, false)),
    ])
    .await;
    assert_eq!(items, [1, 2, 3]);
    let error = error.expect("the failure is reported");
    assert_eq!(error.call_error(), Some(&Failed));
    assert_eq!(error.pages_read(), 2);
    assert!(
        error
            .to_string()
            .starts_with("page 3 failed after 2 pages read"),
        "{error}"
    );
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(asked.len(), 3, "nothing after the failed page");
}

#[tokio::test]
async fn a_page_is_asked_for_only_when_the_one_before_was_taken() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let list = List {
        pages: Arc::new(
            [
                ("".to_owned(), feishu(&[1], Some("a"), true)),
                ("a".to_owned(), feishu(&[2], None, false)),
            ]
            .into_iter()
            .collect(),
        ),
        asked: asked.clone(),
    };
    let mut pages = Pages::new(list);
    assert!(asked.lock().unwrap().is_empty(), "nothing before polling");
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.0, [1]);
    assert_eq!(asked.lock().unwrap().len(), 1);
    assert_eq!(pages.pages_read(), 1);
    pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.is_none());
    assert_eq!(pages.pages_read(), 2);
}
