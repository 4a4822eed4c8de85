//! Lists that never end early: the pages of a paginated endpoint as a `Stream`, and their
//! items, ending only where the provider says the list ends, or with an error that says why.
//!
//! The well-known clients stop paging at an empty page (the wiki lists document that a page
//! may be empty while `has_more` is still true), at the first failed page without saying so,
//! or loop on a repeated token. Here the rule is read from each page's [`Cursor`] in one
//! place (`cursor.rs`), and the streams (`stream.rs`) yield every page's items in order,
//! then either the end or a [`PageError`] naming the page.

mod cursor;
mod stream;
#[cfg(test)]
mod tests;

pub use cursor::{Cursor, PageError};
pub use stream::{Items, Pages, Paginated};
