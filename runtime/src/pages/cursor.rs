//! Where a page says the list goes on, and the one rule that reads it.

use std::collections::HashSet;
use std::fmt;

/// What one page says about the rest of the list, in either shape in use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cursor {
    /// The token of the next page, as the reply gave it; an empty string counts as none.
    pub next: Option<String>,
    /// The reply's `has_more`, for shapes that have one (Feishu). `None` where the end is
    /// the absence of a token (DingTalk's `nextToken`), or when the reply left it out: then
    /// the token alone decides.
    pub has_more: Option<bool>,
}

/// Why a list ended before its end: the items yielded before it stay valid.
#[derive(Debug)]
#[non_exhaustive]
pub enum PageError<E> {
    /// A page failed after its retries.
    Call {
        /// The page's error.
        error: E,
        /// Pages read before it.
        pages_read: u32,
    },
    /// A page said there is more (`has_more: true`) but gave no token to ask for it.
    NoToken {
        /// The page that said so (1 is the first).
        page: u32,
    },
    /// A page gave a token an earlier page already gave: following it would loop.
    RepeatedToken {
        /// The page that gave it (1 is the first).
        page: u32,
        /// The token.
        token: String,
    },
}

impl<E> PageError<E> {
    /// Pages read (and yielded) before the list ended with this error.
    pub fn pages_read(&self) -> u32 {
        match self {
            PageError::Call { pages_read, .. } => *pages_read,
            // The page with the bad cursor was read and its items yielded.
            PageError::NoToken { page } | PageError::RepeatedToken { page, .. } => *page,
        }
    }

    /// The page's error, for a page that failed.
    pub fn call_error(&self) -> Option<&E> {
        match self {
            PageError::Call { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The same ending with the failed page's error turned into another type (to describe
    /// it without its type, say).
    pub fn map_call<F>(self, f: impl FnOnce(E) -> F) -> PageError<F> {
        match self {
            PageError::Call { error, pages_read } => PageError::Call {
                error: f(error),
                pages_read,
            },
            PageError::NoToken { page } => PageError::NoToken { page },
            PageError::RepeatedToken { page, token } => PageError::RepeatedToken { page, token },
        }
    }
}

impl<E: fmt::Display> fmt::Display for PageError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Call { error, pages_read } => {
                write!(
                    f,
                    "page {} failed after {pages_read} pages read: {error}",
                    pages_read + 1
                )
            }
            PageError::NoToken { page } => write!(
                f,
                "page {page} says there is more (has_more) but gives no token for it; the list \
                 is incomplete after {page} pages"
            ),
            PageError::RepeatedToken { page, token } => write!(
                f,
                "page {page} gives the token {token:?} an earlier page gave; following it would \
                 loop, so the list is incomplete after {page} pages"
            ),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for PageError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.call_error().map(|e| e as _)
    }
}

/// What comes after a page.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// The page at this token.
    Page(String),
    /// The list ended.
    End,
}

/// Reads page `page`'s cursor: the next page, the end, or why the list cannot go on.
/// `seen` holds every token followed so far (a cycle of any length is caught).
///
/// An empty page is not the end: only the cursor is read. `has_more: false` ends the list
/// whatever token comes with it; `has_more: true` needs a new token; without `has_more`,
/// a new token goes on and none ends.
pub(super) fn next<E>(
    cursor: Cursor,
    page: u32,
    seen: &mut HashSet<String>,
) -> Result<Next, PageError<E>> {
    let token = cursor.next.filter(|t| !t.is_empty());
    match (cursor.has_more, token) {
        (Some(false), _) | (None, None) => Ok(Next::End),
        (Some(true), None) => Err(PageError::NoToken { page }),
        (_, Some(token)) => {
            if seen.insert(token.clone()) {
                Ok(Next::Page(token))
            } else {
                Err(PageError::RepeatedToken { page, token })
            }
        }
    }
}
