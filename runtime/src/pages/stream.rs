//! The streams: [`Pages`] sends one page at a time (each a whole call: retries, rate limit,
//! deadline and tracing as any call) and reads its cursor; [`Items`] flattens the pages.

use super::cursor::{Cursor, Next, PageError, next};
use crate::BoxFuture;
use futures_core::Stream;
use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// A request of a paginated endpoint, as the generated code describes it.
pub trait Paginated: Send + Unpin + 'static {
    /// One page's reply.
    type Page: Send + 'static;
    /// One item of a page.
    type Item: Send + Unpin + 'static;
    /// The endpoint's error.
    type Error: std::error::Error + Send + Unpin + 'static;

    /// Sends this request for the page at `token` (`None`: the first page).
    fn page(&self, token: Option<String>) -> BoxFuture<'static, Result<Self::Page, Self::Error>>;
    /// What the page says about the rest of the list.
    fn cursor(page: &Self::Page) -> Cursor;
    /// The page's items, in order.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Every page of a list, in order; after the last, the end, or one [`PageError`] and then
/// the end. A page is requested only when the previous one has been taken.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<R: Paginated> {
    request: R,
    /// The token of the page to ask for next (`Some(None)`: the first), `None` once ended.
    next: Option<Option<String>>,
    in_flight: Option<BoxFuture<'static, Result<R::Page, R::Error>>>,
    /// Every token followed, to catch a loop.
    seen: HashSet<String>,
    pages_read: u32,
    /// A bad cursor, reported after its page.
    ending: Option<PageError<R::Error>>,
}

impl<R: Paginated> Pages<R> {
    /// The pages of `request`'s list, from its first page.
    pub fn new(request: R) -> Self {
        Pages {
            request,
            next: Some(None),
            in_flight: None,
            seen: HashSet::new(),
            pages_read: 0,
            ending: None,
        }
    }

    /// Pages read so far.
    pub fn pages_read(&self) -> u32 {
        self.pages_read
    }

    /// The next page, or `None` after the last one (`StreamExt::next` without importing a
    /// trait).
    pub async fn next(&mut self) -> Option<Result<R::Page, PageError<R::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of these pages instead.
    pub fn items(self) -> Items<R> {
        Items {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }
}

impl<R: Paginated> Stream for Pages<R> {
    type Item = Result<R::Page, PageError<R::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(call) = this.in_flight.as_mut() {
                let result = ready!(call.as_mut().poll(cx));
                this.in_flight = None;
                return Poll::Ready(Some(match result {
                    Ok(page) => {
                        this.pages_read += 1;
                        match next(R::cursor(&page), this.pages_read, &mut this.seen) {
                            Ok(Next::Page(token)) => this.next = Some(Some(token)),
                            Ok(Next::End) => this.next = None,
                            Err(e) => {
                                this.next = None;
                                this.ending = Some(e);
                            }
                        }
                        Ok(page)
                    }
                    Err(error) => {
                        this.next = None;
                        Err(PageError::Call {
                            error,
                            pages_read: this.pages_read,
                        })
                    }
                }));
            }
            match this.next.take() {
                Some(token) => this.in_flight = Some(this.request.page(token)),
                None => return Poll::Ready(this.ending.take().map(Err)),
            }
        }
    }
}

/// Every item of every page of a list, in order; a failure ends it as for [`Pages`].
#[must_use = "a stream does nothing until polled"]
pub struct Items<R: Paginated> {
    pages: Pages<R>,
    current: std::vec::IntoIter<R::Item>,
}

impl<R: Paginated> Items<R> {
    /// Pages read so far.
    pub fn pages_read(&self) -> u32 {
        self.pages.pages_read
    }

    /// The next item, or `None` after the last one (`StreamExt::next` without importing a
    /// trait).
    pub async fn next(&mut self) -> Option<Result<R::Item, PageError<R::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<R: Paginated> Stream for Items<R> {
    type Item = Result<R::Item, PageError<R::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = R::into_items(page).into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
